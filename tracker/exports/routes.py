"""Public lists (/activated, /planned), every download (the lists, the letter log, releases),
numbered releases and the export log."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.access import Role, requires, user_has
from tracker.corrections.listing import (
    CORRECTIONS_NEWEST_FIRST,
    CorrectionFilterForm,
    corrections_statement,
)
from tracker.dates import today
from tracker.deferrals.log import LogFilterForm
from tracker.errors import DomainError
from tracker.exports import releases
from tracker.exports.forms import ListFilterForm, ReleaseForm
from tracker.exports.models import ExportRecord, Release
from tracker.exports.review import REVIEW, render_review_export
from tracker.exports.services import (
    CHANNELS,
    commit_export_record,
    known_at_filter,
    list_title,
    render_export,
    stream_table,
    write_table,
)
from tracker.exports.sources import (
    CORRECTIONS,
    LETTER_LOG,
    corrections_table,
    group_by_state,
    letter_log_table,
    list_rows,
    list_summary,
)
from tracker.exports.writers import FORMAT_NAMES
from tracker.extensions import db
from tracker.outcomes.quarters import Quarter
from tracker.pagination import SortKey, ordering, seek
from tracker.params import ChoiceParam, SeekFilterForm

bp = Blueprint("exports", __name__)

LIST_ENDPOINTS = {"activated": "exports.activated_list", "planned": "exports.planned_list"}


def _render_list(list_name: str):
    form = ListFilterForm(list_name)
    columns, rows = list_rows(list_name, **form.list_filters())
    return render_template(
        "exports/list.html",
        list_name=list_name,
        known_at=form.known_at.data,
        title=list_title(list_name, form.as_of.data),
        form=form,
        columns=columns,
        groups=group_by_state(rows, form.sort.data),
        total=len(rows),
        summary=list_summary(list_name, rows, form.as_of.data, form.state.data),
        formats=FORMAT_NAMES,
        endpoint=LIST_ENDPOINTS[list_name],
    ), 200 if form.valid else 400


@bp.get("/activated")
def activated_list():
    return _render_list("activated")


@bp.get("/planned")
def planned_list():
    return _render_list("planned")


def _download(content, media_type: str, filename: str, **headers: str) -> Response:
    """A file to save: `content` is its bytes, or an iterable of chunks (streamed)."""
    response = Response(content, content_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.update(headers)
    return response


@bp.get("/exports/<any(activated, planned):list_name>.<any(csv, xlsx, pdf, json, geojson):fmt>")
def export_list(list_name: str, fmt: str):
    form = ListFilterForm(list_name).checked()
    rendered = render_export(list_name, fmt, **form.list_filters())
    commit_export_record(
        list_name, fmt, rendered.as_of, rendered.filters, rendered.row_count, channel="web"
    )
    return _download(rendered.content, rendered.media_type, rendered.filename)


@bp.get("/deferrals/export.<any(csv, xlsx):fmt>")
@requires(Role.VIEWER)
def export_letter_log(fmt: str):
    """The deferral log as filtered on its page (staff only, never cached by anyone), streamed
    as the database returns the rows. Its provenance record is written once the last row has
    gone, with the number of rows sent (fewer when the download was cut short)."""
    form = LogFilterForm().checked()
    filters = form.log_filters()
    columns, rows = letter_log_table(filters)
    # The moment as every file states it (UTC), not as it was typed.
    given = form.query(without=("after", "per_page", "as_of", "known_at"))
    given |= known_at_filter(filters.known_at)
    streamed = stream_table(LETTER_LOG, fmt, filters.as_of, columns, rows, given)

    def body():
        try:
            yield from streamed.chunks
        finally:
            commit_export_record(
                LETTER_LOG, fmt, streamed.as_of, given, streamed.row_count, channel="web"
            )

    return _download(
        stream_with_context(body()),
        streamed.media_type,
        streamed.filename,
        **{"Cache-Control": "private, no-store"},
    )


@bp.get("/corrections/export.csv")
@requires(Role.VIEWER)
def export_corrections():
    """Every correction the /corrections filters select (staff only, never cached by anyone)."""
    form = CorrectionFilterForm().checked()
    ordered = corrections_statement(form).order_by(*ordering(CORRECTIONS_NEWEST_FIRST))
    columns, rows = corrections_table(db.session.scalars(ordered))
    given = form.query(without=("after", "per_page"))
    rendered = write_table(CORRECTIONS, "csv", today(), columns, rows, given)
    commit_export_record(
        CORRECTIONS, "csv", rendered.as_of, rendered.filters, rendered.row_count, channel="web"
    )
    return _download(
        rendered.content,
        rendered.media_type,
        rendered.filename,
        **{"Cache-Control": "private, no-store"},
    )


@bp.get("/reviews/<quarter>/export.<any(csv, xlsx, pdf):fmt>")
@requires(Role.VIEWER)
def export_review(quarter: str, fmt: str):
    """A quarter's review: the flagged jurisdictions with their dispositions (CSV, XLSX), and
    the report with the funnel plots (PDF). Staff only, never cached by anyone else."""
    rendered = render_review_export(Quarter.from_url(quarter), fmt)
    commit_export_record(
        REVIEW, fmt, rendered.as_of, rendered.filters, rendered.row_count, channel="web"
    )
    return _download(
        rendered.content,
        rendered.media_type,
        rendered.filename,
        **{"Cache-Control": "private, no-store"},
    )


# --- releases -------------------------------------------------------------------------------


@bp.get("/releases")
def list_releases():
    published = db.session.scalars(select(Release).order_by(Release.number.desc())).all()
    return render_template(
        "exports/releases.html",
        releases=published,
        can_publish=user_has(Role.EDITOR),
        show_log=user_has(Role.ADMIN),
    )


@bp.route("/releases/new", methods=["GET", "POST"])
@requires(Role.EDITOR)
def new_release():
    form = ReleaseForm()
    if form.validate_on_submit():
        try:
            release = releases.publish_release(form.as_of.data, form.notes.data)
        except DomainError as exc:
            db.session.rollback()
            form.as_of.errors = [*form.as_of.errors, exc.message]
        else:
            number = release.number
            db.session.commit()
            flash(f"Release {number} published.", "success")
            return redirect(url_for("exports.show_release", number=number), code=303)
    latest = db.session.scalar(select(Release).order_by(Release.number.desc()).limit(1))
    status = 400 if form.errors else 200
    return render_template("exports/release_new.html", form=form, latest=latest), status


@bp.get("/releases/<int:number>")
def show_release(number: int):
    release = releases.get_release(number)
    return render_template(
        "exports/release.html",
        release=release,
        title=list_title("activated", release.as_of),
        show_log=user_has(Role.ADMIN),
        # Notes and the publisher's name are typed by staff: public pages never show them.
        show_internal=user_has(Role.VIEWER),
    )


@bp.get("/releases/<int:number>/<any(csv, xlsx, pdf, json):fmt>")
def download_release(number: int, fmt: str):
    release = releases.get_release(number)
    stored = releases.release_file(number, fmt)
    content, media_type, filename, sha256 = (
        stored.content,
        stored.media_type,
        stored.filename,
        stored.sha256,
    )
    commit_export_record(
        f"release {number}",
        fmt,
        release.as_of,
        {"release": number, "known_at": release.known_at.isoformat()},
        release.row_count,
        channel="web",
    )
    # A release never changes: its files may be cached for good.
    return _download(
        content,
        media_type,
        filename,
        **{"Cache-Control": "public, max-age=31536000, immutable", "ETag": f'"{sha256}"'},
    )


# --- provenance -------------------------------------------------------------------------------


class ExportLogFilterForm(SeekFilterForm):
    channel = ChoiceParam("Channel", choices=CHANNELS)


NEWEST_FIRST = (SortKey(ExportRecord.id, descending=True),)


@bp.get("/exports/log")
@requires(Role.ADMIN)
def export_log():
    form = ExportLogFilterForm()
    statement = select(ExportRecord).options(selectinload(ExportRecord.user))
    if form.channel.data:
        statement = statement.where(ExportRecord.channel == form.channel.data)
    records = seek(statement, NEWEST_FIRST, form.after.data, form.per_page.data)
    status = 200 if form.valid else 400
    return render_template("exports/log.html", records=records, form=form), status
