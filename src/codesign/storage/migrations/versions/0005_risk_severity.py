"""The severity of a safeguarding flag on stories and ideas: urgent, concern or past.

Revision ID: risk_severity
Revises: actions
"""

import sqlalchemy as sa
from alembic import op

revision = "risk_severity"
down_revision = "actions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Flags stored before severity existed keep "" (not graded); the queue shows them as concern.
    for table in ("stories", "ideas"):
        op.add_column(table, sa.Column("risk_severity", sa.String(length=12), server_default="", nullable=False))


def downgrade() -> None:
    for table in ("stories", "ideas"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("risk_severity")
