"""full-text search over article text and event notes

SQLite: two FTS5 tables (diacritics folded by the unicode61 tokenizer) kept in step with `articles` and
`events` by triggers, so that no writer has to know about them. PostgreSQL: GIN indexes on the same
expressions that eventwatch.store.search queries.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003_watch"
branch_labels = None
depends_on = None

# {p} is the row prefix: "" in the back-fill, "new." in the triggers.
ARTICLE_TEXT = "coalesce({p}title, '') || ' ' || coalesce(json_extract({p}record, '$.text'), '')"
EVENT_TEXT = ("coalesce({p}notes, '') || ' ' || coalesce({p}location, '') || ' ' || coalesce({p}admin1, '') || ' ' || "
              "coalesce({p}actor1, '') || ' ' || coalesce({p}actor2, '') || ' ' || coalesce({p}assoc_actors, '')")
PG_ARTICLE = "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce((record::json)->>'text', ''))"
PG_EVENT = ("to_tsvector('simple', coalesce(notes, '') || ' ' || coalesce(location, '') || ' ' || "
            "coalesce(admin1, '') || ' ' || coalesce(actor1, '') || ' ' || coalesce(actor2, '') || ' ' || "
            "coalesce(assoc_actors, ''))")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_articles_fts ON articles USING gin ({PG_ARTICLE})")
        op.execute(f"CREATE INDEX ix_events_fts ON events USING gin ({PG_EVENT})")
        return
    tokenizer = "tokenize = 'unicode61 remove_diacritics 2'"
    op.execute(f"CREATE VIRTUAL TABLE articles_fts USING fts5(body, {tokenizer})")
    op.execute(f"CREATE VIRTUAL TABLE events_fts USING fts5(body, {tokenizer})")
    for table, body, fts in (("articles", ARTICLE_TEXT, "articles_fts"), ("events", EVENT_TEXT, "events_fts")):
        new_body = body.format(p="new.")
        op.execute(f"INSERT INTO {fts} (rowid, body) SELECT rowid, {body.format(p='')} FROM {table}")
        op.execute(f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
                   f"INSERT INTO {fts} (rowid, body) VALUES (new.rowid, {new_body}); END")
        op.execute(f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
                   f"DELETE FROM {fts} WHERE rowid = old.rowid; END")
        op.execute(f"CREATE TRIGGER {fts}_update AFTER UPDATE ON {table} BEGIN "
                   f"DELETE FROM {fts} WHERE rowid = old.rowid; "
                   f"INSERT INTO {fts} (rowid, body) VALUES (new.rowid, {new_body}); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_fts")
        op.execute("DROP INDEX IF EXISTS ix_events_fts")
        return
    for fts in ("articles_fts", "events_fts"):
        for what in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_{what}")
        op.execute(f"DROP TABLE IF EXISTS {fts}")
