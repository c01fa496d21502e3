"""`spfeed serve` against a real waitress server on 127.0.0.1, started by the tests."""

from __future__ import annotations

import gzip
import http.client
import os
import subprocess
import sys
import threading
from email.utils import formatdate

import feedparser
import pytest

from spfeed.models import FeedEntry
from spfeed.publish import write_feeds
from spfeed.serve import create_server, resolve, server_url, shutdown

from .test_publish import META, fixture_entries

TYPES = {
    "/atom.xml": "application/atom+xml; charset=utf-8",
    "/rss.xml": "application/rss+xml; charset=utf-8",
    "/feed.json": "application/feed+json; charset=utf-8",
    "/category/event.atom": "application/atom+xml; charset=utf-8",
    "/category/event.rss": "application/rss+xml; charset=utf-8",
    "/category/event.json": "application/feed+json; charset=utf-8",
    "/": "text/html; charset=utf-8",
    "/index.html": "text/html; charset=utf-8",
    "/feeds.opml": "application/xml; charset=utf-8",
    "/feed.css": "text/css; charset=utf-8",
    "/feed.html": "text/html; charset=utf-8",
    "/category/event.html": "text/html; charset=utf-8",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    out = root / "feeds"
    write_feeds(fixture_entries(), META, out)
    (root / "secret.txt").write_text("do not serve")
    (out / ".hidden.txt").write_text("dotfile")
    (out / "escape.txt").symlink_to(root / "secret.txt")
    (out / "unknown.bin").write_bytes(b"\x00")
    return out


@pytest.fixture(scope="module")
def server(site):
    srv = create_server(site, host="127.0.0.1", port=0)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    yield srv
    shutdown(srv)
    thread.join(timeout=10)
    assert not thread.is_alive()


def request(server, method, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.effective_port, timeout=10)
    try:
        # http.client sends the path exactly as given: no normalizing of "..".
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(("path", "media_type"), TYPES.items())
def test_files_are_served_with_their_media_type_and_validators(server, site, path, media_type):
    status, headers, body = request(server, "GET", path)
    assert status == 200
    assert headers["content-type"] == media_type
    name = path.lstrip("/") or "index.html"
    assert body == (site / name).read_bytes()
    assert headers["content-length"] == str(len(body))
    assert headers["etag"].startswith('"') and headers["last-modified"].endswith("GMT")
    assert headers["cache-control"] == "public, max-age=300"
    assert headers["vary"] == ("Accept, Accept-Encoding" if "+xml" in media_type else "Accept-Encoding")


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
FEEDPARSER = "application/atom+xml,application/rdf+xml,application/rss+xml,application/x-netcdf,application/xml;q=0.9,text/xml;q=0.2,*/*;q=0.1"  # noqa: E501


@pytest.mark.parametrize("path", ["/atom.xml", "/rss.xml", "/category/event.atom", "/category/event.rss"])
def test_a_browser_gets_xml_feeds_as_application_xml_so_it_runs_the_stylesheet(server, path):
    assert request(server, "GET", path, {"Accept": BROWSER})[1]["content-type"] == "application/xml; charset=utf-8"
    assert request(server, "GET", path, {"Accept": FEEDPARSER})[1]["content-type"] == TYPES[path]
    assert request(server, "GET", path, {"Accept": "*/*"})[1]["content-type"] == TYPES[path]
    assert request(server, "GET", "/feed.json", {"Accept": BROWSER})[1]["content-type"] == TYPES["/feed.json"]


def test_a_feed_fetched_over_http_parses_cleanly(server):
    parsed = feedparser.parse(server_url(server) + "atom.xml")
    assert parsed.status == 200 and not parsed.bozo and len(parsed.entries) == 7
    assert parsed.headers["content-type"].startswith("application/atom+xml")


def test_if_none_match_gives_304_and_another_etag_gives_200(server):
    _, headers, _ = request(server, "GET", "/atom.xml")
    status, again, body = request(server, "GET", "/atom.xml", {"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")
    assert again["etag"] == headers["etag"] and "content-type" not in again
    assert request(server, "GET", "/atom.xml", {"If-None-Match": f'"x", W/{headers["etag"]}'})[0] == 304
    assert request(server, "GET", "/atom.xml", {"If-None-Match": '"something-else"'})[0] == 200


def test_if_modified_since_gives_304_when_unchanged_and_200_when_older(server, site):
    mtime = int((site / "rss.xml").stat().st_mtime)
    assert request(server, "GET", "/rss.xml", {"If-Modified-Since": formatdate(mtime, usegmt=True)})[0] == 304
    assert request(server, "GET", "/rss.xml", {"If-Modified-Since": formatdate(mtime + 60, usegmt=True)})[0] == 304
    assert request(server, "GET", "/rss.xml", {"If-Modified-Since": formatdate(mtime - 60, usegmt=True)})[0] == 200
    assert request(server, "GET", "/rss.xml", {"If-Modified-Since": "yesterday-ish"})[0] == 200


def test_if_none_match_wins_over_if_modified_since(server, site):
    mtime = int((site / "rss.xml").stat().st_mtime)
    headers = {"If-None-Match": '"stale"', "If-Modified-Since": formatdate(mtime, usegmt=True)}
    assert request(server, "GET", "/rss.xml", headers)[0] == 200


def test_gzip_when_the_client_accepts_it(server, site):
    status, headers, body = request(server, "GET", "/atom.xml", {"Accept-Encoding": "br, gzip;q=0.8"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == (site / "atom.xml").read_bytes()
    assert headers["content-length"] == str(len(body)) and len(body) < (site / "atom.xml").stat().st_size
    plain = request(server, "GET", "/atom.xml")[1]
    assert "content-encoding" not in plain and plain["etag"] != headers["etag"]
    assert request(server, "GET", "/atom.xml", {"If-None-Match": plain["etag"], "Accept-Encoding": "gzip"})[0] == 304
    refused = request(server, "GET", "/atom.xml", {"Accept-Encoding": "gzip;q=0, identity"})[1]
    assert "content-encoding" not in refused


def test_head_sends_the_headers_of_get_without_a_body(server):
    _, get_headers, get_body = request(server, "GET", "/feed.json")
    status, headers, body = request(server, "HEAD", "/feed.json")
    assert status == 200 and body == b""
    assert headers["content-length"] == str(len(get_body)) and headers["etag"] == get_headers["etag"]
    assert request(server, "HEAD", "/nothing.xml")[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/category/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/category%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/escape.txt",
        "/.hidden.txt",
        "/%2ehidden.txt",
        "/index.html%00.txt",
        "/unknown.bin",
        "/nothing-here.atom",
        "/category/",
        "/category",
    ],
)
def test_traversal_hidden_unknown_and_missing_paths_are_404(server, path):
    status, _headers, body = request(server, "GET", path)
    assert status == 404, path
    assert b"do not serve" not in body and b"root:" not in body


def test_each_request_is_logged_with_its_status(server, caplog):
    with caplog.at_level("INFO", logger="spfeed.serve"):
        request(server, "GET", "/atom.xml")
        request(server, "GET", "/nothing")
    assert [r.getMessage() for r in caplog.records] == ["GET /atom.xml 200", "GET /nothing 404"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_405_with_allow(server, method):
    status, headers, _ = request(server, method, "/atom.xml")
    assert status == 405 and headers["allow"] == "GET, HEAD"


def test_resolve_refuses_anything_outside_the_root(site):
    root = site.resolve()
    assert resolve(root, "/atom.xml") == root / "atom.xml"
    assert resolve(root, "/") == root / "index.html"
    for bad in ("/../feeds/atom.xml", "relative.xml", "/a\\b", "/escape.txt", "/./atom.xml"):
        assert resolve(root, bad) is None, bad


def test_a_rewritten_feed_gets_a_new_etag(server, site):
    _, before, _ = request(server, "GET", "/feed.json")
    original = (site / "feed.json").read_bytes()
    try:
        entries = fixture_entries()[1:]
        write_feeds([FeedEntry(item=e.item, updated=e.updated) for e in entries], META, site)
        status, after, _ = request(server, "GET", "/feed.json", {"If-None-Match": before["etag"]})
        assert status == 200 and after["etag"] != before["etag"]
    finally:
        write_feeds(fixture_entries(), META, site)
    assert (site / "feed.json").read_bytes() == original


def test_spfeed_serve_command_serves_until_stopped(site):
    command = [sys.executable, "-m", "spfeed", "serve", "--port", "0", "--out", str(site)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env) as process:
        try:
            line = process.stdout.readline()
            assert line.startswith(f"Serving {site} at http://127.0.0.1:"), line
            url = line.split(" at ", 1)[1].split(" ", 1)[0]
            parsed = feedparser.parse(url + "rss.xml")
            assert parsed.status == 200 and len(parsed.entries) == 7
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_serve_on_a_missing_directory_is_one_line_and_exit_1(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "spfeed", "serve", "--out", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("spfeed: error: ") and result.stderr.count("\n") == 1
    assert "spfeed refresh" in result.stderr


def test_serve_on_a_taken_port_is_one_line_and_exit_1(server, site):
    result = subprocess.run(
        [sys.executable, "-m", "spfeed", "serve", "--port", str(server.effective_port), "--out", str(site)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1 and "cannot listen on 127.0.0.1" in result.stderr
    assert result.stderr.count("\n") == 1

