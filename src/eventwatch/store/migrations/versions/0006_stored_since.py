"""an index on the time each article was stored: which events are new since a moment (`stored_since`,
"new since your last visit" on the map) is found from the articles stored since then, without reading
every article row

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ingested_at is filled for every row (NOT NULL since 0001): nothing to back-fill.
    op.create_index("ix_articles_ingested", "articles", ["ingested_at", "article_id"])


def downgrade() -> None:
    op.drop_index("ix_articles_ingested", table_name="articles")
