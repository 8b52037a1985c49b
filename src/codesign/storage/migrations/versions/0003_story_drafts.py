"""Story drafts kept by device, so a half-written story survives a reload, a lost connection
and a server restart.

Revision ID: story_drafts
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "story_drafts"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("device_hash", sa.String(length=128), nullable=False),
        sa.Column("step", sa.String(length=12), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("client_submission_id", sa.String(length=64), nullable=False),
        sa.Column("withdraw_code", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_story_drafts_workshop_id_workshops"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_drafts")),
        sa.UniqueConstraint("workshop_id", "device_hash", name="uq_story_drafts_workshop_device"),
        sa.CheckConstraint("step in ('write', 'preview')", name=op.f("ck_story_drafts_step")),
    )


def downgrade() -> None:
    op.drop_table("story_drafts")
