"""The corpus scorer must count right, or the generality table means nothing."""

from __future__ import annotations

from typing import Any

from .fieldscore import FIELDS, Score, details, markdown_table, score, total


def item(n: int, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "title": f"Title {n}",
        "url": f"https://www.ilo.org/resource/news/item-{n}",
        "published": f"2023-03-{n:02d}",
        "end": None,
        "category": "News",
        "summary": f"Summary {n}.",
        "image": None,
    }
    row.update(fields)
    return row


GOLDEN = [item(1), item(2), item(3)]


def test_identical_items_score_every_field():
    result = score(GOLDEN, GOLDEN)
    assert (result.fields_exact, result.fields_total) == (21, 21)
    assert result.ratio == 1.0
    assert (result.missing, result.extra, result.out_of_order, result.mismatches) == ([], [], 0, [])


def test_one_wrong_field_costs_that_field_only():
    found = [item(1), item(2, category=None), item(3)]
    result = score(found, GOLDEN)
    assert result.exact["category"] == 2 and result.total["category"] == 3
    assert all(result.exact[f] == 3 for f in FIELDS if f != "category")
    assert result.fields_exact == 20
    assert [(m.field, m.expected, m.found) for m in result.mismatches] == [("category", "News", None)]


def test_null_in_the_golden_must_be_null_in_the_extraction():
    golden = [item(1, image=None)]
    assert score([item(1, image="https://www.ilo.org/a.jpg")], golden).exact["image"] == 0
    assert score([item(1, image=None)], golden).exact["image"] == 1


def test_text_is_compared_with_whitespace_collapsed_but_otherwise_exact():
    found = [item(1, title="  Title\n 1 "), item(2, title="title 2"), item(3)]
    result = score(found, GOLDEN)
    assert result.exact["title"] == 2
    assert [m.found for m in result.mismatches] == ["title 2"]


def test_a_missing_item_loses_all_its_fields():
    result = score([item(1), item(3)], GOLDEN)
    assert result.missing == [GOLDEN[1]["url"]]
    assert result.fields_exact == 14 and result.fields_total == 21
    assert all(result.exact[f] == 2 and result.total[f] == 3 for f in FIELDS)


def test_nothing_found_scores_zero_of_every_golden_field():
    result = score([], GOLDEN)
    assert (result.fields_exact, result.fields_total, result.ratio) == (0, 21, 0.0)
    assert len(result.missing) == 3 and result.order_ok


def test_extra_items_are_counted_apart_and_do_not_change_the_fields():
    stray = item(9, url="https://www.ilo.org/global/about-the-ilo/lang--en/index.htm")
    result = score([stray, *GOLDEN], GOLDEN)
    assert result.extra == [stray["url"]]
    assert (result.fields_exact, result.fields_total) == (21, 21)
    assert result.order_ok


def test_an_item_found_twice_is_one_match_and_one_extra():
    result = score([item(1), item(2), item(1), item(3)], GOLDEN)
    assert result.extra == [GOLDEN[0]["url"]]
    assert result.fields_exact == 21 and result.order_ok


def test_items_match_by_canonical_url_and_the_url_field_is_compared_as_written():
    tracked = "http://www.ILO.org/resource/news/item-2/?utm_source=x"
    result = score([item(1), item(2, url=tracked), item(3)], GOLDEN)
    assert result.missing == [] and result.extra == []
    assert result.exact["url"] == 2 and result.exact["title"] == 3
    assert [(m.field, m.found) for m in result.mismatches] == [("url", tracked)]


def test_different_paths_do_not_match():
    result = score([item(1), item(2, url="https://www.ilo.org/resource/news/item-2b"), item(3)], GOLDEN)
    assert result.missing == [GOLDEN[1]["url"]]
    assert result.extra == ["https://www.ilo.org/resource/news/item-2b"]


def test_order_mismatch_counts_the_items_out_of_place():
    assert score([item(2), item(1), item(3)], GOLDEN).out_of_order == 1
    assert score([item(3), item(2), item(1)], GOLDEN).out_of_order == 2
    assert not score([item(3), item(1), item(2)], GOLDEN).order_ok
    # A missing item does not make the others out of order.
    assert score([item(1), item(3)], GOLDEN).order_ok


def test_scores_add_up_over_pages():
    a = score([item(1)], [item(1), item(2)])
    b = score([item(5, category="Press release"), item(7)], [item(5), item(6)])
    summed = total([a, b])
    assert summed.fields_total == 28
    assert summed.fields_exact == 7 + 6
    assert summed.missing == [item(2)["url"], item(6)["url"]]
    assert summed.extra == [item(7)["url"]]
    assert total([]) == Score() and Score().ratio == 1.0


def test_markdown_table_has_a_row_per_shape_and_an_overall_row():
    rows = [("a.html", score(GOLDEN, GOLDEN)), ("b.html", score([item(2), item(1)], GOLDEN))]
    lines = markdown_table(rows).splitlines()
    assert lines[0].startswith("| shape | title | url |")
    assert lines[2] == "| a.html | 3/3 | 3/3 | 3/3 | 3/3 | 3/3 | 3/3 | 3/3 | 21/21 | 100.0 | 0 | 0 | ok |"
    assert lines[3] == "| b.html | 2/3 | 2/3 | 2/3 | 2/3 | 2/3 | 2/3 | 2/3 | 14/21 | 66.7 | 1 | 0 | 1 moved |"
    assert lines[4] == "| **overall** | 5/6 | 5/6 | 5/6 | 5/6 | 5/6 | 5/6 | 5/6 | 35/42 | 83.3 | 1 | 0 | 1 moved |"


def test_details_list_the_missing_the_extra_and_each_field_read_otherwise_once():
    found = [item(1, category="Feature"), item(3), item(4)]
    assert details(score(found, GOLDEN)) == [
        f"missing {GOLDEN[1]['url']}",
        f"extra {item(4)['url']}",
        f"category of {GOLDEN[0]['url']}: expected 'News', found 'Feature'",
    ]
