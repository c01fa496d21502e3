from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from spfeed.errors import StoreError
from spfeed.lock import refresh_lock
from spfeed.models import Item, Page, When
from spfeed.store import (
    SCHEMA_VERSION,
    Store,
    content_hash,
    first_updated,
    stored_items,
    stored_layouts,
    stored_sources,
    utc_text,
)

T0 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
ZURICH = ZoneInfo("Europe/Zurich")
PAGE = Page(url="https://www.ilo.org/secsoc/", text="<html>…</html>", fetched_at=T0, etag='"abc"', body_hash="cafe")

# The schema as spfeed 0.1 created it (user_version 1), frozen here so the
# migration to the current version is tested from a real old file.
SCHEMA_V1 = """
CREATE TABLE items (
    id TEXT PRIMARY KEY, url TEXT NOT NULL, title TEXT NOT NULL, summary TEXT, image TEXT,
    category TEXT, category_slug TEXT, published TEXT, published_end TEXT, precision TEXT,
    kind TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, on_page INTEGER NOT NULL,
    content_hash TEXT NOT NULL, updated TEXT NOT NULL, sort_at TEXT NOT NULL, seq INTEGER NOT NULL
);
CREATE INDEX items_feed_order ON items (sort_at DESC, seq DESC);
CREATE INDEX items_on_page ON items (on_page);
CREATE INDEX items_last_seen ON items (last_seen);
CREATE TABLE sources (
    location TEXT PRIMARY KEY, page_url TEXT, last_success TEXT, item_count INTEGER
);
PRAGMA user_version = 1;
"""


def item(slug: str, title: str | None = None, day: int = 1, **changes: object) -> Item:
    base = Item(
        id=f"https://www.ilo.org/secsoc/news/{slug}.htm",
        title=title or slug.upper(),
        url=f"https://www.ilo.org/secsoc/news/{slug}.htm",
        published=When(start=datetime(2023, 5, day, tzinfo=ZURICH)),
        category="ILO Live",
        category_slug="ilo-live",
        summary=f"About {slug}.",
    )
    return replace(base, **changes)


def record(store: Store, items: list[Item], now: datetime = T0, **kwargs: object):
    kwargs.setdefault("source_name", "en")
    kwargs.setdefault("location", "https://www.ilo.org/secsoc/")
    return store.record_refresh(items, page=PAGE, now=now, **kwargs)


def schema_of(path: Path) -> dict[str, list[tuple]]:
    """Every table's columns and every index's columns, as SQLite reports them."""
    db = sqlite3.connect(path)
    try:
        shape: dict[str, list[tuple]] = {}
        for kind, name in db.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"):
            pragma = "table_info" if kind == "table" else "index_xinfo"
            shape[f"{kind} {name}"] = [tuple(row) for row in db.execute(f"PRAGMA {pragma}({name})")]
        return shape
    finally:
        db.close()


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "spfeed.sqlite") as opened:
        yield opened


def test_a_new_store_is_created_at_the_latest_version_in_wal_mode(tmp_path):
    path = tmp_path / "sub" / "dir" / "spfeed.sqlite"
    with Store.open(path) as store:
        assert store.version == SCHEMA_VERSION
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"items", "sources", "articles", "layouts"}
    db.close()


def test_an_empty_file_becomes_a_store(tmp_path):
    path = tmp_path / "spfeed.sqlite"
    path.touch()
    with Store.open(path) as store:
        record(store, [item("a")])
        assert store.version == SCHEMA_VERSION
        assert store.get(item("a").id) is not None


def test_a_version_1_store_migrates_keeping_its_items(tmp_path):
    old = tmp_path / "v1.sqlite"
    db = sqlite3.connect(old)
    db.executescript(SCHEMA_V1)
    db.execute(
        "INSERT INTO items VALUES ('https://www.ilo.org/x', 'http://www.ilo.org/x', 'Kept', NULL, NULL,"
        " NULL, NULL, '2023-05-01T00:00:00+02:00', NULL, 'day', NULL, '2024-01-01T00:00:00.000000Z',"
        " '2024-01-02T00:00:00.000000Z', 0, 'h', '2023-05-01T00:00:00+02:00',"
        " '2023-04-30T22:00:00.000000Z', 1)"
    )
    db.execute("INSERT INTO sources VALUES ('https://www.ilo.org/secsoc/', NULL, '2024-01-02T00:00:00.000000Z', 1)")
    db.commit()
    db.close()

    with Store.open(old) as store:
        assert store.version == SCHEMA_VERSION == 7
        assert store.layouts() == {}
        kept = store.get("https://www.ilo.org/x")
        assert kept.entry.item.title == "Kept" and kept.first_seen == datetime(2024, 1, 1, tzinfo=UTC)
        assert store.source("https://www.ilo.org/secsoc/")["etag"] is None
        record(store, [item("a")])
        assert store.source("https://www.ilo.org/secsoc/")["etag"] == '"abc"'
        assert [e.item.title for e in store.recent_entries(5)] == ["A", "Kept"]
        assert [e.item.title for e in store.recent_entries(5, source="en")] == ["A"]
        # "A" is dated the same day as "Kept": the second after it
        assert store.get(item("a").id).entry.updated == kept.entry.updated + timedelta(seconds=1)
    with Store.open(tmp_path / "new.sqlite"):
        pass
    assert schema_of(old) == schema_of(tmp_path / "new.sqlite")


def test_an_old_store_whose_items_share_updated_gets_them_apart_moving_only_the_later_ones(tmp_path):
    old = tmp_path / "v1.sqlite"
    db = sqlite3.connect(old)
    db.executescript(SCHEMA_V1)
    midnight = "2023-05-01T00:00:00+02:00"
    rows = {  # seq: updated
        1: midnight,
        2: midnight,
        3: "2023-05-01T00:00:01+02:00",  # had a second of its own: stays
        4: "2023-04-30T22:00:00+00:00",  # the same instant as midnight, spelled in UTC
        5: "2023-05-02T09:30:00+02:00",
    }
    for seq, updated in rows.items():
        db.execute(
            "INSERT INTO items VALUES (?, ?, 'T', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            " '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z', 1, 'h', ?,"
            " '2024-01-01T00:00:00.000000Z', ?)",
            (f"https://www.ilo.org/{seq}", f"https://www.ilo.org/{seq}", updated, seq),
        )
    db.commit()
    db.close()

    with Store.open(old) as store:
        after = {seq: store.get(f"https://www.ilo.org/{seq}").entry.updated.isoformat() for seq in rows}
    assert after == {
        1: midnight,
        2: "2023-05-01T00:00:02+02:00",
        3: "2023-05-01T00:00:01+02:00",
        4: "2023-04-30T22:00:03+00:00",
        5: "2023-05-02T09:30:00+02:00",
    }


def test_a_store_from_a_newer_spfeed_is_refused(tmp_path):
    path = tmp_path / "spfeed.sqlite"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}").connection.close()
    with pytest.raises(StoreError, match="newer spfeed"):
        Store.open(path)


def test_another_programs_database_is_not_taken_over(tmp_path):
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="not an spfeed store"):
        Store.open(path)


def test_a_damaged_file_says_how_to_rebuild(tmp_path):
    path = tmp_path / "spfeed.sqlite"
    path.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "damaged" in message
    assert f"mv {path} {path}.broken" in message and "spfeed refresh" in message


def test_recording_the_same_items_twice_leaves_the_same_rows(store):
    items = [item("b", day=2), item("a")]
    first = record(store, items)
    rows = [store.get(i.id) for i in items]
    second = record(store, items, now=T0 + timedelta(hours=1))
    assert (first.new, second.new, second.unchanged, second.updated) == (2, 0, 2, 0)
    again = [store.get(i.id) for i in items]
    assert [replace(r, last_seen=T0) for r in again] == rows
    assert [r.last_seen for r in again] == [T0 + timedelta(hours=1)] * 2


def test_a_title_edit_keeps_the_id_and_moves_updated_once(store):
    record(store, [item("a")])
    later = T0 + timedelta(days=2)
    changes = record(store, [item("a", "Edited")], now=later)
    stored = store.get(item("a").id)
    assert changes.updated == 1 and changes.stored == 1
    assert stored.entry.item.title == "Edited" and stored.entry.updated == later
    assert stored.first_seen == T0
    record(store, [item("a", "Edited")], now=later + timedelta(days=1))
    assert store.get(item("a").id).entry.updated == later


def test_updated_never_goes_back_when_the_clock_does(store):
    record(store, [item("a")])
    record(store, [item("a", "Edited")], now=T0 + timedelta(days=2))
    record(store, [item("a", "Edited again")], now=T0 + timedelta(days=1))
    assert store.get(item("a").id).entry.updated == T0 + timedelta(days=2)


def test_items_off_the_page_are_kept_and_marked(store):
    record(store, [item("b", day=2), item("a")])
    changes = record(store, [item("c", day=3), item("b", day=2)])
    assert (changes.new, changes.gone, changes.stored) == (1, 1, 3)
    assert store.get(item("a").id).on_page is False
    assert [e.item.id for e in store.recent_entries(10)] == [item(s).id for s in "cba"]


def test_retention_only_deletes_items_gone_longer_than_the_setting(store):
    record(store, [item("b", day=2), item("a")])
    record(store, [item("b", day=2)], now=T0 + timedelta(days=1))
    kept = record(store, [item("b", day=2)], now=T0 + timedelta(days=30), retain_days=30)
    assert kept.pruned == 0  # gone exactly 29 days
    pruned = record(store, [item("b", day=2)], now=T0 + timedelta(days=32), retain_days=30)
    assert (pruned.pruned, pruned.stored) == (1, 1)
    assert store.get(item("a").id) is None and store.get(item("b").id) is not None


def test_recent_entries_are_newest_first_and_limited(store):
    record(store, [item(f"n{day}", day=day) for day in range(1, 21)])
    assert [e.item.title for e in store.recent_entries(3)] == ["N20", "N19", "N18"]


def test_recent_entries_of_one_source(store):
    record(store, [item("en1", day=3), item("en2", day=1)], source_name="en")
    record(store, [item("fr1", day=2)], location="https://www.ilo.org/fr/", source_name="fr")
    assert [e.item.title for e in store.recent_entries(10, source="en")] == ["EN1", "EN2"]
    assert [e.item.title for e in store.recent_entries(10, source="fr")] == ["FR1"]
    assert [e.item.title for e in store.recent_entries(10)] == ["EN1", "FR1", "EN2"]


def test_the_source_row_keeps_the_validators_for_the_next_conditional_fetch(store):
    record(store, [item("a")])
    assert store.source("https://www.ilo.org/secsoc/") == {
        "location": "https://www.ilo.org/secsoc/",
        "name": "en",
        "page_url": "https://www.ilo.org/secsoc/",
        "last_success": "2024-05-01T06:00:00.000000Z",
        "item_count": 1,
        "etag": '"abc"',
        "last_modified": None,
        "body_hash": "cafe",
        "language": None,
    }


def test_the_source_row_keeps_the_language_the_page_last_declared(store):
    location = "https://www.ilo.org/secsoc/"
    for declared, kept in (("de", "de"), (None, "de"), ("fr", "fr"), (None, "fr")):
        record(store, [item("a")], language=declared)
        assert store.source(location)["language"] == kept, declared


def test_a_failure_inside_a_refresh_writes_nothing(store, monkeypatch):
    record(store, [item("a")])
    before = store.get(item("a").id)

    def fail(*args: object) -> int:
        raise sqlite3.OperationalError("disk I/O error (injected)")

    monkeypatch.setattr(Store, "_mark_gone", fail)
    with pytest.raises(StoreError, match="disk I/O error"):
        record(store, [item("b", day=2), item("a", "Edited")], now=T0 + timedelta(days=1))
    monkeypatch.undo()
    assert store.get(item("b").id) is None
    assert store.get(item("a").id) == before


def test_a_refresh_without_items_or_with_a_naive_clock_is_refused(store):
    with pytest.raises(ValueError, match="without items"):
        record(store, [])
    with pytest.raises(ValueError, match="timezone-aware"):
        record(store, [item("a")], now=datetime(2024, 5, 1))
    assert store.get(item("a").id) is None


def test_the_content_hash_sees_what_a_reader_sees_only():
    base = item("a")
    assert content_hash(base) == content_hash(replace(base, url="http://www.ilo.org/secsoc/news/a.htm?utm_x=1"))
    same_instant = When(start=datetime(2023, 4, 30, 22, 0, tzinfo=UTC), precision="minute")
    assert content_hash(base) == content_hash(replace(base, published=same_instant))
    for change in ({"title": "B"}, {"summary": "Other."}, {"image": "https://x/i.jpg"}, {"category": "News"}):
        assert content_hash(base) != content_hash(replace(base, **change))
    with_kind = replace(base, published=replace(base.published, kind="Press release"))
    assert content_hash(base) != content_hash(with_kind)
    assert content_hash(base) != content_hash(replace(base, published=When(start=datetime(2023, 5, 2, tzinfo=UTC))))
    assert content_hash(base) != content_hash(replace(base, published=None))


def test_the_content_hash_of_an_item_does_not_change_between_versions():
    # Stores keep these digests: another spelling of the same item's JSON would
    # make every stored item "updated" at the first refresh after an upgrade.
    assert content_hash(item("a")) == "821207ef1c532641ec7552109a170883c748b19bdb0cc197f533954baca9f0ec"
    accented = item("b", published=None, summary=None, category="Communiqué de presse")
    assert content_hash(accented) == "8acead100c47a8b6410f63e9f63999865b233fb3048836033a55b0a0a1b473b2"


_FIELD_TEXT = st.none() | st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@given(title=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40), summary=_FIELD_TEXT,
       image=_FIELD_TEXT, category=_FIELD_TEXT, kind=_FIELD_TEXT, dated=st.booleans())
def test_the_content_hash_is_taken_of_what_json_dumps_wrote(title, summary, image, category, kind, dated):
    # How the stored digests were made (0.1 .. the switch to msgspec's encoder): the same bytes, or
    # every stored item would be "updated" once.
    published = When(start=datetime(2023, 5, 1, 9, 30, tzinfo=UTC), kind=kind) if dated else None
    one = replace(item("a"), title=title, summary=summary, image=image, category=category, category_slug=category,
                  published=published)
    seen = {
        "title": title, "summary": summary, "image": image, "category": category, "category_slug": category,
        "start": "2023-05-01T09:30:00+00:00" if dated else None, "end": None, "kind": kind if dated else None,
    }
    spelled = json.dumps(seen, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    assert content_hash(one) == hashlib.sha256(spelled).hexdigest()


def test_a_page_longer_than_one_lookup_is_recorded_item_by_item(store):
    # The store reads the page's stored rows in batches of ids: across a batch's
    # edge, every item must still be found new, edited or unchanged.
    first = [item(f"n{number}", day=1 + number % 28) for number in range(1201)]
    assert record(store, first).new == 1201
    edited = {f"n{number}" for number in (0, 499, 500, 1000, 1200)}
    second = [item("fresh", day=28)] + [
        replace(old, title="Edited") if old.id.rsplit("/", 1)[1][:-4] in edited else old for old in first[1:]
    ]
    later = T0 + timedelta(hours=1)
    changes = record(store, second, now=later)
    assert (changes.new, changes.updated, changes.unchanged, changes.gone, changes.stored) == (1, 4, 1196, 1, 1202)
    # edited at the same refresh: a second apart, the bottom of the page first
    edited_updated = [store.get(item(name).id).entry.updated for name in ("n1200", "n1000", "n500", "n499")]
    assert edited_updated == [later + timedelta(seconds=n) for n in range(4)]
    assert store.get(item("n500").id).entry.item.title == "Edited"
    # 24 items of its day (n529, n557, … n1173) stand below it on the page and came first
    assert store.get(item("n501").id).entry.updated == first[501].published.start + timedelta(seconds=24)
    assert store.get(item("n501").id).last_seen == later
    assert store.get(item("n0").id).on_page is False
    # numbered after every stored item, so first among the items of its day
    assert store.recent_entries(1)[0].item.id == item("fresh").id


def test_first_updated_is_the_date_but_never_in_the_future():
    assert first_updated(item("a"), T0) == datetime(2023, 5, 1, tzinfo=ZURICH)
    assert first_updated(item("a", published=None), T0) == T0
    future = When(start=datetime(2030, 1, 1, tzinfo=ZURICH))
    assert first_updated(item("a", published=future), T0) == T0


@given(
    moment=st.datetimes(
        min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.sampled_from([UTC, ZURICH])
    )
)
def test_utc_text_is_strftime_spelling_of_the_utc_instant(moment):
    # Stored timestamps are compared as text with older rows: the spelling must never drift.
    assert utc_text(moment) == moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_the_lock_refuses_a_second_holder_until_the_first_lets_go(tmp_path):
    path = tmp_path / "spfeed.sqlite"
    with refresh_lock(path, timeout=0):
        with pytest.raises(StoreError, match="another refresh is using this store"):
            with refresh_lock(path, timeout=0.1):
                pass
    with refresh_lock(path, timeout=0):
        assert (tmp_path / "spfeed.sqlite.lock").exists()


texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
optional_texts = st.none() | texts
moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.sampled_from([UTC, ZURICH])
)
offsets = st.builds(
    lambda moment, minutes: moment.astimezone(timezone(timedelta(minutes=minutes))),
    moments,
    st.integers(-12 * 60, 14 * 60),
)
whens = st.builds(
    When,
    start=offsets,
    end=st.none() | offsets,
    precision=st.sampled_from(["month", "day", "minute"]),
    kind=st.none() | texts,
)


@st.composite
def items(draw: st.DrawFn) -> Item:
    path = draw(st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True))
    return Item(
        id=f"https://www.ilo.org/{path}",
        title=draw(texts),
        url=f"http://www.ilo.org/{path}/",
        published=draw(st.none() | whens),
        category=draw(optional_texts),
        category_slug=draw(optional_texts),
        summary=draw(optional_texts),
        image=draw(optional_texts),
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(items(), min_size=1, max_size=5, unique_by=lambda i: i.id))
def test_items_round_trip_through_the_store(tmp_path_factory, drawn):
    with Store.open(tmp_path_factory.mktemp("store") / "spfeed.sqlite") as store:
        record(store, drawn)
        for original in drawn:
            stored = store.get(original.id)
            assert stored.entry.item == original
            assert stored.entry.item.published is None or (
                stored.entry.item.published.start.utcoffset() == original.published.start.utcoffset()
            )


def test_a_source_feed_reads_its_own_index_not_the_whole_history(tmp_path):
    # Growth (benchmarks/store_growth.py): with the other sources' items
    # skipped one by one, a small source's feed cost the store's size.
    path = tmp_path / "s.sqlite"
    with Store.open(path):
        pass
    db = sqlite3.connect(path)
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM items WHERE source = ? ORDER BY sort_at DESC, seq DESC LIMIT 50", ("en",)
    ).fetchall()
    db.close()
    assert any("items_source_order" in row[-1] and "TEMP B-TREE" not in row[-1] for row in plan), plan


def test_a_layout_change_is_recorded_with_the_profile_it_replaced_and_when(store):
    first = store.record_layout("en", profile="ilo-legacy", yields=[7], now=T0)
    assert (first.previous, first.changed_at, first.learned) == (None, None, None)
    same = store.record_layout("en", profile="ilo-legacy", yields=[7, 7], now=T0 + timedelta(hours=1))
    assert same.changed_at is None

    later = T0 + timedelta(hours=2)
    learned = '[[profile]]\nname = "learned-en"\ndetect = "article"\nitem = "article"\ntitle = "a"\nlink = "a"\n'
    changed = store.record_layout("en", profile="learned-en", yields=[7, 7, 7], now=later, learned=learned)
    assert (changed.previous, changed.changed_at, changed.learned_name) == ("ilo-legacy", later, "learned-en")

    # Later refreshes by the same profile keep the record of the change, and the learned profile.
    kept = store.record_layout("en", profile="learned-en", yields=[7, 7, 7, 1], now=later + timedelta(hours=1),
                               drop_from=7)
    assert (kept.previous, kept.changed_at, kept.learned, kept.drop_from) == ("ilo-legacy", later, learned, 7)
    assert store.layouts() == {"en": kept}


def test_layouts_and_items_are_read_without_writing_a_byte(tmp_path):
    path = tmp_path / "spfeed.sqlite"
    with Store.open(path) as opened:
        record(opened, [item("a"), item("b")])
        opened.record_layout("en", profile="ilo-legacy", yields=[2], now=T0)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert stored_layouts(path)["en"].yields == (2,)
    assert set(stored_items(path, [item("a").id, "https://www.ilo.org/unknown"])) == {item("a").id}
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    assert stored_layouts(tmp_path / "none.sqlite") == {} and stored_items(tmp_path / "none.sqlite", ["x"]) == {}


def test_what_a_killed_refresh_committed_is_read_from_the_wal_it_left(tmp_path):
    # A refresh killed between its commit and its close leaves the rows in the
    # WAL beside the store: what the files look like is copied while it is open.
    live, crashed = tmp_path / "live", tmp_path / "crashed"
    live.mkdir(), crashed.mkdir()
    with Store.open(live / "spfeed.sqlite") as opened:
        record(opened, [item("a")])
        opened.record_layout("en", profile="ilo-legacy", yields=[1], now=T0)
        for part in live.iterdir():
            (crashed / part.name).write_bytes(part.read_bytes())
    path = crashed / "spfeed.sqlite"
    assert (crashed / "spfeed.sqlite-wal").stat().st_size > 0
    main_file = path.read_bytes()

    assert stored_sources(path)["https://www.ilo.org/secsoc/"]["item_count"] == 1
    assert stored_layouts(path)["en"].yields == (1,)
    assert set(stored_items(path, [item("a").id])) == {item("a").id}
    assert path.read_bytes() == main_file


def test_a_store_from_before_layouts_reads_as_none_without_being_migrated(tmp_path):
    old = tmp_path / "v1.sqlite"
    db = sqlite3.connect(old)
    db.executescript(SCHEMA_V1)
    db.close()
    before = old.read_bytes()
    assert stored_layouts(old) == {} and old.read_bytes() == before


# --- No two items share `updated` -------------------------------------------


def all_updated(store: Store) -> dict[str, datetime]:
    return {entry.item.id: entry.updated for entry in store.recent_entries(10_000)}


def test_items_of_one_day_get_its_midnight_a_second_apart_bottom_of_the_page_first(store):
    record(store, [item("top"), item("middle"), item("bottom")])
    midnight = datetime(2023, 5, 1, tzinfo=ZURICH)
    assert [(e.item.title, e.updated) for e in store.recent_entries(5)] == [
        ("TOP", midnight + timedelta(seconds=2)),
        ("MIDDLE", midnight + timedelta(seconds=1)),
        ("BOTTOM", midnight),
    ]
    # published stays the page's day: only updated tells them apart
    assert {e.item.published.start for e in store.recent_entries(5)} == {midnight}


def test_a_real_time_of_day_is_kept_and_only_a_clash_moves_it(store):
    nine = When(start=datetime(2023, 5, 1, 9, 0, tzinfo=ZURICH), precision="minute")
    record(store, [item("a", published=nine), item("b", published=nine), item("c", published=nine)])
    assert sorted(all_updated(store).values()) == [nine.start + timedelta(seconds=n) for n in range(3)]


def test_one_instant_spelled_with_two_offsets_is_one(store):
    in_utc = When(start=datetime(2023, 4, 30, 22, 0, tzinfo=UTC))
    record(store, [item("zurich"), item("utc", published=in_utc)])
    assert len({moment.astimezone(UTC) for moment in all_updated(store).values()}) == 2


def test_items_edited_or_first_seen_undated_at_one_refresh_are_a_second_apart(store):
    record(store, [item("a"), item("b"), item("c", published=None), item("d", published=None)])
    assert all_updated(store)[item("c").id] == T0 + timedelta(seconds=1)
    assert all_updated(store)[item("d").id] == T0
    later = T0 + timedelta(hours=1)
    undated = [item("c", published=None), item("d", published=None)]
    record(store, [item("a", title="New A"), item("b", title="New B"), *undated], now=later)
    updated = all_updated(store)
    assert (updated[item("a").id], updated[item("b").id]) == (later + timedelta(seconds=1), later)


def test_an_item_found_later_on_a_day_already_stored_takes_the_next_free_second(store):
    record(store, [item("x"), item("y")])
    before = all_updated(store)
    record(store, [item("w"), item("x"), item("y")], now=T0 + timedelta(days=1))
    after = all_updated(store)
    assert {key: after[key] for key in before} == before
    assert after[item("w").id] == datetime(2023, 5, 1, 0, 0, 2, tzinfo=ZURICH)


pages = st.lists(
    st.builds(
        lambda slug, day, title: item(slug, title=title, day=day),
        st.sampled_from("abcdefghij"),
        st.integers(1, 3),
        st.sampled_from(["T", "U"]),
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda i: i.id,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(refreshes=st.lists(pages, min_size=1, max_size=4))
def test_any_run_of_refreshes_keeps_updated_distinct_and_moves_only_what_changed(tmp_path_factory, refreshes):
    # Few days and few titles: items keep landing on one another's midnight and being edited.
    with Store.open(tmp_path_factory.mktemp("store") / "spfeed.sqlite") as store:
        for number, page in enumerate(refreshes):
            before = {e.item.id: e for e in store.recent_entries(100)}
            record(store, page, now=T0 + timedelta(hours=number))
            after = store.recent_entries(100)
            assert len({e.updated.astimezone(UTC).replace(microsecond=0) for e in after}) == len(after)
            for entry in after:
                old = before.get(entry.item.id)
                if old is not None and old.item == entry.item:
                    assert entry.updated == old.updated  # unchanged: not moved


def test_an_articles_own_time_wins_over_the_days_tiebreak_and_still_shares_no_second(store):
    # full text (fulltext.record) sets what the article's page tells
    record(store, [item("a"), item("b")])
    precise = When(start=datetime(2023, 5, 1, 14, 30, tzinfo=ZURICH), precision="minute")
    store.set_published(item("a").id, precise, precise.start)
    assert all_updated(store)[item("a").id] == precise.start
    store.set_updated(item("b").id, precise.start)
    assert all_updated(store)[item("b").id] == precise.start + timedelta(seconds=1)
    store.set_updated(item("a").id, precise.start)  # its own second: kept
    assert all_updated(store)[item("a").id] == precise.start


def test_finding_free_seconds_for_a_crowded_day_reads_the_store_in_one_query(store):
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    record(store, [item(f"item{n}") for n in range(60)])  # 60 items wish the same midnight
    store._db.set_trace_callback(None)
    lookups = [s for s in statements if s.startswith("SELECT updated_key")]
    assert len(lookups) == 1  # not one per item moved up a second
    midnight = datetime(2023, 5, 1, tzinfo=ZURICH)
    assert sorted(all_updated(store).values()) == [midnight + timedelta(seconds=n) for n in range(60)]
