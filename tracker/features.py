"""The list of features whose pages the app serves. A new feature adds its blueprint here."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from tracker import assets
    from tracker.api import endpoints as api_endpoints
    from tracker.audit import routes as audit_routes
    from tracker.auth import routes as auth_routes
    from tracker.briefings import routes as briefing_routes
    from tracker.dashboard import routes as dashboard_routes
    from tracker.deferrals import routes as deferral_routes
    from tracker.exports import routes as export_routes
    from tracker.jurisdictions import routes as jurisdiction_routes
    from tracker.maps import routes as map_routes
    from tracker.overview import routes as overview_routes
    from tracker.plan import routes as plan_routes
    from tracker.states import routes as state_routes

    for blueprint in (
        assets.bp,
        overview_routes.bp,
        map_routes.bp,
        export_routes.bp,
        dashboard_routes.bp,
        auth_routes.bp,
        audit_routes.bp,
        briefing_routes.bp,
        state_routes.bp,
        deferral_routes.bp,
        jurisdiction_routes.bp,
        plan_routes.bp,
        api_endpoints.bp,
    ):
        app.register_blueprint(blueprint)


# (endpoint, label, role needed or None for public). Entries whose feature is not installed
# (endpoint unknown to the app) are left out, so the menus never link to a 404.
PUBLIC_NAV = (
    ("overview.home", "Overview"),
    ("maps.show_map", "Map"),
    ("exports.activated_list", "Activated list"),
    ("exports.planned_list", "Planned"),
    ("exports.list_releases", "Releases"),
)
STAFF_NAV = (
    ("dashboard.show_dashboard", "Dashboard", "viewer"),
    ("jurisdictions.list_jurisdictions", "Jurisdictions", "viewer"),
    ("deferrals.list_deferrals", "Deferral letters", "viewer"),
    ("briefings.list_briefings", "Briefings", "viewer"),
    ("states.list_states", "States", "viewer"),
    ("briefings.readiness", "Readiness", "viewer"),
    ("plan.import_plan", "Plan import", "editor"),
    ("audit.list_events", "Audit log", "admin"),
    ("auth.admin_users", "Users", "admin"),
)


def register_navigation(app: Flask) -> None:
    from tracker.access import Role, user_has
    from tracker.assets import vendor_url

    app.jinja_env.globals["vendor_url"] = vendor_url

    @app.context_processor
    def navigation():
        known = app.view_functions
        return {
            "public_nav": [(e, label) for e, label in PUBLIC_NAV if e in known],
            "staff_nav": [
                (e, label) for e, label, role in STAFF_NAV if e in known and user_has(Role(role))
            ],
        }
