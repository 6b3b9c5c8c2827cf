"""a covering index for incremental fusion: the stored reports that a pending report can join are found by
their blocking key (kind, country, event type) and a range of days, and the index holds every column the
query then tests (governorate, end of the date range, id), so that fusing 10,000 new reports into a
database of a million reads their neighbourhood, not the database (issue 12: fusion at scale)

Revision ID: 0008
Revises: 0007
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = ["kind", "country", "event_type", "event_date", "admin1", "date_end", "event_id"]


def upgrade() -> None:
    op.create_index("ix_events_fusion", "events", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_events_fusion", table_name="events")
