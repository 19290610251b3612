"""dates within the domain range: a CHECK on every date column

Revision ID: 5e1d0a7c2b14
Revises: 89f42899e046
Create Date: 2026-11-30 16:00:00

Every date the domain keeps must lie within 2000-01-01 … 2100-12-31 (tracker/dates.py). The
upgrade refuses to run, naming the rows, when a database already holds a date outside it: those
rows need a decision by a person (an entry in error to remove by hand, a typo to correct), not a
silent rewrite of the history.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1d0a7c2b14'
down_revision = '89f42899e046'
branch_labels = None
depends_on = None

FIRST, LAST = '2000-01-01', '2100-12-31'
# table -> (its key column, its date columns)
DATE_COLUMNS = {
    'state': ('fips', ('moa_signed_on', 'moa_terminated_on')),
    'plan_change': ('id', ('scheduled_on', 'decided_on')),
    'activation': ('id', ('activated_on',)),
    'deferral_request': ('id', (
        'letter_date', 'received_on', 'requested_date', 'meeting_requested_on',
        'meeting_held_on', 'resolved_on', 'adjusted_to',
    )),
    'briefing': ('id', ('held_on',)),
    'release': ('number', ('as_of',)),
    'export_record': ('id', ('as_of',)),
    'correspondence': ('id', ('sent_on',)),
    'intake_draft': ('id', ('received_on', 'guessed_date')),
    'digest_delivery': ('id', ('day',)),
    # The kept versions of letters, briefings and states copy their dates.
    'deferral_request_version': ('version_no', (
        'letter_date', 'received_on', 'requested_date', 'meeting_requested_on',
        'meeting_held_on', 'resolved_on', 'adjusted_to',
    )),
    'briefing_version': ('version_no', ('held_on',)),
    'state_version': ('version_no', ('moa_signed_on', 'moa_terminated_on')),
}


def _refuse_dates_out_of_range():
    connection = op.get_bind()
    found = []
    for table, (key, columns) in DATE_COLUMNS.items():
        for column in columns:
            rows = connection.execute(sa.text(
                f'SELECT {key}, {column} FROM "{table}" '
                f'WHERE {column} < :first OR {column} > :last'
            ), {'first': FIRST, 'last': LAST}).all()
            found += [f'{table} {key}={row[0]}: {column} = {row[1]}' for row in rows]
    if found:
        raise RuntimeError(
            f'These rows hold dates outside {FIRST} … {LAST}, which the tracker no longer '
            'accepts; correct or remove them, then upgrade again:\n  ' + '\n  '.join(found)
        )


def upgrade():
    _refuse_dates_out_of_range()
    for table, (_key, columns) in DATE_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.create_check_constraint(
                    op.f(f'ck_{table}_{column}_in_range'),
                    f"{column} BETWEEN '{FIRST}' AND '{LAST}'",
                )


def downgrade():
    for table, (_key, columns) in DATE_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(op.f(f'ck_{table}_{column}_in_range'), type_='check')
