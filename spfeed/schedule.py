"""Refresh on a schedule: every interval or on a cron line, with jitter and backoff.

The loop is driven by injected ``clock``, ``wait`` and ``random`` so tests run
it through hours of schedule in milliseconds. Cron users can skip all of
this and call ``spfeed refresh`` from their crontab instead.
"""

from __future__ import annotations

import logging
import random as _random
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import msgspec

from .config import Schedule

log = logging.getLogger(__name__)


class Outcome(msgspec.Struct, frozen=True):
    """What one refresh reported to the scheduler."""

    ok: bool
    retry_after: float | None = None
    """Seconds the server asked us to wait (429/503), if it did."""


def next_regular_run(schedule: Schedule, after: datetime) -> datetime:
    """The next time the schedule itself names, strictly after ``after``."""
    if schedule.cron:
        from cronsim import CronSim

        return next(CronSim(schedule.cron, after))
    assert schedule.every is not None
    return after + schedule.every


def backoff_delay(schedule: Schedule, failures: int) -> timedelta:
    """How long to wait after ``failures`` consecutive failures: doubling, capped."""
    if failures <= 0:
        return timedelta(0)
    base = schedule.every or timedelta(minutes=5)
    delay = base * (1 << min(failures - 1, 20))
    return min(delay, schedule.max_backoff)


def plan_next(
    schedule: Schedule,
    now: datetime,
    failures: int,
    retry_after: float | None,
    rand: Callable[[], float],
) -> datetime:
    """When to run next: the next regular time, never before a backoff or a
    server's Retry-After has passed, plus up to ``jitter`` (so many installs
    do not all hit ilo.org on the same second)."""
    earliest = now + backoff_delay(schedule, failures)
    if retry_after:
        earliest = max(earliest, now + timedelta(seconds=retry_after))
    when = next_regular_run(schedule, now)
    while when < earliest:
        when = next_regular_run(schedule, when)
    return when + schedule.jitter * rand()


def run_schedule(
    schedule: Schedule,
    refresh: Callable[[], Outcome],
    *,
    stop: threading.Event,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    wait: Callable[[float], None] | None = None,
    rand: Callable[[], float] = _random.random,
    on_plan: Callable[[datetime], None] = lambda when: None,
    max_runs: int | None = None,
) -> int:
    """Run ``refresh`` at the planned times until ``stop`` is set; return runs made.

    The first run is immediate. ``wait`` must return early when ``stop`` is
    set (the default, ``stop.wait``, does); a refresh in progress is allowed
    to finish, since its writes are atomic anyway.
    """
    pause = wait or stop.wait
    runs = failures = 0
    while not stop.is_set():
        outcome = _run_once(refresh)
        runs += 1
        failures = 0 if outcome.ok else failures + 1
        if max_runs is not None and runs >= max_runs:
            break
        now = clock()
        when = plan_next(schedule, now, failures, outcome.retry_after, rand)
        on_plan(when)
        log.info("next run at %s%s", when.isoformat(timespec="seconds"), _failure_note(failures))
        pause(max((when - now).total_seconds(), 0.0))
    return runs


def _run_once(refresh: Callable[[], Outcome]) -> Outcome:
    try:
        return refresh()
    except Exception:  # a scheduler that dies on one bad run is worse than a logged error
        log.exception("refresh failed unexpectedly")
        return Outcome(ok=False)


def _failure_note(failures: int) -> str:
    return f" (backing off after {failures} consecutive failure(s))" if failures else ""
