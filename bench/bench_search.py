"""Search benchmark, run by hand (not by pytest): python bench/bench_search.py --sizes 1000 10000 50000.

For each size: import a generated catalog into a temp SQLite DB and index through the app, then time
search.query(), GET /search and GET /catalog on a real server (gunicorn), and publishing one entry.

Levers measured so far (2 cores, AMD EPYC; query p95 at 10,000 / 50,000 entries):
- Whoosh's own search with facet grouping, 4 text fields: 68 / 351 ms.
- facets counted from posting sets instead of grouping in the collector: about half the facet cost.
- title + content instead of 4 text fields: each word is one union of 2 matchers, not 4: -30 %.
- plain segment files instead of compound: Whoosh copies a compound segment into RAM on every
  reader open, so publishing one entry into 50,000 fell from 290 ms to about 11 ms (median).
- matching by set algebra and BM25F over posting blocks for the matches only: 20 / 91 ms.
- long-lived searcher (--fresh-searcher compares), highlights for the page shown only, only id
  and title stored (snippets come from the database for the ten hits shown).
"""
import argparse
import heapq
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import Catalog  # noqa: E402

from portal import create_app, search  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import Attachment, Document  # noqa: E402
from portal.search import parsing as search_query  # noqa: E402
from portal.search.index import current_handle  # noqa: E402


def ms(seconds: list[float]) -> dict:
    """Median, p95 and max of timings, in milliseconds."""
    data = sorted(s * 1000 for s in seconds)
    p95 = data[min(len(data) - 1, int(round(0.95 * (len(data) - 1))))]
    return {"median": round(statistics.median(data), 1), "p95": round(p95, 1), "max": round(data[-1], 1)}


def du(path: Path) -> int:
    """Bytes on disk under a directory."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def machine() -> str:
    """CPU model and count, for the report."""
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} × {model}, Python {platform.python_version()}"


def import_catalog(n: int, catalog: Catalog, batch: int = 1000) -> float:
    """Insert n generated entries (with attachments) into the database; returns seconds."""
    started = time.perf_counter()
    for first in range(0, n, batch):
        for i in range(first, min(n, first + batch)):
            fields = catalog.entry(i)
            text = fields.pop("attachment_text")
            doc = Document(status="published", **fields)
            if text:
                doc.attachments.append(Attachment(filename="附件.pdf", stored_name=f"b{i}",
                                                  mime_type="application/pdf", size=len(text), text=text))
            db.session.add(doc)
        db.session.commit()
        db.session.expunge_all()
    return time.perf_counter() - started


def time_queries(queries: list[str], fresh: bool = False) -> tuple[list[float], list[int]]:
    """Time search.query() (page 1, 10 hits, highlighted); fresh=True reopens the searcher each time."""
    times, totals = [], []
    for q in queries:
        if fresh:
            current_handle().reset()
        started = time.perf_counter()
        results = search.query(q, page=1, per_page=10)
        times.append(time.perf_counter() - started)
        totals.append(results.total)
    return times, totals


def time_parts(queries: list[str]) -> tuple[list[float], list[float]]:
    """Time the two parts of query() alone: matching + facet counts, then scoring the top 10."""
    handle, matching, scoring = current_handle(), [], []
    for q in queries:
        parsed = search_query.parse(q)
        with handle.lock:
            s = handle.searcher()
            handle.cache.pop("matches", None)  # nothing remembered: the cost of a new query
            started = time.perf_counter()
            found = search._matches(s, handle.cache, parsed, False)
            matching.append(time.perf_counter() - started)
            started = time.perf_counter()
            heapq.nlargest(10, found["docs"], key=found["scorer"].score)
            scoring.append(time.perf_counter() - started)
    return matching, scoring


def time_publish(catalog: Catalog, n: int, count: int = 20) -> list[float]:
    """Time applying one new entry's change log row after its commit (search.catch_up()), `count` times."""
    times = []
    for i in range(count):
        fields = catalog.entry(n + i)
        fields.pop("attachment_text")
        fields["index_number"] += "-p"
        doc = Document(status="published", **fields)
        db.session.add(doc)
        db.session.commit()
        started = time.perf_counter()
        search.catch_up()
        times.append(time.perf_counter() - started)
    return times


def free_port() -> int:
    """A free TCP port on localhost."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str, index_dir: str, workers: int):
    """gunicorn serving the app on this catalog; returns (process, base URL) once it answers."""
    port = free_port()
    env = os.environ | {"DATABASE_URL": db_url, "SEARCH_INDEX_DIR": index_dir, "SECRET_KEY": "bench",
                        "PORTAL_ENV": "development"}
    cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
           "--log-level", "warning", "portal:create_app()"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=5).read()
            return proc, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("服务器未能启动")


def get(base: str, path: str, params: dict) -> tuple[int, float]:
    """One GET; returns (status, seconds)."""
    url = f"{base}{path}?{urllib.parse.urlencode(params)}"
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


def time_http(base: str, queries: list[str], n: int) -> dict:
    """GET /search for every query and /catalog for random pages; guarded if a page is missing."""
    out = {}
    if get(base, "/search", {"q": "通知"})[0] == 404:
        out["search_http"] = "（/search 页面尚未实现，跳过）"
    else:
        for q in queries[:10]:
            get(base, "/search", {"q": q})
        times = [get(base, "/search", {"q": q}) for q in queries]
        bad = [s for s, _ in times if s != 200]
        out["search_http"] = ms([t for _, t in times]) | ({"non_200": len(bad)} if bad else {})
    if get(base, "/catalog", {"page": 1})[0] == 404:
        out["catalog_http"] = "（/catalog 页面尚未实现，跳过）"
    else:
        pages = max(1, n // 20)
        step = max(1, pages // 100)
        times = [get(base, "/catalog", {"page": p}) for p in range(1, pages + 1, step)][:100]
        out["catalog_http"] = ms([t for _, t in times])
    return out


def run_size(n: int, args) -> dict:
    """Import n entries into a fresh app and measure everything for that size."""
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-search-{n}-"))
    db_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    index_dir = str(tmp / "index")
    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url, "SEARCH_INDEX_DIR": index_dir, "SECRET_KEY": "bench"})
    catalog = Catalog()
    report: dict = {"size": n}
    try:
        with app.app_context():
            db.create_all()
            db_seconds = import_catalog(n, catalog)
            started = time.perf_counter()
            assert search.rebuild() == n
            index_seconds = time.perf_counter() - started
            report["import"] = {"db_docs_per_s": round(n / db_seconds), "index_docs_per_s": round(n / index_seconds),
                                "total_docs_per_s": round(n / (db_seconds + index_seconds)),
                                "index_seconds": round(index_seconds, 1)}
            report["index_mb"] = round(du(Path(index_dir)) / 2**20, 1)
            queries = catalog.queries(args.queries)
            time_queries(queries[:10])
            times, totals = time_queries(queries)
            report["query"] = ms(times) | {"median_total_hits": statistics.median(totals),
                                           "zero_hit_queries": sum(1 for t in totals if not t)}
            matching, scoring = time_parts(queries)
            report["part_match_and_facets"] = ms(matching)
            report["part_score_top10"] = ms(scoring)
            if args.fresh_searcher:
                report["query_fresh_searcher"] = ms(time_queries(queries[:50], fresh=True)[0])
            report["publish_one"] = ms(time_publish(catalog, n))
        if args.http:
            proc, base = start_server(db_url, index_dir, args.workers)
            try:
                report |= time_http(base, catalog.queries(args.queries), n)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return report


def main() -> None:
    """Parse arguments, run each size, print and save the report."""
    parser = argparse.ArgumentParser(description="全文检索基准测试")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数")
    parser.add_argument("--no-http", dest="http", action="store_false", help="不测 HTTP")
    parser.add_argument("--fresh-searcher", action="store_true", help="对比：每次检索都重新打开 searcher")
    parser.add_argument("--keep", action="store_true", help="保留临时数据库和索引")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    print(f"机器：{machine()}", flush=True)
    reports = []
    for n in args.sizes:
        report = run_size(n, args)
        reports.append(report)
        print(json.dumps(report, ensure_ascii=False), flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = f"search-{'-'.join(map(str, args.sizes))}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    (out / name).write_text(json.dumps({"machine": machine(), "reports": reports}, ensure_ascii=False, indent=2))
    print(f"结果已写入 {out / name}")


if __name__ == "__main__":
    main()
