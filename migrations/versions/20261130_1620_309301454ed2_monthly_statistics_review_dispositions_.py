"""monthly statistics, review dispositions, published quarters

Monthly statistics keep every recorded version: at most one per jurisdiction and month is in
force (superseded_at IS NULL), enforced by a partial unique index that both engines support; a
version is superseded by a correction, whose kinds gain "monthly_statistics".
A review disposition is revised by a new row that revises it; each row can be revised once, and
each flag has one first disposition (a partial unique index), so concurrent edits collide.

Revision ID: 309301454ed2
Revises: 7c3f9e21d845
Create Date: 2026-11-30 14:43:03.019981

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '309301454ed2'
down_revision = '7c3f9e21d845'
branch_labels = None
depends_on = None


FACT_KINDS = ('plan_change', 'activation', 'deferral_request', 'briefing', 'state')


def _fact_kind(*kinds):
    return sa.Enum(*kinds, name='fact_kind', native_enum=False, create_constraint=True, length=32)


def upgrade():
    # A correction may now be of monthly statistics: the kind's CHECK constraint grows a value.
    with op.batch_alter_table('correction', schema=None) as batch_op:
        batch_op.alter_column('fact_kind', existing_type=_fact_kind(*FACT_KINDS), type_=_fact_kind(*FACT_KINDS, 'monthly_statistics'), existing_nullable=False)
    op.create_table('published_quarter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('totals', sa.JSON(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('length(quarter) = 7', name=op.f('ck_published_quarter_quarter_format')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_published_quarter_published_by_id_user_account')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user_account.id'], name=op.f('fk_published_quarter_withdrawn_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_quarter'))
    )
    with op.batch_alter_table('published_quarter', schema=None) as batch_op:
        batch_op.create_index('uq_published_quarter_in_force', ['quarter'], unique=True, sqlite_where=sa.text('withdrawn_at IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL'))

    op.create_table('monthly_statistics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_fips', sa.String(length=5), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('submissions', sa.Integer(), nullable=False),
    sa.Column('matches', sa.Integer(), nullable=False),
    sa.Column('level1', sa.Integer(), nullable=False),
    sa.Column('level2', sa.Integer(), nullable=False),
    sa.Column('level3', sa.Integer(), nullable=False),
    sa.Column('non_criminal', sa.Integer(), nullable=False),
    sa.Column('removed', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('level1 + level2 + level3 + non_criminal <= matches', name=op.f('ck_monthly_statistics_levels_within_matches')),
    sa.CheckConstraint('level1 >= 0', name=op.f('ck_monthly_statistics_level1_not_negative')),
    sa.CheckConstraint('level2 >= 0', name=op.f('ck_monthly_statistics_level2_not_negative')),
    sa.CheckConstraint('level3 >= 0', name=op.f('ck_monthly_statistics_level3_not_negative')),
    sa.CheckConstraint('matches <= submissions', name=op.f('ck_monthly_statistics_matches_within_submissions')),
    sa.CheckConstraint("month BETWEEN '2000-01-01' AND '2100-12-31'", name=op.f('ck_monthly_statistics_month_in_range')),
    sa.CheckConstraint('matches >= 0', name=op.f('ck_monthly_statistics_matches_not_negative')),
    sa.CheckConstraint('non_criminal >= 0', name=op.f('ck_monthly_statistics_non_criminal_not_negative')),
    sa.CheckConstraint('removed >= 0', name=op.f('ck_monthly_statistics_removed_not_negative')),
    sa.CheckConstraint('submissions >= 0', name=op.f('ck_monthly_statistics_submissions_not_negative')),
    sa.CheckConstraint('superseded_at IS NULL OR superseded_at >= recorded_at', name=op.f('ck_monthly_statistics_superseded_after')),
    sa.ForeignKeyConstraint(['jurisdiction_fips'], ['jurisdiction.fips'], name=op.f('fk_monthly_statistics_jurisdiction_fips_jurisdiction')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_monthly_statistics_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['correction.id'], name=op.f('fk_monthly_statistics_superseded_by_id_correction')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_statistics'))
    )
    with op.batch_alter_table('monthly_statistics', schema=None) as batch_op:
        batch_op.create_index('ix_monthly_statistics_month_in_force', ['month', 'jurisdiction_fips'], unique=False, sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))
        batch_op.create_index('uq_monthly_statistics_in_force', ['jurisdiction_fips', 'month'], unique=True, sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))

    op.create_table('review_disposition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.String(length=7), nullable=False),
    sa.Column('metric', sa.Enum('non_criminal_share', 'match_rate', 'level1_share', name='metric', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('jurisdiction_fips', sa.String(length=5), nullable=False),
    sa.Column('direction', sa.Enum('high', 'low', name='direction', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('rate', sa.Float(), nullable=False),
    sa.Column('z', sa.Float(), nullable=False),
    sa.Column('limit_crossed', sa.String(length=8), nullable=False),
    sa.Column('disposition', sa.Enum('local_factors', 'in_depth_analysis', 'data_error', 'no_action', name='disposition', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('revises_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('cases > 0 AND count >= 0 AND count <= cases', name=op.f('ck_review_disposition_count_within_cases')),
    sa.CheckConstraint('length(quarter) = 7', name=op.f('ck_review_disposition_quarter_format')),
    sa.ForeignKeyConstraint(['jurisdiction_fips'], ['jurisdiction.fips'], name=op.f('fk_review_disposition_jurisdiction_fips_jurisdiction')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_review_disposition_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['revises_id'], ['review_disposition.id'], name=op.f('fk_review_disposition_revises_id_review_disposition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_disposition')),
    sa.UniqueConstraint('revises_id', name=op.f('uq_review_disposition_revises_id'))
    )
    with op.batch_alter_table('review_disposition', schema=None) as batch_op:
        batch_op.create_index('ix_review_disposition_jurisdiction', ['jurisdiction_fips', 'metric', 'quarter'], unique=False)
        batch_op.create_index('ix_review_disposition_quarter', ['quarter', 'metric'], unique=False)
        batch_op.create_index('uq_review_disposition_first', ['quarter', 'metric', 'jurisdiction_fips'], unique=True, sqlite_where=sa.text('revises_id IS NULL'), postgresql_where=sa.text('revises_id IS NULL'))



def downgrade():
    # The statistics go, and with them the corrections of them (before the kind's CHECK shrinks).
    op.execute("DELETE FROM correction WHERE fact_kind = 'monthly_statistics'")
    with op.batch_alter_table('correction', schema=None) as batch_op:
        batch_op.alter_column('fact_kind', existing_type=_fact_kind(*FACT_KINDS, 'monthly_statistics'), type_=_fact_kind(*FACT_KINDS), existing_nullable=False)
    with op.batch_alter_table('review_disposition', schema=None) as batch_op:
        batch_op.drop_index('uq_review_disposition_first', sqlite_where=sa.text('revises_id IS NULL'), postgresql_where=sa.text('revises_id IS NULL'))
        batch_op.drop_index('ix_review_disposition_quarter')
        batch_op.drop_index('ix_review_disposition_jurisdiction')

    op.drop_table('review_disposition')
    with op.batch_alter_table('monthly_statistics', schema=None) as batch_op:
        batch_op.drop_index('uq_monthly_statistics_in_force', sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))
        batch_op.drop_index('ix_monthly_statistics_month_in_force', sqlite_where=sa.text('superseded_at IS NULL'), postgresql_where=sa.text('superseded_at IS NULL'))

    op.drop_table('monthly_statistics')
    with op.batch_alter_table('published_quarter', schema=None) as batch_op:
        batch_op.drop_index('uq_published_quarter_in_force', sqlite_where=sa.text('withdrawn_at IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL'))

    op.drop_table('published_quarter')
