"""`spfeed status` names the page last fetched; `status --check` turns freshness into an exit code."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from spfeed import health
from spfeed.cli import main
from spfeed.config import DEFAULT_SOURCE_URL, Schedule
from spfeed.state import SourceState, State, state_path

from .conftest import LEGACY_PAGE

T0 = datetime(2026, 5, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A directory of its own: no spfeed.toml or SPFEED_* setting from elsewhere."""
    monkeypatch.chdir(tmp_path)
    for name in ("SPFEED_CONFIG", "SPFEED_SOURCE", "SPFEED_STORE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def refresh_from_file(page: Path = LEGACY_PAGE) -> datetime:
    """Refresh from a saved page; the success time the run state recorded."""
    code, output = invoke("refresh", "--source", str(page))
    assert code == 0, output
    return datetime.fromisoformat(State.load(state_path(Path("spfeed.sqlite"))).sources["main"].last_success or "")


def at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(health, "utc_now", lambda: moment)


def test_status_after_refresh_source_names_that_page_not_the_configured_one(here):
    page = here / "page.html"
    page.write_bytes(LEGACY_PAGE.read_bytes())
    refresh_from_file(page)

    code, text = invoke("status")
    assert code == 0
    assert text.splitlines()[0] == f"main: {page}"
    assert f"configured     {DEFAULT_SOURCE_URL} (not the page last fetched)" in text
    code, output = invoke("status", "--json")
    row = json.loads(output)["sources"][0]
    assert row["location"] == str(page) and row["configured_location"] == DEFAULT_SOURCE_URL
    assert row["outcome"] == "changed" and row["items_stored"] == 7


def test_status_of_a_configured_source_never_fetched_names_it_once(here):
    code, text = invoke("status")
    assert code == 0
    assert text.splitlines()[0] == f"main: {DEFAULT_SOURCE_URL}"
    assert "configured" not in text and "last attempt   never" in text


def test_status_lists_a_source_the_state_knows_but_the_config_no_longer_has(here):
    state = State(path=here / "spfeed.state.json")
    state.sources["old"] = SourceState(location="https://example.org/gone", last_success=T0.isoformat())
    state.save()
    code, text = invoke("status")
    assert code == 0
    assert "old: https://example.org/gone\n  configured     - (not the page last fetched)" in text


def test_check_passes_right_after_a_refresh_and_fails_two_seconds_later(here, monkeypatch):
    refreshed = refresh_from_file()

    at(monkeypatch, refreshed)
    assert invoke("status", "--check", "--max-age", "1s") == (0, "")

    at(monkeypatch, refreshed + timedelta(seconds=2))
    code, output = invoke("status", "--check", "--max-age", "1s")
    assert code == 1
    assert output == f"main: last success {refreshed.isoformat()} is 2s old (more than 1s)\n"


def test_check_fails_when_the_last_attempt_failed_even_if_the_last_success_is_fresh(here, monkeypatch):
    page = here / "page.html"
    page.write_bytes(LEGACY_PAGE.read_bytes())
    refreshed = refresh_from_file(page)
    page.write_text("<html><body>down for maintenance</body></html>", encoding="utf-8")
    assert invoke("refresh", "--source", str(page))[0] == 1

    at(monkeypatch, refreshed)
    code, output = invoke("status", "--check", "--max-age", "1h")
    assert code == 1
    [line] = output.splitlines()
    assert line.startswith("main: the last attempt (") and "failed:" in line and "maintenance" in line


def test_check_on_a_source_never_refreshed_fails(here):
    assert invoke("status", "--check") == (1, "main: never refreshed successfully\n")


def test_check_default_max_age_is_twice_the_configured_interval(here, monkeypatch):
    Path("spfeed.toml").write_text(f'[schedule]\nevery = "10m"\n[[source]]\nurl = "{LEGACY_PAGE}"\n', "utf-8")
    refreshed = refresh_from_file()

    at(monkeypatch, refreshed + timedelta(minutes=20))
    assert invoke("status", "--check") == (0, "")
    at(monkeypatch, refreshed + timedelta(minutes=20, seconds=1))
    code, output = invoke("status", "--check")
    assert code == 1 and "is 20m 1s old (more than 20m)" in output


def test_check_rejects_a_max_age_that_is_no_duration(here):
    code, output = invoke("status", "--check", "--max-age", "soon")
    assert code == 2 and "'soon' is not a duration" in output


def test_one_line_per_problem_across_sources():
    state = State(path=Path("unused"))
    state.sources["fresh"] = SourceState(location="a", last_success=T0.isoformat(), outcome="changed")
    state.sources["stale"] = SourceState(location="b", last_success=(T0 - timedelta(hours=3)).isoformat())
    state.sources["broken"] = SourceState(
        location="c",
        last_attempt=T0.isoformat(),
        last_success=(T0 - timedelta(hours=2, minutes=5)).isoformat(),
        outcome="failed",
        error="HTTP 503",
    )
    found = health.problems(["fresh", "stale", "broken", "new"], state, T0, timedelta(hours=1))
    assert found == [
        f"stale: last success {(T0 - timedelta(hours=3)).isoformat()} is 3h old (more than 1h)",
        f"broken: last success {(T0 - timedelta(hours=2, minutes=5)).isoformat()} is 2h 5m old (more than 1h)",
        f"broken: the last attempt ({T0.isoformat()}) failed: HTTP 503",
        "new: never refreshed successfully",
    ]


def test_a_source_waiting_out_a_retry_after_is_not_a_failure():
    state = State(path=Path("unused"))
    state.sources["main"] = SourceState(location="a", last_success=T0.isoformat(), outcome="waiting")
    assert health.problems(["main"], state, T0 + timedelta(minutes=5), timedelta(hours=1)) == []


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (Schedule(), timedelta(hours=1)),
        (Schedule(every=timedelta(hours=6)), timedelta(hours=12)),
        (Schedule(every=None, cron="0 * * * *"), health.DEFAULT_MAX_AGE),
    ],
)
def test_default_max_age(schedule, expected):
    assert health.default_max_age(schedule) == expected


@pytest.mark.parametrize(
    ("age", "text"),
    [(timedelta(0), "0s"), (timedelta(seconds=2), "2s"), (timedelta(minutes=5, seconds=3), "5m 3s"),
     (timedelta(days=1, hours=2, minutes=1), "26h 1m")],
)
def test_format_age(age, text):
    assert health.format_age(age) == text
