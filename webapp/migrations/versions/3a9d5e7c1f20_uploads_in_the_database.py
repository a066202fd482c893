"""uploads in the database: every web host serves every uploaded image

Revision ID: 3a9d5e7c1f20
Revises: 7c1e2f9a4b3d
Create Date: 2026-11-27 15:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "3a9d5e7c1f20"
down_revision = "7c1e2f9a4b3d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )


def downgrade():
    op.drop_table("upload")
