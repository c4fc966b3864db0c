"""Sections: checked on the gold example, PolNeAR texts and hand-made fixtures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from claimgraph.model import SECTION_KINDS, Section
from claimgraph.sections import split_sections

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = "examples/000_57d7b0572d853387"


def kinds(text: str, title: str | None = None) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start : s.end]) for s in split_sections(text, title)]


def assert_well_formed(text: str, sections: list[Section]) -> None:
    """Sorted, non-overlapping, trimmed, merged, and covering every non-space character."""
    covered = [False] * len(text)
    prev_end = -1
    prev_kind = None
    for s in sections:
        assert s.kind in SECTION_KINDS
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= prev_end, "sections overlap or are out of order"
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        if s.kind != "headline":
            assert s.kind != prev_kind, "adjacent sections of one kind were not merged"
        prev_end, prev_kind = s.end, s.kind
        for i in range(s.start, s.end):
            covered[i] = True
    outside = "".join(c for c, inside in zip(text, covered, strict=True) if not inside)
    assert not outside.replace("\ufeff", "").strip(), f"text outside sections: {outside!r}"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


# --------------------------------------------------------------------------- gold example


@pytest.mark.shared
def test_gold_example_sections_match_exactly(shared_dir: Path) -> None:
    text = (shared_dir / f"{EXAMPLE}.txt").read_bytes().decode("utf-8")
    gold = json.loads((shared_dir / f"{EXAMPLE}.gold.json").read_text(encoding="utf-8"))
    got = {s.kind: [s.start, s.end] for s in split_sections(text)}
    assert got == gold["sections"]
    assert len(split_sections(text)) == 4


@pytest.mark.shared
def test_gold_example_with_title_gives_same_sections(shared_dir: Path) -> None:
    text = (shared_dir / f"{EXAMPLE}.txt").read_bytes().decode("utf-8")
    title = "Iran acknowledges drone shipments to Russia before Ukraine war"
    assert split_sections(text, title) == split_sections(text)


# --------------------------------------------------------------------------- PolNeAR


def polnear_texts(shared_dir: Path) -> list[Path]:
    paths = sorted((shared_dir / "eval" / "polnear").glob("*/text/*.txt"))
    if not paths:
        pytest.skip(f"../shared not found: no PolNeAR texts under {shared_dir}")
    return paths


@pytest.mark.shared
def test_polnear_first_line_is_headline(shared_dir: Path) -> None:
    paths = [p for p in polnear_texts(shared_dir) if "/dev/" in p.as_posix()][:60]
    assert paths
    for path in paths:
        text = path.read_bytes().decode("utf-8")
        first = split_sections(text)[0]
        assert first.kind == "headline", path.name
        assert text[first.start : first.end] == text.split("\n", 1)[0].strip(), path.name


@pytest.mark.shared
def test_polnear_read_the_rest_lines_are_boilerplate(shared_dir: Path) -> None:
    found = 0
    for path in polnear_texts(shared_dir):
        text = path.read_bytes().decode("utf-8")
        for m in re.finditer(r"(?m)^Read the rest[^\n]*$", text):
            found += 1
            kinds_at = [s.kind for s in split_sections(text) if s.start <= m.start() < s.end]
            assert kinds_at == ["boilerplate"], (path.name, m.group())
    assert found >= 3


@pytest.mark.shared
def test_polnear_all_texts_well_formed_and_gold_cues_stay_in_claim_sections(
    shared_dir: Path,
) -> None:
    """Sections must not hide attributions: nearly every gold cue lies in a claim section."""
    from claimgraph.model import CLAIM_SECTIONS

    cues = lost = 0
    for path in polnear_texts(shared_dir):
        text = path.read_bytes().decode("utf-8")
        sections = split_sections(text)
        assert_well_formed(text, sections)
        anns = sorted(path.parent.parent.joinpath("attributions").glob(f"{path.stem}_*.ann"))
        if not anns:
            continue
        for line in anns[0].read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) > 1 and parts[1].startswith("Cue "):
                cues += 1
                start = int(parts[1].split()[1])
                if any(s.start <= start < s.end and s.kind not in CLAIM_SECTIONS for s in sections):
                    lost += 1
    assert cues > 1000
    assert lost / cues < 0.001


# --------------------------------------------------------------------------- fixtures


def test_ap_caption_under_headline_and_dateline_starts_body() -> None:
    text = fixture("caption_ap.txt")
    got = kinds(text)
    assert [k for k, _ in got] == ["headline", "caption", "body"]
    assert got[0][1] == "Harbour town evacuated as river bursts its banks"
    assert got[1][1].endswith("(AP Photo/Jane Okafor)")
    assert got[2][1].startswith("WESTPORT (AP) —")
    assert got[2][1].endswith("more rain was expected over the weekend.")
    assert_well_formed(text, split_sections(text))


def test_getty_caption_advert_read_more_list_and_signup() -> None:
    text = fixture("caption_getty_readmore.txt")
    got = kinds(text)
    assert [k for k, _ in got] == [
        "headline",
        "caption",
        "body",
        "boilerplate",
        "body",
        "related",
        "boilerplate",
    ]
    assert got[0][1] == "Ministers clash over grain export deal?"
    assert got[1][1].endswith("(Photo by Ivan Petrov/AFP via Getty Images)")
    assert got[3][1] == "Advertisement"
    assert got[5][1].startswith("Read more\n\nFarmers block border crossing")
    assert got[5][1].endswith("Why grain prices keep rising")
    assert got[6][1] == "Sign up for our morning newsletter"
    assert_well_formed(text, split_sections(text))


def test_reuters_footer_is_boilerplate_and_reuters_dateline_is_body() -> None:
    text = fixture("reuters_footer.txt")
    got = kinds(text)
    assert [k for k, _ in got] == ["headline", "body", "boilerplate"]
    assert got[1][1].startswith("LISBON (Reuters) - The central bank")
    assert got[1][1].endswith("Two economists polled by Reuters had expected a cut.")
    assert got[2][1] == (
        "Reporting by Ana Silva; Editing by Mark Jones\n\n"
        "© 2024 Thomson Reuters. All rights reserved."
    )


# --------------------------------------------------------------------------- heuristics


LEDE = (
    "The regional government said on Monday it would cut fuel taxes for six months, "
    "a move opposition leaders called too little and too late for struggling families."
)
SECOND = "Officials said the cut would cost about 2 billion euros, according to budget papers."


def test_credit_on_its_own_line_takes_the_description_above_into_the_caption() -> None:
    text = (
        "Fuel taxes cut for six months\n\n"
        "Drivers queue at a petrol station in the capital on Monday.\n\n"
        "(AP Photo/Luis Moreno)\n\n"
        f"{LEDE}\n\n{SECOND}"
    )
    got = kinds(text)
    assert [k for k, _ in got] == ["headline", "caption", "body"]
    assert got[1][1] == (
        "Drivers queue at a petrol station in the capital on Monday.\n\n(AP Photo/Luis Moreno)"
    )


@pytest.mark.parametrize(
    "caption",
    [
        "Rescue workers search the rubble in the city centre. Photograph: Sam Lee/Reuters",
        "Photo: The finance minister arrives at parliament on Tuesday.",
        "FILE PHOTO: The logo of the company is seen at its headquarters, June 3, 2021.",
        "Protesters march through the old town. REUTERS/Anna Kowal/File Photo",
        "Soldiers stand guard near the border crossing, Jan. 4, 2024. Sam Lee/EPA-EFE/Shutterstock",
        "Getty Images.",
    ],
)
def test_photo_credit_formulas_make_captions(caption: str) -> None:
    text = f"Fuel taxes cut for six months\n\n{caption}\n\n{LEDE}"
    assert [k for k, _ in kinds(text)] == ["headline", "caption", "body"]


def test_prose_about_getty_images_is_body_not_caption() -> None:
    para = (
        "Shares of the photo agency rose 4% on Tuesday after the company reported higher "
        "licensing revenue, and analysts at two banks raised their price targets, citing "
        "strong demand from publishers and advertisers for archive material from Getty Images."
    ) * 3
    text = f"Photo agency shares jump\n\n{para}"
    assert [k for k, _ in kinds(text)] == ["headline", "body"]


def test_boilerplate_in_the_middle_splits_the_body() -> None:
    text = f"Fuel taxes cut\n\n{LEDE}\n\nShare this article\n\n{SECOND}"
    assert [k for k, _ in kinds(text)] == ["headline", "body", "boilerplate", "body"]


@pytest.mark.parametrize(
    "line",
    [
        "Read the rest here.",
        "Read the full story at The Daily Example.",
        "Follow Jo Bloggs on Twitter @jobloggs.",
        "Follow us on Instagram",
        "Subscribe to our politics podcast here.",
        "Click here to see the full results.",
        "(Reporting by Ana Silva in Lisbon; Editing by Mark Jones)",
        "© 2023 Example Media Ltd",
        "All rights reserved.",
        "___",
        "* * *",
        "ABSTRACT.",
        "This article has been updated to include a statement from the ministry.",
    ],
)
def test_stock_lines_are_boilerplate(line: str) -> None:
    text = f"Fuel taxes cut\n\n{LEDE}\n\n{line}"
    assert kinds(text)[-1] == ("boilerplate", line)


@pytest.mark.parametrize(
    "line",
    [
        "''Follow us,'' the guide said, and the children trailed behind her to the harbour.",
        "Advertising revenue fell 12% in the quarter, the company said.",
        "Copyright lawsuits against the firm have multiplied, its lawyers said.",
        "Subscribers to the service rose by a million, the chief executive told investors.",
    ],
)
def test_prose_that_starts_like_boilerplate_stays_body(line: str) -> None:
    text = f"Fuel taxes cut\n\n{LEDE}\n\n{line}"
    assert [k for k, _ in kinds(text)] == ["headline", "body"]


@pytest.mark.parametrize(
    "marker", ["Related", "Related articles", "Most popular", "You may also like", "Trending"]
)
def test_related_marker_takes_the_headline_run_until_a_long_paragraph(marker: str) -> None:
    text = (
        f"Fuel taxes cut\n\n{LEDE}\n\n{marker}\n\n"
        "Drivers face record prices at the pump\n\n"
        "Opposition Calls For Windfall Tax On Energy Firms.\n\n"
        f"{SECOND}"
    )
    got = kinds(text)
    assert [k for k, _ in got] == ["headline", "body", "related", "body"]
    assert got[2][1].startswith(marker)
    assert got[2][1].endswith("Opposition Calls For Windfall Tax On Energy Firms.")
    assert got[3][1] == SECOND


def test_related_run_stops_at_a_prose_sentence() -> None:
    text = (
        "Fuel taxes cut\n\nRelated posts\n\nPrices rise again\n\n"
        f"The minister said prices would fall.\n\n{LEDE}"
    )
    got = kinds(text)
    assert [k for k, _ in got] == ["headline", "related", "body"]
    assert got[1][1] == "Related posts\n\nPrices rise again"


def test_inline_read_more_promo_is_related() -> None:
    text = (
        f"Fuel taxes cut\n\n{LEDE}\n\nREAD MORE: Drivers face record prices at the pump\n\n{SECOND}"
    )
    assert [k for k, _ in kinds(text)] == ["headline", "body", "related", "body"]


def test_title_argument_pins_a_long_headline() -> None:
    title = " ".join(["word"] * 30) + "."
    text = f"{title}\n\n{LEDE}"
    assert [k for k, _ in kinds(text)] == ["body"]
    assert kinds(text, title) == [("headline", title), ("body", LEDE)]


def test_title_not_at_start_falls_back_to_shape() -> None:
    text = f"Fuel taxes cut\n\n{LEDE}"
    assert kinds(text, "Some other title") == [("headline", "Fuel taxes cut"), ("body", LEDE)]


def test_headline_may_end_with_a_full_stop_and_be_followed_by_a_deck() -> None:
    text = f"Taxes cut; \nOpposition says the move comes too late\n\n{LEDE}"
    got = kinds(text)
    assert got[0] == ("headline", "Taxes cut;")
    assert got[1] == ("body", f"Opposition says the move comes too late\n\n{LEDE}")
    assert kinds(f"Fuel taxes cut for six months.\n\n{LEDE}")[0] == (
        "headline",
        "Fuel taxes cut for six months.",
    )


def test_no_headline_for_a_lone_paragraph_a_long_first_line_or_a_dateline() -> None:
    assert kinds(LEDE) == [("body", LEDE)]
    assert kinds(f"{LEDE}\n\n{SECOND}") == [("body", f"{LEDE}\n\n{SECOND}")]
    dateline = "KYIV (Reuters) - Ukraine said it shot down 20 drones overnight."
    assert kinds(f"{dateline}\n\n{SECOND}")[0][0] == "body"


def test_hard_wrapped_first_paragraph_is_not_a_headline() -> None:
    text = (
        "The regional government said on Monday it would cut fuel taxes\n"
        "for six months, a move opposition leaders called too little.\n\n" + SECOND
    )
    assert [k for k, _ in kinds(text)] == ["body"]


def test_single_newline_paragraphs_and_crlf_and_bom() -> None:
    text = "\ufeffFuel taxes cut\r\n" + LEDE + "\r\n" + SECOND + "\r\nAdvertisement\r\n"
    got = split_sections(text)
    assert [s.kind for s in got] == ["headline", "body", "boilerplate"]
    assert text[got[0].start : got[0].end] == "Fuel taxes cut"
    assert text[got[1].start : got[1].end] == LEDE + "\r\n" + SECOND
    assert_well_formed(text, got)


def test_crlf_blank_lines_and_extra_blank_lines() -> None:
    text = f"Fuel taxes cut\r\n\r\n\r\n{LEDE}\r\n  \r\n{SECOND}\r\n"
    got = split_sections(text)
    assert [(s.kind, text[s.start : s.end]) for s in got] == [
        ("headline", "Fuel taxes cut"),
        ("body", f"{LEDE}\r\n  \r\n{SECOND}"),
    ]


def test_empty_and_whitespace_text_have_no_sections() -> None:
    assert split_sections("") == []
    assert split_sections(" \n\n \t\n") == []
