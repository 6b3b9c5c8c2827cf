"""The watcher at scale: N local sources (RSS feeds on a 127.0.0.1 server in another process) with M
items each, polled concurrently; items per second, time from an item appearing to its alert (p50/p95),
peak memory of the watcher's process.

    .venv/bin/python benchmarks/watch.py                       # 200 sources x 50 items, 5 waves
    .venv/bin/python benchmarks/watch.py --sources 4 --items 5 --waves 2   # a quick check

The items appear in waves: at each wave every feed lists items_per_wave more (pages made from the
FA-KES articles, each with a line of its own so that no two texts are the same); one polling round
starts at once (`poll_round(force=True)`, as the scheduler does when the sources are due), and one alert
rule matching every event writes to a JSON Lines file. The latency of an alert is its delivery time
minus the moment its wave appeared: it leaves out the wait for a source's next poll (at most its
`every`), which is a setting, not a cost.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FAKES = ROOT.parent / "shared" / "corpora" / "fakes" / "FA-KES-Dataset.csv"
SAMPLE = ROOT / "examples" / "sample" / "fakes-dev-sample.csv"


def load_texts() -> list[tuple[str, str]]:
    path = FAKES if FAKES.exists() else SAMPLE
    with path.open(encoding="utf-8", errors="replace") as fh:
        rows = [(r["article_title"], r["article_content"]) for r in csv.DictReader(fh)]
    return [r for r in rows if len(r[1].split()) > 50]


def serve(port_out, wave, n_sources: int, n_items: int) -> None:
    """The news site: /s{k}/feed lists wave.value * items-per-wave items; /s{k}/a{j} is an article page."""
    texts = load_texts()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            parts = self.path.strip("/").split("/")
            if len(parts) == 2 and parts[0].startswith("s") and parts[1] == "feed":
                k = int(parts[0][1:])
                shown = min(n_items, wave.value)
                items = "".join(
                    f"<item><title>item {k}-{j}</title><link>http://{self.headers['Host']}/s{k}/a{j}</link>"
                    f"<guid>s{k}a{j}</guid></item>" for j in range(shown))
                body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Source {k}</title>{items}'
                        "</channel></rss>").encode()
                return self.reply(body, "application/rss+xml")
            if len(parts) == 2 and parts[1].startswith("a"):
                k, j = int(parts[0][1:]), int(parts[1][1:])
                title, text = texts[(k * n_items + j) % len(texts)]
                paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
                body = (f"<html><head><title>{html.escape(title)}</title></head><body><article><h1>"
                        f"{html.escape(title)}</h1>{paras}<p>Report {k}-{j} of source {k}.</p></article>"
                        "</body></html>").encode()
                return self.reply(body, "text/html; charset=utf-8")
            return self.reply(b"not found", "text/plain", 404)

        def reply(self, body, ctype, status=200):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_out.value = server.server_address[1]
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--items", type=int, default=50, help="items per source, over all waves")
    parser.add_argument("--waves", type=int, default=5)
    parser.add_argument("--workers", type=int, default=8, help="sources fetched at once")
    parser.add_argument("--db", default=None)
    args = parser.parse_args()

    from eventwatch.alerts import AlertRule
    from eventwatch.sources import SourceSpec
    from eventwatch.store import open_store
    from eventwatch.store import watch_store as ws
    from eventwatch.watch import WatchSettings, poll_round

    port, wave = multiprocessing.Value("i", 0), multiprocessing.Value("i", 0)
    site = multiprocessing.Process(target=serve, args=(port, wave, args.sources, args.items), daemon=True)
    site.start()
    while port.value == 0:
        time.sleep(0.05)
    tmp = tempfile.mkdtemp(prefix="ew-watch-bench-")
    db = args.db or str(Path(tmp) / "watch.db")
    store = open_store(db)
    for k in range(args.sources):
        ws.add_source(store, SourceSpec(url=f"http://127.0.0.1:{port.value}/s{k}/feed", every=60))
    rule = AlertRule.model_validate({"name": "all", "to": {"type": "jsonl", "path": str(Path(tmp) / "alerts.jsonl")}})
    ws.save_rule(store, rule.name, rule.model_dump_json())
    # Polite defaults would space requests to one host by a second; all sources here share 127.0.0.1.
    settings = WatchSettings(workers=args.workers, rate=0, respect_robots=False, fuse_batch=500)
    # Load the gazetteer and the dictionaries first: once per process, not a cost of polling.
    from eventwatch.pipeline import code_article
    from eventwatch.records import Article

    code_article(Article(article_id="warm-up", raw_text=load_texts()[0][1]))
    per_wave = -(-args.items // args.waves)
    latencies: list[float] = []
    stored = 0
    busy = 0.0
    with settings.fetcher() as fetcher:
        for w in range(1, args.waves + 1):
            wave.value = min(args.items, w * per_wave)
            appeared = time.time()
            start = time.perf_counter()
            since = ws.utcnow()
            report = poll_round(store, fetcher, settings, force=True)
            busy += time.perf_counter() - start
            stored += report.stored
            for d in ws.list_deliveries(store, limit=1_000_000, status="delivered"):
                if d.created_at >= since and d.delivered_at is not None:
                    latencies.append(d.delivered_at.replace(tzinfo=dt.UTC).timestamp() - appeared)
            print(f"wave {w}: {report.line()} ({time.perf_counter() - start:.1f} s)", file=sys.stderr)
    site.terminate()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    items = args.sources * min(args.items, args.waves * per_wave)
    print(f"{args.sources} sources x {args.items} items ({items} items, {stored} stored, "
          f"{store.count_kind('report')} reports, {store.count_kind('fused')} fused events), {args.workers} workers")
    print(f"items/s (fetch + code + store + fuse + alert): {stored / busy:.1f}  ({busy:.1f} s polling)")
    if latencies:
        q = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [latencies[0]] * 19
        print(f"item appearing -> alert delivered: p50 {statistics.median(latencies):.1f} s, p95 {q[18]:.1f} s "
              f"({len(latencies)} alerts)")
    print(f"peak memory of the watcher's process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
