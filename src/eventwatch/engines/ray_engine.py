"""The Ray engine: `eventwatch run --engine ray [--address ADDR]` as a Ray Data pipeline.

    files -> read (one task per input, streaming; CSV and Parquet in record batches, JSON Lines line by
    line: a 10 GB file is never held in memory) -> code_article mapped over batches in actors that each
    load the resources once -> the driver writes each batch to the store (SQLite or PostgreSQL) in one
    transaction, in input order -> fusion on the driver, at the same points as the local engine.

Order is preserved (DataContext.execution_options.preserve_order), and the driver settles ids exactly as
the local engine does (another text under a taken id is coded again under `derived_id`), so that the
database equals a local run's. Fusion runs on the driver after the distributed coding (it is a small part
of the work: see README "Scaling out"); it is not distributed by its blocking keys.

Ray is the optional extra `eventwatch[scale]`; without it the command says how to install it.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path

from eventwatch.engines.local import FUSE_EVERY, RunReport, code_one, source_of, warm_up
from eventwatch.records import Article, Problem

STREAM_BYTES = 64_000_000  # tables larger than this are read in record batches (pyarrow), not whole
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

        source = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 24),
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
    """One input (a file or URL) -> rows of pickled Articles and Problems, streamed."""
    from eventwatch.ingest import read_file
    from eventwatch.ingest.table import ColumnMap
    from eventwatch.ingest.url import read_url_items

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
        for x in found:
            yield {"blob": pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL)}
    finally:
        if fetcher is not None:
            fetcher.close()


class CodeBatch:
    """A Ray actor: loads the resources once, then codes batches of pickled articles into pickled rows."""

    def __init__(self, extract: bool):
        self.extract = extract
        warm_up()

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        out = []
        for blob in batch["blob"]:
            item = pickle.loads(blob)
            result = item if isinstance(item, Problem) else code_one(item, self.extract)
            out.append(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        return {"blob": np.array(out, dtype=object)}


def input_items(paths: list[str], columns, fetch: bool = False) -> list[dict]:
    from eventwatch.ingest import list_files

    cols = columns.model_dump_json()
    items: list[dict] = []
    for p in paths:
        if p.startswith(("http://", "https://")):
            items.append({"path": p, "columns": cols})
            continue
        for f in list_files([p]):
            items.append({"path": f.path if isinstance(f, Problem) else str(f), "columns": cols,
                          "missing": isinstance(f, Problem), "fetch": fetch})
    return items


def run_ray(paths: list[str], db: str, columns, *, extract: bool = True, reextract: bool = False,
            workers: int = 2, address: str | None = None, on_batch: Callable[[RunReport], None] | None = None,
            batch_size: int = 200, fetch: bool = False) -> RunReport:
    """Code and store every input with Ray (a local instance with `workers` CPUs, or the cluster at
    `address`); the database content equals `run_local`'s for the same input."""
    import logging

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing leaves the machine
    ray = import_ray()
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # our own progress bar and summary say it all
    from eventwatch.pipeline import fuse_pending
    from eventwatch.store import open_store
    from eventwatch.store.db import derived_id
    from eventwatch.store.rows import Prepared

    store = open_store(db)
    report = RunReport()
    items = input_items(paths, columns, fetch)
    missing = [Problem(path=i["path"], reason="no such file or folder") for i in items if i.get("missing")]
    items = [i for i in items if not i.get("missing")]
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
    since_fuse = 0
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True  # the writer sees the input order
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        report.problems += missing
        if items:
            ds = (ray.data.from_items(items, override_num_blocks=max(1, len(items)))
                  .flat_map(read_item, num_cpus=0.5)
                  .map_batches(CodeBatch, fn_constructor_kwargs={"extract": extract}, batch_size=8,
                               concurrency=max(1, workers), num_cpus=1, batch_format="numpy"))
            for batch in ds.iter_batches(batch_size=batch_size, batch_format="numpy"):
                coded = [pickle.loads(b) for b in batch["blob"]]
                prepared = [c for c in coded if isinstance(c, Prepared)]
                report.problems += [c for c in coded if isinstance(c, Problem)]
                outcomes = store.save_prepared(prepared, replace=reextract)
                for p, outcome in zip(prepared, outcomes, strict=True):
                    if outcome.status == "taken":  # settled as the local planner does: a derived id
                        article = Article.model_validate_json(p.article["record"])
                        new_id = derived_id(p.article_id, p.content_hash)
                        report.renamed.append((p.source, p.article_id, new_id))
                        again = code_one(article.model_copy(update={"article_id": new_id}), extract)
                        if isinstance(again, Problem):
                            report.problems.append(again)
                            continue
                        p, outcome = again, store.save_prepared([again], replace=reextract)[0]
                    since_fuse += tally(report, p, outcome, extract)
                if extract and since_fuse >= FUSE_EVERY:
                    report.fused = fuse_pending(store, counts=False)
                    since_fuse = 0
                if on_batch is not None:
                    on_batch(report)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if started_here:
            ray.shutdown()
    if extract and not report.interrupted:
        report.fused = fuse_pending(store)
    return report


def tally(report: RunReport, p, outcome, extract: bool) -> int:
    """Count one outcome in the report; 1 if it stored a new article."""
    if outcome.status in ("new", "recoded"):
        report.stored += int(outcome.status == "new")
        report.events_written += p.n_events if extract else 0
        report.non_english += int(p.language not in (None, "en"))
        if getattr(p, "warning", None):
            report.warnings.append(p.warning)
        return int(outcome.status == "new")
    if outcome.status == "unchanged":
        report.unchanged += 1
    elif outcome.status == "alias":
        report.aliased += 1
    else:
        report.problems.append(Problem(path=p.source, reason=outcome.reason or outcome.status))
    return 0


__all__ = ["RayUnavailable", "run_ray", "source_of"]
