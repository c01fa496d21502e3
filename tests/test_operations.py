"""Running unattended: conditional fetching, politeness, several sources, run state."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner
from msgspec.structs import replace

from spfeed import parse
from spfeed.cli import main
from spfeed.config import Config, Source, load
from spfeed.errors import ConfigError, FetchError, SpfeedError
from spfeed.pipeline import run
from spfeed.state import State, state_path

from .conftest import FIXTURES, LEGACY_PAGE
from .servers import keep_alive_page

EN_URL = "https://www.ilo.org/secsoc/lang--en/index.htm"
FR_URL = "https://www.ilo.org/secsoc/lang--fr/index.htm"
ROBOTS = "https://www.ilo.org/robots.txt"
T0 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)


def config(tmp_path: Path, *sources: Source, **changes: object) -> Config:
    base = Config(
        sources=sources or (Source(location=EN_URL, name="en"),),
        out_dir=tmp_path / "feeds",
        store=tmp_path / "spfeed.sqlite",
        public_url="https://feeds.example.org/",
        delay=0,
    )
    return replace(base, **changes)


def feed_files(out: Path) -> dict[str, tuple[bytes, int]]:
    files = (p for p in sorted(out.rglob("*")) if p.is_file())
    return {str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mtime_ns) for p in files}


@pytest.fixture
def parses(monkeypatch):
    """Counts how often a page is parsed."""
    calls: list[str] = []
    real = parse.parse_page

    def counting(html: str, url: str, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(url)
        return real(html, url, **kwargs)

    monkeypatch.setattr(parse, "parse_page", counting)
    return calls


@responses.activate
def test_304_means_no_parse_and_no_write_and_validators_are_sent(tmp_path, parses):
    responses.get(ROBOTS, status=404)
    responses.get(EN_URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html",
                  headers={"ETag": '"v1"', "Last-Modified": "Tue, 30 Apr 2024 10:00:00 GMT"})
    run(config(tmp_path), now=T0)
    before = feed_files(tmp_path / "feeds")
    store_before = (tmp_path / "spfeed.sqlite").read_bytes()
    responses.replace(responses.GET, EN_URL, status=304)
    report = run(config(tmp_path), now=T0 + timedelta(hours=1))
    page_requests = [c.request for c in responses.calls if c.request.url == EN_URL]
    assert page_requests[-1].headers["If-None-Match"] == '"v1"'
    assert page_requests[-1].headers["If-Modified-Since"] == "Tue, 30 Apr 2024 10:00:00 GMT"
    assert "If-None-Match" not in page_requests[0].headers
    assert report.sources[0].outcome == "not modified"
    assert parses == [EN_URL]  # parsed once, on the first run only
    assert feed_files(tmp_path / "feeds") == before
    assert (tmp_path / "spfeed.sqlite").read_bytes() == store_before
    assert report.written.changed == []


@responses.activate
def test_same_bytes_without_validators_short_circuit_on_the_body_hash(tmp_path, parses):
    responses.get(ROBOTS, status=404)
    responses.get(EN_URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    run(config(tmp_path), now=T0)
    before = feed_files(tmp_path / "feeds")
    report = run(config(tmp_path), now=T0 + timedelta(hours=1))
    assert report.sources[0].outcome == "not modified"
    assert len(parses) == 1
    assert feed_files(tmp_path / "feeds") == before
    # a changed page is parsed again
    responses.replace(responses.GET, EN_URL, body=LEGACY_PAGE.read_bytes().replace(b"Multilateralism", b"Diplomacy"),
                      content_type="text/html")
    report = run(config(tmp_path), now=T0 + timedelta(hours=2))
    assert report.sources[0].outcome == "changed" and report.changes.updated == 1
    assert len(parses) == 2


# The validators (ETag, Last-Modified, body hash) are the store's; the run state
# keeps a copy so that a refresh answered 304 does not open the store. The copy
# must never claim a page the store has not recorded.

PAGE_B = LEGACY_PAGE.read_bytes().replace(b"Multilateralism", b"Diplomacy")


def serve_versions(pages: dict[str, bytes]) -> None:
    """EN_URL answers 304 to the current version's ETag, else 200 with it; ``pages["now"]`` is the current one."""

    def answer(request):  # type: ignore[no-untyped-def]
        etag = '"b"' if pages["now"] == PAGE_B else '"a"'
        if request.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"ETag": etag, "Content-Type": "text/html"}, pages["now"]

    responses.get(ROBOTS, status=404)
    responses.add_callback(responses.GET, EN_URL, callback=answer)


def sent_etags() -> list[str | None]:
    return [c.request.headers.get("If-None-Match") for c in responses.calls if c.request.url == EN_URL]


@responses.activate
def test_the_run_state_keeps_the_validators_of_the_last_recorded_page(tmp_path):
    pages = {"now": LEGACY_PAGE.read_bytes()}
    serve_versions(pages)
    run(config(tmp_path), now=T0)
    pages["now"] = PAGE_B
    assert run(config(tmp_path), now=T0 + timedelta(hours=1)).changes.updated == 1
    report = run(config(tmp_path), now=T0 + timedelta(hours=2))
    assert report.sources[0].outcome == "not modified"
    assert sent_etags() == [None, '"a"', '"b"']
    state = State.load(state_path(tmp_path / "spfeed.sqlite"))
    assert state.validators[EN_URL]["etag"] == '"b"' and state.store_stamp is not None


@responses.activate
def test_an_existing_install_s_first_refresh_after_the_upgrade_is_still_conditional(tmp_path):
    serve_versions({"now": LEGACY_PAGE.read_bytes()})
    run(config(tmp_path), now=T0)
    path = state_path(tmp_path / "spfeed.sqlite")
    older = {key: value for key, value in json.loads(path.read_text()).items()
             if key not in ("validators", "store_stamp")}  # the run state as spfeed wrote it before the copy
    path.write_text(json.dumps(older))
    report = run(config(tmp_path), now=T0 + timedelta(hours=1))
    assert report.sources[0].outcome == "not modified" and sent_etags() == [None, '"a"']
    assert State.load(path).validators[EN_URL]["etag"] == '"a"'  # copied from the store for the next one


@responses.activate
def test_a_store_moved_away_is_rebuilt_from_the_page_not_answered_304(tmp_path):
    serve_versions({"now": LEGACY_PAGE.read_bytes()})
    run(config(tmp_path), now=T0)
    store = tmp_path / "spfeed.sqlite"
    store.rename(tmp_path / "spfeed.sqlite.broken")  # as the store's error messages advise
    report = run(config(tmp_path), now=T0 + timedelta(hours=1))
    assert sent_etags() == [None, None]
    assert report.sources[0].outcome == "changed" and report.changes.new == 7 and report.stored == 7


@responses.activate
def test_a_store_restored_from_an_older_copy_is_brought_up_to_date(tmp_path):
    pages = {"now": LEGACY_PAGE.read_bytes()}
    serve_versions(pages)
    store = tmp_path / "spfeed.sqlite"
    run(config(tmp_path), now=T0)
    backup = tmp_path / "backup.sqlite"
    shutil.copy2(store, backup)
    an_hour_ago = store.stat().st_mtime - 3600
    os.utime(backup, (an_hour_ago, an_hour_ago))  # taken an hour before the next refresh
    pages["now"] = PAGE_B
    run(config(tmp_path), now=T0 + timedelta(hours=1))
    shutil.copy2(backup, store)  # cp -p: the same file (inode), the copy's older bytes and time
    report = run(config(tmp_path), now=T0 + timedelta(hours=2))
    assert sent_etags() == [None, '"a"', '"a"']  # the restored store's validators, not the run state's copy
    assert report.sources[0].outcome == "changed" and report.changes.updated == 1


@responses.activate
def test_a_refresh_opens_the_store_once_and_a_304_not_at_all(tmp_path, monkeypatch):
    pages = {"now": LEGACY_PAGE.read_bytes()}
    serve_versions(pages)
    run(config(tmp_path), now=T0)
    opened: list[object] = []
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(args[0])
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    pages["now"] = PAGE_B
    changed = run(config(tmp_path), now=T0 + timedelta(hours=1))  # layouts read, items written, validators copied
    assert changed.changes.updated == 1 and opened == [tmp_path / "spfeed.sqlite"]
    unchanged = run(config(tmp_path), now=T0 + timedelta(hours=2))
    assert unchanged.sources[0].outcome == "not modified" and len(opened) == 1
    assert sent_etags() == [None, '"a"', '"b"']  # the copy taken through that one connection holds


KILLED_AFTER_COMMIT = """
import os, sys
from spfeed.store import Store
store = Store.open(sys.argv[1])
with store.transaction():
    store._db.execute("UPDATE sources SET item_count = 99")
os._exit(0)  # killed before closing: the commit is in the WAL alone
"""


@responses.activate
def test_a_failed_refresh_reads_a_killed_refresh_s_wal_without_writing_the_store(tmp_path):
    import subprocess
    import sys

    serve_versions({"now": LEGACY_PAGE.read_bytes()})
    run(config(tmp_path), now=T0)
    store = tmp_path / "spfeed.sqlite"
    subprocess.run([sys.executable, "-c", KILLED_AFTER_COMMIT, str(store)], check=True)
    assert Path(f"{store}-wal").stat().st_size > 0
    main_file = store.read_bytes()
    responses.replace(responses.GET, EN_URL, body=b"<html><body><p>Maintenance</p></body></html>",
                      content_type="text/html")
    with pytest.raises(SpfeedError, match="no items"):
        run(config(tmp_path), now=T0 + timedelta(hours=1))
    assert store.read_bytes() == main_file  # the killed refresh's rows stay in its WAL, for the next write


@pytest.mark.parametrize("copy", [{"validators": {"x": 5}}, {"store_stamp": ["a"]}])
def test_a_damaged_copy_of_the_validators_is_an_unreadable_run_state(tmp_path, copy, caplog):
    path = tmp_path / "spfeed.state.json"
    path.write_text(json.dumps({"version": 1, **copy}))
    state = State.load(path)
    assert state.validators == {} and state.store_stamp is None
    assert "unreadable run state" in caplog.text


@responses.activate
def test_429_retry_after_is_remembered_and_honoured(tmp_path):
    responses.get(ROBOTS, status=404)
    responses.get(EN_URL, status=429, headers={"Retry-After": "3600"})
    with pytest.raises(FetchError, match="retry in 3600 s"):
        run(config(tmp_path), now=T0)
    state = State.load(state_path(tmp_path / "spfeed.sqlite"))
    assert state.sources["en"].retry_not_before == (T0 + timedelta(hours=1)).isoformat()
    asked = len(responses.calls)
    report = run(config(tmp_path), now=T0 + timedelta(minutes=30))
    assert report.sources[0].outcome == "waiting" and report.ok
    assert report.retry_after == 1800
    assert len(responses.calls) == asked  # not asked again before the deadline
    responses.replace(responses.GET, EN_URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    report = run(config(tmp_path), now=T0 + timedelta(minutes=61))
    assert report.sources[0].outcome == "changed"


@responses.activate
def test_robots_txt_disallow_is_a_failure_that_says_how_to_opt_out(tmp_path):
    responses.get(ROBOTS, body="User-agent: *\nDisallow: /secsoc/\n")
    responses.get(EN_URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    with pytest.raises(FetchError, match=r"robots\.txt .* disallows .*respect_robots = false"):
        run(config(tmp_path), now=T0)
    assert [c.request.url for c in responses.calls] == [ROBOTS]
    report = run(config(tmp_path, respect_robots=False), now=T0)
    assert report.ok and report.found == 7


@responses.activate
def test_robots_txt_is_cached_between_runs(tmp_path):
    responses.get(ROBOTS, body="User-agent: *\nDisallow: /admin/\n")
    responses.get(EN_URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    run(config(tmp_path), now=T0)
    run(config(tmp_path), now=T0 + timedelta(hours=1))
    assert [c.request.url for c in responses.calls].count(ROBOTS) == 1


@responses.activate
def test_delay_between_requests_to_the_same_host_uses_the_injected_sleeper(tmp_path):
    responses.get(ROBOTS, status=404)
    responses.get(EN_URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    responses.get(FR_URL, body=(FIXTURES / "ilo-legacy-department.fr.html").read_bytes(), content_type="text/html")
    slept: list[float] = []
    sources = (Source(location=EN_URL, name="en"), Source(location=FR_URL, name="fr", language="fr"))
    run(config(tmp_path, *sources, delay=5.0), now=T0, sleep=slept.append)
    # robots.txt and the EN page are one visit; the FR page waits for the EN page
    assert [c.request.url for c in responses.calls] == [ROBOTS, EN_URL, FR_URL]
    assert len(slept) == 1 and 0 < slept[0] <= 5.0


@responses.activate
def test_the_page_after_robots_txt_is_requested_without_waiting(tmp_path):
    responses.get(ROBOTS, body="User-agent: *\nDisallow: /admin/\n")
    responses.get(EN_URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    slept: list[float] = []
    report = run(config(tmp_path, delay=5.0), now=T0, sleep=slept.append)
    assert report.ok and [c.request.url for c in responses.calls] == [ROBOTS, EN_URL]
    assert slept == []


def test_several_sources_give_per_source_and_combined_feeds(tmp_path):
    sources = (
        Source(location=str(LEGACY_PAGE), name="en"),
        Source(location=str(FIXTURES / "ilo-legacy-department.fr.html"), name="fr", language="fr",
               title="OIT : actualités de la protection sociale"),
    )
    report = run(config(tmp_path, *sources), now=T0)
    out = tmp_path / "feeds"
    assert [s.outcome for s in report.sources] == ["changed", "changed"]
    for name in ("source/en.atom", "source/fr.atom", "source/fr.rss", "atom.xml"):
        assert (out / name).exists(), name
    assert 'xml:lang="fr"' in (out / "source/fr.atom").read_text("utf-8")
    assert "<language>fr</language>" in (out / "source/fr.rss").read_text("utf-8")
    assert report.shown == 14


def test_one_source_failing_does_not_stop_the_others(tmp_path):
    sources = (
        Source(location=str(tmp_path / "missing.html"), name="gone"),
        Source(location=str(LEGACY_PAGE), name="en"),
    )
    report = run(config(tmp_path, *sources), now=T0)
    assert [s.outcome for s in report.sources] == ["failed", "changed"]
    assert not report.ok and "no such file" in str(report.failures[0].error)
    assert (tmp_path / "feeds" / "atom.xml").exists()


def test_cli_exit_code_reports_a_failed_source_among_good_ones(tmp_path):
    toml = _config_file(
        tmp_path,
        f'[[source]]\nurl = "{tmp_path / "missing.html"}"\nname = "gone"\n'
        f'[[source]]\nurl = "{LEGACY_PAGE}"\nname = "en"\n',
    )
    result = CliRunner().invoke(main, ["--config", str(toml), "refresh"])
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("no such file")
    assert "2 sources (1 failed, 1 changed)" in result.stdout


def status_of(tmp_path: Path, toml: Path) -> dict:
    result = CliRunner().invoke(main, ["--config", str(toml), "status", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_status_after_success_and_after_failure(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(LEGACY_PAGE.read_bytes())
    toml = _config_file(tmp_path, f'[[source]]\nurl = "{page}"\nname = "en"\n')
    assert status_of(tmp_path, toml)["sources"][0]["last_attempt"] is None
    assert CliRunner().invoke(main, ["--config", str(toml), "refresh"]).exit_code == 0
    ok = status_of(tmp_path, toml)["sources"][0]
    assert ok["outcome"] == "changed" and ok["items_stored"] == 7 and ok["last_error"] is None
    assert ok["last_success"] == ok["last_attempt"]

    page.write_text("<html><body>maintenance</body></html>", encoding="utf-8")
    assert CliRunner().invoke(main, ["--config", str(toml), "refresh"]).exit_code == 1
    failed = status_of(tmp_path, toml)["sources"][0]
    assert failed["outcome"] == "failed" and "maintenance" in failed["last_error"]
    assert failed["last_success"] == ok["last_success"] and failed["items_stored"] == 7

    text = CliRunner().invoke(main, ["--config", str(toml), "status"]).stdout
    assert "last error     " in text and "7 stored" in text


def test_init_writes_a_config_that_refresh_accepts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0 and (tmp_path / "spfeed.toml").exists()
    assert CliRunner().invoke(main, ["init"]).exit_code == 1  # never overwrites
    text = (tmp_path / "spfeed.toml").read_text("utf-8")
    (tmp_path / "spfeed.toml").write_text(
        text.replace('url = "https://www.ilo.org/universal-social-protection-department"', f'url = "{LEGACY_PAGE}"'),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["refresh"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "feeds" / "atom.xml").exists() and (tmp_path / "spfeed.sqlite").exists()


def test_quiet_refresh_prints_nothing_and_json_prints_one_object(tmp_path):
    args = ["refresh", "--source", str(LEGACY_PAGE)]
    args += ["--out", str(tmp_path / "f"), "--store", str(tmp_path / "s.sqlite")]
    quiet = CliRunner().invoke(main, ["-q", *args])
    assert quiet.exit_code == 0 and quiet.output == ""
    as_json = CliRunner().invoke(main, ["--log-json", *args])
    line = json.loads(as_json.stdout)
    assert line["ok"] is True and line["sources"][0]["outcome"] == "not modified"


def test_invalid_config_is_one_message_naming_the_key(tmp_path):
    toml = tmp_path / "spfeed.toml"
    toml.write_text("max_itmes = 3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(toml), "refresh"])
    assert result.exit_code == 1
    assert result.stderr == f"spfeed: error: {toml}: unknown key 'max_itmes' (did you mean 'max_items'?)\n"


def test_schedule_refreshes_then_stops_cleanly_on_sigint(tmp_path):
    import select
    import signal
    import subprocess
    import sys

    toml = _config_file(tmp_path, f'[[source]]\nurl = "{LEGACY_PAGE}"\nname = "en"\n')
    proc = subprocess.Popen(
        [sys.executable, "-m", "spfeed", "--config", str(toml), "schedule", "--every", "1m", "--jitter", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        while not any("next refresh at" in line for line in lines):
            ready, _, _ = select.select([proc.stdout], [], [], 30)
            assert ready, f"no output from spfeed schedule: {lines}"
            lines.append(proc.stdout.readline())  # type: ignore[union-attr]
        assert "next refresh at" in lines[-1]
        planned = json.loads(CliRunner().invoke(main, ["--config", str(toml), "status", "--json"]).stdout)["next_run"]
        assert planned is not None
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "7 new" in lines[0]
    assert "stopped after 1 refresh" in out
    assert "stopping after the current refresh" in err
    assert json.loads(CliRunner().invoke(main, ["--config", str(toml), "status", "--json"]).stdout)["next_run"] is None


@pytest.fixture
def slow_en_parse(monkeypatch):
    """A clock that moves only while the EN page is parsed: 250 ms each time."""
    from spfeed import pipeline

    now = [0.0]
    real = parse.parse_page

    def parse_slowly(html: str, url: str, **kwargs):  # type: ignore[no-untyped-def]
        if url.endswith(".en.html"):
            now[0] += 0.25
        return real(html, url, **kwargs)

    monkeypatch.setattr(pipeline, "_clock", lambda: now[0])
    monkeypatch.setattr(parse, "parse_page", parse_slowly)


def test_duration_in_total_and_per_source_in_the_json_report_and_status(tmp_path, slow_en_parse):
    fr_page = FIXTURES / "ilo-legacy-department.fr.html"
    toml = _config_file(
        tmp_path,
        f'[[source]]\nurl = "{LEGACY_PAGE}"\nname = "en"\n'
        f'[[source]]\nurl = "{fr_page}"\nname = "fr"\nlanguage = "fr"\n',
    )
    before = CliRunner().invoke(main, ["--config", str(toml), "status"]).stdout
    assert "last refresh took: - (no refresh recorded)" in before
    result = CliRunner().invoke(main, ["--config", str(toml), "--log-json", "refresh"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["duration_ms"] == 250.0
    assert [(s["name"], s["duration_ms"]) for s in report["sources"]] == [("en", 250.0), ("fr", 0.0)]

    status = status_of(tmp_path, toml)
    assert status["last_refresh_ms"] == 250.0
    assert [s["last_duration_ms"] for s in status["sources"]] == [250.0, 0.0]
    text = CliRunner().invoke(main, ["--config", str(toml), "status"]).stdout
    assert "last refresh took 250 ms (en 250 ms, fr 0 ms)" in text

    # An unchanged refresh is not parsed: it took no time on this clock, and status says so.
    again = json.loads(CliRunner().invoke(main, ["--config", str(toml), "--log-json", "refresh"]).stdout)
    assert again["duration_ms"] == 0.0 and status_of(tmp_path, toml)["last_refresh_ms"] == 0.0


def test_schedule_every_second_on_a_local_page_reports_each_refresh_as_json(tmp_path):
    toml = _config_file(tmp_path, f'[[source]]\nurl = "{LEGACY_PAGE}"\n')
    reports = _schedule_every_second(toml, refreshes=3)
    assert [r["sources"][0]["outcome"] for r in reports] == ["changed", "not modified", "not modified"]
    assert all(isinstance(r["duration_ms"], float) and r["duration_ms"] >= r["sources"][0]["duration_ms"] >= 0
               for r in reports)


@pytest.mark.parametrize(
    ("source", "accepted"),
    [(str(LEGACY_PAGE), True), ("http://127.0.0.1:9/news", True), ("http://localhost:9/", True), (EN_URL, False)],
)
def test_intervals_in_seconds_are_only_for_pages_on_this_machine(tmp_path, source, accepted):
    toml = tmp_path / "spfeed.toml"
    toml.write_text(f'[schedule]\nevery = "10s"\n[[source]]\nurl = "{source}"\n', encoding="utf-8")
    if accepted:
        assert load(toml, env={}).schedule.every == timedelta(seconds=10)
    else:
        with pytest.raises(ConfigError, match=r"'schedule.every' must be at least 1m for https://www.ilo.org/"):
            load(toml, env={})


def test_schedule_every_second_from_the_command_line_refuses_a_remote_page(tmp_path):
    toml = tmp_path / "spfeed.toml"
    toml.write_text(f'store = "{tmp_path / "s.sqlite"}"\n[[source]]\nurl = "{EN_URL}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(toml), "schedule", "--every", "1s", "--jitter", "0s"])
    assert result.exit_code == 1
    assert "command line: 'schedule.every' must be at least 1m for https://www.ilo.org/" in result.stderr


def test_robots_txt_and_the_page_share_one_connection(tmp_path):
    with keep_alive_page(LEGACY_PAGE.read_bytes()) as (url, connections, _):
        report = run(config(tmp_path, Source(location=url, name="en")), now=T0)
    assert report.ok and report.found == 7
    assert len(connections) == 1  # robots.txt, then the page, on the same connection


def test_schedule_keeps_its_connection_between_refreshes_but_no_cookies(tmp_path):
    with keep_alive_page(LEGACY_PAGE.read_bytes()) as (url, connections, cookies):
        toml = _config_file(tmp_path, f'[[source]]\nurl = "{url}"\n')
        reports = _schedule_every_second(toml, refreshes=3)
    assert [r["sources"][0]["outcome"] for r in reports] == ["changed", "not modified", "not modified"]
    assert len(connections) == 1  # robots.txt and three refreshes of the page, one connection
    assert cookies == [None, None, None]  # a cookie the server set is not sent by the next refresh



def _config_file(tmp_path: Path, sources: str) -> Path:
    """spfeed.toml with the feeds and the store under ``tmp_path``, then ``sources`` (its TOML tables)."""
    toml = tmp_path / "spfeed.toml"
    toml.write_text(f'out_dir = "{tmp_path / "feeds"}"\nstore = "{tmp_path / "s.sqlite"}"\n{sources}', encoding="utf-8")
    return toml


def _schedule_every_second(toml: Path, refreshes: int) -> list[dict]:
    """Run `spfeed --log-json schedule --every 1s` until it reported ``refreshes``
    refreshes, stop it with Ctrl-C, and return the reports (it must exit 0)."""
    import select
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "spfeed", "--config", str(toml), "--log-json",
         "schedule", "--every", "1s", "--jitter", "0s"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reports: list[dict] = []
    try:
        while len(reports) < refreshes:
            ready, _, _ = select.select([proc.stdout], [], [], 30)
            assert ready, f"no output from spfeed schedule after {reports}"
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if line.startswith("{"):
                reports.append(json.loads(line))
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0
    return reports
