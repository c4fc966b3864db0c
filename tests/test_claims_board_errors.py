"""Claims behind errors a reader saw on the contested board (issue 14): a statement that
an army uses its own state's weapons is no report of an attack, and a denial that only
names "the accusation" denies the kind of thing the denier's side says does not exist
(advisers, not drones)."""

from __future__ import annotations

from typing import Any

import pytest

from claimgraph.model import Document, Extraction
from claimgraph.pipeline import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _claims(extractor: Extractor, text: str) -> list[tuple[str | None, str, str, str | None]]:
    x: Extraction = extractor.extract(Document(name="t.txt", text=text, published="2022-10-20"))
    names = {a.id: a.name for a in x.actors}
    out = []
    for c in x.claims:
        p: dict[str, Any] = c["proposition"]
        out.append(
            (names.get(c["voice"]) if c["voice"] else None, c["stance"], p["type"], p["object"])
        )
    return out


def test_fighting_with_ones_own_weapons_affirms_no_attack(extractor: Extractor) -> None:
    found = _claims(
        extractor,
        "Drones strike Kyiv\n\nMoscow has not acknowledged using Iranian drones, and Kremlin "
        "spokesman Dmitry Peskov has said that Russian troops fight with Russian-made weapons.",
    )
    assert not [c for c in found if c[0] == "Dmitry Peskov" and c[2] == "ASSAULT"], found


def test_a_rejected_accusation_is_about_what_the_side_says_does_not_exist(
    extractor: Extractor,
) -> None:
    found = _claims(
        extractor,
        "U.S. says Iranian troops in Crimea\n\nIranian military personnel are in "
        "Russian-occupied Crimea helping Russian forces launch Iranian-made drones against "
        "Ukraine, the White House said on Thursday. White House spokesman John Kirby said "
        "Iran had shipped drones to Russia and expected further deliveries.\n\n"
        'Iran rejected the accusation. "There are no Iranian military advisers in Crimea or '
        'anywhere else in Ukraine, and there never have been," Foreign Ministry spokesman '
        "Nasser Kanaani said in a statement, calling the U.S. claim baseless.",
    )
    denials = {(c[0], c[3]) for c in found if c[1] == "deny" and c[2] == "AID"}
    assert ("Iran", "personnel") in denials, found
    assert ("Iran", "drone") not in denials, found
    assert ("Nasser Kanaani", "drone") not in denials, found
