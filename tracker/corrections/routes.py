"""/corrections: every correction, newest first, a page at a time by key, for staff (reasons
are never public)."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.access import Role, requires
from tracker.corrections.listing import (
    CORRECTIONS_NEWEST_FIRST,
    CorrectionFilterForm,
    corrections_statement,
    fact_link,
)
from tracker.pagination import seek

bp = Blueprint("corrections", __name__)


@bp.get("/corrections")
@requires(Role.VIEWER)
def list_corrections():
    form = CorrectionFilterForm()
    found = seek(
        corrections_statement(form), CORRECTIONS_NEWEST_FIRST, form.after.data, form.per_page.data
    )
    return render_template(
        "corrections/list.html", corrections=found, form=form, fact_link=fact_link
    ), 200 if form.valid else 400
