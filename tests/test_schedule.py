from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from spfeed.config import Schedule
from spfeed.schedule import Outcome, backoff_delay, plan_next, run_schedule

T0 = datetime(2026, 1, 5, 10, 7, tzinfo=timezone.utc)


class FakeTime:
    """A clock that moves only when the scheduler waits."""

    def __init__(self, start: datetime) -> None:
        self.now = start
        self.waits: list[float] = []

    def clock(self) -> datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += timedelta(seconds=seconds)


def test_every_interval_runs_at_the_right_times():
    schedule = Schedule(every=timedelta(minutes=30), jitter=timedelta(0))
    fake = FakeTime(T0)
    ran: list[datetime] = []

    def refresh() -> Outcome:
        ran.append(fake.now)
        return Outcome(ok=True)

    runs = run_schedule(schedule, refresh, stop=threading.Event(), clock=fake.clock, wait=fake.wait, max_runs=3)
    assert runs == 3
    assert ran == [T0, T0 + timedelta(minutes=30), T0 + timedelta(minutes=60)]


def test_cron_runs_on_the_cron_ticks():
    schedule = Schedule(every=None, cron="*/30 * * * *", jitter=timedelta(0))
    fake = FakeTime(T0)
    ran: list[datetime] = []
    run_schedule(
        schedule,
        lambda: ran.append(fake.now) or Outcome(ok=True),
        stop=threading.Event(),
        clock=fake.clock,
        wait=fake.wait,
        max_runs=3,
    )
    assert [t.strftime("%H:%M") for t in ran] == ["10:07", "10:30", "11:00"]


def test_jitter_is_added_within_its_bound():
    schedule = Schedule(every=timedelta(minutes=10), jitter=timedelta(seconds=60))
    assert plan_next(schedule, T0, 0, None, lambda: 0.5) == T0 + timedelta(minutes=10, seconds=30)
    assert plan_next(schedule, T0, 0, None, lambda: 0.0) == T0 + timedelta(minutes=10)


def test_backoff_doubles_and_is_capped():
    schedule = Schedule(every=timedelta(minutes=30), max_backoff=timedelta(hours=3))
    assert [backoff_delay(schedule, n) for n in range(6)] == [
        timedelta(0),
        timedelta(minutes=30),
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=3),
        timedelta(hours=3),
    ]


def test_failures_back_off_and_success_resets():
    schedule = Schedule(every=timedelta(minutes=30), jitter=timedelta(0), max_backoff=timedelta(hours=6))
    fake = FakeTime(T0)
    outcomes = iter([False, False, False, True, True])
    run_schedule(
        schedule,
        lambda: Outcome(ok=next(outcomes)),
        stop=threading.Event(),
        clock=fake.clock,
        wait=fake.wait,
        max_runs=5,
    )
    assert [w / 60 for w in fake.waits] == [30, 60, 120, 30]


def test_retry_after_pushes_the_next_run_back():
    schedule = Schedule(every=timedelta(minutes=30), jitter=timedelta(0))
    assert plan_next(schedule, T0, 1, 7200, lambda: 0.0) == T0 + timedelta(hours=2)


def test_an_exception_in_refresh_counts_as_a_failure_not_a_crash(caplog):
    schedule = Schedule(every=timedelta(minutes=30), jitter=timedelta(0))
    fake = FakeTime(T0)

    def refresh() -> Outcome:
        raise RuntimeError("boom")

    assert run_schedule(schedule, refresh, stop=threading.Event(), clock=fake.clock, wait=fake.wait, max_runs=2) == 2
    assert fake.waits == [1800.0]
    assert "refresh failed unexpectedly" in caplog.text


def test_stop_event_ends_the_loop_after_the_current_refresh():
    schedule = Schedule(every=timedelta(minutes=30), jitter=timedelta(0))
    stop = threading.Event()
    fake = FakeTime(T0)
    ran: list[datetime] = []

    def refresh() -> Outcome:
        ran.append(fake.now)
        if len(ran) == 2:
            stop.set()  # as the SIGTERM handler does mid-refresh
        return Outcome(ok=True)

    assert run_schedule(schedule, refresh, stop=stop, clock=fake.clock, wait=fake.wait) == 2
    assert len(ran) == 2


def test_planned_times_are_reported():
    schedule = Schedule(every=timedelta(minutes=30), jitter=timedelta(0))
    fake = FakeTime(T0)
    planned: list[datetime] = []
    run_schedule(
        schedule,
        lambda: Outcome(ok=True),
        stop=threading.Event(),
        clock=fake.clock,
        wait=fake.wait,
        on_plan=planned.append,
        max_runs=3,
    )
    assert planned == [T0 + timedelta(minutes=30), T0 + timedelta(minutes=60)]
