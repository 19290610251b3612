"""What the installed tracker carries: its version, and the folders it reads at run time.

The project keeps `templates/`, `migrations/` and `seeds/` as top-level folders beside the
`tracker` package, which is where a checkout (and an editable install) finds them. An installed
wheel has no top level, so pyproject.toml maps them into the package (`tracker/templates/`, …)
when it builds the wheel. This is the one place that knows both layouts; nothing else computes
a path from its own file.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path

DISTRIBUTION = "activation-tracker"
RUNTIME_FOLDERS = ("templates", "migrations", "seeds")


def tracker_version() -> str:
    """The version pyproject.toml gave the installed distribution (`tracker --version`, /healthz)."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        # Imported from a source tree that was never installed: there is no version to report.
        return "unknown"


@cache
def runtime_folder(name: str) -> Path:
    """The folder `name` (one of RUNTIME_FOLDERS) the running tracker reads.

    The copy bundled inside the installed package wins; otherwise the checkout's top-level
    folder. Looking inside the package first means an installed tracker never picks up an
    unrelated `templates/` that happens to sit in site-packages.
    """
    if name not in RUNTIME_FOLDERS:
        raise ValueError(f"not a runtime folder: {name!r}")
    package = files("tracker")
    if not isinstance(package, Path):
        # Alembic and Jinja need real folders; a zipped import has none to give them.
        raise RuntimeError(f"the tracker must be installed as files, not loaded from {package}")
    for candidate in (package / name, package.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"{name}/ is neither inside the installed package ({package / name}) nor beside it "
        f"in a checkout ({package.parent / name}); reinstall the tracker from a complete wheel"
    )
