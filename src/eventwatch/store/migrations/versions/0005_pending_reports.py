"""pending reports: the reports not yet fused, so that incremental fusion never scans every report;
an index for counting multi-source fused events

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_reports",
        sa.Column("report_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["events.event_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id"),
    )
    op.create_index("ix_events_kind_sources", "events", ["kind", "n_sources"])
    # What an older database left unfused (no fused event links it) is pending.
    op.execute("INSERT INTO pending_reports (report_id) SELECT e.event_id FROM events e WHERE e.kind = 'report' "
               "AND NOT EXISTS (SELECT 1 FROM report_links l WHERE l.report_id = e.event_id)")


def downgrade() -> None:
    op.drop_index("ix_events_kind_sources", table_name="events")
    op.drop_table("pending_reports")
