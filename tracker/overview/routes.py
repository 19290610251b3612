"""/ (the public overview) and /healthz."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from sqlalchemy import func, select

from tracker.db import schema_head, schema_revision
from tracker.extensions import db
from tracker.registry.models import Jurisdiction, State
from tracker.resources import tracker_version

bp = Blueprint("overview", __name__)


@bp.get("/")
def home():
    from tracker.maps.views import overview_map
    from tracker.overview.figures import headline_figures
    from tracker.seeding.demo import DEMO_AS_OF

    return render_template(
        "overview/home.html",
        figures=headline_figures(),
        overview_map=overview_map(),
        demo_as_of=DEMO_AS_OF,
    )


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico whatever the page links; answer with our icon.
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/healthz")
def healthz():
    """Liveness and readiness in one: the database answers and holds the registry; which
    tracker version serves, and whether the database is migrated to the schema it expects."""
    states = db.session.scalar(select(func.count()).select_from(State))
    jurisdictions = db.session.scalar(select(func.count()).select_from(Jurisdiction))
    response = jsonify(
        {
            "status": "ok",
            "database": db.engine.dialect.name,
            "states": states,
            "jurisdictions": jurisdictions,
            "version": tracker_version(),
            "schema_revision": schema_revision(db.session.connection()),
            "schema_head": schema_head(),
        }
    )
    response.headers["Cache-Control"] = "no-store"
    current_app.logger.debug("healthz ok")
    return response
