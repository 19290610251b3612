"""Migrations upgrade, downgrade to nothing and upgrade again, and match the models exactly."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tests.support.apps import fresh_database_url, make_app
from tracker.db import Base, described_by_models, schema_head, schema_revision


def _tables(engine) -> set[str]:
    names = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    return {name for name in names if described_by_models(name, "table", {})}


def test_upgrade_downgrade_upgrade_and_no_drift(engine_name, request, tmp_path_factory):
    url = fresh_database_url(engine_name, "tracker_scratch", request, tmp_path_factory)
    app = make_app(url, tmp_path_factory.mktemp("migrations"))
    from tracker.extensions import db

    with app.app_context():
        with db.engine.connect() as connection:
            assert schema_revision(connection) is None  # what /healthz reports before upgrading
        upgrade()
        assert _tables(db.engine) == set(Base.metadata.tables)
        with db.engine.connect() as connection:
            assert schema_revision(connection) == schema_head() is not None
        downgrade(revision="base")
        assert _tables(db.engine) == set()
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": described_by_models}
            )
            drift = compare_metadata(context, Base.metadata)
        assert drift == [], f"models and migrations differ: {drift}"
        downgrade(revision="base")
        db.engine.dispose()
