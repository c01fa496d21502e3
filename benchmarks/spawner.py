"""Runs the benchmark's measured processes on behalf of run.py, from a small process.

A process's peak RSS (``ru_maxrss``) starts from what its parent had resident
when it forked, and exec does not reset it: spawned by run.py (tens of MiB,
with lxml and the generated pages loaded), every process would report at
least that. This process stays small (the interpreter and json), so the
peaks of its children are theirs.

Protocol, one JSON object a line: in ``{"command": [...], "cwd": ..., "stdout":
path, "stderr": path, "env": {name: value}}``, out ``{"wall": s, "cpu": s, "rss_mib": MiB, "code": n}``.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        with Path(request["stdout"]).open("wb") as out, Path(request["stderr"]).open("wb") as err:
            started = time.perf_counter()
            env = {**os.environ, **request["env"]}
            process = subprocess.Popen(request["command"], cwd=request["cwd"], stdout=out, stderr=err, env=env)
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
        result = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024,
                  "code": os.waitstatus_to_exitcode(status)}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
