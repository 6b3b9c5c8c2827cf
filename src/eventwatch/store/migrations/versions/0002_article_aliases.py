"""article aliases: the same text under another id

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_aliases",
        sa.Column("alias_id", sa.String(length=200), nullable=False),
        sa.Column("article_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.article_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("alias_id"),
    )


def downgrade() -> None:
    op.drop_table("article_aliases")
