"""Render feeds and write them atomically. The only module that imports feedgen.

Output is a pure function of the entries and the metadata: the feed's
``updated`` is the newest entry's, and the generator is spelled out, so an
unchanged page renders byte-identical files, which are then not rewritten.
Better still, a publish whose inputs are those of the last one, with every
file it wrote still as written, renders nothing (see ``RENDERED_FILE``).

One publish writes, under the output directory::

    atom.xml rss.xml feed.json feed.html    the main feed (all sources combined), and its page
    source/<name>.atom|.rss|.json|.html     one feed per source, when there are several
    category/<slug>.atom|.rss|.json|.html   one feed per canonical category, and per former one
    index.html feeds.opml feed.css          discovery: a page, a reader import, the XML feeds' style

feedgen is wrapped, not trusted: its output is post-processed with lxml for
what feedgen 1.0.0 cannot say (link rel/type on Atom entries, per-entry
xml:lang, the xml-stylesheet instruction) and every text is cleaned first.

What a person sees in a browser: each feed's HTML page (``Channel.html``,
rendered by discovery.py), and the XML feeds styled by ``feed.css``. No XSLT:
browsers are removing it (Chromium 156 puts a warning banner over any page
that uses it, even when a CSS stylesheet comes first).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import posixpath
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import msgspec
from msgspec.structs import replace

from . import __version__
from .categories import slugify
from .discovery import LATEST_ON_INDEX, Headline, Listing, escape, render_feed_page, render_index, render_opml
from .errors import PublishError
from .files import atomic_write, discard, fsync_dirs, fsync_together, remove_leftovers, stage
from .models import ATOM_FILE, Enclosure, FeedEntry, FeedMeta, Item, LeadImage, Written

if TYPE_CHECKING:
    from feedgen.entry import FeedEntry as FeedgenEntry
    from feedgen.feed import FeedGenerator
    from lxml import etree

log = logging.getLogger(__name__)

RSS_FILE = "rss.xml"
JSON_FILE = "feed.json"
INDEX_FILE = "index.html"
OPML_FILE = "feeds.opml"
STYLE_FILE = "feed.css"
MAIN_PAGE_FILE = "feed.html"
CATEGORY_DIR = "category"
FORMER_CATEGORY = "Former category"
"""The group of the feeds of slugs the taxonomy has since merged into a category: written
for their subscribers, listed neither on the index nor in the OPML file."""
SOURCE_DIR = "source"
RENDERED_FILE = ".spfeed-rendered"
"""The digest of the last publish's inputs and of each file it wrote. A dotfile:
``spfeed serve`` refuses those, so it is never published."""
GENERATOR_URI: str | None = None
"""The project's homepage, as in pyproject.toml's [project.urls]; it has none
yet, so the generator names no address rather than one that does not exist."""
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"
JSON_TYPE = "application/feed+json"
MULTIPLE_LANGUAGES = "mul"

_ATOM = "{http://www.w3.org/2005/Atom}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SOURCE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
"""What config.py accepts as a source name: safe as a file name (no dot, no slash)."""
# Characters XML 1.0 forbids (feedgen would raise on them) and lone surrogates: spelled as
# normalize.py spells them, so that ``re`` compiles them once a process (~0.5 ms), not twice.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Only things that really look like markup: "a < b" in prose stays.
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.DOTALL)
_SPACES = re.compile(r"\s+")


class SourceFeed(msgspec.Struct, frozen=True):
    """One configured source: its entries, newest first, and what its feed says."""

    name: str
    """A lowercase slug naming its files: ``source/<name>.atom`` etc."""
    meta: FeedMeta
    entries: Sequence[FeedEntry]
    label: str | None = None
    """What tells it from the other sources on the index (its language, say)."""


class Channel(msgspec.Struct, frozen=True):
    """One feed, in Atom, RSS and JSON Feed: what it lists and where it lives."""

    meta: FeedMeta
    entries: tuple[FeedEntry, ...]
    atom: str
    rss: str
    json: str
    html: str
    """Paths relative to the output directory."""
    group: str = "Main feed"
    label: str | None = None
    """What tells it apart within its group: its language, its category."""


def feed_url(meta: FeedMeta, name: str) -> str:
    return _public_url(meta.public_url, name)


@lru_cache(maxsize=1024)
def _public_url(public_url: str, name: str) -> str:
    # Cached: a refresh asks for each file's address some 50 times (feeds, pages, index, OPML).
    return urljoin(public_url if public_url.endswith("/") else public_url + "/", name)


def category_scheme(meta: FeedMeta) -> str:
    """The scheme (Atom) / domain (RSS) of spfeed's canonical categories."""
    return feed_url(meta, f"{CATEGORY_DIR}/")


def main_channel(entries: Sequence[FeedEntry], meta: FeedMeta) -> Channel:
    return Channel(
        meta=meta, entries=_unique(entries), atom=ATOM_FILE, rss=RSS_FILE, json=JSON_FILE, html=MAIN_PAGE_FILE
    )


def render_atom(entries: Sequence[FeedEntry], meta: FeedMeta) -> bytes:
    return atom_bytes(main_channel(entries, meta))


def render_rss(entries: Sequence[FeedEntry], meta: FeedMeta) -> bytes:
    return rss_bytes(main_channel(entries, meta))


def render_json(entries: Sequence[FeedEntry], meta: FeedMeta) -> bytes:
    return json_bytes(main_channel(entries, meta))


def write_feeds(entries: Sequence[FeedEntry], meta: FeedMeta, out_dir: Path) -> Written:
    """Write every file for one source: its feeds, category feeds and discovery files."""
    return publish_sources([SourceFeed(name="main", meta=meta, entries=entries)], meta, out_dir)


def publish_sources(sources: Sequence[SourceFeed], site: FeedMeta, out_dir: Path) -> Written:
    """Write the combined feed, one feed per source (if several) and per category.

    ``site`` describes the combined feed (title, public URL); with several
    sources its language is the one they share, or none when they differ, and
    each entry then carries its source's language.

    Rendering is skipped when the inputs are those of the last publish and its
    files are still there, unchanged: the usual refresh of an unchanged page
    then costs neither feedgen's import nor its work.
    """
    out_dir = Path(out_dir)
    inputs = inputs_digest(sources, site)
    current = already_rendered(out_dir, inputs)
    if current is not None:
        return Written(changed=[], unchanged=current)
    channels = plan_channels(sources, site)
    files = _render_planned(channels, site)
    written = write_files(files, out_dir)
    record_rendered(out_dir, inputs, files)
    return replace(written, changed_feeds=changed_feed_urls(channels, written.changed, out_dir))


def changed_feed_urls(channels: Sequence[Channel], changed: list[Path], out_dir: Path) -> tuple[str, ...]:
    """The self URLs of the feeds among the ``changed`` files (WebSub's ``hub.url``)."""
    names = {path.relative_to(out_dir).as_posix() for path in changed}
    return tuple(
        feed_url(channel.meta, name)
        for channel in channels
        for name in (channel.atom, channel.rss, channel.json)
        if name in names
    )


def render_files(sources: Sequence[SourceFeed], site: FeedMeta) -> dict[str, bytes]:
    """Every output file's bytes, by path under the output directory."""
    return _render_planned(plan_channels(sources, site), site)


def _render_planned(channels: list[Channel], site: FeedMeta) -> dict[str, bytes]:
    listings = [listing(channel) for channel in channels]
    rendered = _render_channels(channels, listings)
    files = {path: data for channel_files in rendered for path, data in channel_files.items()}
    headlines = [headline(entry, channels[0].meta) for entry in channels[0].entries[:LATEST_ON_INDEX]]
    listed = [described for described in listings if described.group != FORMER_CATEGORY]
    files[INDEX_FILE] = render_index(site, listed, headlines)
    files[OPML_FILE] = render_opml(site, listed)
    files[STYLE_FILE] = _packaged(f"static/{STYLE_FILE}")
    return files


def feed_page(channel: Channel, described: Listing) -> bytes:
    """The feed's page for people in a browser: what it is, how to follow it, its entries."""
    index = posixpath.relpath(INDEX_FILE, posixpath.dirname(channel.html) or ".")
    return render_feed_page(described, [headline(entry, channel.meta) for entry in channel.entries], index)


def inputs_digest(sources: Sequence[SourceFeed], site: FeedMeta) -> str:
    """A digest of everything the output depends on: the entries, the metadata and the renderer.

    The records spell out every field (``spelled``). The renderer's own source
    counts too, so an upgraded spfeed re-renders even at the same version.
    """
    digest = hashlib.sha256(spelled((__version__, list(sources), site)))
    for name in ("publish.py", "discovery.py", f"static/{STYLE_FILE}"):
        digest.update(_packaged(name))
    return digest.hexdigest()


def spelled(records: object) -> bytes:
    """Every field of ``records``, nested, as bytes that differ when the output would:
    msgspec's JSON (made in C, about 14x faster than their repr on 2,000 entries).
    A datetime is spelled with its UTC offset, all the output reads of its zone;
    a value JSON has no form for, by its repr."""
    return msgspec.json.encode(records, enc_hook=repr)


@cache
def _packaged(name: str) -> bytes:
    """A file of spfeed's package, read once a process: the code it runs does not change
    under it either (``spfeed schedule`` publishes again and again)."""
    return resources.files("spfeed").joinpath(name).read_bytes()


def already_rendered(out_dir: Path, inputs: str) -> list[Path] | None:
    """The files of the last publish when it had these inputs and they are intact; else None."""
    try:
        record = json.loads((out_dir / RENDERED_FILE).read_text("utf-8"))
        if record["inputs"] != inputs:
            return None
        paths = []
        for name, digest in record["files"].items():
            path = out_dir / name
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                return None
            paths.append(path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, unreadable or foreign: render as if there were none
    return paths


def record_rendered(out_dir: Path, inputs: str, files: dict[str, bytes]) -> None:
    record = {"inputs": inputs, "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}}
    try:
        # Not fsynced: a record lost in a power cut only means the next refresh renders again.
        atomic_write(out_dir / RENDERED_FILE, json.dumps(record, indent=1).encode("utf-8"), durable=False)
    except OSError as e:
        raise PublishError(str(out_dir / RENDERED_FILE), "cannot write the record of the files written") from e


def plan_channels(sources: Sequence[SourceFeed], site: FeedMeta) -> list[Channel]:
    """Every feed to write: the main one first, then sources, then categories."""
    if not sources:
        raise PublishError("sources", "nothing to publish: no source given")
    for source in sources:
        if not _SOURCE_NAME.fullmatch(source.name):
            raise PublishError(source.name, "a source name must be lower-case letters, digits, '-' or '_'")
    if len(sources) == 1:
        combined = list(sources[0].entries)
        channels = [main_channel(combined, sources[0].meta)]
    else:
        combined = _merge([_tag_language(s) for s in sources])
        channels = [main_channel(combined, replace(site, language=_shared_language(combined, site)))]
        channels += [_source_channel(source, _source_group(sources)) for source in sources]
    channels += _category_channels(channels[0], sources)
    return channels


_LAST_RENDERED: dict[str, dict[str, bytes]] = {}
"""The last publish's feed files in this process, by a digest of each channel
(``spelled``: every field of its entries and metadata)."""


def _render_channels(channels: Sequence[Channel], listings: Sequence[Listing]) -> list[dict[str, bytes]]:
    """Each channel's feeds and HTML page, except the channels the last publish in this
    process rendered as they are: under ``spfeed schedule`` a new item re-renders the main
    feed and its category's feed, not every category's. (A listing is made from its
    channel alone, so the channel's digest keys its page too.)"""
    keys = [hashlib.sha256(spelled(channel)).hexdigest() for channel in channels]
    rendered = [
        _LAST_RENDERED.get(key) or {**render_channel(channel), channel.html: feed_page(channel, described)}
        for key, channel, described in zip(keys, channels, listings, strict=True)
    ]
    _LAST_RENDERED.clear()
    _LAST_RENDERED.update(zip(keys, rendered, strict=True))
    return rendered


def render_channel(channel: Channel) -> dict[str, bytes]:
    return {channel.atom: atom_bytes(channel), channel.rss: rss_bytes(channel), channel.json: json_bytes(channel)}


def listing(channel: Channel) -> Listing:
    meta = channel.meta
    return Listing(
        title=plain_text(meta.title),
        group=channel.group,
        atom_url=feed_url(meta, channel.atom),
        rss_url=feed_url(meta, channel.rss),
        json_url=feed_url(meta, channel.json),
        page_url=meta.page_url,
        language=meta.language,
        entries=len(channel.entries),
        html_url=feed_url(meta, channel.html),
        subtitle=plain_text(meta.subtitle),
        label=channel.label,
    )


def headline(entry: FeedEntry, meta: FeedMeta) -> Headline:
    item = entry.item
    published = item.published
    return Headline(
        title=_title(entry),
        url=item.url,
        when=published.start if published else entry.updated,
        end=published.end if published else None,
        precision=published.precision if published else "minute",
        labels=entry_labels(item, meta),
        summary=plain_text(item.summary) or None,
        language=entry.language,
    )


def entry_labels(item: Item, meta: FeedMeta) -> tuple[str, ...]:
    """What a person is shown of an item's category: its name, then the page's label
    unless that says the same ("Actualités" filed under "Actualités" is shown once)."""
    labels = [category_name(item, meta)] if item.category_slug else []
    page_label = plain_text(item.category)
    if page_label and not any(_same_words(page_label, label) for label in labels):
        labels.append(page_label)
    return tuple(labels)


def _same_words(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def write_files(files: dict[str, bytes], out_dir: Path) -> Written:
    """Write the files whose bytes changed, all or none as far as the disk allows.

    Every changed file is first written in full to a temporary file beside it;
    only when all of them are on disk are they renamed over the old ones. So a
    full disk or a refused write leaves every published file as it was, and
    a crash leaves only hidden ``.<name>.*.tmp`` files, which ``serve`` never
    serves and the next publish removes.
    """
    changed: dict[Path, bytes] = {}
    unchanged: list[Path] = []
    paths = {name: out_dir / name for name in files}
    for folder in dict.fromkeys(path.parent for path in paths.values()):
        _make_folder(folder)
    remove_leftovers(paths.values())
    for name, data in files.items():
        path = paths[name]
        if _holds(path, data):
            unchanged.append(path)
        else:
            changed[path] = data
    staged: list[tuple[str, Path]] = []
    on_disk = False
    try:
        for path, data in changed.items():
            staged.append((stage(path, data, durable=False), path))
        fsync_together([tmp for tmp, _ in staged])
        on_disk = True
    except OSError as e:
        failed = next((p for tmp, p in staged if tmp == e.filename), path)
        raise PublishError(
            str(failed), f"cannot write the feed ({_reason(e)}); the published files were left as they were"
        ) from e
    finally:
        if not on_disk:
            discard(tmp for tmp, _ in staged)
    for done, (tmp, path) in enumerate(staged):
        try:
            os.replace(tmp, path)
        except OSError as e:
            # The files renamed already are whole new ones, the rest whole old ones.
            discard(tmp for tmp, _ in staged[done:])
            raise PublishError(str(path), f"cannot replace the feed ({_reason(e)})") from e
    fsync_dirs({path.parent for path in changed})
    return Written(changed=list(changed), unchanged=unchanged)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace ``path`` with ``data`` unless it already holds it.

    Leaving an identical file alone keeps its mtime, so HTTP validators
    (Last-Modified, ETag) served for it stay valid.
    """
    if _holds(path, data):
        return False
    try:
        atomic_write(path, data)
    except OSError as e:
        raise PublishError(str(path), f"cannot write the feed ({_reason(e)})") from e
    return True


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except FileNotFoundError:
        return False
    except OSError as e:
        raise PublishError(str(path), f"cannot read the current feed ({_reason(e)})") from e


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PublishError(str(folder), f"cannot create the output directory ({_reason(e)})") from e


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def feed_updated(entries: Sequence[FeedEntry]) -> datetime | None:
    return max((e.updated for e in entries), default=None)


# --- Channels -------------------------------------------------------------


def _unique(entries: Sequence[FeedEntry]) -> tuple[FeedEntry, ...]:
    """One entry per id, the first (newest) kept: duplicate ids break readers."""
    seen: set[str] = set()
    kept = []
    for entry in entries:
        if entry.item.id not in seen:
            seen.add(entry.item.id)
            kept.append(entry)
    return tuple(kept)


def _tag_language(source: SourceFeed) -> list[FeedEntry]:
    return [e if e.language else replace(e, language=source.meta.language) for e in source.entries]


def _merge(lists: Sequence[Sequence[FeedEntry]]) -> list[FeedEntry]:
    # sorted() is stable: entries updated at the same instant keep source order.
    return sorted((e for entries in lists for e in entries), key=lambda e: e.updated, reverse=True)


def _shared_language(entries: Sequence[FeedEntry], meta: FeedMeta) -> str:
    """The one language of the entries, else "mul" (BCP 47: multiple languages).

    A feed must declare a language (the W3C validator warns about an RSS
    channel without one); each entry of a "mul" feed declares its own.
    """
    languages = {e.language or meta.language for e in entries}
    if not languages:
        return meta.language
    return languages.pop() if len(languages) == 1 else MULTIPLE_LANGUAGES


def _source_channel(source: SourceFeed, group: str) -> Channel:
    stem = f"{SOURCE_DIR}/{source.name}"
    return Channel(
        meta=source.meta,
        entries=_unique(source.entries),
        atom=f"{stem}.atom",
        rss=f"{stem}.rss",
        json=f"{stem}.json",
        html=f"{stem}.html",
        group=group,
        label=source.label,
    )


def _source_group(sources: Sequence[SourceFeed]) -> str:
    languages = [source.meta.language for source in sources]
    return "By language" if len(set(languages)) == len(languages) else "By source"


def category_slug(item: Item, meta: FeedMeta) -> str | None:
    """The item's category; for one filed (and stored) under a slug the taxonomy has
    since merged into a category, that category."""
    slug = item.category_slug
    return meta.former_categories.get(slug, slug) if slug else None


def former_category(item: Item, meta: FeedMeta) -> str | None:
    """The category the item's label or type prefix was of its own before the taxonomy
    took it in ("Multilatéralisme": multilateralisme), if it was one; else None."""
    passed = item.category or (item.published.kind if item.published else None)
    if not passed or not meta.former_categories:
        return None
    own = slugify(passed)
    return own if meta.former_categories.get(own) == category_slug(item, meta) else None


def _category_channels(main: Channel, sources: Sequence[SourceFeed]) -> list[Channel]:
    by_slug: dict[str, list[FeedEntry]] = {}
    by_former: dict[str, list[FeedEntry]] = {}
    for entry in main.entries:
        slug = category_slug(entry.item, main.meta)
        if slug:
            if _SLUG.fullmatch(slug):
                by_slug.setdefault(slug, []).append(entry)
            else:
                log.warning("category slug %r is not a lowercase slug: no feed of its own", slug)
        former = former_category(entry.item, main.meta)
        if former:
            by_former.setdefault(former, []).append(entry)
    channels = [_category_channel(main, slug, entries, sources) for slug, entries in sorted(by_slug.items())]
    # Subscribers of a former category go on getting what they subscribed to: its label's items.
    return channels + [
        replace(_category_channel(main, slug, entries, sources), group=FORMER_CATEGORY)
        for slug, entries in sorted(by_former.items())
    ]


def _category_channel(main: Channel, slug: str, entries: list[FeedEntry], sources: Sequence[SourceFeed]) -> Channel:
    language = _shared_language(entries, main.meta)
    label = _category_label(entries, language, main.meta, sources)
    meta = replace(
        main.meta,
        title=f"{main.meta.title} ({label})",
        subtitle=f"{label}: {main.meta.subtitle}",
        language=language,
    )
    stem = f"{CATEGORY_DIR}/{slug}"
    return Channel(
        meta=meta,
        entries=tuple(entries),
        atom=f"{stem}.atom",
        rss=f"{stem}.rss",
        json=f"{stem}.json",
        html=f"{stem}.html",
        group="By category",
        label=label,
    )


def _category_label(entries: list[FeedEntry], language: str, main: FeedMeta, sources: Sequence[SourceFeed]) -> str:
    """The category's name in the feed's language; in a feed of several languages,
    its name in each of them, in the sources' order ("Event / Événement / Evento")."""
    metas = {source.meta.language: source.meta for source in sources}
    if language in metas:
        return category_name(entries[0].item, metas[language])
    first_of: dict[str, FeedEntry] = {}
    for entry in entries:
        first_of.setdefault(entry.language or main.language, entry)
    ordered = [lang for lang in metas if lang in first_of] + [lang for lang in first_of if lang not in metas]
    names = [category_name(first_of[lang].item, metas.get(lang, main)) for lang in ordered]
    return " / ".join(dict.fromkeys(names))


# --- Text -----------------------------------------------------------------


def plain_text(value: str | None) -> str:
    """Text safe for a text construct: no markup, no XML-forbidden characters."""
    if not value:
        return ""
    return _plain_text(value)


@lru_cache(maxsize=4096)
def _plain_text(value: str) -> str:
    # Cached: a refresh renders each title and summary some ten times (three
    # formats, the main feed and a category feed, the index page).
    text = _TAG.sub(" ", _XML_FORBIDDEN.sub("", value))
    return _SPACES.sub(" ", text).strip()


def sanitize_html(fragment: str, base_url: str) -> str:
    """HTML a reader can show safely: no script, style, iframe, on* or javascript:.

    Relative links and images are made absolute against ``base_url``.
    """
    import nh3

    def absolute(element: str, attribute: str, value: str) -> str | None:
        if attribute in ("href", "src"):
            try:
                return urljoin(base_url, value)
            except ValueError:  # "http://[::1": dropped (nh3 cannot pass an exception back)
                return None
        return value

    cleaned = nh3.clean(
        _XML_FORBIDDEN.sub("", fragment),
        url_schemes={"http", "https", "mailto"},
        attribute_filter=absolute,
    )
    # Again after cleaning: nh3 turns character references such as "&#1;" into the characters.
    return _XML_FORBIDDEN.sub("", str(cleaned)).strip()


# A fixed table, not mimetypes: that one reads the machine's /etc/mime.types
# (so two machines could write different feeds) and costs ~13 ms to load.
_IMAGE_TYPES = {
    "avif": "image/avif",
    "bmp": "image/bmp",
    "gif": "image/gif",
    "heic": "image/heic",
    "ico": "image/vnd.microsoft.icon",
    "jfif": "image/jpeg",
    "jpe": "image/jpeg",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "svg": "image/svg+xml",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "webp": "image/webp",
}


@lru_cache(maxsize=4096)
def image_type(url: str) -> str | None:
    """The image's media type from its file extension, or None if unknown (remembered,
    as ``_is_web_url`` is: every feed of an entry asks it again)."""
    name = posixpath.basename(urlsplit(url).path)
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    return _IMAGE_TYPES.get(extension)


@lru_cache(maxsize=4096)
def _is_web_url(value: str | None) -> bool:
    """Whether ``value`` is an absolute http(s) URL an XML feed can carry. Remembered: each
    entry's id, image and document are asked again by every feed and page that lists it."""
    if not value or _XML_FORBIDDEN.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # "http://[::1": an unclosed IPv6 host
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _title(entry: FeedEntry) -> str:
    return plain_text(entry.item.title) or entry.item.url


def _content(entry: FeedEntry) -> str | None:
    if not entry.content_html:
        return None
    return sanitize_html(entry.content_html, entry.item.url) or None


# --- Atom and RSS (feedgen) -----------------------------------------------


def atom_bytes(channel: Channel) -> bytes:
    fg = _generator(channel, feed_url(channel.meta, channel.atom), ATOM_TYPE, rss=False)
    doc = _parse(_render(fg.atom_str, channel.atom))
    _add_hub_link(doc.find(f"{_ATOM}link[@rel='self']"), channel.meta)
    for element, entry in zip(doc.iterfind(f"{_ATOM}entry"), channel.entries, strict=True):
        _finish_atom_entry(element, entry, channel.meta)
    return _serialize(doc, channel.atom)


def rss_bytes(channel: Channel) -> bytes:
    fg = _generator(channel, feed_url(channel.meta, channel.rss), RSS_TYPE, rss=True)
    doc = _parse(_render(fg.rss_str, channel.rss))
    _add_hub_link(doc.find(f"channel/{_ATOM}link[@rel='self']"), channel.meta)
    for element, entry in zip(doc.iterfind("channel/item"), channel.entries, strict=True):
        _finish_rss_item(element, entry)
    return _serialize(doc, channel.rss)


def _generator(channel: Channel, self_url: str, self_type: str, *, rss: bool) -> FeedGenerator:
    from feedgen.feed import FeedGenerator

    meta = channel.meta
    fg = FeedGenerator()
    if rss:
        # Media RSS carries the image: an RSS <enclosure> needs a byte length,
        # which we do not know (the W3C validator rejects length="0").
        fg.load_extension("media", atom=False, rss=True)
    fg.id(self_url)
    fg.title(plain_text(meta.title))
    fg.subtitle(plain_text(meta.subtitle) or plain_text(meta.title))
    fg.author({"name": meta.author_name, "uri": meta.author_uri})
    # feedgen's RSS <channel><link> is the href of the last link() call: the
    # self link goes first and the page last.
    fg.link(href=self_url, rel="self", type=self_type)
    fg.link(href=meta.page_url, rel="alternate", type="text/html")
    if meta.language:
        fg.language(meta.language)
    fg.generator("spfeed", version=__version__, uri=GENERATOR_URI)
    updated = feed_updated(channel.entries)
    if updated is not None:
        fg.updated(updated)
    if rss and any(entry.authors for entry in channel.entries):
        fg.load_extension("dc", atom=False, rss=True)  # dc:creator: RSS's own <author> must be an e-mail address
    for entry in channel.entries:
        _add_entry(fg, entry, meta, rss=rss)
    return fg


def _add_entry(fg: FeedGenerator, entry: FeedEntry, meta: FeedMeta, *, rss: bool) -> None:
    item = entry.item
    fe = fg.add_entry(order="append")
    fe.id(item.id)
    fe.guid(item.id, permalink=_is_web_url(item.id))
    fe.title(_title(entry))
    fe.link(href=item.url, rel="alternate", type="text/html")
    fe.updated(entry.updated)
    if item.published is not None:
        fe.published(item.published.start)
    summary = plain_text(item.summary)
    content = _content(entry)
    if summary:
        fe.summary(summary)
    if content:
        fe.content(content, type="html")
    elif not summary and not rss:
        fe.content(address_only(item.url), type="html")
    categories = entry_categories(item, meta, rss=rss)
    if categories:
        fe.category(categories)
    authors = _authors(entry)
    if authors and rss:
        # One dc:creator naming them all: readers show one (newsboat, feedparser: the last).
        fe.dc.dc_creator(", ".join(authors))
    for name in authors if not rss else []:
        fe.author({"name": name})
    image = lead_image(entry)
    if rss and image is not None:
        _add_media(fe, image)
    document = _enclosure(entry)
    if rss and document is not None:
        if document.length is not None:
            fe.enclosure(document.url, str(document.length), document.type)
        else:  # RSS's <enclosure> needs the length: Media RSS does without
            fe.media.content(url=document.url, type=document.type, medium="document", group=None)


def entry_categories(item: Item, meta: FeedMeta, *, rss: bool) -> list[dict[str, str]]:
    """The canonical category, then the page's own label (see README, "Feeds").

    feedgen writes an RSS category's text from ``label`` (else ``term``) and its
    domain from ``scheme``: RSS gets the slug, the stable identifier within
    the domain, and Atom gets the slug as term with the name as label.
    """
    categories = []
    name = None
    slug = category_slug(item, meta)
    if slug and _SLUG.fullmatch(slug):  # as for the category feeds
        canonical = {"term": slug, "scheme": category_scheme(meta)}
        if not rss:
            canonical["label"] = name = category_name(item, meta)
        categories.append(canonical)
    label = plain_text(item.category)
    # In Atom the canonical category carries its name as label: a page label
    # saying the same would show twice in a reader. RSS shows the slug, so
    # there the page's label is the one a person reads.
    if label and not (name and _same_words(label, name)):
        categories.append({"term": label, "scheme": meta.page_url})
    return categories


def category_name(item: Item, meta: FeedMeta) -> str:
    """The taxonomy's name; for a category of its own, the label or prefix it came from."""
    slug = category_slug(item, meta) or ""
    kind = item.published.kind if item.published else None
    return plain_text(meta.category_names.get(slug) or item.category or kind) or plain_text(slug)


def address_only(url: str) -> str:
    """An Atom entry's content when the page gives no teaser: the article's address.

    The W3C validator warns about an entry with neither summary nor content
    ("Missing textual content"), an empty one is "NotBlank", and a content
    with ``src`` needs a summary; the title again would be noise a reader
    shows twice. The address is what is known, in no particular language.
    """
    return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'


def lead_image(entry: FeedEntry) -> LeadImage | None:
    """The article's lead image, else the listing's; its type from the page, else the extension."""
    image = entry.image or (LeadImage(url=entry.item.image) if entry.item.image else None)
    if image is None or not _is_web_url(image.url):
        return None
    given = image.type if image.type and re.fullmatch(r"image/[\w.+-]+", image.type) else None
    return replace(image, type=given or image_type(image.url))


def _authors(entry: FeedEntry) -> list[str]:
    return [name for name in map(plain_text, entry.authors) if name]


def _enclosure(entry: FeedEntry) -> Enclosure | None:
    document = entry.enclosure
    if document is None or not _is_web_url(document.url) or not re.fullmatch(r"[\w.+-]+/[\w.+-]+", document.type):
        return None
    return document


def _add_media(fe: FeedgenEntry, image: LeadImage) -> None:
    if image.type:
        size = {"width": str(image.width), "height": str(image.height)} if image.width and image.height else {}
        fe.media.content(url=image.url, type=image.type, medium="image", group=None, **size)
    fe.media.thumbnail(url=image.url, group=None)


def _finish_atom_entry(element: etree._Element, entry: FeedEntry, meta: FeedMeta) -> None:
    from lxml import etree

    # feedgen drops rel and type from entry links; ours are: alternate, then enclosure.
    link = element.find(f"{_ATOM}link")
    if link is not None:
        link.set("rel", "alternate")
        link.set("type", "text/html")
    image = lead_image(entry)
    document = _enclosure(entry)
    if link is not None and document is not None:
        attributes = {"href": document.url, "rel": "enclosure", "type": document.type}
        if document.length is not None:
            attributes["length"] = str(document.length)
        link.addnext(etree.Element(f"{_ATOM}link", attributes))
    if link is not None and image is not None and image.type:
        link.addnext(etree.Element(f"{_ATOM}link", href=image.url, rel="enclosure", type=image.type))
    if entry.language and entry.language != meta.language:
        element.set(_XML_LANG, entry.language)


def _add_hub_link(self_link: etree._Element | None, meta: FeedMeta) -> None:
    """WebSub: the hub's link goes beside the self link (an atom:link in RSS too)."""
    if meta.hub and self_link is not None:
        self_link.addnext(self_link.makeelement(f"{_ATOM}link", href=meta.hub, rel="hub"))


def _finish_rss_item(element: etree._Element, entry: FeedEntry) -> None:
    # An RSS description is HTML by convention: plain text is escaped once
    # more, so "<b>" in prose is shown, not applied.
    description = element.find("description")
    if description is not None and description.text:
        description.text = escape(description.text, quote=False)


def _parse(data: bytes) -> etree._Element:
    from lxml import etree

    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def _serialize(doc: etree._Element, path: str) -> bytes:
    from lxml import etree

    href = posixpath.relpath(STYLE_FILE, posixpath.dirname(path) or ".")
    doc.addprevious(etree.ProcessingInstruction("xml-stylesheet", f'type="text/css" href="{href}"'))
    return etree.tostring(doc.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _render(method: Callable[..., bytes], name: str) -> bytes:
    try:
        return method(pretty=False)
    except ValueError as e:
        raise PublishError(name, "feedgen refused the feed") from e


# --- JSON Feed ------------------------------------------------------------


def json_bytes(channel: Channel) -> bytes:
    meta = channel.meta
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": plain_text(meta.title),
        "home_page_url": meta.page_url,
        "feed_url": feed_url(meta, channel.json),
        **({"hubs": [{"type": "WebSub", "url": meta.hub}]} if meta.hub else {}),
        "description": plain_text(meta.subtitle),
        "authors": [{"name": meta.author_name, "url": meta.author_uri}],
    }
    if meta.language:
        feed["language"] = meta.language
    feed["items"] = [_json_item(entry, meta) for entry in channel.entries]
    return indented_json(feed)


def indented_json(value: Any) -> bytes:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` and a newline, as UTF-8, byte for
    byte (a test holds them equal), by msgspec's encoder: Python's encoder indents in pure
    Python, about 6x slower on a feed of 2,000 items. For what a feed holds: text, integers,
    booleans and null (msgspec spells some floats otherwise: 1e16, not 1e+16)."""
    return msgspec.json.format(msgspec.json.encode(value), indent=2) + b"\n"


def _json_item(entry: FeedEntry, meta: FeedMeta) -> dict[str, Any]:
    item = entry.item
    summary = plain_text(item.summary)
    out: dict[str, Any] = {"id": item.id, "url": item.url, "title": _title(entry)}
    content = _content(entry)
    if content:
        out["content_html"] = content
    else:
        # JSON Feed requires content_html or content_text, two forms of the same
        # text: the teaser stands in only when there is no article.
        out["content_text"] = summary or _title(entry)
    if summary:
        out["summary"] = summary
    image = lead_image(entry)
    if image is not None:
        out["image"] = image.url
    authors = _authors(entry)
    if authors:
        out["authors"] = [{"name": name} for name in authors]
    document = _enclosure(entry)
    if document is not None:
        attachment: dict[str, Any] = {"url": document.url, "mime_type": document.type}
        if document.length is not None:
            attachment["size_in_bytes"] = document.length
        out["attachments"] = [attachment]
    if item.published is not None:
        out["date_published"] = item.published.start.isoformat(timespec="seconds")
    out["date_modified"] = entry.updated.isoformat(timespec="seconds")
    tags = entry_labels(item, meta)
    if tags:
        out["tags"] = list(tags)
    if entry.language and entry.language != meta.language:
        out["language"] = entry.language
    return out
