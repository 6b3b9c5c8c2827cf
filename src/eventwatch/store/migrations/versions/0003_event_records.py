"""event records apart from the filter columns, so that scans read narrow rows

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_records",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.event_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.execute("INSERT INTO event_records (event_id, record) SELECT event_id, record FROM events")
    # Not a batch (copy-and-rename) operation: with foreign keys on, SQLite's DROP TABLE of the old copy
    # would cascade into every child table. SQLite 3.35+ drops an unindexed column in place.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE events DROP COLUMN record")
    else:
        op.drop_column("events", "record")


def downgrade() -> None:
    op.add_column("events", sa.Column("record", sa.Text(), nullable=True))
    op.execute("UPDATE events SET record = (SELECT record FROM event_records r WHERE r.event_id = events.event_id)")
    op.drop_table("event_records")
