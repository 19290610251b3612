"""Activation Tracker: create_app() and nothing else."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: load settings, bind extensions, register features, commands and errors.

    No database writes, migrations or network calls happen here.
    """
    from tracker import models, proxies, urls  # noqa: F401  (models: complete the metadata)
    from tracker.auth import sessions, throttle
    from tracker.config import build_flask_config
    from tracker.errors import register_error_handlers
    from tracker.extensions import csrf, db, login_manager, migrate
    from tracker.features import register_blueprints, register_commands, register_template_helpers
    from tracker.resources import runtime_folder
    from tracker.security import init_security_headers

    config = build_flask_config(overrides)
    app = Flask(
        __name__,
        template_folder=str(runtime_folder("templates")),
        static_folder="static",
        instance_path=config["TRACKER_INSTANCE_PATH"],
    )
    app.config.update(config)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(runtime_folder("migrations")), render_as_batch=True)
    sessions.init_app(app)  # before CSRF: an ended session's token must fail its check
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    throttle.init_app(app)
    proxies.init_app(app)

    urls.init_app(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_error_handlers(app)
    init_security_headers(app)
    register_commands(app)
    return app
