"""The benchmark suite of issue 9 (not part of pytest): every figure against a floor.

    .venv/bin/python benchmarks/run.py [--runs 7] [--sizes 1000 10000 100000]

Prints Markdown tables (paste them into benchmarks/README.md):

1. Cold refresh (empty store, empty output directory) of the bundled department
   page and of a generated 2,000-item page (``make_page.py``), timed inside a
   fresh process with the imports done; each stage's share; the floor is lxml
   parsing the same bytes plus feedgen writing the same feed entries to Atom
   and RSS, nothing else, measured in the same process.
2. Unchanged refresh as a whole ``spfeed refresh`` process against a server on
   127.0.0.1 that answers with validators (so a conditional request can get a
   304) and one that sends none (so only the body hash can tell the page is
   unchanged); floors ``python -c "import spfeed"`` and ``python -c pass``;
   the CLI's import time and which heavy modules a refresh imports.
3. Growth: ``store_growth.py`` with a page of 10 new items against stores of
   each size.
4. Peak memory: peak RSS of each measured process (and of ``run()`` alone).

Every figure is the median of ``--runs`` runs. Linux only (/proc, wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
FIXTURE = ROOT / "fixtures" / "ilo-legacy-department.en.html"
GENERATED_ITEMS = 2000
STAGES = ("fetch/read", "parse", "normalize", "store", "publish")
IMPORTS = (
    "spfeed.cli", "click", "spfeed.pipeline", "requests", "bs4", "feedgen.feed", "babel.dates", "nh3", "waitress"
)
HEAVY = (
    "bs4", "soupsieve", "lxml", "cssselect", "feedgen", "requests", "urllib3", "babel", "nh3", "waitress", "cronsim"
)


# ---------------------------------------------------------------------------
# 1. Cold refresh, in a child process.


def cold_child(page: Path) -> None:
    """One cold refresh of ``page`` with stage timers, then the floor; prints JSON."""
    # Imports are figure 2's business: here, the work of a refresh.
    import cssselect  # noqa: F401
    import feedgen.feed  # noqa: F401
    import lxml.etree  # noqa: F401
    from store_growth import proc_status_kib, reset_peak_rss

    from spfeed import categories, dates, discovery, normalize, parse, pipeline, publish  # noqa: F401
    from spfeed.config import Config, Source
    from spfeed.store import Store

    spent = dict.fromkeys(STAGES, 0.0)
    _time_calls(pipeline, "read_file", spent, "fetch/read")
    _time_calls(pipeline, "get_page", spent, "fetch/read")
    _time_calls(parse, "parse_page", spent, "parse")
    _time_calls(normalize, "normalize_items", spent, "normalize")
    _time_calls(Store, "record_refresh", spent, "store")
    _time_calls(Store, "recent_entries", spent, "store")
    _time_calls(publish, "publish_sources", spent, "publish")
    work = Path(tempfile.mkdtemp(prefix="spfeed-bench-"))
    try:
        config = Config(sources=(Source(location=str(page)),), out_dir=work / "feeds", store=work / "s.sqlite")
        rss_before = proc_status_kib("VmRSS")
        reset_peak_rss()
        started = time.perf_counter()
        report = pipeline.run(config)
        total = time.perf_counter() - started
        peak_rss = proc_status_kib("VmHWM")
        with Store.open(config.store) as store:
            entries = store.recent_entries(config.max_items)
        floor, floor_parts = measure_floor(page.read_bytes(), entries)
        print(
            json.dumps(
                {
                    "total": total,
                    "stages": spent,
                    "floor": floor,
                    "floor_parts": floor_parts,
                    "items": report.found,
                    "shown": report.shown,
                    "files": len(report.written.changed),
                    "rss_before_mib": rss_before / 1024,
                    "peak_rss_mib": peak_rss / 1024,
                }
            )
        )
    finally:
        shutil.rmtree(work)


def _time_calls(owner: Any, name: str, spent: dict[str, float], stage: str) -> None:
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[stage] += time.perf_counter() - started

    setattr(owner, name, timed)


def measure_floor(body: bytes, entries: list) -> tuple[float, dict[str, float]]:
    """lxml parsing ``body`` + feedgen writing ``entries`` as Atom and RSS: the unavoidable work."""
    import lxml.html
    from feedgen.feed import FeedGenerator

    started = time.perf_counter()
    lxml.html.document_fromstring(body)
    parsed = time.perf_counter()
    feed = FeedGenerator()
    feed.id("https://feeds.example.org/atom.xml")
    feed.title("Floor")
    feed.subtitle("Floor")
    feed.author({"name": "ILO"})
    feed.link(href="https://www.ilo.org/secsoc/", rel="alternate")
    feed.updated(entries[0].updated)
    for entry in reversed(entries):
        item = entry.item
        fe = feed.add_entry()
        fe.id(item.id)
        fe.title(item.title)
        fe.link(href=item.url)
        fe.updated(entry.updated)
        if item.published is not None:
            fe.published(item.published.start)
        if item.summary:
            fe.summary(item.summary)
        if item.category:
            fe.category(term=item.category)
    feed.atom_str(pretty=True)
    feed.rss_str(pretty=True)
    done = time.perf_counter()
    return done - started, {"lxml parse": parsed - started, "feedgen Atom+RSS": done - parsed}


def bench_cold(pages: dict[str, Path], runs: int) -> None:
    print("\n## 1. Cold refresh (empty store and output directory; imports done before the clock)\n")
    rows = []
    for label, page in pages.items():
        results = [_json_of([sys.executable, __file__, "--cold-child", str(page)]) for _ in range(runs)]
        rows.append((label, results))
    print(
        "| page | items | feed entries | files written | refresh ms | floor ms | x floor "
        "| lxml parse ms | feedgen ms | peak RSS in run() MiB (+ from before) |"
    )
    print("| --- |" + " ---: |" * 9)
    for label, results in rows:
        total, floor = _median(r["total"] for r in results), _median(r["floor"] for r in results)
        first = results[0]
        print(
            f"| {label} | {first['items']:,} | {first['shown']} | {first['files']} | {total * 1000:.1f} "
            f"| {floor * 1000:.1f} | {total / floor:.2f} "
            f"| {_median(r['floor_parts']['lxml parse'] for r in results) * 1000:.1f} "
            f"| {_median(r['floor_parts']['feedgen Atom+RSS'] for r in results) * 1000:.1f} "
            f"| {_median(r['peak_rss_mib'] for r in results):.1f} "
            f"(+{_median(r['peak_rss_mib'] - r['rss_before_mib'] for r in results):.1f}) |"
        )
    print("\nStages (median ms, share of the refresh, x floor):\n")
    print("| page | " + " | ".join(STAGES) + " | other |")
    print("| --- |" + " ---: |" * (len(STAGES) + 1))
    for label, results in rows:
        total, floor = _median(r["total"] for r in results), _median(r["floor"] for r in results)
        cells = []
        for stage in STAGES:
            ms = _median(r["stages"][stage] for r in results)
            cells.append(f"{ms * 1000:.1f} ({ms / total:.0%}, {ms / floor:.2f}x)")
        other = _median(r["total"] - sum(r["stages"].values()) for r in results)
        cells.append(f"{other * 1000:.1f} ({other / total:.0%})")
        print(f"| {label} | " + " | ".join(cells) + " |")


# ---------------------------------------------------------------------------
# 2. Unchanged refresh, as a whole process, against a local server.


def timed_process(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MiB, CPU seconds) of one process run to completion.

    CPU time (user + system) moves less than wall time when the machine is shared.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"{command} failed ({process.returncode}): {error}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def compile_package(compiled: bool) -> str:
    """Write spfeed's bytecode (``__pycache__``), as pip does when it installs a wheel.

    An editable install has none until Python writes it, and with
    PYTHONDONTWRITEBYTECODE set (as on the machine of the figures in README.md)
    it never does: every process would compile every spfeed module from source,
    some 80 ms that no installed spfeed pays. Without ``compiled``, the bytecode
    is removed instead. Returns what was done, for the report.
    """
    import compileall

    import spfeed

    package = Path(spfeed.__file__).parent
    if not compiled:
        shutil.rmtree(package / "__pycache__", ignore_errors=True)
        return f"no bytecode in {package} (--no-compile): modules compiled from source unless Python writes it"
    if not compileall.compile_dir(package, quiet=1):
        raise RuntimeError(f"could not compile {package}")
    return f"bytecode of {package} written first (as an installed package has it)"


def bench_unchanged(runs: int, *, compiled: bool = True) -> None:
    print("\n## 2. Unchanged refresh: a whole `spfeed refresh` process (page served on 127.0.0.1)\n")
    from tests.servers import serving_page  # the tests' local server, with and without validators

    print(compile_package(compiled))
    print()
    python = sys.executable
    floors = {
        'python -c "import spfeed"': [python, "-c", "import spfeed"],
        "python -c pass": [python, "-c", "pass"],
        # What any refresh imports whatever spfeed does: its CLI framework and
        # its HTTP client (both required dependencies).
        'python -c "import click, requests"': [python, "-c", "import click, requests"],
    }
    rows: list[tuple[str, float, float, float, str]] = []
    help_command = [python, "-X", "importtime", "-m", "spfeed", "--help"]
    imports = {"spfeed --help": [import_times(help_command, ROOT) for _ in range(runs)]}
    with tempfile.TemporaryDirectory(prefix="spfeed-bench-") as tmp:
        work = Path(tmp)
        floor_figures = {}
        for label, command in floors.items():
            samples = [timed_process(command, work) for _ in range(runs)]
            floor_figures[label] = tuple(_median(s[i] for s in samples) for i in range(3))
        for mode, validators in (("304 (server sends ETag and Last-Modified)", True),
                                 ("body hash (server sends no validators)", False)):
            with serving_page(FIXTURE.read_bytes(), validators=validators) as url:
                store, out = work / f"{validators}.sqlite", work / f"feeds-{validators}"
                command = [python, "-m", "spfeed", "refresh", "--source", url, "--out", str(out),
                           "--store", str(store)]
                timed_process(command, work)  # the first refresh fills the store and writes the feeds
                samples = [timed_process(command, work) for _ in range(runs)]
                traced = [import_times([python, "-X", "importtime", *command[1:]], work) for _ in range(runs)]
            heavy = ", ".join(sorted({name.split(".")[0] for name in traced[0]} & set(HEAVY))) or "none"
            rows.append((mode, *(_median(s[i] for s in samples) for i in range(3)), heavy))
            imports[f"spfeed refresh, unchanged, {mode.split(' (')[0]}"] = traced
    import_floor, _, import_cpu = floor_figures['python -c "import spfeed"']
    pass_floor = floor_figures["python -c pass"][0]
    deps_floor = floor_figures['python -c "import click, requests"'][0]
    print("| process | wall ms | x `import spfeed` | x `pass` | x `import click, requests` | CPU ms "
          "| CPU x `import spfeed` | peak RSS MiB | heavy modules imported |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    table = [(f"`{label}`", *figures, "") for label, figures in floor_figures.items()]
    table += [(f"`spfeed refresh`, unchanged, {mode}", *figures) for mode, *figures in rows]
    for label, seconds, rss, cpu, heavy in table:
        print(f"| {label} | {seconds * 1000:.1f} | {seconds / import_floor:.2f} | {seconds / pass_floor:.2f} "
              f"| {seconds / deps_floor:.2f} | {cpu * 1000:.1f} | {cpu / import_cpu:.2f} | {rss:.1f} | {heavy} |")
    print("\nImport times (`python -X importtime`: cumulative ms of each import, median; - = not imported):\n")
    print("| command | " + " | ".join(IMPORTS) + " |")
    print("| --- |" + " ---: |" * len(IMPORTS))
    for label, samples in imports.items():
        cells = [
            f"{_median(s.get(name, 0) for s in samples) / 1000:.1f}" if name in samples[0] else "-"
            for name in IMPORTS
        ]
        print(f"| `{label}` | " + " | ".join(cells) + " |")


def import_times(command: list[str], cwd: Path) -> dict[str, int]:
    """Cumulative import time (us) of each top-level import, from -X importtime."""
    out = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True)
    found = {}
    for line in out.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            found[match.group(4)] = int(match.group(2))
    return found


# ---------------------------------------------------------------------------
# 3. Growth: delegated to store_growth.py.


def bench_growth(runs: int, sizes: list[int]) -> None:
    print("\n## 3. Growth: a refresh adding 10 items, by store size (`store_growth.py --new-items 10`)\n")
    out = subprocess.run(
        [sys.executable, str(BENCH / "store_growth.py"), "--new-items", "10", "--runs", str(runs),
         "--sizes", *map(str, sizes)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    print(out.stdout, end="")


# ---------------------------------------------------------------------------


def _json_of(command: list[str]) -> dict[str, Any]:
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(values: Any) -> float:
    return statistics.median(list(values))


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.release()} {platform.machine()}, {cpu}, nproc {os.cpu_count()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--only", choices=("cold", "unchanged", "growth", "fallback"), action="append")
    parser.add_argument("--no-compile", action="store_true",
                        help="figure 2: do not write spfeed's bytecode first (see compile_package)")
    parser.add_argument("--cold-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_child:
        cold_child(args.cold_child)
        return
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {_machine()}, median of {args.runs} runs")
    only = set(args.only or ("cold", "unchanged", "growth"))
    with tempfile.TemporaryDirectory(prefix="spfeed-bench-") as tmp:
        generated = Path(tmp) / f"page-{GENERATED_ITEMS}.html"
        from make_page import make_page

        generated.write_text(make_page(GENERATED_ITEMS), "utf-8")
        sections: dict[str, Callable[[], None]] = {
            "cold": lambda: bench_cold(
                {"department fixture": FIXTURE, f"generated, {GENERATED_ITEMS:,} items": generated}, args.runs
            ),
            "unchanged": lambda: bench_unchanged(args.runs, compiled=not args.no_compile),
            "growth": lambda: bench_growth(args.runs, args.sizes),
            # Issue 13's figure, kept in its own script (fallback_vs_profile.py).
            "fallback": lambda: subprocess.run([sys.executable, str(BENCH / "fallback_vs_profile.py"),
                                                "--runs", str(args.runs)], check=True),
        }
        for name, section in sections.items():
            if name in only:
                section()


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT), str(BENCH)]
    main()
