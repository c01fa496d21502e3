from __future__ import annotations

import json

import pytest
import requests
import responses
from click.testing import CliRunner

from spfeed.cli import main

from .conftest import LEGACY_PAGE


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_refresh_from_a_file_prints_where_and_how_many(runner, tmp_path):
    result = runner.invoke(main, ["refresh", "--source", str(LEGACY_PAGE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "7 items" in result.output
    assert str(tmp_path / "atom.xml") in result.output and str(tmp_path / "rss.xml") in result.output
    assert (tmp_path / "atom.xml").exists() and (tmp_path / "rss.xml").exists()


def test_refresh_missing_file_is_one_line_and_exit_1(runner, tmp_path):
    result = runner.invoke(main, ["refresh", "--source", str(tmp_path / "gone.html"), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "no such file" in result.stderr and "Traceback" not in result.output


@responses.activate
def test_refresh_unreachable_url_is_one_line_and_exit_1(runner, tmp_path):
    url = "https://www.ilo.org/universal-social-protection-department"
    responses.get(url, body=requests.exceptions.ConnectionError("[Errno 111] Connection refused"))
    result = runner.invoke(main, ["refresh", "--source", url, "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"spfeed: error: {url}: could not connect")
    assert list(tmp_path.iterdir()) == []


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


@pytest.mark.parametrize("command", [[], ["refresh"], ["scrape"]])
def test_every_command_has_help(runner, command):
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_serve_help_documents_host_port_and_out(runner):
    result = runner.invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--out", "127.0.0.1", "8080"):
        assert option in result.output


def test_serve_rejects_a_port_out_of_range_as_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["serve", "--port", "70000", "--out", str(tmp_path)])
    assert result.exit_code == 2
