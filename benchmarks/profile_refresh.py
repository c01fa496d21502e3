"""Where a whole ``spfeed refresh`` process spends its time, beside its floor (not part of pytest).

    .venv/bin/python benchmarks/profile_refresh.py first|unchanged|first-fallback [--runs 5] [--tree]

Against the benchmark's loopback server (``loopback.py``), for the row named:

1. imports: ``python -X importtime`` of the spfeed process and of its floor
   script; the modules only spfeed imports, with their own (self) time, median
   of ``--runs``;
2. dataclasses: how many classes the process defines with ``@dataclass`` and
   the time that takes (``dataclasses._process_class`` timed in the process:
   Python 3.11 compiles each generated method from source at import), and how
   many of spfeed's ``msgspec.Struct`` records it defined (made in C: not timed);
3. with ``--tree``: pyinstrument's call tree of the whole process
   (``pip install pyinstrument`` into the venv first; it is not a dependency).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
FIXTURE = ROOT / "fixtures" / "ilo-legacy-department.en.html"

TIMED_DATACLASSES = r"""
import dataclasses, runpy, sys, time
spent = [0.0, 0]
original = dataclasses._process_class
def timed(*args, **kwargs):
    started = time.perf_counter()
    try:
        return original(*args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - started
        spent[1] += 1
dataclasses._process_class = timed
sys.argv = ["spfeed", *sys.argv[1:]]
started = time.perf_counter()
try:
    runpy.run_module("spfeed", run_name="__main__")
except SystemExit:
    pass
def structs(base):
    return [c for sub in base.__subclasses__() for c in (sub, *structs(sub))]
made = [c for c in structs(sys.modules["msgspec"].Struct)] if "msgspec" in sys.modules else []
print(f"{spent[1]} {spent[0] * 1000:.1f} {(time.perf_counter() - started) * 1000:.1f} "
      f"{sum(c.__module__.startswith('spfeed') for c in made)}", file=sys.stderr)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("row", choices=("first", "unchanged", "first-fallback"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tree", action="store_true", help="pyinstrument's call tree of one process")
    args = parser.parse_args()
    from loopback import etag_of, serving
    from make_page import unprofiled
    from run import PROFILED_XPATHS, UNPROFILED_XPATHS, import_times

    page = FIXTURE.read_text("utf-8")
    pages = {"/dept.html": page.encode(), "/dept-fallback.html": unprofiled(page).encode()}
    path, xpaths = ("/dept-fallback.html", UNPROFILED_XPATHS) if args.row == "first-fallback" else (
        "/dept.html", PROFILED_XPATHS)
    python = sys.executable
    with serving(pages) as base, tempfile.TemporaryDirectory(prefix="spfeed-profile-") as tmp:
        work = Path(tmp) / "run"
        refresh = ["refresh", "--source", base + path, "--out", str(work / "feeds"), "--store", str(work / "s.sqlite")]
        if args.row == "unchanged":
            floor = [str(BENCH / "floors" / "conditional_get.py"), base + path, etag_of(pages[path])]
        else:
            floor = [str(BENCH / "floors" / "feed.py"), "--url", base + path, "--out", str(work / "floor"),
                     *(arg for key, value in xpaths.items() for arg in (f"--{key}", value))]

        def fresh() -> None:
            if args.row != "unchanged":
                shutil.rmtree(work, ignore_errors=True)
            work.mkdir(exist_ok=True)

        fresh()
        if args.row == "unchanged":
            subprocess.run([python, "-m", "spfeed", *refresh], check=True, capture_output=True, cwd=work)
        spfeed_imports, floor_imports, defined = [], [], []
        # Run from the work folder, not the checkout: ``-m``/``-c`` put the current
        # folder first on sys.path, where it would win over PYTHONPATH=other-checkout.
        for _ in range(args.runs):
            fresh()
            spfeed_imports.append(import_times([python, "-X", "importtime", "-m", "spfeed", *refresh], work, own=True))
            fresh()
            floor_imports.append(import_times([python, "-X", "importtime", *floor], work, own=True))
            fresh()
            out = subprocess.run([python, "-c", TIMED_DATACLASSES, *refresh], capture_output=True, text=True, cwd=work)
            defined.append(out.stderr.strip().splitlines()[-1].split())
        report_imports(spfeed_imports, floor_imports)
        count = defined[0][0]
        ms, total = (statistics.median(float(d[i]) for d in defined) for i in (1, 2))
        print(f"\n{count} dataclasses defined in the spfeed process: {ms:.1f} ms of its {total:.0f} ms "
              f"(from the start of spfeed's import to the end; median of {args.runs}); "
              f"spfeed's msgspec Structs: {defined[0][3] if len(defined[0]) > 3 else 0}")
        if args.tree:
            fresh()
            out = subprocess.run([python, "-m", "pyinstrument", "-i", "0.0005", "-m", "spfeed", *refresh],
                                 capture_output=True, text=True, cwd=work)
            print(out.stdout or out.stderr)


def report_imports(spfeed: list[dict[str, int]], floor: list[dict[str, int]]) -> None:
    def medians(samples: list[dict[str, int]]) -> dict[str, float]:
        return {name: statistics.median(s.get(name, 0) for s in samples) / 1000 for name in samples[0]}

    ours, theirs = medians(spfeed), medians(floor)
    extra = {name: ms for name, ms in ours.items() if name not in theirs}
    print(f"imports (self ms, median): spfeed {sum(ours.values()):.1f}, floor {sum(theirs.values()):.1f}; "
          f"modules only spfeed imports: {len(extra)}, {sum(extra.values()):.1f} ms, of which spfeed's own "
          f"{sum(ms for name, ms in extra.items() if name.split('.')[0] == 'spfeed'):.1f} ms, click's "
          f"{sum(ms for name, ms in extra.items() if name.split('.')[0] == 'click'):.1f} ms\n")
    packages: dict[str, float] = {}
    for name, ms in extra.items():
        packages[name.split(".")[0]] = packages.get(name.split(".")[0], 0.0) + ms
    largest = sorted(packages.items(), key=lambda item: -item[1])[:10]
    print("by top-level package: " + ", ".join(f"{name} {ms:.1f}" for name, ms in largest) + "\n")
    print("| module only spfeed imports | self ms |")
    print("| --- | ---: |")
    for name, ms in sorted(extra.items(), key=lambda item: -item[1])[:15]:
        print(f"| {name} | {ms:.1f} |")


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT), str(BENCH)]
    main()
