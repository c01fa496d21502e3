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


def test_read_file_missing_is_a_fetch_error(tmp_path):
    with pytest.raises(FetchError, match="no such file"):
        read_file(tmp_path / "missing.html")


def test_read_file_gives_a_file_url(tmp_path):
    path = tmp_path / "p.html"
    path.write_text(HTML, encoding="utf-8")
    page = read_file(path)
    assert page.url == path.resolve().as_uri() and page.text == HTML
