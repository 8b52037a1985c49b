"""Agreed actions and what each one answers (pain points, fail points, ideas, themes).

Revision ID: actions
Revises: story_drafts
"""

import sqlalchemy as sa
from alembic import op

revision = "actions"
down_revision = "story_drafts"
branch_labels = None
depends_on = None

ONE_TARGET = (
    "(CASE WHEN journey_cell_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN blueprint_cell_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN idea_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN theme_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status in ('agreed', 'under_way', 'done')", name=op.f("ck_actions_status")),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_actions_workshop_id_workshops"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    op.create_index(op.f("ix_actions_workshop_id"), "actions", ["workshop_id"])
    op.create_table(
        "action_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("journey_cell_id", sa.Integer(), nullable=True),
        sa.Column("blueprint_cell_id", sa.Integer(), nullable=True),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(ONE_TARGET, name=op.f("ck_action_links_one_target")),
        sa.ForeignKeyConstraint(
            ["action_id"], ["actions.id"], name=op.f("fk_action_links_action_id_actions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["journey_cell_id"],
            ["journey_cells.id"],
            name=op.f("fk_action_links_journey_cell_id_journey_cells"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["blueprint_cell_id"],
            ["blueprint_cells.id"],
            name=op.f("fk_action_links_blueprint_cell_id_blueprint_cells"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name=op.f("fk_action_links_idea_id_ideas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["themes.id"], name=op.f("fk_action_links_theme_id_themes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_links")),
    )
    op.create_index(op.f("ix_action_links_action_id"), "action_links", ["action_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_action_links_action_id"), table_name="action_links")
    op.drop_table("action_links")
    op.drop_index(op.f("ix_actions_workshop_id"), table_name="actions")
    op.drop_table("actions")
