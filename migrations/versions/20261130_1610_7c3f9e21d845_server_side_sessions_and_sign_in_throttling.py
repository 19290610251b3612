"""server-side sessions (staff_session replaces the account's session token) and sign-in throttling

Revision ID: 7c3f9e21d845
Revises: 5e1d0a7c2b14
Create Date: 2026-11-30 16:10:00

Sessions are rows of their own, so signing out ends one on every app server. Cookies issued
before the upgrade name no session row, so everyone signs in again once. Failed sign-ins are
counted per (account, address) pair in sign_in_throttle, which every app server shares.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3f9e21d845'
down_revision = '5e1d0a7c2b14'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_staff_session_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_session')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_staff_session_key_hash'))
    )
    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.create_index('ix_staff_session_expires_at', ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_session_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_token')

    op.create_table('sign_in_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('wait_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttle'))
    )
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_throttle_first_at', ['first_at'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_throttle_first_at')
    op.drop_table('sign_in_throttle')

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=False, server_default=''))
    # Every account gets a fresh token: no cookie from before the downgrade is valid.
    connection = op.get_bind()
    import secrets
    for (user_id,) in connection.execute(sa.text('SELECT id FROM user_account')).all():
        connection.execute(
            sa.text('UPDATE user_account SET session_token = :token WHERE id = :id'),
            {'token': secrets.token_hex(16), 'id': user_id},
        )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('session_token', server_default=None)

    with op.batch_alter_table('staff_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_session_user_id'))
        batch_op.drop_index('ix_staff_session_expires_at')

    op.drop_table('staff_session')
