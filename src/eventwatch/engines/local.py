"""The local engine: read -> plan ids -> code (in this process, or in N worker processes) -> one writer.

The main process reads the inputs in batches of BATCH items, decides for each article what it is (new,
already stored, the same text under another id, or another text under a taken id, which gets a derived
id), hands the articles to be coded to worker processes in chunks, and writes each batch's results in input
order in one transaction (see Store.save_prepared). Because the order of writing and the points of fusion
depend only on the input, one worker and N workers store exactly the same rows.

Memory is bounded by the batches in flight (at most DEPTH), not by the corpus. A worker that raises on
an article turns it into a Problem with its source; a worker process that dies takes its chunk with it,
and that chunk is coded again one article at a time in a fresh pool, so that only an article that kills
a worker again is lost (and reported).
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from eventwatch.records import Article, Problem
from eventwatch.store.rows import Prepared

BATCH = 200  # items read per batch: one write transaction; also what fixes the points of fusion
CHUNK = 8  # articles per task sent to a worker process
DEPTH = 3  # batches in flight with workers (bounded memory: DEPTH * BATCH articles)
FUSE_EVERY = 1000  # stored articles between incremental fusions, so that an interrupted run loses little


@dataclass
class RunReport:
    """What a run did, for the summary."""

    stored: int = 0
    unchanged: int = 0  # already stored (same text, same id)
    aliased: int = 0  # the same text under another id: recorded as an alias
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (source, taken id, id given)
    events_written: int = 0
    non_english: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # stored, but not all coded (bounds.coding_cap_warning)
    interrupted: bool = False
    fused: object | None = None  # pipeline.FuseSummary of the last fusion

    @property
    def done(self) -> int:
        return self.stored + self.unchanged + self.aliased + len(self.problems)


def default_workers() -> int:
    return os.cpu_count() or 1


def source_of(article: Article) -> str:
    return article.source_path or article.article_id


def code_one(article: Article, extract: bool) -> Prepared | Problem:
    """Clean (and code, with `extract`) one article into rows; any error becomes a Problem with its source."""
    from eventwatch.bounds import coding_cap_warning
    from eventwatch.store.rows import prepare

    try:
        if extract:
            from eventwatch.pipeline import code_article

            cleaned, events = code_article(article)
        else:
            from eventwatch.clean import clean_article

            cleaned, events = clean_article(article), None
        prepared = prepare(cleaned, events, source_of(article))
        if extract and cleaned.language in (None, "en"):
            prepared.warning = coding_cap_warning(prepared.source, cleaned.text)
        return prepared
    except Exception as exc:  # a bug on one article must not stop the run: report it
        return Problem(path=source_of(article), reason=f"could not be processed ({type(exc).__name__}: {exc})")


def code_chunk(chunk: list[Article], extract: bool) -> list[Prepared | Problem]:
    return [code_one(a, extract) for a in chunk]


def warm_up() -> None:
    """Build a worker's resources once (gazetteer matcher, lexicons) before its first article."""
    from eventwatch.pipeline import code_article

    code_article(Article(article_id="warm-up", raw_text="A shell hit Aleppo on Monday, killing two people."))


def after_fork() -> None:
    """In a worker forked from the fork server: its own gazetteer connection, then warm (a no-op when the
    fork server preloaded the resources)."""
    from eventwatch.gazetteer import default_gazetteer

    default_gazetteer().reopen()
    warm_up()


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Planned:
    """A batch after planning: its items in input order, each an Article to code, a Problem, or a note."""

    slots: list  # ("code", index into coded) | ("problem", Problem) | ("unchanged",) | ("alias", id, hash)
    to_code: list[Article]
    claims: list[tuple[str, str]]  # (id, hash) this batch will write: released once it is written
    coded: list = field(default_factory=list)


class Planner:
    """Decides each article's fate before it is coded, so that ids never depend on which process codes it:
    a text already stored under its id is unchanged (or re-coded with `reextract`); a text stored under
    another id becomes an alias; a different text under a taken id gets `derived_id` and a warning."""

    def __init__(self, store, reextract: bool, report: RunReport):
        self.store, self.reextract, self.report = store, reextract, report
        self.ids: dict[str, str] = {}  # in flight (planned, not yet written): id -> hash
        self.hashes: dict[str, str] = {}

    def plan(self, items: list[Article | Problem]) -> Planned:
        from eventwatch.store.db import derived_id

        arts = [i for i in items if not isinstance(i, Problem)]
        by_id, by_hash = self.store.known([a.article_id for a in arts], [a.content_hash for a in arts])
        planned = Planned(slots=[], to_code=[], claims=[])
        for item in items:
            if isinstance(item, Problem):
                planned.slots.append(("problem", item))
                continue
            h = item.content_hash
            holder = self.hashes.get(h) or by_hash.get(h)
            if holder is not None and (holder != item.article_id or not self.reextract):
                planned.slots.append(("unchanged",) if holder == item.article_id else ("alias", item.article_id, h))
                continue
            if holder is None:
                taken = self.ids.get(item.article_id) or by_id.get(item.article_id)
                if taken is not None and taken != h:
                    new_id = derived_id(item.article_id, h)
                    self.report.renamed.append((source_of(item), item.article_id, new_id))
                    item = item.model_copy(update={"article_id": new_id})
                self.ids[item.article_id], self.hashes[h] = h, item.article_id
                planned.claims.append((item.article_id, h))
            planned.slots.append(("code", len(planned.to_code)))
            planned.to_code.append(item)
        return planned

    def release(self, planned: Planned) -> None:
        for article_id, h in planned.claims:
            self.ids.pop(article_id, None)
            self.hashes.pop(h, None)


class Coder:
    """Codes lists of articles in order: inline for one worker, else in a pool of spawned processes."""

    def __init__(self, workers: int, extract: bool):
        self.workers, self.extract = workers, extract
        self.pool = self.new_pool() if workers > 1 else None
        self.frozen = False

    def new_pool(self):
        """Workers forked from a fork server that loaded the resources once (eventwatch.engines.preload),
        so that N workers do not each spend a second starting; spawned (each warming up) where there is
        no fork server. Either way nothing is inherited from this process but what a spawn would pass."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = fork_server_context()
        if ctx is not None:
            return ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=after_fork)
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=warm_up)

    def submit(self, articles: list[Article]) -> list:
        """Start coding; returns handles for `collect`."""
        from concurrent.futures.process import BrokenProcessPool

        chunks = [articles[i:i + CHUNK] for i in range(0, len(articles), CHUNK)]
        if self.pool is None:
            return [(c, None) for c in chunks]
        handles = []
        for c in chunks:
            try:
                handles.append((c, self.pool.submit(code_chunk, c, self.extract)))
            except (BrokenProcessPool, RuntimeError):  # a worker died since the last batch: a fresh pool
                self.renew()
                handles.append((c, self.pool.submit(code_chunk, c, self.extract)))
        return handles

    def collect(self, handles: list) -> list[Prepared | Problem]:
        from concurrent.futures.process import BrokenProcessPool

        out: list[Prepared | Problem] = []
        for chunk, future in handles:
            if future is None:
                out += code_chunk(chunk, self.extract)
                self.freeze_resources()
                continue
            try:
                out += future.result()
            except BrokenProcessPool:
                out += self.isolate(chunk)
        return out

    def freeze_resources(self) -> None:
        """After the first articles coded in this process: the resources they loaded kept out of the
        collector's sight (as the fork server does, preload.py), so that a full collection does not walk
        them again and again. Once per process (a process that runs again, as the tests do, freezes
        nothing more); nothing for a run that codes nothing (a re-run loads no resources)."""
        import gc

        if not self.frozen and self.extract:
            self.frozen = True
            if gc.get_freeze_count() == 0:
                gc.freeze()

    def isolate(self, chunk: list[Article]) -> list[Prepared | Problem]:
        """A worker died with this chunk: code each article alone in a fresh pool; one that kills its
        worker again is reported and lost, the others are kept."""
        from concurrent.futures.process import BrokenProcessPool

        out: list[Prepared | Problem] = []
        for article in chunk:
            self.renew()
            try:
                out += self.pool.submit(code_chunk, [article], self.extract).result()
            except BrokenProcessPool:
                out.append(Problem(path=source_of(article), reason="a worker process died while coding it"))
        self.renew()
        return out

    def renew(self) -> None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            self.pool.submit(int, 0).result()
        except (BrokenProcessPool, RuntimeError):
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self.new_pool()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        stop_fork_server()  # also one started early (start_fork_server) for a run that needed no pool


def fork_server_context():
    """The multiprocessing context of workers forked from a fork server that preloads the resources
    (eventwatch.engines.preload); None where the platform has no fork server."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["eventwatch.engines.preload"])
    return ctx


def start_fork_server() -> None:
    """Start the fork server now: its loading of the resources (about a second) then runs beside this
    process's own start (imports, opening the database, reading the first batches) instead of after it,
    and the pool made later forks its workers from it at once. For a run that will use worker processes;
    `stop_fork_server` (run_local does) ends it, used or not."""
    if fork_server_context() is not None:
        from multiprocessing import forkserver

        forkserver.ensure_running()


def worth_workers(paths: Iterable[str], batch_size: int = BATCH) -> bool:
    """Whether inputs are likely to make more than one batch (the size of the tables named, the number of
    files under the folders named, counted up to what decides): only then do worker processes pay off
    (run_local codes a single batch in this process). URLs count as small."""
    import os

    budget = 2 * batch_size * 2_000  # bytes of table text in two batches (FA-KES averages 2 kB an article)
    files = 0
    todo = [p for p in paths if not str(p).startswith(("http://", "https://"))]
    while todo:
        path = todo.pop()
        try:
            if os.path.isdir(path):
                with os.scandir(path) as it:
                    for entry in it:
                        if entry.is_dir():
                            todo.append(entry.path)
                        else:
                            files += 1
                            budget -= entry.stat().st_size if entry.name.lower().endswith(TABLES) else 0
            else:
                files += 1
                budget -= os.stat(path).st_size if str(path).lower().endswith(TABLES) else 0
        except OSError:
            continue
        if files > batch_size or budget <= 0:
            return True
    return False


TABLES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet")


def stop_fork_server() -> None:
    """Stop and reap the fork server, so that its workers' CPU time is counted in this process's children
    (getrusage, `time`) and no process outlives the run. (A private hook of multiprocessing, hence the guard.)"""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    if server is not None and hasattr(server, "_stop"):
        with contextlib.suppress(OSError, ChildProcessError):
            server._stop()


def run_local(items: Iterable[Article | Problem], store, *, extract: bool = True, reextract: bool = False,
              workers: int = 1, on_batch: Callable[[RunReport], None] | None = None,
              batch_size: int = BATCH, fuse_every: int = FUSE_EVERY) -> RunReport:
    """Code and store every item (articles and Problems from ingest.read_sources) into `store`.

    Takes the items in input order and guarantees: each article stored with all its events or not at all;
    rows and ids independent of `workers`; nothing added for what is already stored; reports fused every
    `fuse_every` (FUSE_EVERY) stored articles and at the end (unless interrupted: then the next run fuses them first).
    `on_batch` is called after each batch is written (progress). Ctrl-C stops after the batch being
    written; the report says `interrupted`."""
    from eventwatch.pipeline import fuse_pending

    report = RunReport()
    planner = Planner(store, reextract, report)
    batches = batched(items, batch_size)
    first = next(batches, [])
    second = next(batches, None)
    # One batch is coded faster here than worker processes start (each loads the gazetteer).
    coder = Coder(workers if second is not None else 1, extract)
    batches = itertools.chain([first], [second] if second is not None else [], batches)
    in_flight: deque[tuple[Planned, list]] = deque()
    since_fuse = 0
    stored_since_fuse: set[str] = set()  # the articles the next fusion fuses (exactly these: see fuse_now)
    fusing = Fusion(background=coder.pool is not None)

    def write(planned: Planned, handles: list) -> None:
        nonlocal since_fuse
        coded = coder.collect(handles)
        prepared = [c for c in coded if isinstance(c, Prepared)]
        outcomes = iter(store.save_prepared(prepared, replace=reextract))
        aliases = []
        for slot in planned.slots:
            if slot[0] == "problem":
                report.problems.append(slot[1])
            elif slot[0] == "unchanged":
                report.unchanged += 1
            elif slot[0] == "alias":
                aliases.append((slot[1], slot[2]))
                report.aliased += 1
            else:
                result = coded[slot[1]]
                if isinstance(result, Problem):
                    report.problems.append(result)
                    continue
                outcome = next(outcomes)
                if outcome.status in ("new", "recoded"):
                    stored_since_fuse.add(result.article_id)
                    report.stored += int(outcome.status == "new")
                    report.events_written += result.n_events if extract else 0
                    report.non_english += int(result.language not in (None, "en"))
                    if result.warning:
                        report.warnings.append(result.warning)
                    since_fuse += int(outcome.status == "new")
                elif outcome.status == "unchanged":
                    report.unchanged += 1
                elif outcome.status == "alias":
                    report.aliased += 1
                else:  # "taken" (another writer took the id meanwhile) or "failed"
                    report.problems.append(Problem(path=result.source, reason=outcome.reason or outcome.status))
        if aliases:
            store.add_aliases(aliases)
        planner.release(planned)
        if extract and since_fuse >= fuse_every:
            fusing.start(store, set(stored_since_fuse), report)
            stored_since_fuse.clear()
            since_fuse = 0
        if on_batch is not None:
            on_batch(report)

    try:
        for items_ in batches:
            if not items_:
                continue
            planned = planner.plan(items_)
            in_flight.append((planned, coder.submit(planned.to_code)))
            while len(in_flight) >= (DEPTH if coder.pool is not None else 1):
                write(*in_flight.popleft())
        while in_flight:
            write(*in_flight.popleft())
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        try:
            fusing.wait()  # a fusion under way is finished (its one transaction), never abandoned
        finally:
            fusing.close()
            coder.close()
    if extract and not report.interrupted:
        report.fused = fuse_pending(store)
    return report


class Fusion:
    """The incremental fusions of a run. Each fuses exactly the pending reports of the articles stored since
    the previous one (fuse_pending's `articles`), after the previous one has finished: so its clusters do
    not depend on what else has been written meanwhile, and a run with worker processes fuses in a thread
    beside the writing (the workers keep coding instead of waiting for the writer) with the same result
    as a one-worker run, which fuses in line."""

    def __init__(self, background: bool):
        self.pool = None
        if background:
            from concurrent.futures import ThreadPoolExecutor

            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fusion")
        self.future = None

    def start(self, store, articles: set[str], report: RunReport) -> None:
        from eventwatch.pipeline import fuse_pending

        self.wait()

        def fuse() -> None:
            report.fused = fuse_pending(store, counts=False, articles=articles)

        if self.pool is None:
            fuse()
        else:
            self.future = self.pool.submit(fuse)

    def wait(self) -> None:
        """Until the fusion under way (if any) is done; its error, if it failed, is raised here."""
        future, self.future = self.future, None
        if future is not None:
            future.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
