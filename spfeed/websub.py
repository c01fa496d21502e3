"""WebSub (W3C Recommendation): tell the hub which feeds changed.

Every feed names its hub beside its self link (publish.py); readers subscribe
there and the hub pushes them a feed the moment it is told it changed. WebSub
leaves the publisher's side to the hub; the convention hubs follow (from
PubSubHubbub 0.4: Google's pubsubhubbub.appspot.com, Superfeedr) is a
form-encoded POST of ``hub.mode=publish`` and ``hub.url=<the feed's self URL>``
answered with a 2xx, so that is what is sent, one request per feed, with the
same URL as ``hub.topic`` too: the name WebSub gives a feed, which some
self-hosted hubs (Switchboard) read instead.

A hub that is down or says no must never cost a refresh: the notifications it
did not take are handed back, kept in the run state and sent again next time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import msgspec

from .fetch import FetchOptions

if TYPE_CHECKING:
    import requests


class Notified(msgspec.Struct, frozen=True):
    """What one round of notifications left to do."""

    pending: tuple[str, ...]
    """The feeds' URLs the hub has not taken, to send again on the next refresh."""
    error: str | None = None
    """Why the first of ``pending`` was not taken."""


def notify(
    hub: str, urls: Sequence[str], *, options: FetchOptions, session: requests.Session | None = None
) -> Notified:
    """Send the hub a publish notification for each URL, in order.

    The first failure ends the round: a hub that refuses or does not answer
    one feed would only do the same for the next (and each wait costs a timeout).
    """
    import requests

    session = session or requests.Session()
    for done, url in enumerate(urls):
        error = _publish(session, hub, url, options)
        if error is not None:
            return Notified(pending=tuple(urls[done:]), error=error)
    return Notified(pending=())


def _publish(session: requests.Session, hub: str, url: str, options: FetchOptions) -> str | None:
    """None when the hub took the notification; else what went wrong."""
    import requests

    try:
        response = session.post(
            hub,
            data={"hub.mode": "publish", "hub.url": url, "hub.topic": url},
            headers={"User-Agent": options.user_agent},
            timeout=options.timeout,
            # A POST redirected would arrive as a GET, which no hub takes as a notification.
            allow_redirects=False,
        )
        response.close()
    except requests.RequestException as e:
        return f"no answer ({type(e).__name__})"
    except ValueError:  # requests reads a redirect's Location even when not following it: "https://[::1/x"
        return "a malformed answer"
    if not 200 <= response.status_code < 300:
        return f"HTTP {response.status_code} {response.reason or ''}".rstrip()
    return None
