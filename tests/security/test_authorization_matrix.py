"""Who may do what, for every route the app serves: one table, checked against the URL map.

A route without an entry fails the test, so a new page cannot ship without deciding who may use
it. Each entry gives, per method, the least role that may use it (None: anyone, signed in or
not). Every identity is tried on every route and method: those below the role must be refused
(sign-in redirect or 401 for anonymous visitors, 403 for staff), the others must get through,
and nobody may ever see a server error.
"""

from __future__ import annotations

import pytest

from tests.support.web import sign_in

ANYONE = None
VIEWER, EDITOR, ADMIN = "viewer", "editor", "admin"
RANK = {ANYONE: 0, VIEWER: 1, EDITOR: 2, ADMIN: 3}

# endpoint -> {method: least role}
MATRIX: dict[str, dict[str, str | None]] = {
    "static": {"GET": ANYONE},
    "assets.vendor": {"GET": ANYONE},
    "overview.home": {"GET": ANYONE},
    "overview.favicon": {"GET": ANYONE},
    "overview.healthz": {"GET": ANYONE},
    "auth.login": {"GET": ANYONE, "POST": ANYONE},
    "auth.logout": {"GET": ANYONE, "POST": ANYONE},
    "auth.change_password": {"GET": VIEWER, "POST": VIEWER},
    "auth.admin_users": {"GET": ADMIN, "POST": ADMIN},
    "auth.set_active": {"POST": ADMIN},
    "auth.change_role": {"POST": ADMIN},
    "audit.list_events": {"GET": ADMIN},
    "dashboard.show_dashboard": {"GET": VIEWER},
    # The plan and its import
    "jurisdictions.list_jurisdictions": {"GET": VIEWER},
    "jurisdictions.show_jurisdiction": {"GET": VIEWER},
    "jurisdictions.reschedule_jurisdiction": {"POST": EDITOR},
    "jurisdictions.remove_jurisdiction": {"POST": EDITOR},
    "jurisdictions.activate_jurisdiction": {"POST": EDITOR},
    "jurisdictions.bulk_reschedule": {"POST": EDITOR},
    # Corrections: where the facts are shown, and the list of them all
    "jurisdictions.correct_activation": {"POST": EDITOR},
    "jurisdictions.void_activation": {"POST": EDITOR},
    "jurisdictions.correct_plan_change": {"POST": EDITOR},
    "jurisdictions.void_plan_change": {"POST": EDITOR},
    "deferrals.edit_deferral": {"GET": EDITOR, "POST": EDITOR},
    "deferrals.undo_deferral_step": {"POST": EDITOR},
    "corrections.list_corrections": {"GET": VIEWER},
    "exports.export_corrections": {"GET": VIEWER},
    "plan.import_plan": {"GET": EDITOR, "POST": EDITOR},
    "plan.confirm_import": {"POST": EDITOR},
    # Outcomes: statistics and reviews for staff; only published totals for everyone
    "outcomes.import_statistics": {"GET": EDITOR, "POST": EDITOR},
    "outcomes.confirm_statistics_import": {"POST": EDITOR},
    "outcomes.latest_review": {"GET": VIEWER},
    "outcomes.show_review": {"GET": VIEWER},
    "outcomes.show_flag": {"GET": VIEWER},
    "outcomes.decide_flag": {"POST": EDITOR},
    "outcomes.publish_review": {"POST": ADMIN},
    "outcomes.withdraw_review": {"POST": ADMIN},
    "outcomes.published_outcomes": {"GET": ANYONE},
    # Deferral letters: nothing without signing in
    "deferrals.list_deferrals": {"GET": VIEWER},
    "deferrals.new_deferral": {"GET": EDITOR, "POST": EDITOR},
    "deferrals.show_deferral": {"GET": VIEWER},
    "deferrals.take_step": {"POST": EDITOR},
    "deferrals.resolve_deferral": {"POST": EDITOR},
    "deferrals.add_attachments": {"POST": EDITOR},
    "deferrals.add_note": {"POST": EDITOR},
    "deferrals.download_attachment": {"GET": VIEWER},
    "exports.export_letter_log": {"GET": VIEWER},
    "deferrals.jurisdiction_options": {"GET": VIEWER},
    # Correspondence and e-mails taken in: staff only; editors send and decide
    "correspondence.prepare": {"GET": EDITOR},
    "correspondence.send_correspondence": {"POST": EDITOR},
    "correspondence.download": {"GET": VIEWER},
    "correspondence.intake_messages": {"GET": EDITOR, "POST": EDITOR},
    "correspondence.list_drafts": {"GET": VIEWER},
    "correspondence.show_draft": {"GET": EDITOR},
    "correspondence.confirm_draft": {"POST": EDITOR},
    "correspondence.discard_draft": {"POST": EDITOR},
    "correspondence.download_draft_message": {"GET": VIEWER},
    # Briefings, states, readiness
    "briefings.list_briefings": {"GET": VIEWER},
    "briefings.new_briefing": {"GET": EDITOR, "POST": EDITOR},
    "briefings.show_briefing": {"GET": VIEWER},
    "briefings.edit_briefing": {"GET": EDITOR, "POST": EDITOR},
    "readiness.show_readiness": {"GET": VIEWER},
    "readiness.data_quality": {"GET": VIEWER},
    "states.list_states": {"GET": VIEWER},
    "states.show_state": {"GET": VIEWER},
    "states.edit_state": {"GET": EDITOR, "POST": EDITOR},
    # The map
    "maps.show_map": {"GET": ANYONE},
    "maps.download_map": {"GET": ANYONE},
    "maps.shapes": {"GET": ANYONE},
    # Lists, exports and releases
    "exports.activated_list": {"GET": ANYONE},
    "exports.planned_list": {"GET": ANYONE},
    "exports.export_list": {"GET": ANYONE},
    "exports.export_log": {"GET": ADMIN},
    "exports.export_review": {"GET": VIEWER},
    "exports.list_releases": {"GET": ANYONE},
    "exports.show_release": {"GET": ANYONE},
    "exports.download_release": {"GET": ANYONE},
    "exports.new_release": {"GET": EDITOR, "POST": EDITOR},
    # The JSON API: public figures, staff-only letters and briefings
    "api.openapi_document": {"GET": ANYONE},
    "api.summary": {"GET": ANYONE},
    "api.map_status": {"GET": ANYONE},
    "api.list_jurisdictions": {"GET": ANYONE},
    "api.show_jurisdiction": {"GET": ANYONE},
    "api.list_activations": {"GET": ANYONE},
    "api.list_briefings": {"GET": VIEWER},
    "api.list_deferrals": {"GET": VIEWER},
    "api.get_deferral": {"GET": VIEWER},
    "api.list_statistics": {"GET": VIEWER},
    "api.get_review": {"GET": VIEWER},
}

# Values for URL variables, by variable name, that name real records where that matters.
SAMPLE_VALUES = {
    "fips": "48001",
    "postal": "TX",
    "filename": "css/tracker.css",
    "name": "bootstrap",
    "quarter": "2010-Q3",
}


def sample_url(rule) -> str:
    values = {}
    for argument in rule.arguments:
        converter = rule._converters[argument]
        if argument in SAMPLE_VALUES:
            values[argument] = SAMPLE_VALUES[argument]
        elif type(converter).__name__ == "AnyConverter":
            values[argument] = sorted(converter.items)[0]
        elif type(converter).__name__ == "IntegerConverter":
            values[argument] = 1
        else:
            values[argument] = "1"
    return rule.build(values, append_unknown=False)[1]


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_has_an_entry(app):
    missing = sorted(
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule, method in routes(app)
        if method not in MATRIX.get(rule.endpoint, {})
    )
    assert not missing, "routes with no authorization entry:\n" + "\n".join(missing)
    stale = sorted(set(MATRIX) - {rule.endpoint for rule in app.url_map.iter_rules()})
    assert not stale, f"entries for routes that no longer exist: {stale}"


def refused(response, anonymous: bool, api: bool) -> bool:
    if anonymous:
        if api:
            return response.status_code == 401
        return response.status_code in (302, 303) and "/login" in response.headers.get(
            "Location", ""
        )
    return response.status_code == 403


@pytest.mark.parametrize("identity", [ANYONE, VIEWER, EDITOR, ADMIN])
def test_each_identity_gets_exactly_what_the_table_allows(app, client, make_user, identity):
    if identity is not ANYONE:
        assert sign_in(client, make_user(identity)).status_code == 303
    problems = []
    for rule, method in routes(app):
        if rule.endpoint == "auth.logout":
            continue  # would end this identity's session for the routes after it
        needed = MATRIX[rule.endpoint][method]
        url = sample_url(rule)
        api = url.startswith("/api/")
        response = client.open(url, method=method, data={})
        if response.status_code >= 500:
            problems.append(f"{method} {url}: server error {response.status_code}")
            continue
        denied = refused(response, identity is ANYONE, api)
        if RANK[identity] < RANK[needed] and not denied:
            problems.append(f"{method} {url}: {identity or 'anonymous'} got {response.status_code}")
        if RANK[identity] >= RANK[needed] and denied:
            problems.append(f"{method} {url}: {identity or 'anonymous'} was refused")
    assert not problems, "\n".join(problems)
