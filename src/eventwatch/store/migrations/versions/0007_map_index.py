"""a covering index for the map's counts: counting and grouping the matching events per grid cell or
province reads this index (point, kind, background, toll, date, places, types) instead of every event row
with its notes (issue 13: the map at 100,000 events)

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# latitude first: a view's box and the events without coordinates (drawn at their province) are ranges
COLUMNS = ["latitude", "longitude", "kind", "background", "fatalities", "event_date", "country", "admin1",
           "event_type", "sub_event_type"]


def upgrade() -> None:
    op.create_index("ix_events_map", "events", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_events_map", table_name="events")
