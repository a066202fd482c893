"""user.session_version: revoking a user's sessions (logout, log out everywhere, demotion)

Revision ID: 7c1e2f9a4b3d
Revises: d110b5555abe
Create Date: 2026-11-27 15:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7c1e2f9a4b3d"
down_revision = "d110b5555abe"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_version")
