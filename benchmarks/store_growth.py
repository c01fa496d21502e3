"""How a refresh scales with the size of the history store (not part of pytest).

Builds stores holding N items (default 1,000 and 10,000; the page's items
included), then times one ``pipeline.run()`` of the bundled department page
against a fresh copy of each, in a new process per run so memory figures do
not leak between runs. Page parsing costs the same at every size; what grows
with the store is the store's work and the feed rendering. Two cases:

- ``unchanged``: the page is already in the store and the feeds are current
  (the usual cron run: nothing is written but the check times);
- ``new``: the page's items are new to the store, so it inserts them, marks
  the old ones gone and rewrites both feeds.

Reported per case and size: median wall time of ``run()`` (imports done and
parser caches warm before the clock starts), median peak Python allocation during ``run()``
(tracemalloc, in separate runs, since tracing slows the code), median peak
RSS during ``run()`` (Linux: VmHWM after resetting it through
/proc/self/clear_refs; it includes SQLite's memory, which tracemalloc does not
see), and the ratios to the smallest store. Linux only.

    .venv/bin/python benchmarks/store_growth.py [--sizes 1000 10000] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "fixtures" / "ilo-legacy-department.en.html"
NOW = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
CASES = ("unchanged", "new")


def config(store: Path, out: Path):  # -> spfeed.config.Config
    from spfeed.config import Config, Source

    return Config(
        sources=(Source(location=str(PAGE)),),
        out_dir=out,
        public_url="https://feeds.example.org/",
        store=store,
    )


def history_items(count: int):  # -> list[spfeed.models.Item]
    """``count`` plausible older articles, one a day back from 2023."""
    from spfeed.models import Item, When

    start = datetime(2023, 1, 1, tzinfo=UTC)
    return [
        Item(
            id=f"https://www.ilo.org/global/about-the-ilo/newsroom/news/WCMS_{n:06d}/lang--en/index.htm",
            title=f"Social protection news item number {n} with a title of typical length",
            url=f"https://www.ilo.org/global/about-the-ilo/newsroom/news/WCMS_{n:06d}/lang--en/index.htm",
            published=When(start=start - timedelta(days=n)),
            category="News",
            category_slug="news",
            summary="A summary of a typical length for the department's listing. " * 4,
            image=f"https://www.ilo.org/wcmsp5/groups/public/image/wcms_{n:06d}.jpg",
        )
        for n in range(count)
    ]


def build(folder: Path, size: int) -> dict[str, Path]:
    """Template stores (and feeds) for each case, holding ``size`` items in all."""
    from spfeed.models import Page
    from spfeed.pipeline import run, scrape
    from spfeed.store import Store

    page_items = scrape(config(folder / "x", folder / "y").source).items
    history = history_items(size - len(page_items))
    page = Page(url="https://www.ilo.org/secsoc/", text="", fetched_at=NOW)
    templates = {}
    for case in CASES:
        base = folder / f"{case}-{size}"
        store_path = base / "spfeed.sqlite"
        with Store.open(store_path) as store:
            # Grow the history as refreshes would, a page-sized batch at a time.
            for first in range(0, len(history), 20):
                batch = history[first : first + 20]
                store.record_refresh(batch, location="archive", page=page, now=NOW - timedelta(days=1))
        if case == "unchanged":
            run(config(store_path, base / "feeds"), now=NOW - timedelta(hours=1))
        templates[case] = base
    return templates


def child(template: Path, mode: str) -> None:
    """One measured refresh on a private copy of ``template``; prints JSON."""
    import time
    import tracemalloc

    import feedgen.feed  # noqa: F401 - imported before timing: we measure the refresh, not imports

    from spfeed.pipeline import run, scrape

    work = Path(tempfile.mkdtemp(prefix="spfeed-bench-"))
    try:
        shutil.copytree(template, work, dirs_exist_ok=True)
        # Flush the copy now: else the refresh's first fsync pays for writing it all out.
        os.sync()
        cfg = config(work / "spfeed.sqlite", work / "feeds")
        scrape(cfg.source)  # warm the parser's caches (profiles, month names): same for every size
        rss_before_kib = _proc_status_kib("VmRSS")
        _reset_peak_rss()
        if mode == "memory":
            tracemalloc.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        report = run(cfg, now=NOW)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        peak = tracemalloc.get_traced_memory()[1] if mode == "memory" else None
        peak_rss_kib = _proc_status_kib("VmHWM")
        result = {
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,
            "peak_bytes": peak,
            "rss_before_kib": rss_before_kib,
            "peak_rss_kib": peak_rss_kib,
            "stored": report.changes.stored,
            "rewritten": len(report.written.changed),
            "store_bytes": (work / "spfeed.sqlite").stat().st_size,
        }
    finally:
        shutil.rmtree(work)
    print(json.dumps(result))


def _proc_status_kib(field: str) -> int:
    """A memory figure of this process from Linux's /proc/self/status, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak_rss() -> None:
    # Linux resets VmHWM (peak RSS) to the current RSS on "5": the peak then
    # covers run() alone, not imports or copying the store.
    Path("/proc/self/clear_refs").write_text("5")


def measure(template: Path, mode: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(template), mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", nargs=2, metavar=("TEMPLATE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1])
        return
    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, nproc {os.cpu_count()}, median of {args.runs} runs"
    )
    with tempfile.TemporaryDirectory(prefix="spfeed-bench-") as tmp:
        rows = []
        for size in args.sizes:
            for case, template in build(Path(tmp), size).items():
                timed = [measure(template, "time") for _ in range(args.runs)]
                traced = [measure(template, "memory") for _ in range(args.runs)]
                rows.append(summarize(case, size, timed, traced))
        print_table(rows, floor=min(args.sizes))


def summarize(case: str, size: int, timed: list[dict], traced: list[dict]) -> dict[str, float | str]:
    def median(key: str, runs: list[dict] = timed) -> float:
        return statistics.median(r[key] for r in runs)

    return {
        "case": case,
        "size": size,
        "stored": timed[0]["stored"],
        "rewritten": timed[0]["rewritten"],
        "store_mib": timed[0]["store_bytes"] / 2**20,
        "ms": median("seconds") * 1000,
        "cpu_ms": median("cpu_seconds") * 1000,
        "peak_kib": median("peak_bytes", traced) / 1024,
        "rss_before_mib": median("rss_before_kib") / 1024,
        "rss_mib": median("peak_rss_kib") / 1024,
    }


def print_table(rows: list[dict], floor: int) -> None:
    base = {row["case"]: row for row in rows if row["size"] == floor}
    columns = [
        ("case", "case", "{}"),
        ("items stored", "stored", "{:,}"),
        ("files rewritten", "rewritten", "{}"),
        ("store MiB", "store_mib", "{:.1f}"),
        ("wall ms", "ms", "{:.1f}"),
        ("CPU ms", "cpu_ms", "{:.1f}"),
        ("peak alloc KiB", "peak_kib", "{:.0f}"),
        ("RSS before MiB", "rss_before_mib", "{:.1f}"),
        ("peak RSS in run() MiB", "rss_mib", "{:.1f}"),
    ]
    ratios = ("ms", "cpu_ms", "peak_kib", "rss_mib")
    header = [title for title, _, _ in columns] + [f"{key} x floor" for key in ratios]
    print("| " + " | ".join(header) + " |")
    print("| --- |" + " ---: |" * (len(header) - 1))
    for row in sorted(rows, key=lambda r: (CASES.index(str(r["case"])), r["size"])):
        ref = base[str(row["case"])]
        cells = [fmt.format(row[key]) for _, key, fmt in columns]
        cells += [f"{row[key] / ref[key]:.2f}" for key in ratios]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
