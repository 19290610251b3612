"""/stats/import, the quarterly review (/reviews/<YYYY-Qn>, a flag's page with its disposition,
publishing a quarter's totals) and the public page of published totals (/outcomes)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from tracker.access import Role, requires, user_has
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.outcomes import publication
from tracker.outcomes.applying import apply_statistics_import
from tracker.outcomes.dispositions import record_disposition
from tracker.outcomes.forms import (
    STATISTICS_MAX_BYTES,
    STATISTICS_MAX_MB,
    DispositionForm,
    PublicationForm,
    StatisticsUploadForm,
)
from tracker.outcomes.importing import preview_statistics_import
from tracker.outcomes.models import Metric
from tracker.outcomes.plots import review_views
from tracker.outcomes.quarters import Quarter
from tracker.outcomes.review import cached_review, flag_for
from tracker.outcomes.services import available_quarters, latest_quarter
from tracker.plan.forms import ConfirmImportForm
from tracker.plan.importing.web import ImportPages, confirm_upload, show_upload

bp = Blueprint("outcomes", __name__)
METRICS = "any(" + ", ".join(m.value for m in Metric) + ")"

STATISTICS_PAGES = ImportPages(
    title="Import monthly statistics",
    upload_endpoint="outcomes.import_statistics",
    confirm_endpoint="outcomes.confirm_statistics_import",
    upload_template="outcomes/import.html",
    salt="tracker.statistics-import",
    max_mb=STATISTICS_MAX_MB,
    max_bytes=STATISTICS_MAX_BYTES,
    preview=preview_statistics_import,
    apply=apply_statistics_import,
    done=lambda filename, preview, result: (
        f"Imported {filename}: {preview.summary()}. {result.added} months added, "
        f"{result.replaced} replaced (the earlier figures are kept as history)."
    ),
    nothing_new="Every row matches the statistics recorded: importing this file would change "
    "nothing.",
    moved="The statistics changed since your preview, so nothing was imported. Review the "
    "updated preview below and confirm again.",
)


@bp.route("/stats/import", methods=["GET", "POST"])
@requires(Role.EDITOR)
def import_statistics():
    return show_upload(STATISTICS_PAGES, StatisticsUploadForm(), ConfirmImportForm)


@bp.post("/stats/import/confirm")
@requires(Role.EDITOR)
def confirm_statistics_import():
    return confirm_upload(STATISTICS_PAGES, ConfirmImportForm)


@bp.get("/reviews")
@requires(Role.VIEWER)
def latest_review():
    """The quarter chosen (?quarter=2010-Q3: its own address), else the review of the latest
    quarter with statistics."""
    if request.args.get("quarter"):
        chosen = Quarter.from_url(request.args["quarter"])
        return redirect(url_for("outcomes.show_review", quarter=str(chosen)))
    quarter = latest_quarter()
    if quarter is None:
        return render_template("outcomes/no_statistics.html", may_import=user_has(Role.EDITOR))
    return _render_review(quarter)


@bp.get("/reviews/<quarter>")
@requires(Role.VIEWER)
def show_review(quarter: str):
    return _render_review(Quarter.from_url(quarter))


def _render_review(quarter: Quarter):
    review = cached_review(quarter)
    # Flag links built from one prefix per metric: url_for for each of thousands of points
    # would cost tens of milliseconds.
    links = {m: f"{request.script_root}/reviews/{quarter}/{m.value}/" for m in Metric}
    views = review_views(review, links) if review.has_data else {}
    return render_template(
        "outcomes/review.html",
        review=review,
        links=links,
        plots={metric: plot for metric, (plot, _rows) in views.items()},
        tables={metric: rows for metric, (_plot, rows) in views.items()},
        quarters=available_quarters(),
        published=publication.publication_of(review.quarter),
        may_publish=user_has(Role.ADMIN),
    )


def _render_flag(quarter: Quarter, metric: Metric, fips: str, form: DispositionForm, status=200):
    review = cached_review(quarter)
    metric_review = review.metric(metric)
    flag = metric_review.flag_of(fips)
    assessment = next((a for a in metric_review.funnel.assessments if a.key == fips), None)
    if assessment is None:
        abort(404, description=f"{fips} reported no {metric.cases_noun} in {quarter}.")
    if flag is not None and request.method == "GET":
        form.revises.data = str(flag.disposition.id) if flag.disposition else ""
    return render_template(
        "outcomes/flag.html",
        review=review,
        metric_review=metric_review,
        place=metric_review.places[fips],
        assessment=assessment,
        flag=flag,
        form=form,
        may_decide=user_has(Role.EDITOR),
    ), status


@bp.get(f"/reviews/<quarter>/<{METRICS}:metric>/<fips>")
@requires(Role.VIEWER)
def show_flag(quarter: str, metric: str, fips: str):
    return _render_flag(Quarter.from_url(quarter), Metric(metric), fips, DispositionForm())


@bp.post(f"/reviews/<quarter>/<{METRICS}:metric>/<fips>")
@requires(Role.EDITOR)
def decide_flag(quarter: str, metric: str, fips: str):
    period, metric = Quarter.from_url(quarter), Metric(metric)
    form = DispositionForm()
    if form.validate_on_submit():
        try:
            record_disposition(
                flag_for(period, metric, fips),
                str(period),
                disposition=form.disposition.data,
                note=form.note.data,
                revises=int(form.revises.data) if (form.revises.data or "").isdigit() else None,
            )
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            return _render_flag(period, metric, fips, form, status=exc.status_code)
        flash("Disposition recorded.", "success")
        return redirect(
            url_for("outcomes.show_flag", quarter=str(period), metric=metric, fips=fips), 303
        )
    db.session.rollback()
    return _render_flag(period, metric, fips, form, status=400)


def _publication_step(quarter: str, step, done: str):
    """Publish or withdraw a quarter's totals (`step`), then back to its review with `done`."""
    period = Quarter.from_url(quarter)
    if not PublicationForm().validate_on_submit():
        abort(400, description="Publish or withdraw from the quarter's review page.")
    try:
        step(period)
        db.session.commit()
        flash(done.format(quarter=period), "success")
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    return redirect(url_for("outcomes.show_review", quarter=str(period)), 303)


@bp.post("/reviews/<quarter>/publish")
@requires(Role.ADMIN)
def publish_review(quarter: str):
    return _publication_step(
        quarter,
        publication.publish_quarter,
        "The national totals of {quarter} are published on the public outcomes page.",
    )


@bp.post("/reviews/<quarter>/withdraw")
@requires(Role.ADMIN)
def withdraw_review(quarter: str):
    return _publication_step(
        quarter,
        publication.withdraw_quarter,
        "The national totals of {quarter} are no longer public.",
    )


@bp.get("/outcomes")
def published_outcomes():
    return render_template("outcomes/published.html", publications=publication.published_quarters())
