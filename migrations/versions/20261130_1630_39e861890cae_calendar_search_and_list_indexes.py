"""business-day calendar, letter search, and an index for every list order

Revision ID: 39e861890cae
Revises: 309301454ed2
Create Date: 2026-11-30 16:00:00

- calendar_day: one row per date from 2000-01-01 to 2050-12-31, filled from the `holidays`
  package installed when the migration runs (`tracker calendar extend` adds later years).
- deferral_request.search_text and sender_sort (and the same in each kept version of a
  letter), filled for the letters already logged, and the engine's
  full-text index on it: an FTS5 table kept in step by triggers on SQLite, a GIN index on
  to_tsvector('simple', search_text) on PostgreSQL. Neither is described by the models (see
  tracker.db.ENGINE_SEARCH_PREFIX), so a later batch-mode rebuild of deferral_request on SQLite
  must recreate the triggers.
- indexes for each order and filter of the letter log, the audit log, the export log, the
  corrections and the briefings, each ending with the id the lists page by.
"""

import sqlalchemy as sa
from alembic import op

from tracker.calendar.services import FIRST_DAY, MIGRATION_LAST_DAY, calendar_rows
from tracker.text import fold, words

# revision identifiers, used by Alembic.
revision = "39e861890cae"
down_revision = "309301454ed2"
branch_labels = None
depends_on = None

SEARCH = "deferral_request_search"
SQLITE_SEARCH = [
    f"CREATE VIRTUAL TABLE {SEARCH} USING fts5(search_text, content='deferral_request', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {SEARCH}_insert AFTER INSERT ON deferral_request BEGIN "
    f"INSERT INTO {SEARCH}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER {SEARCH}_delete AFTER DELETE ON deferral_request BEGIN "
    f"INSERT INTO {SEARCH}({SEARCH}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER {SEARCH}_update AFTER UPDATE OF search_text ON deferral_request BEGIN "
    f"INSERT INTO {SEARCH}({SEARCH}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {SEARCH}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {SEARCH}({SEARCH}) VALUES ('rebuild')",
]
POSTGRES_SEARCH = [
    f"CREATE INDEX {SEARCH}_gin ON deferral_request USING gin (to_tsvector('simple', search_text))",
]


def _fill_calendar() -> None:
    calendar = sa.table(
        "calendar_day",
        sa.column("day", sa.Date),
        sa.column("is_business_day", sa.Boolean),
        sa.column("business_day_number", sa.Integer),
    )
    op.bulk_insert(calendar, list(calendar_rows(FIRST_DAY, MIGRATION_LAST_DAY, 0)))


def _fill_search_columns() -> None:
    # What tracker.deferrals.search.index_words writes for new letters and corrections: the
    # search words and the folded sender; for each letter and each of its kept versions.
    bind = op.get_bind()
    for table, key in (("deferral_request", "id"), ("deferral_request_version", "version_no")):
        rows = bind.execute(
            sa.text(
                f"SELECT d.{key}, d.sender_name, d.sender_title, d.sender_agency, d.summary, "
                f"j.full_name, s.postal, d.jurisdiction_fips FROM {table} d "
                "JOIN jurisdiction j ON j.fips = d.jurisdiction_fips "
                "JOIN state s ON s.fips = j.state_fips"
            )
        ).all()
        update = sa.text(
            f"UPDATE {table} SET search_text = :text, sender_sort = :sender WHERE {key} = :key"
        )
        for row_key, *parts in rows:
            text = " ".join(words(" ".join(part for part in parts if part)))
            bind.execute(update, {"text": text, "sender": fold(parts[0]), "key": row_key})


def upgrade():
    op.create_table(
        "calendar_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_business_day", sa.Boolean(), nullable=False),
        sa.Column("business_day_number", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "business_day_number >= 0", name=op.f("ck_calendar_day_number_not_negative")
        ),
        sa.CheckConstraint(
            "day BETWEEN '2000-01-01' AND '2100-12-31'", name=op.f("ck_calendar_day_day_in_range")
        ),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_day")),
    )
    with op.batch_alter_table("calendar_day", schema=None) as batch_op:
        batch_op.create_index(
            "ix_calendar_day_number", ["business_day_number", "day"], unique=False
        )
    _fill_calendar()

    with op.batch_alter_table("deferral_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))
        batch_op.drop_index("ix_deferral_request_sender_name")
        batch_op.drop_index("ix_deferral_request_status_received")
        batch_op.drop_index("ix_deferral_request_jurisdiction_received")
        batch_op.drop_index("ix_deferral_request_channel")
        batch_op.create_index(
            "ix_deferral_request_received",
            [
                "received_on",
                "id",
                "resolved_on",
                "meeting_requested_on",
                "meeting_held_on",
                "status",
                "jurisdiction_fips",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_deferral_request_resolved",
            ["resolved_on", "received_on", "meeting_requested_on", "jurisdiction_fips"],
            unique=False,
        )
        batch_op.create_index(
            "ix_deferral_request_letter_date", ["letter_date", "id"], unique=False
        )
        batch_op.create_index(
            "ix_deferral_request_status_received", ["status", "received_on", "id"], unique=False
        )
        batch_op.create_index(
            "ix_deferral_request_jurisdiction_received",
            ["jurisdiction_fips", "received_on", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_deferral_request_channel", ["channel", "received_on", "id"], unique=False
        )
        batch_op.add_column(
            sa.Column("sender_sort", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.create_index(
            "ix_deferral_request_sender_sort", ["sender_sort", "id"], unique=False
        )
    with op.batch_alter_table("deferral_request_version", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_text", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("sender_sort", sa.String(length=200), server_default="", nullable=False)
        )
    _fill_search_columns()
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_SEARCH if dialect == "sqlite" else POSTGRES_SEARCH:
        op.execute(statement)

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_entity")
        batch_op.drop_index("ix_audit_event_action")
        batch_op.create_index(
            "ix_audit_event_entity", ["entity_type", "entity_id", "id"], unique=False
        )
        batch_op.create_index("ix_audit_event_action", ["action", "id"], unique=False)
        batch_op.create_index("ix_audit_event_actor_label", ["actor_label", "id"], unique=False)
    with op.batch_alter_table("export_record", schema=None) as batch_op:
        batch_op.create_index("ix_export_record_channel", ["channel", "id"], unique=False)
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.create_index("ix_briefing_held_on_id", ["held_on", "id"], unique=False)
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.drop_index("ix_correction_recorded_at")
        batch_op.create_index("ix_correction_recorded_at", ["recorded_at", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.drop_index("ix_correction_recorded_at")
        batch_op.create_index("ix_correction_recorded_at", ["recorded_at"], unique=False)
    with op.batch_alter_table("briefing", schema=None) as batch_op:
        batch_op.drop_index("ix_briefing_held_on_id")
    with op.batch_alter_table("export_record", schema=None) as batch_op:
        batch_op.drop_index("ix_export_record_channel")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_actor_label")
        batch_op.drop_index("ix_audit_event_action")
        batch_op.drop_index("ix_audit_event_entity")
        batch_op.create_index("ix_audit_event_action", ["action"], unique=False)
        batch_op.create_index("ix_audit_event_entity", ["entity_type", "entity_id"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER {SEARCH}_{trigger}")
        op.execute(f"DROP TABLE {SEARCH}")
    else:
        op.execute(f"DROP INDEX {SEARCH}_gin")
    with op.batch_alter_table("deferral_request", schema=None) as batch_op:
        batch_op.drop_index("ix_deferral_request_sender_sort")
        batch_op.drop_index("ix_deferral_request_channel")
        batch_op.drop_index("ix_deferral_request_jurisdiction_received")
        batch_op.drop_index("ix_deferral_request_status_received")
        batch_op.drop_index("ix_deferral_request_letter_date")
        batch_op.drop_index("ix_deferral_request_resolved")
        batch_op.drop_index("ix_deferral_request_received")
        batch_op.create_index("ix_deferral_request_channel", ["channel"], unique=False)
        batch_op.create_index(
            "ix_deferral_request_jurisdiction_received",
            ["jurisdiction_fips", "received_on"],
            unique=False,
        )
        batch_op.create_index(
            "ix_deferral_request_status_received", ["status", "received_on"], unique=False
        )
        batch_op.create_index("ix_deferral_request_sender_name", ["sender_name"], unique=False)
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch rebuild: rebuilding
    # deferral_request would drop it while attachments and plan changes still point at it.
    op.drop_column("deferral_request", "sender_sort")
    op.drop_column("deferral_request", "search_text")
    op.drop_column("deferral_request_version", "sender_sort")
    op.drop_column("deferral_request_version", "search_text")

    with op.batch_alter_table("calendar_day", schema=None) as batch_op:
        batch_op.drop_index("ix_calendar_day_number")
    op.drop_table("calendar_day")
