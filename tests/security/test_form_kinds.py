"""Every form refuses fields of the wrong kind with a 400 and a message, never a server error.

The forms are found on the pages themselves (every GET page of the URL map, a letter at each
workflow stage, an e-mail draft, a plan import preview), so a new form is covered without being
listed. Each is
posted:
- urlencoded, every field as text, files included (a form sent without multipart);
- multipart, every text field as a file;
- multipart, with a file whose name holds a bare carriage return;
- as a JSON body.
"""

from __future__ import annotations

import html
import importlib
import io
import pkgutil
import re

import pytest
from flask_wtf import FlaskForm

import tracker
from tests.correspondence.support import sample
from tests.factories import COUNTY, D, briefing, deferral_request
from tests.outcomes.support import HIGH, import_held_out, stats_csv
from tests.security.test_authorization_matrix import sample_url
from tests.support.html_forms import PageForm, post_forms_on
from tracker.forms import Form

TEXT_AS_FILE = "arrived as text, not as a file"
FILE_AS_TEXT = "arrived as a file, but it takes text"


def test_every_form_of_the_tracker_derives_from_the_base_form():
    for module in pkgutil.walk_packages(tracker.__path__, "tracker."):
        importlib.import_module(module.name)
    forms, stack = [], list(FlaskForm.__subclasses__())
    while stack:
        cls = stack.pop()
        stack += cls.__subclasses__()
        if cls.__module__.startswith("tracker."):
            forms.append(cls)
    assert len(forms) > 10
    assert [f.__qualname__ for f in forms if not issubclass(f, Form)] == []


@pytest.fixture()
def letters(app, database):
    from tracker.audit.services import set_command_actor
    from tracker.correspondence.intake import take_in
    from tracker.deferrals import workflow
    from tracker.extensions import db
    from tracker.plan import services as plan

    with app.app_context():
        set_command_actor("test")
        received = deferral_request(COUNTY, "2011-02-01")
        held = deferral_request("48003", "2011-02-01")
        workflow.request_meeting(held, D("2011-02-03"))
        workflow.hold_meeting(held, D("2011-02-10"))
        briefed = briefing("2011-01-20", jurisdictions=[COUNTY])
        draft = take_in(sample("multipart_alternative.eml"), "letter.eml")
        # A plan change and an activation, for the forms that correct them.
        plan.schedule("48005", D("2011-09-01"), decided_on=D("2011-01-03"), reason="r", source="t")
        plan.record_activation("48007", D("2010-06-01"), source="test")
        db.session.commit()
        return received.id, held.id, briefed.id, draft.id


def every_post_form(app, admin, letters) -> dict[str, PageForm]:
    """{action: form} for every form found on the pages an administrator can open."""
    pages = {sample_url(rule) for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    received, held, briefed, draft = letters
    pages |= {f"/deferrals/{received}", f"/deferrals/{held}", f"/briefings/{briefed}/edit"}
    pages |= {f"/deferrals/drafts/{draft}", "/jurisdictions/48005", "/jurisdictions/48007"}
    for letter in (received, held):  # and the pages a letter links to (preparing correspondence)
        page = admin.get(f"/deferrals/{letter}").get_data(as_text=True)
        pages |= {html.unescape(url) for url in re.findall(r'href="(/deferrals/\d+/[^"#]+)"', page)}
    found: dict[str, PageForm] = {}
    for page in sorted(pages):
        response = admin.get(page)
        if response.status_code == 200 and response.mimetype == "text/html":
            for form in post_forms_on(response.get_data(as_text=True), page):
                found.setdefault(form.action, form)
    plan = b"state,jurisdiction,scheduled_on\nTX,Anderson,2011-09-01\n"
    preview = admin.post(
        "/plan/import",
        data={"file": (io.BytesIO(plan), "plan.csv")},
        content_type="multipart/form-data",
    )
    for form in post_forms_on(preview.get_data(as_text=True), "/plan/import"):
        found.setdefault(form.action, form)
    # Then statistics with flagged jurisdictions, for the review's forms (this activates every
    # Texas county, so it comes after the plan's forms were found on their pages).
    import_held_out(app)
    for page in ("/reviews/2011-Q1", f"/reviews/2011-Q1/non_criminal_share/{HIGH}"):
        for form in post_forms_on(admin.get(page).get_data(as_text=True), page):
            found.setdefault(form.action, form)
    statistics = stats_csv([("2011-04", HIGH, 100, 50, 5, 5, 5, 20, 10)])
    preview = admin.post(
        "/stats/import",
        data={"file": (io.BytesIO(statistics), "stats.csv")},
        content_type="multipart/form-data",
    )
    for form in post_forms_on(preview.get_data(as_text=True), "/stats/import"):
        found.setdefault(form.action, form)
    # A published quarter's review offers to withdraw its totals instead.
    assert admin.post("/reviews/2011-Q1/publish").status_code == 303
    for form in post_forms_on(admin.get("/reviews/2011-Q1").get_data(as_text=True), "/reviews"):
        found.setdefault(form.action, form)
    return found


def test_every_form_refuses_fields_of_the_wrong_kind(app, signed_in, make_user, letters):
    make_user("editor")  # another account, so the account-state form is shown too
    admin = signed_in("admin")
    forms = every_post_form(app, admin, letters)
    posted_endpoints = set()
    problems = []
    for action, form in sorted(forms.items()):
        if action == "/logout":
            continue  # it ends the session (and takes no field but the CSRF token)
        adapter = app.url_map.bind("localhost")
        posted_endpoints.add(adapter.match(action, method="POST")[0])
        problems += _try_wrong_kinds(admin, action, form)
    assert not problems, "\n".join(problems)
    # Every form-taking POST route was reached through a form on a page.
    post_routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint != "auth.logout"
    }
    assert post_routes <= posted_endpoints, post_routes - posted_endpoints


def _try_wrong_kinds(client, action: str, form: PageForm) -> list[str]:
    problems = []
    files = form.names_of_kind("file")
    # (The CSRF token is off in these tests; with it on, CSRFProtect refuses a file there.)
    texts = [name for name in form.kinds if name not in files and name != "csrf_token"]

    if files:  # (for a form without files this would be an ordinary submission)
        as_text = client.post(action, data={**form.fields, **dict.fromkeys(files, "letter.pdf")})
        if as_text.status_code != 400 or TEXT_AS_FILE not in as_text.text:
            problems.append(f"{action}: files sent as text gave {as_text.status_code}")

    for name in texts:
        data = {**form.fields, name: (io.BytesIO(b"a file"), "note.txt")}
        as_file = client.post(action, data=data, content_type="multipart/form-data")
        if as_file.status_code != 400 or FILE_AS_TEXT not in as_file.text:
            problems.append(f"{action}: a file in {name} gave {as_file.status_code}")

    for name in files:
        boundary = "BoUnDaRy"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="letter\rscan.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
            f"%PDF-1.4\r\n--{boundary}--\r\n"
        ).encode()
        bare_cr = client.post(
            action, data=body, content_type=f"multipart/form-data; boundary={boundary}"
        )
        if bare_cr.status_code != 400:
            problems.append(f"{action}: a bare CR in a file name gave {bare_cr.status_code}")

    as_json = client.post(action, json=form.fields)
    if as_json.status_code != 400:
        problems.append(f"{action}: a JSON body gave {as_json.status_code}")
    for body in ("[1, 2]", '"text"', "{"):
        odd = client.post(action, data=body, content_type="application/json")
        if odd.status_code != 400:
            problems.append(f"{action}: JSON {body} gave {odd.status_code}")
    return problems
