"""The Ray engine: `eventwatch run --engine ray [--address ADDR]` as a Ray Data pipeline.

    inputs -> read (one task per input, streaming; CSV and Parquet in record batches, JSON Lines line by
    line: a 10 GB file is never held in memory) -> plan (one actor, in input order: each article's id
    settled as the local engine's Planner settles it) -> code_article over batches, in `--workers`
    actors that each load the resources once; into PostgreSQL each actor also writes its batch, one
    transaction per batch (each article all or nothing) -> the driver takes the outcomes in input order:
    counts, aliases, and fusion at the local engine's points, in Ray tasks by blocking key.

Why the ids, and so the database, equal a local run's: ids are settled before coding by one planner that
sees the articles in input order (DataContext preserve_order; it checks the order), so whichever worker
codes or writes an article, it gets the id a local run gives it (another text under a taken id:
`derived_id`). Workers write their batches in any order, so the driver fuses, at the points where the
local engine fuses (every `fuse_every` stored articles counted in input batches of `batch_size`), only
the reports of the articles up to that point (later ones may already be stored: they stay pending), and
records an alias only once the batch that stores its article has been seen. SQLite takes one writer at a
time: with a SQLite database the driver writes each batch itself (as before), the workers only code.

Fusion (fuse.partition): the pending reports and the fused events they can join are split into
independent parts (type family x country x governorate x chains of date windows that overlap), fused in
Ray tasks with fuse.fuse_part and written by the driver in one transaction: the same clusters as the
single-process fuser.

Ray is the optional extra `eventwatch[scale]`; without it the command says how to install it.
"""

from __future__ import annotations

import itertools
import os
import pickle
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from eventwatch.engines.local import FUSE_EVERY, Planner, RunReport, code_one, source_of, warm_up
from eventwatch.records import Article, Problem
from eventwatch.store.rows import Prepared

STREAM_BYTES = 64_000_000  # tables larger than this are read in record batches (pyarrow), not whole
IN_FLIGHT_MIN = 256 << 20  # bytes of blocks the pipeline may hold in Ray's object store, at least
INSTALL_HINT = ("The Ray engine needs Ray: pip install 'eventwatch[scale]' "
                "(or, in a checkout: .venv/bin/pip install -e '.[scale]').")


class RayUnavailable(RuntimeError):
    """Ray is not installed (or the cluster cannot be reached): the message says what to do."""


def import_ray():
    try:
        import ray
        import ray.data  # noqa: F401 - the Data library is part of the extra
    except ImportError as exc:
        raise RayUnavailable(INSTALL_HINT) from exc
    return ray


def stream_table(path: Path, columns) -> Iterator[Article | Problem]:
    """Rows of a large CSV/TSV or a Parquet file, read in record batches, through the same row mapping as
    the local readers (ingest.table.rows_to_articles)."""
    import pyarrow as pa

    from eventwatch.ingest.table import rows_to_articles

    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        source = pq.ParquetFile(path)
        header = source.schema_arrow.names
        batches = source.iter_batches(batch_size=1024)
    else:
        import pyarrow.csv as pacsv

        source = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 22, use_threads=False),
                                parse_options=pacsv.ParseOptions(delimiter="\t" if suffix == ".tsv" else ",",
                                                                 newlines_in_values=True),
                                convert_options=pacsv.ConvertOptions(column_types=None, strings_can_be_null=False))
        header = source.schema.names
        batches = source

    def rows() -> Iterator[tuple[int, dict]]:
        n = 0
        for batch in batches:
            table = batch if isinstance(batch, pa.RecordBatch) else batch
            for row in table.to_pylist():
                n += 1
                yield n, {k: (None if v is None else str(v)) for k, v in row.items()}

    yield from rows_to_articles(rows(), list(header), path, columns)


def read_item(item: dict) -> Iterator[dict]:
    """One input (a file or URL) -> rows of pickled Articles and Problems, streamed, each with its place in
    the input order (`seq`: the input's index, then the row's)."""
    from eventwatch.ingest import read_file
    from eventwatch.ingest.table import ColumnMap
    from eventwatch.ingest.url import read_url_items

    base = item["index"] << 32
    if item.get("problem"):  # a skipped entry (missing, hidden, ...) keeps its place in the order
        yield {"seq": base, "blob": item["problem"]}
        return
    columns = ColumnMap.model_validate_json(item["columns"])
    path = item["path"]
    fetcher = None
    if path.startswith(("http://", "https://")):
        found: Iterator = read_url_items(path)  # a page, or a feed/sitemap read as its articles
    else:
        p = Path(path)
        big = p.suffix.lower() in (".csv", ".tsv") and p.stat().st_size > STREAM_BYTES
        if item.get("fetch"):  # a feed file read as the pages it links to (`run --fetch`, the default)
            from eventwatch.ingest.url import Fetcher, HostLimiter, page_reader

            fetcher = Fetcher(rate=HostLimiter(0.5))
        fetch_page = page_reader(fetcher) if fetcher else None
        found = stream_table(p, columns) if big or p.suffix.lower() == ".parquet" else read_file(p, columns, fetch_page)
    try:
        for n, x in enumerate(found):
            yield {"seq": base + n, "blob": pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL)}
    finally:
        if fetcher is not None:
            fetcher.close()


@dataclass
class Written:
    """What became of one coded article, as the driver needs it (small: the rows stay with the worker)."""

    status: str  # an Outcome status: new, recoded, unchanged, alias, taken, failed
    article_id: str
    source: str
    n_events: int = 0
    language: str | None = None
    reason: str = ""
    warning: str | None = None  # only part of the text was coded (bounds.coding_cap_warning)


def blobs(rows: list) -> dict:
    import numpy as np

    out = np.empty(len(rows), dtype=object)  # an object array of bytes: numpy would not guess it
    out[:] = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in rows]
    return {"blob": out}


class PlanBatch:
    """A Ray actor (one): settles each article's id in input order with the local engine's Planner, so that
    ids never depend on which worker codes or writes an article. Emits (kind, payload, renamed) rows:
    ("code", Article), ("problem", Problem), ("unchanged", None) or ("alias", (id, hash))."""

    def __init__(self, db: str, reextract: bool):
        from eventwatch.store import open_store

        self.store = open_store(db)
        self.planner = Planner(self.store, reextract, RunReport())
        self.open: dict[str, str] = {}  # claims (id -> hash) not yet seen stored, oldest first
        self.last_seq = -1

    def __call__(self, batch: dict) -> dict:
        seqs = [int(s) for s in batch["seq"]]
        if seqs and (seqs[0] <= self.last_seq or seqs != sorted(seqs)):
            raise RuntimeError("the Ray pipeline delivered articles out of input order (preserve_order is off?)")
        self.last_seq = seqs[-1] if seqs else self.last_seq
        items = [pickle.loads(b) for b in batch["blob"]]
        planned = self.planner.plan(items)
        rows = []
        for item, slot in zip(items, planned.slots, strict=True):
            if slot[0] == "code":
                article = planned.to_code[slot[1]]
                renamed = ((source_of(item), item.article_id, article.article_id)
                           if article.article_id != item.article_id else None)
                rows.append(("code", article, renamed))
            elif slot[0] == "problem":
                rows.append(("problem", slot[1], None))
            elif slot[0] == "alias":
                rows.append(("alias", (slot[1], slot[2]), None))
            else:
                rows.append(("unchanged", None, None))
        self.open.update(planned.claims)
        self.prune(max(64, 2 * len(items)))
        return blobs(rows)

    def prune(self, n: int) -> None:
        """Release the `n` oldest claims that are stored by now (the store then answers for them, as for
        the local Planner once a batch is written); the others go to the back, to be looked at again. Memory
        stays bounded by the articles in flight (and those that could not be stored, whose claims stay:
        a later, different text under such an id gets a derived id, where a local run may not give one)."""
        oldest = list(itertools.islice(self.open.items(), n))
        if not oldest:
            return
        by_id, _ = self.store.known([i for i, _ in oldest], [])
        for article_id, h in oldest:
            del self.open[article_id]
            if by_id.get(article_id) == h:
                self.planner.ids.pop(article_id, None)
                self.planner.hashes.pop(h, None)
            else:
                self.open[article_id] = h


class CodeBatch:
    """A Ray actor: loads the resources once, then codes batches of planned rows; with `db` (PostgreSQL)
    also writes each batch in one transaction (each article all or nothing) and returns only `Written`
    outcomes, else returns the coded rows (`Prepared`) for the driver to write."""

    def __init__(self, extract: bool, db: str | None = None, reextract: bool = False):
        self.extract, self.reextract = extract, reextract
        self.store = None
        if db is not None:
            from eventwatch.store import open_store

            self.store = open_store(db)
        warm_up()

    def __call__(self, batch: dict) -> dict:
        rows = [pickle.loads(b) for b in batch["blob"]]
        rows = [(kind, code_one(payload, self.extract) if kind == "code" else payload, renamed)
                for kind, payload, renamed in rows]
        if self.store is not None:
            rows = write_rows(self.store, rows, self.extract, self.reextract)
        return blobs(rows)


class FusePart:
    """A Ray actor that fuses Parts of an incremental fusion (fuse.fuse_part)."""

    def fuse(self, part):
        from eventwatch.fuse import fuse_part

        return fuse_part(part)


def write_rows(store, rows: list, extract: bool, reextract: bool) -> list:
    """Store the coded rows' articles in one transaction (Store.save_prepared); each coded row becomes its
    `Written` outcome (or its Problem). An id another writer took meanwhile (only possible when a planned
    batch was released before it was stored: PlanBatch.prune) is settled as before the planner: coded
    again under `derived_id`."""
    from eventwatch.store.db import derived_id

    prepared = [payload for kind, payload, _ in rows if kind == "code" and isinstance(payload, Prepared)]
    outcomes = iter(store.save_prepared(prepared, replace=reextract))
    out = []
    for kind, payload, renamed in rows:
        if kind != "code" or not isinstance(payload, Prepared):
            out.append((kind, payload, renamed))
            continue
        p, outcome = payload, next(outcomes)
        if outcome.status == "taken":
            article = Article.model_validate_json(p.article["record"])
            new_id = derived_id(p.article_id, p.content_hash)
            renamed = (p.source, p.article_id, new_id)
            again = code_one(article.model_copy(update={"article_id": new_id}), extract)
            if isinstance(again, Problem):
                out.append((kind, again, renamed))
                continue
            p, outcome = again, store.save_prepared([again], replace=reextract)[0]
        out.append((kind, Written(outcome.status, p.article_id, p.source, p.n_events, p.language,
                                  outcome.reason, getattr(p, "warning", None)), renamed))
    return out


def input_items(paths: list[str], columns, fetch: bool = False, include_hidden: bool = False) -> list[dict]:
    """The inputs in the order the local engine reads them (ingest.read_sources): files, URLs, and the
    entries skipped (as pickled Problems, in their place)."""
    from eventwatch.ingest import list_files

    cols = columns.model_dump_json()
    items: list[dict] = []
    for p in paths:
        if p.startswith(("http://", "https://")):
            items.append({"path": p, "columns": cols})
            continue
        for f in list_files([p], include_hidden=include_hidden):
            if isinstance(f, Problem):
                items.append({"path": f.path, "problem": pickle.dumps(f, protocol=pickle.HIGHEST_PROTOCOL)})
            else:
                items.append({"path": str(f), "columns": cols, "fetch": fetch})
    for i, item in enumerate(items):
        item["index"] = i
    return items


def pipeline(ray, items: list[dict], write_db: str | None, *, extract: bool, reextract: bool, workers: int,
             batch_size: int, planner_db: str):
    """The Ray Data pipeline: read (tasks) -> plan (one actor, in order) -> code, and with `write_db` write
    (`workers` actors); its rows are pickled (kind, payload, renamed) tuples in input order."""
    return (ray.data.from_items(items, override_num_blocks=max(1, len(items)))
            .flat_map(read_item, num_cpus=0.5)
            .map_batches(PlanBatch, fn_constructor_kwargs={"db": planner_db, "reextract": reextract},
                         batch_size=batch_size, concurrency=1, num_cpus=0, batch_format="numpy",
                         # in input order (Ray lets actors run tasks out of order by default), and never
                         # restarted: its claims would be lost
                         allow_out_of_order_execution=False, max_restarts=0, max_task_retries=0)
            .map_batches(CodeBatch, fn_constructor_kwargs={"extract": extract, "reextract": reextract,
                                                           "db": write_db},
                         batch_size=batch_size, concurrency=max(1, workers), num_cpus=1, batch_format="numpy"))


def run_ray(paths: list[str], db: str, columns, *, extract: bool = True, reextract: bool = False,
            workers: int = 2, address: str | None = None, on_batch: Callable[[RunReport], None] | None = None,
            batch_size: int = 200, fetch: bool = False, include_hidden: bool = False,
            fuse_every: int = FUSE_EVERY) -> RunReport:
    """Code and store every input with Ray (a local instance with `workers` CPUs, or the cluster at
    `address`); the database content equals `run_local`'s for the same input. Into PostgreSQL the workers
    write (one transaction per batch of at most `batch_size`); into SQLite the driver does."""
    import logging

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing leaves the machine
    ray = import_ray()
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # our own progress bar and summary say it all
    from eventwatch.pipeline import fuse_pending
    from eventwatch.store import open_store

    store = open_store(db)
    workers_write = store.engine.dialect.name != "sqlite"
    report = RunReport()
    items = input_items(paths, columns, fetch, include_hidden)
    started_here = not ray.is_initialized()
    if started_here:
        try:
            if address:
                ray.init(address=address, logging_level="ERROR", log_to_driver=False)
            else:
                # one CPU more than the coders: the read tasks need a slot of their own, or the coding
                # actors hold every CPU and wait for input forever
                ray.init(num_cpus=workers + 1, include_dashboard=False, logging_level="ERROR",
                         log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise RayUnavailable(f"cannot reach the Ray cluster at {address}: {exc}") from exc
    # fusion parts run in actors that need no CPU of their own (the coding actors hold the CPUs, and wait
    # for the driver while it fuses), started once: a task would start a fresh worker process each time
    fusers = [ray.remote(num_cpus=0)(FusePart).remote() for _ in range(max(2, workers))]

    def run_parts(parts):
        return ray.get([fusers[i % len(fusers)].fuse.remote(p) for i, p in enumerate(parts)])

    def fuse(articles: set[str] | None = None, counts: bool = True):
        return fuse_pending(store, counts, articles=articles, parts=len(fusers), run_parts=run_parts)

    since_fuse = 0
    stored_since: set[str] = set()  # articles whose reports the next fusion takes
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True  # the planner, and the driver, see the input order
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        # blocks of about one batch (articles pickle to a few kB): a whole CSV read as one block would go
        # to one coding actor, whatever --workers says
        ctx.target_max_block_size = max(1 << 16, batch_size * 4096)
        # Ray Data lets blocks wait in the object store up to half of it (GBs): the fast reader and planner
        # would run far ahead of the coders. A few batches per worker in flight keep memory bounded by the
        # batch size, not by the corpus.
        limits = ctx.execution_options.resource_limits
        ctx.execution_options.resource_limits = limits.copy(
            object_store_memory=max(IN_FLIGHT_MIN, 16 * workers * batch_size * 16_384))
        if items:
            with warnings.catch_warnings():  # Ray >= 2.60 calls the per-actor options deprecated (for 2.64)
                warnings.simplefilter("ignore", DeprecationWarning)
                ds = pipeline(ray, items, db if workers_write else None, extract=extract, reextract=reextract,
                              workers=workers, batch_size=batch_size, planner_db=db)
            for batch in ds.iter_batches(batch_size=batch_size, batch_format="numpy"):
                rows = [pickle.loads(b) for b in batch["blob"]]
                if not workers_write:
                    rows = write_rows(store, rows, extract, reextract)
                aliases = []
                for kind, payload, renamed in rows:
                    if renamed is not None:
                        report.renamed.append(renamed)
                    if kind == "alias":
                        aliases.append(payload)
                        report.aliased += 1
                    elif kind == "unchanged":
                        report.unchanged += 1
                    elif isinstance(payload, Problem):
                        report.problems.append(payload)
                    else:
                        new = tally(report, payload, extract)
                        since_fuse += new
                        if payload.status in ("new", "recoded"):
                            stored_since.add(payload.article_id)
                if aliases:  # every article of this batch, and of the ones before, is stored by now
                    store.add_aliases(aliases)
                if extract and since_fuse >= fuse_every:
                    report.fused = fuse(stored_since if workers_write else None, counts=False)
                    since_fuse = 0
                    stored_since = set()
                if on_batch is not None:
                    on_batch(report)
        if extract and not report.interrupted:
            report.fused = fuse()
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if started_here:
            ray.shutdown()
    return report


def tally(report: RunReport, w: Written, extract: bool) -> int:
    """Count one outcome in the report; 1 if it stored a new article."""
    if w.status in ("new", "recoded"):
        report.stored += int(w.status == "new")
        report.events_written += w.n_events if extract else 0
        report.non_english += int(w.language not in (None, "en"))
        if w.warning:
            report.warnings.append(w.warning)
        return int(w.status == "new")
    if w.status == "unchanged":
        report.unchanged += 1
    elif w.status == "alias":
        report.aliased += 1
    else:
        report.problems.append(Problem(path=w.source, reason=w.reason or w.status))
    return 0


__all__ = ["RayUnavailable", "run_ray", "source_of"]
