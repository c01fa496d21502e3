from __future__ import annotations

import json
import subprocess
import sys

import feedparser
import pytest
import requests
import responses
from click.testing import CliRunner

from spfeed.cli import main
from spfeed.lock import refresh_lock

from .conftest import (
    ARCHIVE_PAGE,
    ARCHIVE_PAGE_2,
    ARCHIVE_URL,
    ARCHIVE_URL_2,
    BLOG_PAGE,
    FIXTURES,
    LEGACY_PAGE,
    TABLE_PAGE,
    TABLE_PROFILES,
)
from .servers import serving_page


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def refresh_args(tmp_path, source=str(LEGACY_PAGE), *extra: str) -> list[str]:
    out, store = str(tmp_path / "feeds"), str(tmp_path / "spfeed.sqlite")
    return ["refresh", "--source", source, "--out", out, "--store", store, *extra]


def test_refresh_from_a_file_prints_where_and_how_many(runner, tmp_path):
    result = runner.invoke(main, refresh_args(tmp_path))
    assert result.exit_code == 0, result.output
    assert "hold 7 items" in result.output and "7 new, 0 updated, 0 unchanged, 0 gone" in result.output
    out = tmp_path / "feeds"
    assert str(out / "atom.xml") in result.output and str(out / "rss.xml") in result.output
    assert (out / "atom.xml").exists() and (out / "rss.xml").exists()
    assert (tmp_path / "spfeed.sqlite").exists()


def test_refresh_twice_rewrites_no_file(runner, tmp_path):
    assert runner.invoke(main, refresh_args(tmp_path)).exit_code == 0
    feeds = sorted(p for p in (tmp_path / "feeds").rglob("*") if p.is_file())
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in feeds]
    result = runner.invoke(main, refresh_args(tmp_path))
    assert result.exit_code == 0, result.output
    assert "1 not modified" in result.output and "left as it was" in result.output
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in feeds] == before


def test_max_items_limits_the_feeds(runner, tmp_path):
    result = runner.invoke(main, refresh_args(tmp_path, str(LEGACY_PAGE), "--max-items", "3"))
    assert result.exit_code == 0, result.output
    assert "hold 3 items (7 in" in result.output
    assert len(feedparser.parse(str(tmp_path / "feeds" / "atom.xml")).entries) == 3


@pytest.mark.parametrize("option", ["--max-items=0", "--retain-days=0", "--lock-timeout=-1"])
def test_refresh_rejects_nonsense_store_options(runner, tmp_path, option):
    result = runner.invoke(main, refresh_args(tmp_path, str(LEGACY_PAGE), option))
    assert result.exit_code == 2
    assert not (tmp_path / "spfeed.sqlite").exists()


def test_a_second_refresh_process_waits_then_gives_up_with_a_clear_message(tmp_path):
    with refresh_lock(tmp_path / "spfeed.sqlite", timeout=0):
        blocked = subprocess.run(
            [sys.executable, "-m", "spfeed", *refresh_args(tmp_path), "--lock-timeout", "0.5"],
            capture_output=True,
            text=True,
            check=False,
        )
    assert blocked.returncode == 1
    assert blocked.stderr.startswith("spfeed: error: ")
    assert "another refresh is using this store" in blocked.stderr and "--lock-timeout" in blocked.stderr
    assert not (tmp_path / "feeds").exists() and not (tmp_path / "spfeed.sqlite").exists()


def test_two_refresh_processes_at_once_both_succeed_and_leave_valid_feeds(tmp_path):
    command = [sys.executable, "-m", "spfeed", *refresh_args(tmp_path)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert sorted(b"7 new" in out for out, _ in outputs) == [False, True]  # one created, one found them
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse(str(tmp_path / "feeds" / name))
        assert not parsed.bozo and len(parsed.entries) == 7


def test_a_damaged_store_is_one_line_that_says_how_to_rebuild(runner, tmp_path):
    (tmp_path / "spfeed.sqlite").write_bytes(b"this is not a database, it only sits where one should" * 100)
    result = runner.invoke(main, refresh_args(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "the store is damaged" in result.stderr and "run spfeed refresh again" in result.stderr
    assert not (tmp_path / "feeds").exists()


def test_refresh_missing_file_is_one_line_and_exit_1(runner, tmp_path):
    result = runner.invoke(main, refresh_args(tmp_path, str(tmp_path / "gone.html")))
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "no such file" in result.stderr and "Traceback" not in result.output


@responses.activate
def test_refresh_unreachable_url_is_one_line_and_exit_1(runner, tmp_path):
    url = "https://www.ilo.org/universal-social-protection-department"
    responses.get(url, body=requests.exceptions.ConnectionError("[Errno 111] Connection refused"))
    result = runner.invoke(main, refresh_args(tmp_path, url))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"spfeed: error: {url}: could not connect")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "feeds").exists() and not (tmp_path / "spfeed.sqlite").exists()


@pytest.mark.parametrize("robots", [True, False], ids=["robots", "no-robots"])
def test_refresh_of_a_malformed_url_is_one_line_and_exit_1(runner, tmp_path, robots):
    # robots.txt's check (or, without it, the throttle) split the URL first: "Invalid IPv6 URL" was a traceback.
    config = tmp_path / "spfeed.toml"
    config.write_text(f"respect_robots = {str(robots).lower()}\n", encoding="utf-8")
    result = runner.invoke(main, ["--config", str(config), *refresh_args(tmp_path, "http://[::1/news")])
    assert result.exit_code == 1
    assert result.stderr == "spfeed: error: http://[::1/news: not a valid URL (Invalid IPv6 URL)\n"
    assert not (tmp_path / "feeds").exists()


def test_scrape_json_prints_the_items_with_the_stable_keys(runner):
    result = runner.invoke(main, ["scrape", str(LEGACY_PAGE), "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert len(items) == 7
    for item in items:
        assert list(item) == ["title", "url", "published", "end", "category", "summary", "image"]
    assert items[2]["published"] == "2023-03-24T09:00:00+01:00"


def test_scrape_base_url_changes_where_links_resolve(runner, tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        '<div class="whatsNew"><ol><li class="item"><h3 class="title"><a href="news/a.htm">A</a></h3>'
        '<p class="date">1 May 2023</p></li></ol></div>',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["scrape", str(page), "--json", "--base-url", "https://www.ilo.org/x/"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["url"] == "https://www.ilo.org/x/news/a.htm"


def test_usage_error_exits_2(runner):
    result = runner.invoke(main, ["refresh", "--no-such-flag"])
    assert result.exit_code == 2


@pytest.mark.parametrize("command", [[], ["refresh"], ["scrape"], ["backfill"], ["profile"], ["profile", "suggest"]])
def test_every_command_has_help(runner, command):
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output



def test_scrape_with_a_user_profiles_file(runner):
    result = runner.invoke(main, ["scrape", str(TABLE_PAGE), "--profiles", str(TABLE_PROFILES), "--json"])
    assert result.exit_code == 0, result.output
    assert [i["category"] for i in json.loads(result.stdout)] == ["ILO", "ILO Office for Senegal", "SOCPRO"]
    assert result.stderr == f"spfeed: {TABLE_PAGE}: read with layout 'platform-news'\n"


def test_a_bad_profiles_file_is_one_line_and_exit_1(runner, tmp_path):
    bad = tmp_path / "p.toml"
    bad.write_text("[[profile]]\nname = 'x'\n", encoding="utf-8")
    result = runner.invoke(main, ["scrape", str(TABLE_PAGE), "--profiles", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert str(bad) in result.stderr and "'detect' is required" in result.stderr


def test_scrape_tells_when_the_generic_fallback_was_used(runner):
    result = runner.invoke(main, ["scrape", str(BLOG_PAGE), "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 3
    assert "spfeed: warning:" in result.stderr and "generic fallback" in result.stderr


def test_scrape_profile_option_forces_a_layout(runner):
    result = runner.invoke(main, ["scrape", str(ARCHIVE_PAGE), "--profile", "ilo-current", "--json"])
    assert result.exit_code == 1
    assert "no items found with layout 'ilo-current'" in result.stderr


def test_refresh_of_a_page_with_no_items_exits_1_and_writes_nothing(runner, tmp_path):
    page = tmp_path / "maintenance.html"
    page.write_text("<html><body><h1>Site under maintenance</h1></body></html>", encoding="utf-8")
    out = tmp_path / "feeds"
    store = tmp_path / "spfeed.sqlite"
    result = runner.invoke(main, ["refresh", "--source", str(page), "--out", str(out), "--store", str(store)])
    assert result.exit_code == 1
    assert "layout changed or the page is under maintenance" in result.stderr
    assert not out.exists() and not store.exists()


@responses.activate
def test_backfill_prints_the_items_of_every_page_once(runner):
    responses.get(ARCHIVE_URL, body=ARCHIVE_PAGE.read_bytes(), content_type="text/html")
    responses.get(ARCHIVE_URL_2, body=ARCHIVE_PAGE_2.read_bytes(), content_type="text/html")
    result = runner.invoke(main, ["backfill", ARCHIVE_URL, "--pages", "3", "--delay", "0", "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert len(items) == 32 == len({i["url"] for i in items})
    assert items[-1]["title"] == "More than 4 billion people still lack any social protection, ILO report finds"
    assert result.stderr == ""  # no progress display when stderr is not a terminal


@responses.activate
def test_backfill_shows_progress_on_a_terminal(runner, monkeypatch):
    monkeypatch.setattr("spfeed.cli._stderr_is_terminal", lambda: True)
    responses.get(ARCHIVE_URL, body=ARCHIVE_PAGE.read_bytes(), content_type="text/html")
    responses.get(ARCHIVE_URL_2, body=ARCHIVE_PAGE_2.read_bytes(), content_type="text/html")
    result = runner.invoke(main, ["backfill", ARCHIVE_URL, "--pages", "2", "--delay", "0", "--json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"spfeed: page 1/2: 20 items from {ARCHIVE_URL}",
        f"spfeed: page 2/2: 12 items from {ARCHIVE_URL_2}",
    ]


@responses.activate
def test_backfill_failure_on_a_later_page_prints_what_it_had_then_exits_1(runner):
    responses.get(ARCHIVE_URL, body=ARCHIVE_PAGE.read_bytes(), content_type="text/html")
    responses.get(ARCHIVE_URL_2, status=503)
    result = runner.invoke(main, ["backfill", ARCHIVE_URL, "--pages", "2", "--delay", "0", "--json"])
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 20
    assert "HTTP 503" in result.stderr


@responses.activate
def test_backfill_stores_every_page_and_publishes(runner, tmp_path):
    responses.get(ARCHIVE_URL, body=ARCHIVE_PAGE.read_bytes(), content_type="text/html")
    responses.get(ARCHIVE_URL_2, body=ARCHIVE_PAGE_2.read_bytes(), content_type="text/html")
    store, out = tmp_path / "spfeed.sqlite", tmp_path / "feeds"
    args = ["backfill", ARCHIVE_URL, "--pages", "3", "--delay", "0", "--store", str(store), "--out", str(out),
            "--max-items", "100"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "2 page(s), 32 items: 32 new" in result.stdout
    assert len(feedparser.parse(str(out / "atom.xml")).entries) == 32


@responses.activate
def test_backfill_failure_on_a_later_page_keeps_the_earlier_pages_in_the_store(runner, tmp_path):
    responses.get(ARCHIVE_URL, body=ARCHIVE_PAGE.read_bytes(), content_type="text/html")
    responses.get(ARCHIVE_URL_2, status=503)
    store, out = tmp_path / "spfeed.sqlite", tmp_path / "feeds"
    result = runner.invoke(main, ["backfill", ARCHIVE_URL, "--pages", "2", "--delay", "0",
                                  "--store", str(store), "--out", str(out)])
    assert result.exit_code == 1
    assert "HTTP 503" in result.stderr and "20 new" in result.stdout
    assert len(feedparser.parse(str(out / "atom.xml")).entries) == 20


@pytest.mark.parametrize("args", [["--pages", "0"], ["--delay", "-1"]])
def test_backfill_rejects_nonsense_limits(runner, args):
    assert runner.invoke(main, ["backfill", str(ARCHIVE_PAGE), *args]).exit_code == 2


def test_serve_help_documents_host_port_and_out(runner):
    result = runner.invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--out", "127.0.0.1", "8080"):
        assert option in result.output


def test_serve_rejects_a_port_out_of_range_as_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["serve", "--port", "70000", "--out", str(tmp_path)])
    assert result.exit_code == 2


# What a command must not import unless it needs it (issue 9: an unchanged
# refresh should cost little more than starting Python): the libraries of
# parsing, publishing, serving and scheduling, and spfeed's stages that a page
# which has not changed never reaches.
HEAVY = frozenset({"bs4", "soupsieve", "lxml", "cssselect", "feedgen", "babel", "nh3", "waitress", "cronsim"})
UNREACHED = frozenset({
    "spfeed.parse", "spfeed.selectors", "spfeed.normalize", "spfeed.dates", "spfeed.categories",
    "spfeed.publish", "spfeed.discovery", "spfeed.serve", "spfeed.schedule", "spfeed.learn",
})
# The item and feed types and the store's rows: none built by an unchanged refresh, so none imported.
ITEM_TYPES = frozenset({"spfeed.models"})
HTTP_CLIENT = frozenset({"requests", "urllib3"})
# The history store: an unchanged page's validators and hash come from the run state's copy.
STORE = frozenset({"spfeed.store", "sqlite3"})

# Runs the CLI in a fresh interpreter and writes the names in sys.modules at exit.
_LIST_IMPORTS = """\
import atexit, sys
report = sys.argv.pop(1)
atexit.register(lambda: open(report, "w", encoding="utf-8").write("\\n".join(sys.modules)))
from spfeed.cli import main
main(sys.argv[1:], prog_name="spfeed")
"""


def imports_of(tmp_path, *args: str) -> tuple[set[str], str]:
    """(the modules a fresh ``spfeed ARGS`` process imported, its stdout)."""
    report = tmp_path / "modules.txt"
    done = subprocess.run(
        [sys.executable, "-c", _LIST_IMPORTS, str(report), *args], cwd=tmp_path, capture_output=True, text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    modules = set(report.read_text(encoding="utf-8").split())
    return modules | {name.split(".")[0] for name in modules}, done.stdout


@pytest.mark.parametrize("command", [[], ["refresh"], ["serve"], ["schedule"], ["status"]])
def test_help_imports_no_stage_no_http_client_and_no_store(tmp_path, command):
    imported, output = imports_of(tmp_path, *command, "--help")
    assert "Usage:" in output and "click" in imported
    unneeded = HEAVY | UNREACHED | ITEM_TYPES | HTTP_CLIENT | STORE | {"spfeed.pipeline"}
    assert imported & unneeded == set()


def test_an_unchanged_saved_page_is_refreshed_without_the_parser_publisher_store_or_http_client(tmp_path):
    args = refresh_args(tmp_path)
    assert CliRunner().invoke(main, args).exit_code == 0  # the first refresh stores the page's hash
    imported, output = imports_of(tmp_path, *args)
    assert "(1 not modified)" in output and "spfeed.pipeline" in imported
    assert imported & (HEAVY | UNREACHED | ITEM_TYPES | HTTP_CLIENT | STORE) == set()


def test_a_304_refresh_imports_the_http_client_but_not_the_parser_publisher_or_store(tmp_path):
    with serving_page(LEGACY_PAGE.read_bytes()) as url:
        args = refresh_args(tmp_path, url)
        assert CliRunner().invoke(main, args).exit_code == 0  # stores the ETag
        imported, output = imports_of(tmp_path, *args)
    assert "(1 not modified)" in output and imported >= HTTP_CLIENT
    assert imported & (HEAVY | UNREACHED | ITEM_TYPES | STORE) == set()


def test_a_304_refresh_after_an_upgrade_reads_the_validators_from_the_store_once(tmp_path):
    state = tmp_path / "spfeed.state.json"
    with serving_page(LEGACY_PAGE.read_bytes()) as url:
        args = refresh_args(tmp_path, url)
        assert CliRunner().invoke(main, args).exit_code == 0
        older = {k: v for k, v in json.loads(state.read_text()).items() if k not in ("validators", "store_stamp")}
        state.write_text(json.dumps(older))  # the run state as spfeed wrote it before it kept a copy
        first, output = imports_of(tmp_path, *args)
        assert "(1 not modified)" in output and first >= STORE
        second, output = imports_of(tmp_path, *args)
    assert "(1 not modified)" in output and second & STORE == set()


@pytest.mark.parametrize("page", [LEGACY_PAGE, FIXTURES / "reskin.department.en.html"], ids=["profile", "fallback"])
def test_a_first_refresh_imports_neither_the_profile_learner_nor_html_nor_tomllib(tmp_path, page):
    # Learning needs items stored before: a fresh store has none (~3 ms of start-up);
    # html.escape's module loads the table of character names (~2 ms; discovery.escape);
    # the shipped profiles and taxonomy are read from their JSON twins (tomllib: 3 ms + 8-12 ms);
    # an English page's dates are read with the shipped CLDR names (Babel's locale data: ~20 ms).
    imported, output = imports_of(tmp_path, *refresh_args(tmp_path, str(page)))
    assert "7 new" in output and "spfeed.publish" in imported
    assert imported & {"spfeed.learn", "html", "tomllib", "babel"} == set()


def test_status_reads_the_state_and_store_without_the_pipeline_or_http_client(tmp_path):
    assert CliRunner().invoke(main, refresh_args(tmp_path)).exit_code == 0
    imported, output = imports_of(tmp_path, "status", "--store", str(tmp_path / "spfeed.sqlite"))
    assert "last attempt" in output and "sqlite3" in imported
    assert imported & (HEAVY | UNREACHED | HTTP_CLIENT | {"spfeed.pipeline"}) == set()


def one_item_page(tmp_path) -> str:
    """The department page with only its first item left: a half-broken page."""
    import re

    html = LEGACY_PAGE.read_text("utf-8")
    for item in re.findall(r'\s*<li class="item">.*?</li>', html, re.DOTALL)[1:]:
        html = html.replace(item, "")
    page = tmp_path / "one.html"
    page.write_text(html, "utf-8")
    return str(page)


def test_a_sharp_drop_in_items_is_reported_in_the_summary_log_json_and_status(runner, tmp_path):
    assert runner.invoke(main, refresh_args(tmp_path)).exit_code == 0
    page = one_item_page(tmp_path)

    line = runner.invoke(main, refresh_args(tmp_path, page))
    assert line.exit_code == 0
    assert "; main: 1 item where recent refreshes found 7: none marked gone" in line.output
    assert "0 gone" in line.output

    (tmp_path / "one.html").write_text((tmp_path / "one.html").read_text("utf-8") + "\n", "utf-8")  # new bytes
    as_json = runner.invoke(main, ["-v", "--log-json", *refresh_args(tmp_path, page)])
    *logged, last = [json.loads(line) for line in as_json.output.strip().splitlines()]
    assert last["sources"][0]["layout"]["drop_from"] == 7 and last["sources"][0]["gone"] == 0
    assert "main: 1 item where recent refreshes found 7: none marked gone" in [entry["message"] for entry in logged]

    status = runner.invoke(main, ["status", "--store", str(tmp_path / "spfeed.sqlite")])
    assert "items dropped  1 on the page at the last refresh where there were 7: none marked gone" in status.output
