"""Is every source fresh? The verdict behind ``spfeed status --check``.

A monitor (cron, systemd's ``OnFailure=``, a Nagios-style check) needs an exit
code, not a table to read: a source is healthy when its last success is at
most ``max_age`` old and its last attempt did not fail. Pure: it reads the
run state and the clock it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from .config import Schedule
from .state import State

DEFAULT_MAX_AGE = timedelta(hours=1)
"""When refreshes run on a cron line, whose intervals may vary."""


def default_max_age(schedule: Schedule) -> timedelta:
    """Twice the schedule's interval (one missed refresh is not yet a problem), else an hour."""
    return 2 * schedule.every if schedule.every else DEFAULT_MAX_AGE


def utc_now() -> datetime:
    """Now, in whole seconds: the run state records refresh times that way, so
    a check one second after a refresh sees an age of 1 s, never 1.9 s."""
    return datetime.now(UTC).replace(microsecond=0)


def problems(names: Iterable[str], state: State, now: datetime, max_age: timedelta) -> list[str]:
    """One line per problem with the sources ``names``; none when all are healthy."""
    found: list[str] = []
    for name in names:
        known = state.sources.get(name)
        if known is None or not known.last_success:
            found.append(f"{name}: never refreshed successfully")
        else:
            age = now - datetime.fromisoformat(known.last_success)
            if age > max_age:
                found.append(
                    f"{name}: last success {known.last_success} is {format_age(age)} old "
                    f"(more than {format_age(max_age)})"
                )
        if known is not None and known.outcome == "failed":
            found.append(f"{name}: the last attempt ({known.last_attempt}) failed: {known.error}")
    return found


def format_age(age: timedelta) -> str:
    """'2s', '5m 3s', '26h 1m': the largest units down to seconds, zeros left out."""
    seconds = int(age.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{value}{unit}" for value, unit in ((hours, "h"), (minutes, "m"), (seconds, "s")) if value]
    return " ".join(parts) or "0s"
