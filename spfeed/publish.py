"""Render feeds and write them atomically. The only module that imports feedgen.

Output is a pure function of the entries and the metadata: the feed's
``updated`` is the newest entry's, and the generator is spelled out, so an
unchanged page renders byte-identical files, which are then not rewritten.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from . import __version__
from .errors import PublishError
from .models import FeedEntry, FeedMeta, Item

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

ATOM_FILE = "atom.xml"
RSS_FILE = "rss.xml"
GENERATOR_URI = "https://github.com/spfeed/spfeed"


@dataclass(frozen=True)
class Written:
    """What one publish did: the files it rewrote and the ones already right."""

    changed: list[Path]
    unchanged: list[Path]


def feed_url(meta: FeedMeta, name: str) -> str:
    return urljoin(meta.public_url if meta.public_url.endswith("/") else meta.public_url + "/", name)


def category_scheme(meta: FeedMeta) -> str:
    """The scheme (Atom) / domain (RSS) of spfeed's canonical categories."""
    return feed_url(meta, "category/")


def render_atom(entries: Sequence[FeedEntry], meta: FeedMeta) -> bytes:
    fg = _generator(entries, meta, feed_url(meta, ATOM_FILE), "application/atom+xml", rss=False)
    return _render(fg.atom_str, ATOM_FILE)


def render_rss(entries: Sequence[FeedEntry], meta: FeedMeta) -> bytes:
    fg = _generator(entries, meta, feed_url(meta, RSS_FILE), "application/rss+xml", rss=True)
    return _render(fg.rss_str, RSS_FILE)


def write_feeds(entries: Sequence[FeedEntry], meta: FeedMeta, out_dir: Path) -> Written:
    """Render every feed and write the ones whose bytes changed."""
    rendered = {ATOM_FILE: render_atom(entries, meta), RSS_FILE: render_rss(entries, meta)}
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PublishError(str(out_dir), "cannot create the output directory") from e
    changed, unchanged = [], []
    for name, data in rendered.items():
        path = out_dir / name
        (changed if write_if_changed(path, data) else unchanged).append(path)
    return Written(changed=changed, unchanged=unchanged)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace ``path`` with ``data`` unless it already holds it.

    Leaving an identical file alone keeps its mtime, so HTTP validators
    (Last-Modified, ETag) served for it stay valid.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as e:
        raise PublishError(str(path), "cannot read the current feed") from e
    try:
        atomic_write(path, data)
    except OSError as e:
        raise PublishError(str(path), "cannot write the feed") from e
    return True


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory, fsync, then rename.

    A reader sees the old file or the new one, never half of either.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def feed_updated(entries: Sequence[FeedEntry]) -> datetime | None:
    return max((e.updated for e in entries), default=None)


def _generator(
    entries: Sequence[FeedEntry], meta: FeedMeta, self_url: str, self_type: str, *, rss: bool
) -> FeedGenerator:
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(meta.title)
    fg.subtitle(meta.subtitle)
    fg.author({"name": meta.author_name, "uri": meta.author_uri})
    # feedgen's RSS <channel><link> is the href of the last link() call: the
    # self link goes first and the page last.
    fg.link(href=self_url, rel="self", type=self_type)
    fg.link(href=meta.page_url, rel="alternate", type="text/html")
    fg.language(meta.language)
    fg.generator("spfeed", version=__version__, uri=GENERATOR_URI)
    updated = feed_updated(entries)
    if updated is not None:
        fg.updated(updated)
    for entry in entries:
        _add_entry(fg, entry, meta, rss=rss)
    return fg


def _add_entry(fg: FeedGenerator, entry: FeedEntry, meta: FeedMeta, *, rss: bool) -> None:
    item = entry.item
    fe = fg.add_entry(order="append")
    fe.id(item.id)
    fe.guid(item.id, permalink=True)
    fe.title(item.title)
    fe.link(href=item.url, rel="alternate", type="text/html")
    fe.updated(entry.updated)
    if item.published is not None:
        fe.published(item.published.start)
    if item.summary:
        fe.summary(item.summary)
    categories = entry_categories(item, meta, rss=rss)
    if categories:
        fe.category(categories)


def entry_categories(item: Item, meta: FeedMeta, *, rss: bool) -> list[dict[str, str]]:
    """The canonical category, then the page's own label (see README, "Feeds").

    feedgen writes an RSS category's text from ``label`` (else ``term``) and its
    domain from ``scheme``: RSS gets the slug, the stable identifier within
    the domain, and Atom gets the slug as term with the name as label.
    """
    categories = []
    if item.category_slug:
        canonical = {"term": item.category_slug, "scheme": category_scheme(meta)}
        if not rss:
            canonical["label"] = _category_name(item, meta)
        categories.append(canonical)
    if item.category:
        categories.append({"term": item.category, "scheme": meta.page_url})
    return categories


def _category_name(item: Item, meta: FeedMeta) -> str:
    """The taxonomy's name; for a category of its own, the label or prefix it came from."""
    slug = item.category_slug or ""
    kind = item.published.kind if item.published else None
    return meta.category_names.get(slug) or item.category or kind or slug


def _render(method: object, name: str) -> bytes:
    try:
        return method(pretty=True)  # type: ignore[operator, no-any-return]
    except ValueError as e:
        raise PublishError(name, "feedgen refused the feed") from e
