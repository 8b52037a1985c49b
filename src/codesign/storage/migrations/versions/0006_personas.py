"""Personas the room defines for the journey map: a name, a short description and linked stories.

Revision ID: personas
Revises: risk_severity
"""

import sqlalchemy as sa
from alembic import op

revision = "personas"
down_revision = "risk_severity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "personas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshops.id"], name=op.f("fk_personas_workshop_id_workshops"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personas")),
        sa.UniqueConstraint("workshop_id", "name", name="uq_personas_workshop_name"),
    )
    op.create_index(op.f("ix_personas_workshop_id"), "personas", ["workshop_id"])
    op.create_table(
        "persona_stories",
        sa.Column("persona_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["persona_id"], ["personas.id"], name=op.f("fk_persona_stories_persona_id_personas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_persona_stories_story_id_stories"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("persona_id", "story_id", name=op.f("pk_persona_stories")),
    )
    op.create_index(op.f("ix_persona_stories_story_id"), "persona_stories", ["story_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_persona_stories_story_id"), table_name="persona_stories")
    op.drop_table("persona_stories")
    op.drop_index(op.f("ix_personas_workshop_id"), table_name="personas")
    op.drop_table("personas")
