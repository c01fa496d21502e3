"""WebSub: feeds name the hub, and a local hub is told of exactly the feeds whose bytes changed."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import pytest
import responses
from click.testing import CliRunner
from lxml import etree

from spfeed.cli import main
from spfeed.config import load
from spfeed.errors import ConfigError
from spfeed.state import State

from .feedcheck import ATOM, check_atom, check_json_feed, check_rss, feed_files
from .servers import free_port
from .test_pipeline import article, page_html

PUBLIC = "https://feeds.example.org/"
FIRST = [
    article("pensions", date="3 May 2024", kicker="Press release"),
    article("floors", date="2 May 2024", kicker="News"),
]
ADDED = article("health", date="4 May 2024", kicker="News")


@dataclass
class Hub:
    """A WebSub hub on 127.0.0.1 that records each request and answers ``status``."""

    url: str = ""
    status: int = 204
    requests: list[dict[str, object]] = field(default_factory=list)

    def notified(self) -> list[str]:
        return [url for request in self.requests for url in request["form"]["hub.url"]]  # type: ignore[index]


@contextlib.contextmanager
def local_hub() -> Iterator[Hub]:
    hub = Hub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
            hub.requests.append(
                {
                    "path": self.path,
                    "content_type": self.headers.get("Content-Type"),
                    "user_agent": self.headers.get("User-Agent"),
                    "form": parse_qs(body),
                }
            )
            self.send_response(hub.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hub.url = f"http://127.0.0.1:{server.server_address[1]}/hub"
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class Site:
    """A config with one page on disk, its output, store and (maybe) a hub."""

    def __init__(self, root: Path, hub: str | None) -> None:
        self.root, self.page, self.out = root, root / "page.html", root / "feeds"
        self.config = root / "spfeed.toml"
        hub_line = f'websub_hub = "{hub}"\n' if hub else ""
        self.config.write_text(
            f'out_dir = "{self.out}"\nstore = "{root / "spfeed.sqlite"}"\npublic_url = "{PUBLIC}"\n{hub_line}'
            f'[[source]]\nurl = "{self.page}"\nbase_url = "https://www.ilo.org/secsoc/"\n',
            encoding="utf-8",
        )

    def refresh(self, *articles: dict[str, str]) -> tuple[int, str, str]:
        self.page.write_text(page_html(*articles), encoding="utf-8")
        result = CliRunner().invoke(main, ["--config", str(self.config), "refresh"])
        return result.exit_code, result.stdout, result.stderr

    def feeds(self) -> dict[str, bytes]:
        """Every feed file's bytes, by its self URL."""
        paths = [path for kind in feed_files(self.out).values() for path in kind]
        return {PUBLIC + path.relative_to(self.out).as_posix(): path.read_bytes() for path in paths}

    def pending(self) -> list[str]:
        return State.load(self.root / "spfeed.state.json").websub_pending


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {url for url, data in after.items() if before.get(url) != data}


def test_a_refresh_that_adds_an_item_notifies_each_changed_feed_once_and_an_unchanged_one_none(tmp_path):
    with local_hub() as hub:
        site = Site(tmp_path, hub.url)
        assert site.refresh(*FIRST)[0] == 0
        first = site.feeds()
        assert sorted(hub.notified()) == sorted(first)  # the first publish: every feed is new

        hub.requests.clear()
        code, _, stderr = site.refresh(*FIRST)
        assert code == 0 and stderr == ""
        assert hub.requests == []  # nothing changed, nothing sent

        code, _, stderr = site.refresh(ADDED, *FIRST)
        assert code == 0 and stderr == ""
        expected = changed(first, site.feeds())
        # the main feeds and the "news" category's changed; the press-release category's did not
        assert PUBLIC + "atom.xml" in expected and PUBLIC + "category/press-release.atom" not in expected
        assert len(hub.notified()) == len(expected) and set(hub.notified()) == expected
        for request in hub.requests:
            assert request["path"] == "/hub"
            assert request["content_type"] == "application/x-www-form-urlencoded"
            assert str(request["user_agent"]).startswith("spfeed/")
            form = request["form"]
            assert form["hub.mode"] == ["publish"] and form["hub.topic"] == form["hub.url"]  # type: ignore[index]
        assert site.pending() == []


def test_a_hub_answering_500_leaves_the_feeds_published_warns_once_and_is_told_next_time(tmp_path):
    with local_hub() as hub:
        site = Site(tmp_path, hub.url)
        hub.status = 500
        code, stdout, stderr = site.refresh(*FIRST)
        assert code == 0, stderr
        feeds = site.feeds()
        assert PUBLIC + "atom.xml" in feeds and "2 new" in stdout
        [warning] = stderr.splitlines()
        assert warning == (
            f"spfeed: warning: WebSub hub {hub.url}: HTTP 500 Internal Server Error; "
            f"{len(feeds)} notifications will be sent again on the next refresh"
        )
        assert len(hub.requests) == 1  # the first refusal ends the round
        assert sorted(site.pending()) == sorted(feeds)

        hub.status = 204
        hub.requests.clear()
        code, _, stderr = site.refresh(*FIRST)  # the page is unchanged: only the notifications owed
        assert code == 0 and stderr == ""
        assert sorted(hub.notified()) == sorted(feeds)
        assert site.pending() == []


def test_a_hub_that_is_down_is_one_warning_and_exit_0(tmp_path):
    site = Site(tmp_path, f"http://127.0.0.1:{free_port()}/")
    code, _, stderr = site.refresh(*FIRST)
    assert code == 0
    [warning] = stderr.splitlines()
    assert "no answer (ConnectionError)" in warning and "will be sent again on the next refresh" in warning
    assert (tmp_path / "feeds" / "atom.xml").exists() and site.pending()
    result = CliRunner().invoke(main, ["--config", str(site.config), "--log-json", "refresh"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["warnings"] == [warning.removeprefix("spfeed: warning: ")]


def test_status_counts_the_notifications_waiting(tmp_path):
    site = Site(tmp_path, f"http://127.0.0.1:{free_port()}/")
    site.refresh(*FIRST)
    result = CliRunner().invoke(main, ["--config", str(site.config), "status"])
    assert f"WebSub notifications waiting for the next refresh: {len(site.feeds())}" in result.stdout
    result = CliRunner().invoke(main, ["--config", str(site.config), "status", "--json"])
    assert sorted(json.loads(result.stdout)["websub_pending"]) == sorted(site.feeds())


def test_without_a_hub_no_feed_names_one_and_nothing_is_owed(tmp_path):
    site = Site(tmp_path, None)
    assert site.refresh(*FIRST)[0] == 0
    for url, data in site.feeds().items():
        assert b'rel="hub"' not in data and b'"hubs"' not in data, url
    assert site.pending() == []


def test_feeds_with_a_hub_link_pass_the_validator_rules_and_the_atom_schema(tmp_path, atom_schema):
    with local_hub() as local:
        hub = local.url
        site = Site(tmp_path, hub)
        assert site.refresh(*FIRST)[0] == 0
    files = feed_files(site.out)
    assert files["atom"] and files["rss"] and files["json"]
    for path in files["atom"]:
        self_url = PUBLIC + path.relative_to(site.out).as_posix()
        doc = check_atom(path.read_bytes(), self_url, atom_schema)
        rels = [(link.get("rel"), link.get("href")) for link in doc.findall(f"{ATOM}link")]
        assert rels[:2] == [("self", self_url), ("hub", hub)]
        assert not feedparser.parse(path.read_bytes()).bozo
    for path in files["rss"]:
        self_url = PUBLIC + path.relative_to(site.out).as_posix()
        doc = check_rss(path.read_bytes(), self_url)
        links = doc.find("channel").findall(f"{ATOM}link")
        assert [(link.get("rel"), link.get("href")) for link in links] == [("self", self_url), ("hub", hub)]
        assert not feedparser.parse(path.read_bytes()).bozo
    for path in files["json"]:
        assert check_json_feed(path.read_bytes())["hubs"] == [{"type": "WebSub", "url": hub}]


def test_the_hub_is_a_setting_and_an_environment_variable_and_must_be_a_url(tmp_path):
    assert load(None, env={"SPFEED_WEBSUB_HUB": "https://hub.example.org/"}).websub_hub == "https://hub.example.org/"
    assert load(None, env={}).websub_hub is None
    toml = tmp_path / "spfeed.toml"
    toml.write_text('websub_hub = "hub.example.org"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'websub_hub' must be an absolute http"):
        load(toml, env={})


def test_rss_hub_link_uses_the_feeds_atom_prefix(tmp_path):
    with local_hub() as hub:
        site = Site(tmp_path, hub.url)
        assert site.refresh(*FIRST)[0] == 0
    text = (site.out / "rss.xml").read_text("utf-8")
    assert f'<atom:link href="{hub.url}" rel="hub"/>' in text
    assert etree.fromstring(text.encode()).nsmap["atom"] == ATOM.strip("{}")


@responses.activate
def test_a_hub_redirecting_to_a_malformed_url_is_a_failed_notification_not_a_crash():
    # requests parses a Location even with allow_redirects=False: "Invalid IPv6 URL" escaped the refresh.
    from spfeed.fetch import FetchOptions
    from spfeed.websub import notify

    responses.post("https://hub.example.org/", status=302, headers={"Location": "https://[::1/x"})
    found = notify("https://hub.example.org/", [PUBLIC + "atom.xml"], options=FetchOptions())
    assert found.pending == (PUBLIC + "atom.xml",) and found.error == "a malformed answer"
