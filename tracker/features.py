"""What the app is made of: every feature's blueprint and commands, the menus, and the helpers
templates use."""

from __future__ import annotations

import click
from flask import Flask

from tracker.access import Role


def register_blueprints(app: Flask) -> None:
    from tracker import assets
    from tracker.api import endpoints as api_endpoints
    from tracker.audit import routes as audit_routes
    from tracker.auth import routes as auth_routes
    from tracker.briefings import routes as briefing_routes
    from tracker.corrections import routes as correction_routes
    from tracker.correspondence import intake_routes  # noqa: F401  (its routes join the blueprint)
    from tracker.correspondence import routes as correspondence_routes
    from tracker.dashboard import routes as dashboard_routes
    from tracker.deferrals import routes as deferral_routes
    from tracker.exports import routes as export_routes
    from tracker.jurisdictions import routes as jurisdiction_routes
    from tracker.maps import routes as map_routes
    from tracker.outcomes import routes as outcome_routes
    from tracker.overview import routes as overview_routes
    from tracker.plan import routes as plan_routes
    from tracker.readiness import routes as readiness_routes
    from tracker.states import routes as state_routes

    for blueprint in (
        assets.bp,
        overview_routes.bp,
        map_routes.bp,
        export_routes.bp,
        dashboard_routes.bp,
        auth_routes.bp,
        audit_routes.bp,
        correction_routes.bp,
        briefing_routes.bp,
        state_routes.bp,
        readiness_routes.bp,
        deferral_routes.bp,
        correspondence_routes.bp,
        jurisdiction_routes.bp,
        plan_routes.bp,
        outcome_routes.bp,
        api_endpoints.bp,
    ):
        app.register_blueprint(blueprint)


# The menus: (endpoint, label) for everyone, (endpoint, label, role needed) for staff.
PUBLIC_NAV = (
    ("overview.home", "Overview"),
    ("maps.show_map", "Map"),
    ("exports.activated_list", "Activated list"),
    ("exports.planned_list", "Planned"),
    ("exports.list_releases", "Releases"),
    ("outcomes.published_outcomes", "Outcomes"),
)
STAFF_NAV = (
    ("dashboard.show_dashboard", "Dashboard", Role.VIEWER),
    ("jurisdictions.list_jurisdictions", "Jurisdictions", Role.VIEWER),
    ("deferrals.list_deferrals", "Deferral letters", Role.VIEWER),
    ("correspondence.list_drafts", "E-mail drafts", Role.VIEWER),
    ("briefings.list_briefings", "Briefings", Role.VIEWER),
    ("states.list_states", "States", Role.VIEWER),
    ("readiness.show_readiness", "Readiness", Role.VIEWER),
    ("corrections.list_corrections", "Corrections", Role.VIEWER),
    ("outcomes.latest_review", "Quarterly review", Role.VIEWER),
    ("plan.import_plan", "Plan import", Role.EDITOR),
    ("outcomes.import_statistics", "Statistics import", Role.EDITOR),
    ("audit.list_events", "Audit log", Role.ADMIN),
    ("auth.admin_users", "Users", Role.ADMIN),
)


def feature_commands() -> tuple[click.Command, ...]:
    """Every command the tracker adds (Flask-Migrate's `db` and Flask's own come on top)."""
    from tracker.auth.cli import users_group
    from tracker.backup.cli import backup_command, restore_command
    from tracker.calendar.cli import calendar_group
    from tracker.correspondence.cli import intake_command
    from tracker.digest.cli import digest_command
    from tracker.exports.cli import export_command
    from tracker.outcomes.cli import import_statistics_command
    from tracker.plan.cli import import_group
    from tracker.seeding.cli import seed_command
    from tracker.serve import serve_command

    # `tracker import stats` joins the plan's `tracker import` group.
    import_group.add_command(import_statistics_command)
    return (
        seed_command,
        users_group,
        import_group,
        export_command,
        backup_command,
        restore_command,
        intake_command,
        digest_command,
        calendar_group,
        serve_command,
    )


def register_commands(app: Flask) -> None:
    """Attach the commands to `app.cli` too (the `tracker` group has them already): Flask's test
    runner and `flask --app tracker` use it."""
    for command in feature_commands():
        app.cli.add_command(command)


def register_template_helpers(app: Flask) -> None:
    """Every filter, global and context value templates use, registered here and nowhere else."""
    from tracker.access import user_has
    from tracker.assets import vendor_url
    from tracker.briefings.services import coverage_summary
    from tracker.correspondence.routes import letter_correspondence
    from tracker.dates import office_time
    from tracker.deferrals.attachments import format_size
    from tracker.formatting import count, import_value, long_date, noun, percent, plural
    from tracker.security import csp_nonce

    env = app.jinja_env
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters.update(
        long_date=long_date,
        count=count,
        noun=noun,
        plural=plural,
        import_value=import_value,
        percent=percent,
        filesize=format_size,
        coverage=coverage_summary,
        moment=office_time,
    )
    # A letter's page (deferrals) shows its correspondence, a floor above it: the app, which
    # knows both, hands the template the function that reads it.
    env.globals.update(
        vendor_url=vendor_url,
        csp_nonce=csp_nonce,
        letter_correspondence=letter_correspondence,
        url_without_known_at=url_without_known_at,
    )

    @app.context_processor
    def navigation():
        return {
            "public_nav": PUBLIC_NAV,
            "staff_nav": [(e, label) for e, label, role in STAFF_NAV if user_has(role)],
        }


def url_without_known_at() -> str:
    """This page's URL with the same parameters but `known_at`: the records as they stand now."""
    from flask import request, url_for

    args = {key: value for key, value in request.args.items() if key != "known_at"}
    return url_for(request.endpoint, **(request.view_args or {}), **args)
