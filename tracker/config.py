"""Every setting the tracker reads, declared once: name, default, help text, parser.

Environment variables override defaults; `create_app(overrides)` overrides both (tests use it).
`.env.example` and the README are checked against this table by the test suite, so a setting
cannot exist without being documented.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable tracker (e.g. no secret key in production)."""


def _parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _whole_number(minimum: int, maximum: int) -> Callable[[str], int]:
    """A parser for a whole number within [minimum, maximum]: every count the tracker reads has
    a bound, so no setting can push date arithmetic or memory use past what the code handles."""

    def parse(value: str) -> int:
        number = int(value)
        if not minimum <= number <= maximum:
            raise ValueError(f"expected a whole number from {minimum} to {maximum}, got {value!r}")
        return number

    return parse


def _parse_smtp_url(value: str) -> str:
    """A mail server URL the tracker can use; the scheme says how the connection is secured."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme not in ("smtp", "smtps", "smtp+starttls"):
        raise ValueError(
            f"expected smtp://, smtps:// or smtp+starttls://, got {parts.scheme or 'no'} scheme"
        )
    if not parts.hostname:
        raise ValueError("the URL names no mail server host")
    parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    return value.strip()


def _parse_timezone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"{value!r} is not an IANA time zone name") from exc
    return value.strip()


# The shared stores sign-in throttling can count in, besides the database (the `limits`
# package's clients for redis and memcached).
STORE_SCHEMES = ("redis", "rediss", "redis+unix", "memcached")


def _parse_store_url(value: str) -> str:
    scheme = value.split("://", 1)[0].lower()
    if "://" not in value or scheme not in STORE_SCHEMES:
        raise ValueError(
            f"expected a {', '.join(s + '://' for s in STORE_SCHEMES)} URL, got {value!r} "
            "(leave it empty to count in the database; memory:// would count in each process "
            "apart)"
        )
    return value


def _parse_networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False)
        for part in value.split(",")
        if part.strip()
    )


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "TRACKER_ENV",
        "production",
        "development, production or testing. Outside development the app refuses to start "
        "without TRACKER_SECRET_KEY.",
    ),
    Setting(
        "TRACKER_DATABASE_URL",
        None,
        "SQLAlchemy database URL, e.g. postgresql+psycopg://user:pass@host/tracker. "
        "Default: a SQLite file, tracker.sqlite3, in the instance folder.",
    ),
    Setting(
        "TRACKER_SECRET_KEY",
        None,
        "Signs sessions and CSRF tokens; must be the same on every app server. Required outside "
        "development; in development one is generated and kept in the instance folder.",
    ),
    Setting(
        "TRACKER_UPLOAD_MAX_MB",
        20,
        "Largest attachment accepted, in megabytes (each file).",
        _whole_number(1, 1024),
    ),
    Setting(
        "TRACKER_TILES_URL",
        None,
        "Optional basemap tile URL template ({z}/{x}/{y}); none by default, so the map works "
        "offline and draws county shapes only.",
    ),
    Setting(
        "TRACKER_TILES_ATTRIBUTION",
        "",
        "Attribution text shown with TRACKER_TILES_URL tiles.",
    ),
    Setting(
        "TRACKER_INSTANCE_PATH",
        None,
        "Folder for the SQLite file and the development secret key. Default: ./instance.",
    ),
    Setting(
        "TRACKER_WORKERS",
        2,
        "Worker processes started by `tracker serve`.",
        _whole_number(1, 64),
    ),
    Setting(
        "TRACKER_WORKER_MAX_REQUESTS",
        5000,
        "`tracker serve` replaces a worker after about this many requests (give or take 10 %), "
        "a guard against slow memory growth; 0 keeps every worker for the server's lifetime.",
        _whole_number(0, 10_000_000),
    ),
    Setting(
        "TRACKER_OVERDUE_BUSINESS_DAYS",
        5,
        "A deferral request is overdue when no meeting was requested within this many business "
        "days of receipt (weekends and US federal holidays excluded).",
        _whole_number(1, 365),
    ),
    Setting(
        "TRACKER_URGENT_DAYS",
        14,
        "A deferral request is urgent while open within this many days of the jurisdiction's "
        "scheduled activation.",
        _whole_number(1, 365),
    ),
    Setting(
        "TRACKER_READINESS_DAYS",
        30,
        "The readiness report covers jurisdictions scheduled within this many days.",
        _whole_number(1, 3650),
    ),
    Setting(
        "TRACKER_REVIEW_MIN_CASES",
        20,
        "The quarterly review judges a jurisdiction on a metric only when it has at least this "
        "many cases in the quarter (identifications; fingerprints submitted for the match "
        "rate); smaller ones are listed apart, never flagged.",
        _whole_number(1, 1_000_000),
    ),
    Setting(
        "TRACKER_HTTPS",
        False,
        "Set to true when served over HTTPS: adds HSTS and marks cookies Secure.",
        _parse_bool,
    ),
    Setting(
        "TRACKER_SESSION_LIFETIME_MINUTES",
        480,
        "How long a sign-in lasts without activity before the session expires (idle limit; "
        "1 to 10080).",
        _whole_number(1, 10_080),
    ),
    Setting(
        "TRACKER_SESSION_ABSOLUTE_MINUTES",
        720,
        "A sign-in ends this many minutes after it began, however active (1 to 43200). Sessions "
        "are kept in the database, so signing out, a password or role change and deactivation "
        "end them on every app server.",
        _whole_number(1, 43_200),
    ),
    Setting(
        "TRACKER_SMTP_URL",
        None,
        "Mail server for correspondence and the daily digest: smtp://host:25, "
        "smtp+starttls://user:password@host:587 or smtps://user:password@host:465 (user and "
        "password percent-encoded). Unset: nothing is e-mailed; letters are downloaded as PDF "
        "and recorded as sent by post or fax.",
        _parse_smtp_url,
    ),
    Setting(
        "TRACKER_MAIL_FROM",
        None,
        "The From address of every message the tracker sends, e.g. "
        "Activation Program Office <activation@example.gov>. Required with TRACKER_SMTP_URL.",
    ),
    Setting(
        "TRACKER_OFFICE_EMAIL",
        None,
        "The program office's mailbox: copied on every outgoing letter and named as its "
        "Reply-To, so answers reach the office rather than one person.",
    ),
    Setting(
        "TRACKER_TIMEZONE",
        "America/New_York",
        "The office's time zone (IANA name): it decides which calendar day an e-mail arrived "
        "on, the date printed on letters, the day the daily digest belongs to, what "
        "`known_at=YYYY-MM-DD` means (the end of that day here) and how recording times read.",
        _parse_timezone,
    ),
    Setting(
        "TRACKER_RATELIMIT_STORAGE_URL",
        None,
        "Where sign-in throttling counts failed attempts. Default: the database, which every app "
        "server shares. Or a redis:// (rediss://, redis+unix://) or memcached:// URL, which "
        "keeps the counting off the database.",
        _parse_store_url,
    ),
    Setting(
        "TRACKER_TRUSTED_PROXIES",
        (),
        "Addresses or networks (comma-separated, e.g. 10.0.0.5,10.1.0.0/16) of the reverse "
        "proxies in front of the app. Only requests arriving from one of them have their "
        "X-Forwarded-For and X-Forwarded-Proto honoured (the client's address is what sign-in "
        "throttling counts by). Default: none, the headers are ignored.",
        _parse_networks,
    ),
)

SETTINGS_BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


def read_settings(environ: Mapping[str, str], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Resolve every setting: explicit override, else environment variable, else default.

    A malformed environment value raises ConfigurationError naming the variable, so a typo in a
    deployment fails at start-up instead of at the first request that needs it.
    """
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in overrides:
            values[setting.name] = overrides[setting.name]
            continue
        raw = environ.get(setting.name)
        if raw is None or raw == "":
            values[setting.name] = setting.default
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigurationError(f"{setting.name}: {exc}") from exc
    return values


def _development_secret(instance_path: Path) -> str:
    """A per-checkout secret kept in the instance folder, so dev sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def build_flask_config(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Turn the settings into the Flask config mapping the factory loads.

    Raises ConfigurationError outside development when no secret key is set: a guessable key
    would let anyone forge a staff session.
    """
    overrides = dict(overrides or {})
    settings = read_settings(os.environ if environ is None else environ, overrides)

    env = settings["TRACKER_ENV"]
    if env not in {"development", "production", "testing"}:
        raise ConfigurationError(
            f"TRACKER_ENV: expected development, production or testing, got {env!r}"
        )
    instance_path = Path(settings["TRACKER_INSTANCE_PATH"] or Path.cwd() / "instance").resolve()
    settings["TRACKER_INSTANCE_PATH"] = str(instance_path)

    secret = settings["TRACKER_SECRET_KEY"]
    if not secret:
        if env != "development":
            raise ConfigurationError(
                "TRACKER_SECRET_KEY is not set. Outside development the tracker refuses to "
                "start without it; generate one with: python -c 'import secrets; "
                "print(secrets.token_hex(32))'"
            )
        secret = _development_secret(instance_path)
        settings["TRACKER_SECRET_KEY"] = secret

    if settings["TRACKER_SMTP_URL"] and not settings["TRACKER_MAIL_FROM"]:
        raise ConfigurationError(
            "TRACKER_MAIL_FROM is not set: with TRACKER_SMTP_URL the tracker needs the address "
            "its messages come from."
        )

    database_url = settings["TRACKER_DATABASE_URL"]
    if not database_url:
        instance_path.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{instance_path / 'tracker.sqlite3'}"
        settings["TRACKER_DATABASE_URL"] = database_url
    _check_database_url(database_url)

    config: dict[str, Any] = dict(settings)
    config.update(
        SECRET_KEY=secret,
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(database_url),
        TESTING=env == "testing",
        # The largest request is one attachment plus the form around it.
        MAX_CONTENT_LENGTH=(settings["TRACKER_UPLOAD_MAX_MB"] + 1) * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["TRACKER_HTTPS"],
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings["TRACKER_HTTPS"],
        PERMANENT_SESSION_LIFETIME=settings["TRACKER_SESSION_LIFETIME_MINUTES"] * 60,
        WTF_CSRF_ENABLED=True,
        # A form's CSRF token lives in the session and never outlives a sign-in.
        WTF_CSRF_TIME_LIMIT=settings["TRACKER_SESSION_ABSOLUTE_MINUTES"] * 60,
        JSON_SORT_KEYS=False,
    )
    # Flask-specific keys may be overridden directly by tests (e.g. WTF_CSRF_ENABLED=False).
    for key, value in overrides.items():
        if key not in SETTINGS_BY_NAME:
            config[key] = value
    return config


def _check_database_url(database_url: str) -> None:
    """A URL SQLAlchemy cannot parse, or whose driver is not installed, is a setting error."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        make_url(database_url).get_dialect().import_dbapi()
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigurationError(f"TRACKER_DATABASE_URL: {exc}") from exc


def engine_options(database_url: str) -> dict[str, Any]:
    """Engine options per backend: SQLite waits for locks instead of failing at once."""
    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": 15}}
    return {"pool_pre_ping": True}
