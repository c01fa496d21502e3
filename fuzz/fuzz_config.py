"""Coverage-guided fuzzing of the config loader (atheris): any bytes as ``spfeed.toml``.

Lines at the start of the form ``SPFEED_KEY=value`` are environment variables,
the rest is the file. ``config.load`` must give a Config or one ConfigError
(the message a user reads); anything else raised is a crash.

    python fuzz/fuzz_config.py -atheris_runs=100000 CORPUS fuzz/seeds/config   # see docs/reliability.md
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from spfeed.config import ENV_PREFIX, load
    from spfeed.errors import ConfigError

FILE = Path(tempfile.mkdtemp()) / "spfeed.toml"


def test_one_input(data: bytes) -> None:
    env: dict[str, str] = {}
    while data.startswith(ENV_PREFIX.encode()) and b"=" in data.partition(b"\n")[0]:
        line, _, data = data.partition(b"\n")
        key, _, value = line.decode("utf-8", "replace").partition("=")
        env[key] = value
    FILE.write_bytes(data)
    with contextlib.suppress(ConfigError):
        load(FILE, env=env)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
