"""Time expressions against a fixed publication date (Saturday 2022-11-05)."""

from __future__ import annotations

import pytest

from claimgraph.timex import normalise

PUB = "2022-11-05"


@pytest.mark.parametrize(
    ("expr", "value", "relation"),
    [
        ("on Saturday", "2022-11-05", "on"),  # the publication day itself is a Saturday
        ("on Thursday", "2022-11-03", "on"),
        ("last month", "2022-10", "during"),
        ("two weeks ago", "2022-10-22", "on"),
        ("three months ago", "2022-08", "during"),
        ("In recent weeks", "2022-10-15/2022-11-05", "during"),
        ("October 28, 2022", "2022-10-28", "on"),
        ("on Feb. 24", "2022-02-24", "on"),
        ("yesterday", "2022-11-04", "on"),
        ("in 1988", "1988", "during"),
        ("last year", "2021", "during"),
        ("March 2019", "2019-03", "during"),
    ],
)
def test_normalise(expr: str, value: str, relation: str) -> None:
    tv = normalise(expr, PUB)
    assert (tv.value, tv.relation) == (value, relation)
    assert tv.text == expr


def test_anchor_clause_gives_relation_and_date() -> None:
    tv = normalise("a few months before Moscow's forces invaded Ukraine on Feb. 24", PUB)
    assert (tv.value, tv.relation) == ("2022-02-24", "before")
    assert normalise("after the vote on June 3", PUB).relation == "after"


def test_a_date_in_the_past_year_is_preferred() -> None:
    # published in January: "Dec. 30" is last December, not the coming one
    assert normalise("Dec. 30", "2023-01-04").value == "2022-12-30"


def test_without_publication_date_relative_times_have_no_value() -> None:
    assert normalise("on Saturday", None).value is None
    assert normalise("last month", None).value is None
    assert normalise("October 28, 2022", None).value == "2022-10-28"


def test_unknown_expression_has_no_value() -> None:
    tv = normalise("before the war", PUB)
    assert tv.value is None and tv.relation == "before"
