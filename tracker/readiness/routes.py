"""/readiness (upcoming activations and what they lack) and /readiness/data-quality."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.access import Role, requires
from tracker.params import AsOfForm, ChoiceParam
from tracker.readiness.services import readiness_report, unbriefed_activations
from tracker.registry.forms import StateParam

bp = Blueprint("readiness", __name__)
NOT_READY = "not_ready"


class ReadinessForm(AsOfForm):
    state = StateParam(any_label="All states")
    show = ChoiceParam(
        "Show", choices=[(NOT_READY, "Only those not ready")], any_label="Every upcoming activation"
    )


@bp.get("/readiness")
@requires(Role.VIEWER)
def show_readiness():
    form = ReadinessForm()
    report = readiness_report(form.as_of.data, state=form.state.data)
    return render_template(
        "readiness/show.html",
        form=form,
        report=report,
        rows=report.not_ready if form.show.data == NOT_READY else report.rows,
    ), 200 if form.valid else 400


@bp.get("/readiness/data-quality")
@requires(Role.VIEWER)
def data_quality():
    form = AsOfForm()
    return render_template(
        "readiness/data_quality.html",
        form=form,
        as_of=form.as_of.data,
        rows=unbriefed_activations(form.as_of.data),
    ), 200 if form.valid else 400
