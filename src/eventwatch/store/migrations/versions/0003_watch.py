"""the monitor's tables: watched sources, seen items, alert rules, the alert delivery ledger

Revision ID: 0003_watch
Revises: 0003
"""
from alembic import op

revision = "0003_watch"
# Chained after the newest revision of this branch (0003_event_records); re-chain at merge if other
# branches add revisions of their own.
down_revision = "0003"
branch_labels = None
depends_on = None


def tables():
    # The tables as store/watch_schema.py defines them at this revision (columns, keys, indexes).
    from eventwatch.store.watch_schema import alert_deliveries, alert_rules, watch_items, watch_sources

    return [watch_sources, watch_items, alert_rules, alert_deliveries]


def upgrade() -> None:
    bind = op.get_bind()
    for table in tables():
        table.create(bind, checkfirst=True)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(tables()):
        table.drop(bind, checkfirst=True)
