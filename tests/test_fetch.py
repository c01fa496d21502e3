from __future__ import annotations

import pytest
import requests
import responses

from spfeed.errors import FetchError
from spfeed.fetch import FetchOptions, decode_html, get_page, read_file

URL = "https://www.ilo.org/universal-social-protection-department"
HTML = "<html><body><p>Social protection – “floors”</p></body></html>"


@responses.activate
def test_200_returns_the_decoded_page_and_sends_a_named_user_agent():
    responses.get(URL, body=HTML.encode(), content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'})
    page = get_page(URL, options=FetchOptions(contact="https://example.org/contact"))
    assert page.text == HTML
    assert page.status == 200 and page.etag == '"v1"'
    sent = responses.calls[0].request.headers["User-Agent"]
    assert sent.startswith("spfeed/") and "https://example.org/contact" in sent


@responses.activate
@pytest.mark.parametrize(("status", "reason"), [(404, "HTTP 404"), (500, "HTTP 500"), (503, "HTTP 503")])
def test_error_statuses_raise_fetch_error(status, reason):
    responses.get(URL, body="nope", status=status)
    with pytest.raises(FetchError, match=reason) as info:
        get_page(URL)
    assert info.value.url == URL


@responses.activate
def test_timeout_raises_fetch_error():
    responses.get(URL, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(FetchError, match="timed out"):
        get_page(URL)


@responses.activate
def test_connection_failure_raises_fetch_error():
    responses.get(URL, body=requests.exceptions.ConnectionError("[Errno 111] Connection refused"))
    with pytest.raises(FetchError, match="could not connect"):
        get_page(URL)


@responses.activate
def test_redirect_is_followed_and_the_final_url_kept():
    legacy = "https://www.ilo.org/secsoc/lang--en/index.htm"
    responses.get(legacy, status=301, headers={"Location": URL})
    responses.get(URL, body=HTML, content_type="text/html")
    page = get_page(legacy)
    assert page.url == URL and page.text == HTML


@responses.activate
def test_redirect_loop_is_an_error():
    responses.get(URL, status=302, headers={"Location": URL})
    with pytest.raises(FetchError, match="too many redirects"):
        get_page(URL)


@responses.activate
def test_non_html_content_is_refused():
    responses.get(URL, body=b"%PDF-1.7", content_type="application/pdf")
    with pytest.raises(FetchError, match="not an HTML page"):
        get_page(URL)


@responses.activate
def test_body_over_the_limit_is_refused():
    responses.get(URL, body=b"<p>" + b"x" * 5000, content_type="text/html")
    with pytest.raises(FetchError, match="larger than the limit"):
        get_page(URL, options=FetchOptions(max_bytes=1000))


@responses.activate
def test_windows_1252_charset_from_http_header():
    body = "<p>\u201cSocial\u201d protection</p>".encode("windows-1252")
    responses.get(URL, body=body, content_type="text/html; charset=windows-1252")
    assert "\u201cSocial\u201d" in get_page(URL).text


@responses.activate
def test_windows_1252_page_without_http_charset_is_read_by_its_meta_tag():
    from .conftest import CP1252_PAGE

    responses.get(URL, body=CP1252_PAGE.read_bytes(), content_type="text/html")
    assert "Étendre la protection sociale aux travailleurs de l’économie informelle" in get_page(URL).text


def test_decode_prefers_bom_then_http_then_meta():
    text = "<meta charset='windows-1252'><p>café</p>"
    assert "café" in decode_html(text.encode("windows-1252"), None)
    assert "café" in decode_html(b"\xef\xbb\xbf" + text.encode("utf-8"), "windows-1252")
    assert "café" in decode_html(text.encode("utf-8"), "utf-8")
    # undeclared and not UTF-8: read as windows-1252, the web's usual legacy encoding
    assert "café" in decode_html("<p>café</p>".encode("latin-1"), None)
    # iso-8859-1 is read as windows-1252, so smart quotes survive
    assert "\u2019" in decode_html("<p>ILO\u2019s</p>".encode("windows-1252"), "iso-8859-1")


@pytest.mark.parametrize("charset", ["base64", "hex", "rot13", "idna", "punycode", "undefined", "utf-8\x00"])
def test_a_charset_that_names_no_page_encoding_is_ignored(charset):
    # Python's codecs know these names, but bytes.decode refuses them (or these bytes): each
    # crashed the refresh, from the HTTP header or from the page's own <meta>.
    page = "<p>café</p>".encode()
    assert "café" in decode_html(page, charset)
    assert "café" in decode_html(f"<meta charset={charset!r}>".encode() + page, None)


def test_read_file_missing_is_a_fetch_error(tmp_path):
    with pytest.raises(FetchError, match="no such file"):
        read_file(tmp_path / "missing.html")


def test_read_file_gives_a_file_url(tmp_path):
    path = tmp_path / "p.html"
    path.write_text(HTML, encoding="utf-8")
    page = read_file(path)
    assert page.url == path.resolve().as_uri() and page.text == HTML


# --- conditional requests, Retry-After, robots.txt, politeness ------------------------

from datetime import datetime, timezone  # noqa: E402

from spfeed.errors import RateLimited  # noqa: E402
from spfeed.fetch import RobotsCache, Throttle, Validators, check_robots, retry_after_seconds  # noqa: E402


@responses.activate
def test_validators_are_sent_and_304_is_not_modified():
    responses.get(URL, status=304, headers={"ETag": '"v1"'})
    page = get_page(URL, validators=Validators(etag='"v1"', last_modified="Tue, 01 Oct 2024 10:00:00 GMT"))
    sent = responses.calls[0].request.headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Tue, 01 Oct 2024 10:00:00 GMT"
    assert page.not_modified and page.text == ""
    assert page.etag == '"v1"' and page.last_modified == "Tue, 01 Oct 2024 10:00:00 GMT"


@responses.activate
def test_first_request_sends_no_validators_and_returns_a_body_hash():
    responses.get(URL, body=HTML, content_type="text/html")
    page = get_page(URL)
    assert "If-None-Match" not in responses.calls[0].request.headers
    assert not page.not_modified and page.body_hash and len(page.body_hash) == 64


@responses.activate
@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_on_429_and_503_is_reported(status):
    responses.get(URL, status=status, headers={"Retry-After": "120"})
    with pytest.raises(RateLimited, match="retry in 120 s") as info:
        get_page(URL)
    assert info.value.retry_after == 120


def test_retry_after_as_http_date():
    now = datetime(2024, 10, 1, 10, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Tue, 01 Oct 2024 10:05:00 GMT", now) == 300
    assert retry_after_seconds("Tue, 01 Oct 2024 09:00:00 GMT", now) == 0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds("999999999", now) == 24 * 3600


@pytest.mark.parametrize("value", ["²", "-5", "Fri, 31 Dec 9999 23:59:59 +9999"])
def test_a_retry_after_that_is_neither_seconds_nor_a_date_is_ignored(value):
    # "²" passed str.isdigit() and then crashed float(): a 429 became a traceback.
    assert retry_after_seconds(value, datetime(2024, 10, 1, tzinfo=timezone.utc)) is None


ROBOTS = "https://www.ilo.org/robots.txt"


@responses.activate
def test_robots_disallow_is_an_error_that_names_the_opt_out():
    responses.get(ROBOTS, body="User-agent: *\nDisallow: /universal-social-protection-department\n")
    with pytest.raises(FetchError, match=r"robots\.txt .* disallows.*respect_robots = false"):
        check_robots(URL, cache=RobotsCache())


@responses.activate
def test_robots_allow_and_cache():
    responses.get(ROBOTS, body="User-agent: *\nDisallow: /admin/\n")
    cache = RobotsCache()
    check_robots(URL, cache=cache, now=1000.0)
    check_robots(URL, cache=cache, now=2000.0)
    assert len(responses.calls) == 1  # cached
    check_robots(URL, cache=cache, now=1000.0 + cache.ttl + 1)
    assert len(responses.calls) == 2  # expired, fetched again


@responses.activate
@pytest.mark.parametrize("bad_line", ["Crawl-delay: ²", "Request-rate: ²/5", "Disallow: http://[x", "Allow: //[::1"])
def test_a_robots_line_the_parser_cannot_read_is_skipped_and_the_others_obeyed(bad_line):
    # urllib.robotparser raised ValueError on the whole file for one such line (a traceback out of the refresh).
    responses.get(ROBOTS, body=f"User-agent: *\n{bad_line}\nDisallow: /universal-social-protection-department\n")
    with pytest.raises(FetchError, match="disallows"):
        check_robots(URL, cache=RobotsCache())
    check_robots("https://www.ilo.org/other", cache=RobotsCache())


@responses.activate
def test_a_robots_txt_redirected_to_a_malformed_url_is_unreadable_so_allows_and_is_not_cached():
    responses.get(ROBOTS, status=301, headers={"Location": "https://[::1/robots.txt"})
    cache = RobotsCache()
    check_robots(URL, cache=cache)
    assert cache.entries == {}


@responses.activate
def test_missing_robots_allows_everything():
    responses.get(ROBOTS, status=404)
    check_robots(URL, cache=RobotsCache())


@responses.activate
def test_robots_server_error_allows_but_is_not_cached():
    responses.get(ROBOTS, status=500)
    cache = RobotsCache()
    check_robots(URL, cache=cache)
    assert cache.entries == {}


def fake_time_throttle(delay: float) -> tuple[Throttle, list[float], list[float]]:
    """A Throttle on a clock that moves only when told or when it sleeps:
    (throttle, [now], the sleeps it asked for)."""
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    return Throttle(delay, clock=lambda: now[0], sleep=sleep), now, slept


def test_throttle_waits_between_requests_to_the_same_host_only():
    throttle, now, slept = fake_time_throttle(5.0)
    throttle.wait("https://www.ilo.org/a")
    throttle.wait("https://other.example/b")
    now[0] += 1.0
    throttle.wait("https://www.ilo.org/c")
    assert slept == [4.0]
    now[0] += 10.0
    throttle.wait("https://www.ilo.org/d")
    assert slept == [4.0]


def test_a_request_that_does_not_count_waits_but_starts_no_delay():
    throttle, now, slept = fake_time_throttle(5.0)
    throttle.wait("https://www.ilo.org/robots.txt", counts=False)
    throttle.wait("https://www.ilo.org/page")  # the page robots.txt allowed: same visit
    assert slept == []
    now[0] += 1.0
    throttle.wait("https://www.ilo.org/robots.txt", counts=False)  # e.g. robots.txt fetched again
    throttle.wait("https://www.ilo.org/next")
    assert slept == [4.0]


@responses.activate
def test_redirect_to_another_host_is_refused_unless_allowed():
    responses.get(URL, status=302, headers={"Location": "https://evil.example/page"})
    responses.get("https://evil.example/page", body=HTML, content_type="text/html")
    with pytest.raises(FetchError, match=r"redirected to another host \(evil.example\).*allowed_hosts"):
        get_page(URL)
    assert len(responses.calls) == 1  # the other host was never contacted
    page = get_page(URL, options=FetchOptions(allowed_hosts=frozenset({"evil.example"})))
    assert page.url == "https://evil.example/page"


@responses.activate
def test_redirect_between_www_and_bare_host_and_to_https_is_followed():
    responses.get("http://ilo.org/secsoc/", status=301, headers={"Location": "https://www.ilo.org/secsoc/"})
    responses.get("https://www.ilo.org/secsoc/", body=HTML, content_type="text/html")
    assert get_page("http://ilo.org/secsoc/").url == "https://www.ilo.org/secsoc/"


@responses.activate
def test_redirect_to_a_non_http_scheme_is_refused():
    responses.get(URL, status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="not an http"):
        get_page(URL)


@responses.activate
def test_a_redirect_to_a_malformed_url_is_a_fetch_error():
    # requests reads the Location even when not following it: "Invalid IPv6 URL" escaped get_page.
    responses.get(URL, status=302, headers={"Location": "https://[::1/page"})
    with pytest.raises(FetchError, match=r"the server's answer could not be read \(Invalid IPv6 URL\)"):
        get_page(URL)


@responses.activate
def test_tls_error_says_so():
    responses.get(URL, body=requests.exceptions.SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"))
    with pytest.raises(FetchError, match="TLS error"):
        get_page(URL)


@responses.activate
def test_empty_body_is_an_error():
    responses.get(URL, body="  \n", content_type="text/html")
    with pytest.raises(FetchError, match="empty page"):
        get_page(URL)


@responses.activate
def test_without_a_contact_the_user_agent_names_only_spfeed():
    responses.get(URL, body=HTML.encode(), content_type="text/html; charset=utf-8")
    get_page(URL, options=FetchOptions())
    sent = responses.calls[0].request.headers["User-Agent"]
    assert sent.startswith("spfeed/") and "(" not in sent and "github" not in sent
