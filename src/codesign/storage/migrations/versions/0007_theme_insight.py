"""The room's insight statement on a theme: what the stories in it tell the room, in its own words.

Revision ID: theme_insight
Revises: personas
"""

import sqlalchemy as sa
from alembic import op

revision = "theme_insight"
down_revision = "personas"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Themes stored before this have no insight yet: "" until the room writes one.
    op.add_column("themes", sa.Column("insight", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("themes") as batch:
        batch.drop_column("insight")
