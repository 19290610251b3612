"""Public lists (/activated, /planned), their exports, numbered releases and the export log."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from tracker.access import Role, requires, user_has
from tracker.api.params import state_param
from tracker.dates import parse_iso_date, today
from tracker.errors import DomainError
from tracker.exports import releases
from tracker.exports.forms import ReleaseForm
from tracker.exports.models import ExportRecord, Release
from tracker.exports.services import actor_id, list_title, record_export, render_export
from tracker.exports.sources import DATE_INDEX, group_by_state, list_rows
from tracker.exports.writers import FORMAT_NAMES
from tracker.extensions import db
from tracker.pagination import paginate, parse_page_args
from tracker.registry.models import State

bp = Blueprint("exports", __name__)

SORTS = {
    "fips": "FIPS code",
    "name": "Jurisdiction name",
    "date": "Date, earliest first",
    "-date": "Date, latest first",
}
LIST_ENDPOINTS = {"activated": "exports.activated_list", "planned": "exports.planned_list"}


def _list_params() -> dict:
    """as_of, state, from, to from the query string; a bad value is a 400 naming it."""
    as_of = parse_iso_date(request.args.get("as_of"), "as_of", default=today())
    date_from = parse_iso_date(request.args.get("from"), "from")
    date_to = parse_iso_date(request.args.get("to"), "to")
    if date_from and date_to and date_from > date_to:
        raise DomainError("from must be on or before to.", field="from")
    return {"as_of": as_of, "state": state_param(), "date_from": date_from, "date_to": date_to}


def _query_args(params: dict) -> dict[str, str]:
    """The parameters as they appear in links (only those given)."""
    args = {"as_of": params["as_of"].isoformat()}
    if params["state"]:
        args["state"] = params["state"]
    if params["date_from"]:
        args["from"] = params["date_from"].isoformat()
    if params["date_to"]:
        args["to"] = params["date_to"].isoformat()
    return args


def _sort_key(sort: str, date_index: int):
    if sort == "name":
        return lambda row: (row[3].casefold(), row[2])
    if sort in ("date", "-date"):
        return lambda row: (row[date_index] or dt.date.max, row[2])
    return lambda row: row[2]


def _render_list(list_name: str):
    params = _list_params()
    sort = request.args.get("sort") or "fips"
    if sort not in SORTS:
        raise DomainError(f"sort must be one of {', '.join(SORTS)}; got {sort!r}.", field="sort")
    columns, rows = list_rows(list_name, **params)
    groups = group_by_state(rows)
    for group in groups:
        group.rows.sort(key=_sort_key(sort, DATE_INDEX[list_name]), reverse=sort == "-date")
    states = db.session.execute(select(State.postal, State.name).order_by(State.name)).all()
    query = _query_args(params)
    return render_template(
        "exports/list.html",
        list_name=list_name,
        title=list_title(list_name, params["as_of"]),
        params=params,
        query=query,
        sort=sort,
        sorts=SORTS,
        columns=columns,
        groups=groups,
        total=len(rows),
        states=states,
        formats=FORMAT_NAMES,
        endpoint=LIST_ENDPOINTS[list_name],
    )


@bp.get("/activated")
def activated_list():
    return _render_list("activated")


@bp.get("/planned")
def planned_list():
    return _render_list("planned")


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    response = Response(content, content_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/exports/<any(activated, planned):list_name>.<any(csv, xlsx, pdf, json, geojson):fmt>")
def export_list(list_name: str, fmt: str):
    params = _list_params()
    rendered = render_export(list_name, fmt, **params)
    user_id = actor_id()
    db.session.rollback()  # the log is written in a transaction of its own: see record_export
    record_export(
        list_name,
        fmt,
        rendered.as_of,
        rendered.filters,
        rendered.row_count,
        channel="web",
        user_id=user_id,
    )
    db.session.commit()
    return _attachment(rendered.content, rendered.media_type, rendered.filename)


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
    as_of, row_count = release.as_of, release.row_count
    user_id = actor_id()
    db.session.rollback()  # the log is written in a transaction of its own: see record_export
    record_export(
        f"release {number}",
        fmt,
        as_of,
        {"release": number},
        row_count,
        channel="web",
        user_id=user_id,
    )
    db.session.commit()
    response = _attachment(content, media_type, filename)
    # A release never changes: its files may be cached for good.
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["ETag"] = f'"{sha256}"'
    return response


# --- provenance -------------------------------------------------------------------------------


@bp.get("/exports/log")
@requires(Role.ADMIN)
def export_log():
    page, per_page = parse_page_args(request.args.get("page"), request.args.get("per_page"))
    statement = select(ExportRecord).order_by(ExportRecord.id.desc())
    channel = request.args.get("channel", "").strip()
    if channel:
        statement = statement.where(ExportRecord.channel == channel)
    records = paginate(statement, page, per_page)
    return render_template("exports/log.html", records=records, channel=channel)
