"""Claim threads, near-duplicate stories and contested claims on plain records
(claimgraph.threads works without a database or a model)."""

from __future__ import annotations

from claimgraph.threads import (
    ClaimRecord,
    build_threads,
    find_contests,
    interval,
    near_duplicate_groups,
    shingles,
)

WIRE = (
    "KYIV, Oct 18 - Ukraine's foreign minister said on Tuesday that Iran had supplied "
    "hundreds of drones to Russia after Moscow invaded Ukraine, and that the strikes on "
    "power stations across the country were carried out with the Iranian machines. "
    "Tehran denied it had supplied any drones. The Kremlin did not comment on the claims "
    "and referred questions to the defence ministry, which was not reachable for comment."
)


def claim(cid: str, doc: str, voice: str | None, side: int, **kw: object) -> ClaimRecord:
    base: dict[str, object] = {
        "id": cid,
        "document": doc,
        "published": "2022-10-18",
        "voice": voice,
        "side": side,
        "type": "AID",
        "mode": None,
        "predicate": None,
        "actor": "state:IRN",
        "target": "state:RUS",
        "object": "drone",
        "modality": "actual",
        # the sentence names the actor ("Iran supplied ..."), as the store records it
        "addressed": frozenset({"state:IRN"}),
    }
    base.update(kw)
    return ClaimRecord(**base)  # type: ignore[arg-type]


def test_shingles_ignore_case_and_punctuation() -> None:
    assert shingles("Iran supplied drones, to Russia! today") == shingles(
        "iran supplied drones to russia today", sample=4
    )


def test_republished_copies_form_one_group_and_other_stories_stay_apart() -> None:
    copy = WIRE.replace("Tuesday", "Tuesday evening") + " (Reporting by a staff writer)"
    other = (
        "BRUSSELS, Oct 20 - European Union ministers froze the assets of a drone maker and "
        "three officers on Thursday, saying their work helped Russia strike Ukrainian cities."
    )
    groups = near_duplicate_groups([("a", WIRE), ("b", copy), ("c", other)])
    assert groups == {"a": "a", "b": "a", "c": "c"}


def test_same_proposition_from_two_articles_is_one_thread() -> None:
    threads = build_threads(
        [
            claim("1", "d1", "person:dmytro kuleba", 1),
            claim("2", "d2", "state:IRN", -1, published="2022-10-19"),
        ]
    )
    assert len(threads) == 1
    assert [c.id for c in threads[0].claims] == ["1", "2"]
    assert threads[0].key == "AID:|state:IRN|state:RUS|drone"


def test_a_gap_in_a_key_joins_the_specific_thread_of_its_own_article() -> None:
    # "drones had been supplied to Russia" (no actor) beside "Iran supplied drones"
    threads = build_threads(
        [
            claim("1", "d1", "person:a", 1),
            claim("2", "d1", "person:b", 1, actor=None),
            claim("3", "d2", "person:c", 1, actor=None, target=None),
        ]
    )
    by_key = {t.key: [c.id for c in t.claims] for t in threads}
    assert by_key["AID:|state:IRN|state:RUS|drone"] == ["1", "2"]
    # one known part only, in another article: kept to that article
    assert by_key["AID:@d2|*|*|drone"] == ["3"]


def test_affirm_against_deny_is_contested_with_both_voices() -> None:
    (thread,) = build_threads(
        [
            claim("1", "d1", "person:dmytro kuleba", 1),
            claim("2", "d1", "state:IRN", -1),
            claim("3", "d1", None, 0),  # the publisher reports
        ]
    )
    (contest,) = find_contests(thread)
    assert (contest.kind, contest.affirm, contest.deny) == (
        "polarity",
        ["person:dmytro kuleba"],
        ["state:IRN"],
    )
    assert contest.claims == ["1", "2"]


def test_the_same_voice_on_both_sides_is_not_a_dispute() -> None:
    (thread,) = build_threads([claim("1", "d1", "state:IRN", 1), claim("2", "d1", "state:IRN", -1)])
    assert find_contests(thread) == []


def test_past_supply_does_not_contradict_a_denial_of_continuing_supply() -> None:
    (thread,) = build_threads(
        [
            claim("1", "d1", "person:a", 1, published="2022-11-05"),
            claim("2", "d1", "person:b", -1, published="2022-11-05", modality="continuing"),
        ]
    )
    assert find_contests(thread) == []
    # a promise is open in time: it does contradict the denial
    (thread,) = build_threads(
        [
            claim("1", "d1", "person:a", 1, published="2022-11-05", modality="promised"),
            claim("2", "d1", "person:b", -1, published="2022-11-05", modality="continuing"),
        ]
    )
    assert [c.kind for c in find_contests(thread)] == ["polarity"]


def test_before_the_war_against_since_the_summer_is_a_time_dispute() -> None:
    before = claim(
        "1", "d1", "person:a", 1, time_relation="before", time_start="2022-02-24",
        time_end="2022-02-24",
    )  # fmt: skip
    after = claim(
        "2", "d2", "person:b", 1, time_relation="after", time_start="2022-06-01",
        time_end="2022-08-31",
    )  # fmt: skip
    assert interval(before) == ("0000-01-01", "2022-02-24")
    assert interval(after) == ("2022-09-01", "9999-12-31")
    (thread,) = build_threads([before, after])
    (contest,) = find_contests(thread)
    assert (contest.kind, contest.affirm, contest.deny) == ("time", ["person:a"], ["person:b"])


def test_repeated_acts_dated_differently_are_not_a_dispute() -> None:
    (thread,) = build_threads(
        [
            claim("1", "d1", "person:a", 1, type="ASSAULT", time_relation="on",
                  time_start="2022-10-17", time_end="2022-10-17"),
            claim("2", "d2", "person:b", 1, type="ASSAULT", time_relation="after",
                  time_start="2022-09-15", time_end="2022-09-15"),
        ]
    )  # fmt: skip
    assert find_contests(thread) == []


def test_a_small_number_against_hundreds_is_a_quantity_dispute() -> None:
    (thread,) = build_threads(
        [
            claim("1", "d1", "person:b", 1, quantity_class="large"),
            claim("2", "d2", "person:a", 1, quantity_class="small"),
        ]
    )
    (contest,) = find_contests(thread)
    assert (contest.kind, contest.affirm, contest.deny) == ("quantity", ["person:a"], ["person:b"])


def test_unresolved_voices_take_no_side() -> None:
    (thread,) = build_threads(
        [claim("1", "d1", "unknown:percent:", 1), claim("2", "d1", "state:IRN", -1)]
    )
    assert find_contests(thread) == []


def test_thread_ids_do_not_depend_on_input_order() -> None:
    records = [
        claim("1", "d1", "person:a", 1),
        claim("2", "d2", "person:b", -1, type="ASSAULT", target="state:UKR"),
        claim("3", "d3", "person:c", 1, object="missile"),
    ]
    first = [(t.id, [c.id for c in t.claims]) for t in build_threads(records)]
    again = [(t.id, [c.id for c in t.claims]) for t in build_threads(list(reversed(records)))]
    assert first == again


def test_generic_weapons_join_a_weapon_thread_never_the_advisers() -> None:
    # one article: drones, advisers, and "weapons" from the same giver to the same taker;
    # the advisers' thread is the bigger one, so only the kind of object can decide
    claims = [
        claim("d1", "a", "v:ukr", 1, object="drone"),
        claim("p1", "a", "v:usa", 1, object="personnel"),
        claim("p2", "a", "v:usa", 1, object="personnel"),
        claim("w1", "a", "v:gbr", 1, object="weapon"),
        # another article only speaks of "weapons": it joins the drone thread too
        claim("w2", "b", "v:gbr", 1, object="weapon"),
    ]
    by_claim = {c.id: t.object for t in build_threads(claims) for c in t.claims}
    assert by_claim == {
        "d1": "drone",
        "p1": "personnel",
        "p2": "personnel",
        "w1": "drone",
        "w2": "drone",
    }
