"""The benchmark suite (issue 15; not part of pytest): every row against a floor script, in one run.

    .venv/bin/python benchmarks/run.py [--runs 7] [--only rows|schedule|growth|stages|imports ...]

Prints Markdown tables (paste them into benchmarks/README.md):

rows      Whole processes against a server on 127.0.0.1 (``loopback.py``): each
          ``spfeed refresh`` beside a floor script (``floors/``) that does only
          what the row names with the same libraries, in alternating runs
          (spfeed, floor, then floor, spfeed, ...); medians of wall and CPU time
          (user + sys, from wait4) and the ratio, per row; peak RSS. morss (the
          Python peer, installed on demand into ``benchmarks/.morss-venv``) on the
          7-item page as a reference column (``--no-morss`` to skip it).
schedule  20 refreshes of a 7-item page that changes on every request, under
          ``spfeed schedule --every 1s --jitter 0s --log-json``: the median of
          the ``duration_ms`` each refresh reports (in process, start-up paid once).
growth    ``store_growth.py --new-items 10``: 10 new items into stores of 1,000 to
          100,000 items (``--sizes``).
stages    Where a first refresh's time goes: ``pipeline.run()`` in a fresh process
          with the imports done, each stage timed, on the 7-item and 2,000-item
          pages, profile and fallback.
imports   ``python -X importtime`` of ``spfeed --help`` and of the unchanged refresh.
fallback  Issue 13's figure, kept in its own script: ``fallback_vs_profile.py`` (the generic
          fallback against the profile on the same 2,000-item page, in process).

Two cores are shared with other work while this runs, so wall times move;
compare the ratios (measured side by side) and the CPU times. Linux only
(/proc, wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
FLOORS = BENCH / "floors"
FIXTURE = ROOT / "fixtures" / "ilo-legacy-department.en.html"
MORSS_VENV = BENCH / ".morss-venv"
GENERATED_ITEMS = 2000
SCHEDULE_REFRESHES = 20
STAGES = ("fetch/read", "parse", "dates, categories", "normalize", "store open/close", "store", "publish")
"""The stages timed in process. "dates, categories": the date lexicon and the category table
a page is normalized with (built on first use; the fallback builds the lexicon while it parses);
"store open/close": creating or migrating the store, and the checkpoint that closing it writes."""
IMPORTS = ("spfeed.cli", "click", "spfeed.pipeline", "requests", "lxml.etree", "feedgen.feed", "bs4")
SECTIONS = ("rows", "schedule", "growth", "stages", "imports", "fallback")
ROW_KEYS = ("unchanged", "first", "first-fallback", "big", "big-fallback")
"""``--row`` names, in the order of build_rows."""

# Where the items are, for the floor script (and morss): the legacy listing, and
# the same content as make_page.unprofiled() writes it.
PROFILED_XPATHS = {
    "items": '//div[@class="whatsNew"]//li[@class="item"]',
    "title": ".//h3//text()",
    "link": ".//h3//a/@href",
    "summary": './/p[@class="teaser"]//text()',
}
UNPROFILED_XPATHS = {
    "items": '//section[@class="latest"]//article',
    "title": ".//h2//text()",
    "link": ".//h2//a/@href",
    "summary": "./p//text()",
}


# ---------------------------------------------------------------------------
# Measuring a process.


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mib: float
    stdout: str = ""
    stderr: str = ""


class Spawner:
    """``spawner.py``: runs each measured process from a small parent (see there why)."""

    def __init__(self) -> None:
        self._process = subprocess.Popen([sys.executable, str(BENCH / "spawner.py")], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True)

    def run(self, command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
        """Run ``command`` to completion: wall and CPU seconds (user + sys), peak RSS, output;
        ``env``: variables to set for it."""
        assert self._process.stdin is not None and self._process.stdout is not None
        with tempfile.TemporaryDirectory(prefix="out-") as tmp:
            out, err = Path(tmp) / "stdout", Path(tmp) / "stderr"
            request = {"command": command, "cwd": str(cwd), "stdout": str(out), "stderr": str(err), "env": env or {}}
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            result = json.loads(self._process.stdout.readline())
            sample = Sample(result["wall"], result["cpu"], result["rss_mib"],
                            out.read_text(errors="replace"), err.read_text(errors="replace"))
        if result["code"] != 0:
            raise RuntimeError(f"{command} failed ({result['code']}): {sample.stderr}")
        return sample

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait()


SPAWNER: Spawner | None = None
BEFORE = ""


def timed_process(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    assert SPAWNER is not None, "main() starts the spawner first"
    return SPAWNER.run(command, cwd, env)


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


# ---------------------------------------------------------------------------
# rows: spfeed beside its floor, whole processes.

Command = Callable[[Path], list[str]]
"""A command line, given a fresh empty directory for this run's files."""


@dataclass
class Row:
    case: str
    target: str
    limit: float
    spfeed: Command
    floor: Command
    floor_label: str
    check: Callable[[Sample], None] = lambda sample: None
    """Raises unless spfeed's first run did what the row says (items found, path taken)."""
    reference: Command | None = None
    before: Command | None = None
    """The same spfeed command run on other code (``--before DIR``), for what changed."""
    spfeed_samples: list[Sample] = field(default_factory=list)
    floor_samples: list[Sample] = field(default_factory=list)
    reference_samples: list[Sample] = field(default_factory=list)
    reference_error: str | None = None
    before_samples: list[Sample] = field(default_factory=list)


def spfeed_refresh(url: str) -> Command:
    """A first refresh as a new user runs it: fresh store and output, robots.txt not cached."""
    return lambda work: [sys.executable, "-m", "spfeed", "refresh", "--source", url,
                         "--out", str(work / "feeds"), "--store", str(work / "spfeed.sqlite")]


def floor_feed(url: str, xpaths: dict[str, str]) -> Command:
    def command(work: Path) -> list[str]:
        return [sys.executable, str(FLOORS / "feed.py"), "--url", url, "--out", str(work / "floor"),
                *(arg for key, value in xpaths.items() for arg in (f"--{key}", value))]

    return command


def expect_items(count: int, fallback: bool) -> Callable[[Sample], None]:
    """spfeed's summary line says ``count`` new items, and the fallback warning is there or not."""

    def check(sample: Sample) -> None:
        if f": {count} new," not in sample.stdout:
            raise RuntimeError(f"expected {count} new items, got: {sample.stdout.strip()}")
        warned = "no layout profile matched" in sample.stderr
        if warned != fallback:
            raise RuntimeError(f"expected {'the fallback' if fallback else 'a profile'}: {sample.stderr.strip()}")

    return check


def unchanged_refresh(url: str, store: Path) -> Command:
    """A refresh against a store that ``prefill`` filled: the page has not changed since."""
    return lambda work: [sys.executable, "-m", "spfeed", "refresh", "--source", url,
                         "--out", str(store.parent / "feeds"), "--store", str(store)]


def prefill(url: str, store: Path, env: dict[str, str] | None = None) -> None:
    store.parent.mkdir(parents=True)
    timed_process(unchanged_refresh(url, store)(store.parent), store.parent, env)


def build_rows(base: str, etag: str, stores: dict[str, Path], morss: Path | None) -> list[Row]:
    dept, dept_fallback = f"{base}/dept.html", f"{base}/dept-fallback.html"
    big, big_fallback = f"{base}/page-{GENERATED_ITEMS}.html", f"{base}/page-{GENERATED_ITEMS}-fallback.html"
    rows = [
        Row("unchanged refresh, server answers 304", "<= 1.2x", 1.2,
            unchanged_refresh(dept, stores["now"]),
            lambda work: [sys.executable, str(FLOORS / "conditional_get.py"), dept, etag],
            "`floors/conditional_get.py`: import requests, one GET with If-None-Match",
            lambda sample: None if "1 not modified" in sample.stdout else _fail_check("a 304", sample)),
        Row("first refresh, department page (7 items), fresh store, robots.txt not cached", "<= 1.3x", 1.3,
            spfeed_refresh(dept), floor_feed(dept, PROFILED_XPATHS),
            "`floors/feed.py`: requests GET, lxml parse, 7 items by XPath, feedgen Atom + RSS files",
            expect_items(7, fallback=False),
            morss_command(morss, dept) if morss else None),
        Row("the same page in markup no profile detects (fallback)", "<= 1.4x", 1.4,
            spfeed_refresh(dept_fallback), floor_feed(dept_fallback, UNPROFILED_XPATHS),
            "same floor (its XPaths for that markup)", expect_items(7, fallback=True)),
        Row(f"{GENERATED_ITEMS:,}-item page, fresh store, profile path", "<= 2.5x", 2.5,
            spfeed_refresh(big), floor_feed(big, PROFILED_XPATHS),
            f"same floor on all {GENERATED_ITEMS:,} items: GET, lxml parse, XPath, feedgen Atom + RSS files",
            expect_items(GENERATED_ITEMS, fallback=False)),
        Row(f"{GENERATED_ITEMS:,}-item page, fresh store, fallback path", "<= 2.5x", 2.5,
            spfeed_refresh(big_fallback), floor_feed(big_fallback, UNPROFILED_XPATHS),
            "same floor", expect_items(GENERATED_ITEMS, fallback=True)),
    ]
    if "before" in stores:
        rows[0].before = unchanged_refresh(dept, stores["before"])
        for row in rows[1:]:
            row.before = row.spfeed
    return rows


def _fail_check(what: str, sample: Sample) -> None:
    raise RuntimeError(f"expected {what}: {sample.stdout.strip()} {sample.stderr.strip()}")


def run_rows(rows: list[Row], runs: int, work: Path, before_env: dict[str, str] | None) -> None:
    """One warm-up of each command, then ``runs`` alternating rounds per row."""
    for row in rows:
        commands: list[tuple[Command, list[Sample], dict[str, str] | None]] = [
            (row.spfeed, row.spfeed_samples, None), (row.floor, row.floor_samples, None)]
        if row.reference:
            commands.append((row.reference, row.reference_samples, None))
        if row.before:
            commands.append((row.before, row.before_samples, before_env))
        for round_number in range(runs + 1):
            order = commands if round_number % 2 == 0 else commands[::-1]
            for command, samples, env in order:
                folder = Path(tempfile.mkdtemp(prefix="run-", dir=work))
                try:
                    sample = timed_process(command(folder), folder, env)
                except RuntimeError as e:
                    if samples is row.reference_samples:
                        row.reference_error, row.reference = str(e)[-500:], None
                        commands.remove((command, samples, env))
                        continue
                    raise
                finally:
                    shutil.rmtree(folder, ignore_errors=True)
                if round_number == 0:
                    if samples is row.spfeed_samples:
                        row.check(sample)
                    continue  # the warm-up (page cache, the server's first connections) is not counted
                samples.append(sample)


def print_rows(rows: list[Row], runs: int) -> None:
    print(f"\n## Rows: whole processes on 127.0.0.1, median of {runs} alternating runs\n")
    print("| case | spfeed wall ms | floor wall ms | ratio wall | spfeed CPU ms | floor CPU ms | ratio CPU "
          "| target | met? (wall / CPU) | spfeed peak RSS MiB | floor peak RSS MiB |")
    print("| --- |" + " ---: |" * 7 + " --- | --- | ---: | ---: |")
    for row in rows:
        sw, fw = _median(s.wall for s in row.spfeed_samples), _median(s.wall for s in row.floor_samples)
        sc, fc = _median(s.cpu for s in row.spfeed_samples), _median(s.cpu for s in row.floor_samples)
        met = f"{_yes(sw / fw <= row.limit)} / {_yes(sc / fc <= row.limit)}"
        print(f"| {row.case} | {sw * 1000:.0f} | {fw * 1000:.0f} | **{sw / fw:.2f}x** | {sc * 1000:.0f} "
              f"| {fc * 1000:.0f} | {sc / fc:.2f}x | {row.target} | {met} "
              f"| {max(s.rss_mib for s in row.spfeed_samples):.1f} | {max(s.rss_mib for s in row.floor_samples):.1f} |")
    peaks = [s.rss_mib for row in rows if str(GENERATED_ITEMS) in row.case.replace(",", "") for s in row.spfeed_samples]
    if peaks:
        print(f"| peak memory, {GENERATED_ITEMS:,}-item page (largest peak RSS of its spfeed processes) "
              f"| {max(peaks):.1f} MiB | | | | | | < 100 MB | {_yes(max(peaks) * 1.048576 < 100)} | | |")
    print("\nFloors:\n")
    for row in rows:
        print(f"- {row.case}: {row.floor_label}")
    for row in rows:
        if row.reference_samples:
            rw, rc = _median(s.wall for s in row.reference_samples), _median(s.cpu for s in row.reference_samples)
            sw, sc = _median(s.wall for s in row.spfeed_samples), _median(s.cpu for s in row.spfeed_samples)
            print(f"\nReference, {row.case}: morss (`--proxy`, items by the same XPaths, no article fetched) "
                  f"{rw * 1000:.0f} ms wall, {rc * 1000:.0f} ms CPU, peak RSS "
                  f"{max(s.rss_mib for s in row.reference_samples):.1f} MiB; spfeed / morss "
                  f"{sw / rw:.2f}x wall, {sc / rc:.2f}x CPU")
        if row.reference_error:
            print(f"\nReference, {row.case}: morss failed: {row.reference_error}")
    if any(row.before_samples for row in rows):
        print_before(rows)


def print_before(rows: list[Row]) -> None:
    print(f"\n### Before and now, side by side in the same run (before: `--before {BEFORE}`)\n")
    print("| case | before wall ms | now wall ms | now / before | before CPU ms | now CPU ms | now / before CPU "
          "| before x floor | now x floor |")
    print("| --- |" + " ---: |" * 8)
    for row in rows:
        bw, nw = _median(s.wall for s in row.before_samples), _median(s.wall for s in row.spfeed_samples)
        bc, nc = _median(s.cpu for s in row.before_samples), _median(s.cpu for s in row.spfeed_samples)
        fw = _median(s.wall for s in row.floor_samples)
        print(f"| {row.case} | {bw * 1000:.0f} | {nw * 1000:.0f} | {nw / bw:.2f} | {bc * 1000:.0f} | {nc * 1000:.0f} "
              f"| {nc / bc:.2f} | {bw / fw:.2f}x | {nw / fw:.2f}x |")


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


# ---------------------------------------------------------------------------
# morss, the Python peer, as a reference column.


def morss_python(install: bool) -> tuple[Path | None, str]:
    """morss's interpreter, installed on demand into its own venv (AGPL; not a dependency)."""
    python = MORSS_VENV / "bin" / "python"
    if python.exists():
        return python, _morss_version(python)
    if not install:
        return None, "morss not installed (--no-morss)"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(MORSS_VENV)], check=True, capture_output=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "morss"], check=True, capture_output=True,
                       text=True, timeout=600)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        shutil.rmtree(MORSS_VENV, ignore_errors=True)
        output = getattr(e, "stderr", "") or ""
        return None, f"`pip install morss` failed: {output.strip()[-300:]}"
    return python, _morss_version(python)


def _morss_version(python: Path) -> str:
    out = subprocess.run([str(python), "-m", "pip", "show", "morss"], capture_output=True, text=True)
    version = re.search(r"^Version: (\S+)", out.stdout, re.MULTILINE)
    return f"morss {version.group(1) if version else '?'} in {MORSS_VENV}"


def morss_command(python: Path, url: str) -> Command:
    """morss reading the page's items by the floor's XPaths (it finds no feed on an HTML page
    otherwise); ``--proxy`` so it fetches no article (offline, and spfeed fetches none)."""
    x = PROFILED_XPATHS
    return lambda work: [str(python), "-m", "morss", "--proxy", "--items", x["items"],
                         "--item_title", ".//h3", "--item_link", x["link"],
                         "--item_content", './/p[@class="teaser"]', "--mode", "html", url]


# ---------------------------------------------------------------------------
# schedule: duration_ms under spfeed schedule.


def changing_page(number: int) -> bytes:
    """The department page with its first title changed: new content on every request."""
    text = FIXTURE.read_text("utf-8")
    marker = "SDG Action Weekend, High Impact Initiatives"
    return text.replace(marker, f"{marker} (version {number})", 1).encode("utf-8")


def bench_schedule(base: str, work: Path) -> None:
    print(f"\n## Schedule: {SCHEDULE_REFRESHES} refreshes of a 7-item page that changes on every request\n")
    folder = work / "schedule"
    folder.mkdir()
    toml = folder / "spfeed.toml"
    toml.write_text(f'out_dir = "{folder / "feeds"}"\nstore = "{folder / "spfeed.sqlite"}"\n'
                    f'[[source]]\nurl = "{base}/changing.html"\nname = "en"\n', encoding="utf-8")
    command = [sys.executable, "-m", "spfeed", "--config", str(toml), "--log-json", "schedule",
               "--every", "1s", "--jitter", "0s"]
    reports = []
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    try:
        cpu_after_first = 0.0
        for line in _lines(process.stdout):
            if line.startswith("{"):
                reports.append(json.loads(line))
                if len(reports) == 1:
                    cpu_after_first = _process_cpu(process.pid)
            if len(reports) > SCHEDULE_REFRESHES:
                break
        cpu_of_rest = _process_cpu(process.pid) - cpu_after_first
        process.send_signal(signal.SIGINT)
        process.stdout.read()
        _, _, usage = os.wait4(process.pid, 0)
    finally:
        process.kill()
    wall = time.perf_counter() - started
    first, rest = reports[0], reports[1:]
    outcomes = {r["sources"][0]["outcome"] for r in rest}
    durations = [r["duration_ms"] for r in rest]
    print(f"`{' '.join(['spfeed', *command[3:]])}` (source: `/changing.html` on 127.0.0.1)\n")
    print("| refreshes | outcome | median duration_ms | min | max | target |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    print(f"| the first (fresh store; the parser and feedgen imported on the way) | {first['sources'][0]['outcome']} "
          f"| {first['duration_ms']:.1f} | | | |")
    print(f"| the {len(rest)} after it | {', '.join(sorted(outcomes))} | **{_median(durations):.1f}** "
          f"| {min(durations):.1f} | {max(durations):.1f} | <= 25 ms |")
    cpu = usage.ru_utime + usage.ru_stime
    print(f"\nCPU: the {len(rest)} refreshes after the first used {cpu_of_rest * 1000:.0f} ms of CPU in all "
          f"(/proc/PID/stat, 10 ms ticks), {cpu_of_rest * 1000 / len(rest):.1f} ms per refresh on average; the "
          f"whole process {cpu * 1000:.0f} ms ({wall:.1f} s wall, mostly asleep). `duration_ms` is wall time: "
          "where it exceeds the CPU time, the refresh waited (for the disk, or for a core).")


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a running process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _lines(stream: Any) -> Iterator[str]:
    deadline = time.monotonic() + 120
    for line in stream:
        yield line
        if time.monotonic() > deadline:
            raise RuntimeError("spfeed schedule did not report in time")


# ---------------------------------------------------------------------------
# stages: where a first refresh's time goes, in process.


def cold_child(page: Path) -> None:
    """One cold refresh of ``page`` with stage timers; prints JSON."""
    # The imports are the rows' business: here, the work of a refresh. requests too, though these
    # pages are files: a refresh of a URL has it, and with it zipfile, which importlib.resources
    # (the package's data files) would otherwise import inside the clock.
    import cssselect  # noqa: F401
    import feedgen.feed  # noqa: F401
    import lxml.etree  # noqa: F401
    import requests  # noqa: F401
    from store_growth import proc_status_kib, reset_peak_rss

    from spfeed import categories, dates, discovery, fallback, normalize, parse, pipeline, publish  # noqa: F401
    from spfeed.config import Config, Source
    from spfeed.store import Store

    spent = dict.fromkeys(STAGES, 0.0)
    _time_calls(pipeline, "read_file", spent, "fetch/read")
    _time_calls(pipeline, "get_page", spent, "fetch/read")
    _time_calls(parse, "parse_page", spent, "parse")
    _time_calls(normalize.Context, "for_page", spent, "dates, categories")
    _time_calls(categories, "default_taxonomy", spent, "dates, categories")
    _time_calls(normalize, "normalize_items", spent, "normalize")
    _time_calls(Store, "open", spent, "store open/close")
    _time_calls(Store, "close", spent, "store open/close")
    _time_calls(Store, "record_refresh", spent, "store")
    _time_calls(Store, "recent_entries", spent, "store")
    _time_calls(publish, "publish_sources", spent, "publish")
    work = Path(tempfile.mkdtemp(prefix="spfeed-bench-"))
    try:
        config = Config(sources=(Source(location=str(page)),), out_dir=work / "feeds", store=work / "s.sqlite")
        reset_peak_rss()
        started = time.perf_counter()
        cpu_started = time.process_time()
        report = pipeline.run(config)
        total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        print(json.dumps({"total": total, "cpu": cpu, "stages": spent, "items": report.found,
                          "profile": report.sources[0].profile, "files": len(report.written.changed),
                          "peak_rss_mib": proc_status_kib("VmHWM") / 1024}))
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


def bench_stages(pages: dict[str, Path], runs: int) -> None:
    print("\n## Stages of a first refresh, in process (`pipeline.run()`, imports done before the clock)\n")
    print("| page | profile | items | files | run() ms | CPU ms | " + " | ".join(STAGES) + " | other | peak RSS MiB |")
    print("| --- | --- |" + " ---: |" * (len(STAGES) + 6))
    for label, page in pages.items():
        results = [_json_of([sys.executable, __file__, "--cold-child", str(page)]) for _ in range(runs)]
        total = _median(r["total"] for r in results)
        cells = [f"{_median(r['stages'][stage] for r in results) * 1000:.1f}" for stage in STAGES]
        other = _median(r["total"] - sum(r["stages"].values()) for r in results)
        first = results[0]
        print(f"| {label} | {first['profile']} | {first['items']:,} | {first['files']} | {total * 1000:.1f} "
              f"| {_median(r['cpu'] for r in results) * 1000:.1f} | " + " | ".join(cells)
              + f" | {other * 1000:.1f} | {_median(r['peak_rss_mib'] for r in results):.1f} |")


# ---------------------------------------------------------------------------
# imports: what a command imports, and what it costs.


def bench_imports(base: str, etag_store: Path, runs: int) -> None:
    print("\n## Imports (`python -X importtime`: cumulative ms of each import, median; - = not imported)\n")
    python = sys.executable
    commands = {
        "spfeed --help": [python, "-X", "importtime", "-m", "spfeed", "--help"],
        "spfeed refresh, unchanged (304)": [python, "-X", "importtime", "-m", "spfeed", "refresh", "--source",
                                            f"{base}/dept.html", "--out", str(etag_store.parent / "feeds"),
                                            "--store", str(etag_store)],
        "floor: import requests, one conditional GET": [python, "-X", "importtime",
                                                        str(FLOORS / "conditional_get.py"), f"{base}/dept.html",
                                                        "-"],
    }
    print("| command | " + " | ".join(IMPORTS) + " |")
    print("| --- |" + " ---: |" * len(IMPORTS))
    for label, command in commands.items():
        samples = [import_times(command, ROOT) for _ in range(runs)]
        cells = [f"{_median(s.get(name, 0) for s in samples) / 1000:.1f}" if name in samples[0] else "-"
                 for name in IMPORTS]
        print(f"| `{label}` | " + " | ".join(cells) + " |")


def import_times(command: list[str], cwd: Path, *, own: bool = False) -> dict[str, int]:
    """Cumulative import time (us) of each module, from -X importtime; with ``own``, the
    module's own (self) time. The exit code is not checked: the floor given a wrong ETag
    exits 1 after its request, which is all that is timed here."""
    out = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    found = {}
    for line in out.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            found[match.group(4)] = int(match.group(1 if own else 2))
    return found


# ---------------------------------------------------------------------------
# growth: delegated to store_growth.py.


def bench_growth(runs: int, sizes: list[int]) -> None:
    print("\n## Growth: a refresh adding 10 items, by store size (`store_growth.py --new-items 10`)\n")
    out = subprocess.run(
        [sys.executable, str(BENCH / "store_growth.py"), "--new-items", "10", "--runs", str(runs),
         "--sizes", *map(str, sizes)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    print(out.stdout, end="")


def bench_fallback(runs: int) -> None:
    script = BENCH / "fallback_vs_profile.py"
    print("\n## Fallback against profile, in process (`fallback_vs_profile.py`, issue 13)\n")
    if not script.exists():
        print(f"{script.name} is not in this checkout (issue 13 adds it)")
        return
    sys.stdout.flush()
    subprocess.run([sys.executable, str(script), "--runs", str(runs)], check=True, cwd=ROOT)


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


def _pages(folder: Path) -> dict[str, bytes]:
    from make_page import make_page, unprofiled

    department = FIXTURE.read_text("utf-8")
    generated = make_page(GENERATED_ITEMS)
    pages = {
        "/dept.html": department,
        "/dept-fallback.html": unprofiled(department),
        f"/page-{GENERATED_ITEMS}.html": generated,
        f"/page-{GENERATED_ITEMS}-fallback.html": unprofiled(generated),
    }
    for path, text in pages.items():  # for the stages section, which reads them as files
        (folder / path.lstrip("/")).write_text(text, "utf-8")
    return {path: text.encode("utf-8") for path, text in pages.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only these sections (repeatable)")
    parser.add_argument("--row", choices=ROW_KEYS, action="append", help="rows: only these rows (repeatable)")
    parser.add_argument("--no-morss", action="store_true", help="rows: no morss reference column")
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="rows: also run spfeed from DIR (a checkout of other code: PYTHONPATH=DIR), side by side")
    parser.add_argument("--no-compile", action="store_true",
                        help="do not write spfeed's bytecode first (see compile_package)")
    parser.add_argument("--cold-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_child:
        cold_child(args.cold_child)
        return
    global SPAWNER
    SPAWNER = Spawner()  # first, while this process is still small
    only = args.only or list(SECTIONS)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {_machine()}, commit {commit.stdout.strip() or '?'}")
    print(f"`benchmarks/run.py {' '.join(sys.argv[1:])}`; {compile_package(not args.no_compile)}")
    from loopback import serving

    with tempfile.TemporaryDirectory(prefix="spfeed-bench-") as tmp:
        work = Path(tmp)
        pages = _pages(work)
        with serving(pages, changing=changing_page) as base:
            stores = {"now": work / "unchanged" / "spfeed.sqlite"}
            store = stores["now"]
            if {"rows", "imports"} & set(only):
                prefill(f"{base}/dept.html", store)
            if "rows" in only:
                from loopback import etag_of

                morss, morss_note = morss_python(install=not args.no_morss)
                print(f"morss: {morss_note}")
                before_env = None
                if args.before:
                    global BEFORE
                    BEFORE = str(args.before)
                    before_env = {"PYTHONPATH": str(args.before.resolve())}
                    stores["before"] = work / "unchanged-before" / "spfeed.sqlite"
                    prefill(f"{base}/dept.html", stores["before"], before_env)
                rows = build_rows(base, etag_of(pages["/dept.html"]), stores, morss)
                rows = [row for key, row in zip(ROW_KEYS, rows, strict=True) if key in (args.row or ROW_KEYS)]
                run_rows(rows, args.runs, work, before_env)
                print_rows(rows, args.runs)
            if "schedule" in only:
                bench_schedule(base, work)
            if "imports" in only:
                bench_imports(base, store, args.runs)
        if "stages" in only:
            bench_stages({label: work / name for label, name in (
                ("department page", "dept.html"), ("department page, unprofiled", "dept-fallback.html"),
                (f"{GENERATED_ITEMS:,} items", f"page-{GENERATED_ITEMS}.html"),
                (f"{GENERATED_ITEMS:,} items, unprofiled", f"page-{GENERATED_ITEMS}-fallback.html"))}, args.runs)
        if "growth" in only:
            bench_growth(args.runs, args.sizes)
        if "fallback" in only:
            bench_fallback(args.runs)
    SPAWNER.close()


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT), str(BENCH)]
    main()
