"""`tracker serve`: the production WSGI server (gunicorn), never Flask's debug server."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo, with_appcontext
from gunicorn.app.base import BaseApplication


class TrackerServer(BaseApplication):
    """Gunicorn, configured in code so `tracker serve` needs no config file."""

    def __init__(self, options: dict, create_app: Callable[[], Flask]) -> None:
        self.options = options
        self.create_app = create_app
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Each worker builds its own app (and database pool) after the fork.
        return self.create_app()


def server_options(host: str, port: int, workers: int, max_requests: int) -> dict:
    """The gunicorn settings `tracker serve` runs with.

    A worker is replaced after `max_requests` requests, staggered by up to 10 % so the workers
    do not all restart at once; 0 never replaces them.
    """
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        "timeout": 60,
        "graceful_timeout": 20,
        "accesslog": "-",
        "errorlog": "-",
        # gunicorn 27 otherwise creates a control socket under $HOME/.gunicorn.
        "control_socket_disable": True,
        "max_requests": max_requests,
        "max_requests_jitter": max_requests // 10,
    }


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers", type=int, default=None, help="Worker processes (default: TRACKER_WORKERS)."
)
@with_appcontext
def serve_command(host: str, port: int, workers: int | None) -> None:
    """Serve the tracker with gunicorn."""
    workers = workers or current_app.config["TRACKER_WORKERS"]
    click.echo(f"Activation Tracker on http://{host}:{port}/ ({workers} workers)")
    # The same factory the command was started with (tracker.cli), called in each worker.
    factory = click.get_current_context().ensure_object(ScriptInfo).create_app
    TrackerServer(
        server_options(host, port, workers, current_app.config["TRACKER_WORKER_MAX_REQUESTS"]),
        factory,
    ).run()
