"""Attribution spans from the real pipeline, on hand-written sentences.

Each test feeds a sentence or two through ``load_pipeline()`` and checks the exact
cue, source and content text (and kind and stance) that ``claimgraph_attributions``
writes to ``doc._.attributions``. The span conventions come from PolNeAR: a
that-clause includes "that" but not the final period; a direct quote includes its
quotation marks and the comma inside them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from spacy.language import Language

from claimgraph.model import Document, Extraction, TextSpan
from claimgraph.pipeline import Extractor, load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@dataclass
class Found:
    """One attribution as text, so tests read like the sentence they check."""

    cue: str
    source: str | None
    content: list[str]
    kind: str
    stance: str
    cue_lemma: str


def find(nlp: Language, text: str) -> list[Found]:
    doc = nlp(text)
    out = []
    for a in doc._.attributions:
        out.append(
            Found(
                cue=text[a.cue[0] : a.cue[1]],
                source=text[a.source[0] : a.source[1]] if a.source else None,
                content=[text[s:e] for s, e in a.content],
                kind=a.kind,
                stance=a.stance,
                cue_lemma=a.cue_lemma,
            )
        )
    return out


def only(nlp: Language, text: str) -> Found:
    found = find(nlp, text)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- speech cues


def test_said_that_clause_includes_that_and_excludes_final_period(nlp: Language) -> None:
    a = only(nlp, "The mayor said that the bridge would reopen next week.")
    assert a.cue == "said"
    assert a.source == "The mayor"
    assert a.content == ["that the bridge would reopen next week"]
    assert a.kind == "indirect"
    assert a.stance == "affirm"


def test_denied_gives_deny_stance(nlp: Language) -> None:
    a = only(nlp, "The company denied that it had sold the data.")
    assert a.cue == "denied"
    assert a.source == "The company"
    assert a.content == ["that it had sold the data"]
    assert a.stance == "deny"


def test_acknowledged_is_a_cue_that_affirms(nlp: Language) -> None:
    a = only(nlp, "The minister acknowledged that the budget was late.")
    assert a.cue == "acknowledged"
    assert a.source == "The minister"
    assert a.content == ["that the budget was late"]
    assert a.stance == "affirm"


def test_has_reported_keeps_the_auxiliary_in_the_cue(nlp: Language) -> None:
    a = only(nlp, "The agency has reported that prices rose sharply in May.")
    assert a.cue == "has reported"
    assert a.source == "The agency"
    assert a.content == ["that prices rose sharply in May"]


def test_has_learned_is_a_report_cue(nlp: Language) -> None:
    a = only(nlp, "Reuters has learned that the deal was signed in secret.")
    assert a.cue == "has learned"
    assert a.source == "Reuters"
    assert a.content == ["that the deal was signed in secret"]


def test_told_reuters_content_is_the_that_clause(nlp: Language) -> None:
    a = only(nlp, "Maria Lopez told Reuters that the talks had stalled.")
    assert a.cue.startswith("told")
    assert a.source == "Maria Lopez"
    assert a.content == ["that the talks had stalled"]


def test_cognition_cue_believes_hedges(nlp: Language) -> None:
    a = only(nlp, "The coach believes that the team can still win the league.")
    assert a.cue == "believes"
    assert a.source == "The coach"
    assert a.content == ["that the team can still win the league"]
    assert a.stance == "hedge"


# --------------------------------------------------------------------------- according to


def test_according_to_before_the_clause(nlp: Language) -> None:
    a = only(nlp, "According to two witnesses, the ferry sank within minutes.")
    assert a.cue == "According to"
    assert a.cue_lemma == "according to"
    assert a.source == "two witnesses"
    assert a.content == ["the ferry sank within minutes"]


def test_according_to_after_the_clause(nlp: Language) -> None:
    a = only(nlp, "The ferry sank after hitting a rock, according to the coastguard.")
    assert a.cue == "according to"
    assert a.source == "the coastguard"
    assert a.content == ["The ferry sank after hitting a rock"]


# --------------------------------------------------------------------------- manner phrases


def test_said_in_a_statement_is_one_cue_after_indirect_content(nlp: Language) -> None:
    a = only(nlp, "The border will stay closed, the ministry said in a statement.")
    assert a.cue == "said in a statement"
    assert a.source == "the ministry"
    assert a.content == ["The border will stay closed"]


def test_said_in_a_statement_is_one_cue_after_a_quote(nlp: Language) -> None:
    a = only(nlp, '"The border will stay closed," the ministry said in a statement.')
    assert a.cue == "said in a statement"
    assert a.content == ['"The border will stay closed,"']
    assert a.kind == "direct"


def test_said_in_a_statement_with_a_date_before_the_that_clause(nlp: Language) -> None:
    a = only(nlp, "The ministry said in a statement on Monday that the border would stay closed.")
    assert a.cue == "said in a statement on Monday"
    assert a.source == "The ministry"
    assert a.content == ["that the border would stay closed"]


# --------------------------------------------------------------------------- colons


def test_headline_colon_makes_the_name_before_it_the_source(nlp: Language) -> None:
    a = only(nlp, "Okafor: Iran lied about drones")
    assert a.cue == ":"
    assert a.source == "Okafor"
    assert a.content == ["Iran lied about drones"]


def test_transcript_turn_runs_to_the_end_of_the_paragraph(nlp: Language) -> None:
    text = (
        "KULEBA: We will not give up an inch of our land. We will fight until the end.\n"
        "The talks resumed on Monday."
    )
    a = only(nlp, text)
    assert a.cue == ":"
    assert a.source == "KULEBA"
    assert a.content == ["We will not give up an inch of our land. We will fight until the end"]


# --------------------------------------------------------------------------- source position


def test_source_after_a_direct_quote(nlp: Language) -> None:
    a = only(nlp, '"We are ready to talk," the minister said.')
    assert a.cue == "said"
    assert a.source == "the minister"
    assert a.content == ['"We are ready to talk,"']
    assert a.kind == "direct"


def test_source_after_a_quote_told_reuters(nlp: Language) -> None:
    a = only(nlp, '"We will rebuild," the mayor told Reuters.')
    assert a.source == "the mayor"
    assert a.content == ['"We will rebuild,"']
    assert a.kind == "direct"


def test_source_inside_the_content_splits_it_in_two_fragments(nlp: Language) -> None:
    a = only(nlp, "The delay, officials said, was unavoidable.")
    assert a.cue == "said"
    assert a.source == "officials"
    assert a.content == ["The delay", "was unavoidable"]
    assert a.kind == "indirect"


def test_quote_interrupted_by_its_cue_is_two_fragments(nlp: Language) -> None:
    a = only(nlp, '"We are not leaving," the farmer said, "because this land is ours."')
    assert a.cue == "said"
    assert a.source == "the farmer"
    assert a.content == ['"We are not leaving,"', '"because this land is ours."']
    assert a.kind == "direct"


# --------------------------------------------------------------------------- quotations


def test_quote_over_several_sentences_is_one_content(nlp: Language) -> None:
    a = only(nlp, '"The rain came early. The harvest is ruined," he said.')
    assert a.source == "he"
    assert a.content == ['"The rain came early. The harvest is ruined,"']
    assert a.kind == "direct"


def test_quote_continued_in_the_next_sentence_joins_the_attribution(nlp: Language) -> None:
    a = only(nlp, '"We expected more," she said. "The result is a disappointment."')
    assert a.cue == "said"
    assert a.source == "she"
    assert a.content == ['"We expected more,"', '"The result is a disappointment."']
    assert a.kind == "direct"


def test_quote_continued_in_the_next_paragraph_joins_the_attribution(nlp: Language) -> None:
    a = only(nlp, '"We expected more," she said.\n\n"The result is a disappointment."')
    assert a.content == ['"We expected more,"', '"The result is a disappointment."']


def test_unquoted_next_paragraph_does_not_join_the_quote(nlp: Language) -> None:
    a = only(nlp, '"We expected more," she said.\n\nThe vote was held on Sunday.')
    assert a.content == ['"We expected more,"']


def test_partial_quote_inside_indirect_content_is_mixed(nlp: Language) -> None:
    a = only(nlp, 'The minister said the plan was "dead on arrival".')
    assert a.content == ['the plan was "dead on arrival"']
    assert a.kind == "mixed"


def test_words_inside_a_quotation_are_not_attributions_of_the_article(nlp: Language) -> None:
    a = only(nlp, '"I think we will win," he said.')
    assert a.cue == "said"
    assert a.content == ['"I think we will win,"']


# --------------------------------------------------------------------------- content edges


def test_trailing_nonrestrictive_relative_clause_is_left_out(nlp: Language) -> None:
    a = only(
        nlp, "The minister said that the attacks hit Kharkiv, where the army has few air defences."
    )
    assert a.content == ["that the attacks hit Kharkiv"]


def test_trailing_relative_clause_after_a_common_noun_is_left_out(nlp: Language) -> None:
    a = only(
        nlp,
        "The governor said the dam was built near the old mill, "
        "where engineers found cracks last year.",
    )
    assert a.content == ["the dam was built near the old mill"]


# --------------------------------------------------------------------------- non-cues


def test_learned_action_verb_in_the_infinitive_is_no_cue(nlp: Language) -> None:
    assert find(nlp, "Russia has used Iranian drones to attack the city.") == []


def test_infinitive_action_verb_inside_content_adds_no_attribution(nlp: Language) -> None:
    a = only(nlp, "Officials said the drones were launched from the south to attack the city.")
    assert a.cue == "said"
    assert a.content == ["the drones were launched from the south to attack the city"]


def test_denial_of_an_infinitive_action_keeps_it_in_the_content(nlp: Language) -> None:
    a = only(nlp, "Russia denies that its forces used drones to attack the city.")
    assert a.cue == "denies"
    assert a.content == ["that its forces used drones to attack the city"]
    assert a.stance == "deny"


# --------------------------------------------------------------------------- negation, stance


def test_negated_cue_keeps_auxiliary_and_negation_in_the_cue(nlp: Language) -> None:
    a = only(nlp, "Officials have not confirmed that the ship was hit.")
    assert a.cue == "have not confirmed"
    assert a.source == "Officials"
    assert a.content == ["that the ship was hit"]


def test_negation_inside_the_content_does_not_change_the_stance(nlp: Language) -> None:
    a = only(nlp, "The spokesman said that the plan did not exist.")
    assert a.content == ["that the plan did not exist"]
    assert a.stance == "affirm"


def test_rejection_in_the_speakers_own_words_is_a_denial(nlp: Language) -> None:
    a = only(nlp, "Ukraine's foreign ministry said that the claims were false.")
    assert a.cue == "said"
    assert a.stance == "deny"


# --------------------------------------------------------------------------- intermediaries


def test_quoted_him_as_saying_makes_him_the_source_and_the_agency_the_channel(
    nlp: Language,
) -> None:
    text = (
        "Ivan Petrov has said that talks are pointless. The state news agency TASS quoted "
        "him as saying that the West had ignored every offer."
    )
    doc = nlp(text)
    relay = [a for a in doc._.attributions if a.cue_lemma == "quote"]
    assert len(relay) == 1
    a = relay[0]
    assert text[a.cue[0] : a.cue[1]] == "quoted him as saying"
    assert a.source is not None and text[a.source[0] : a.source[1]] == "him"
    assert a.channel is not None and "TASS" in text[a.channel[0] : a.channel[1]]
    assert [text[s:e] for s, e in a.content] == ["that the West had ignored every offer"]


# --------------------------------------------------------------------------- paragraphs


def test_headline_without_period_is_its_own_sentence(nlp: Language) -> None:
    text = "Storm hits coast\nThe storm damaged dozens of homes, officials said."
    doc = nlp(text)
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "Storm hits coast"
    assert all("Storm hits coast" not in s for s in sents[1:])


def test_headline_without_period_stays_out_of_the_next_paragraphs_content(
    nlp: Language,
) -> None:
    a = only(nlp, "Storm hits coast\nThe storm damaged dozens of homes, officials said.")
    assert a.source == "officials"
    assert a.content == ["The storm damaged dozens of homes"]


# --------------------------------------------------------------------------- extraction

ARTICLE = (
    "Port reopens after storm\n\n"
    "The harbour master said that the port would reopen on Friday. "
    '"We lost two cranes," he said. "The rest can be fixed."\n\n'
    "According to the coastguard, the delay, officials said, was unavoidable.\n\n"
    "Related posts\n\n"
    "Mayor says the bridge is safe\n\n"
    "Farmers say the drought will cut yields\n"
)


@pytest.fixture(scope="module")
def extraction(extractor: Extractor) -> Extraction:
    return extractor.extract(Document(name="port.txt", text=ARTICLE))


def test_extraction_drops_attributions_cued_in_a_related_posts_list(
    extraction: Extraction,
) -> None:
    related = ARTICLE.index("Related posts")
    assert extraction.attributions
    assert all(a.cue.start < related for a in extraction.attributions)
    assert all(a.section in ("headline", "caption", "body") for a in extraction.attributions)
    cues = [a.cue.text for a in extraction.attributions]
    assert "says" not in cues and "say" not in cues


def test_related_posts_cues_are_found_by_the_pipeline_but_not_returned(
    nlp: Language, extraction: Extraction
) -> None:
    related = ARTICLE.index("Related posts")
    in_doc = [a for a in nlp(ARTICLE)._.attributions if a.cue[0] > related]
    assert in_doc, "the fixture should contain cues inside the related list"
    assert len(extraction.attributions) == len(nlp(ARTICLE)._.attributions) - len(in_doc)


def _spans(extraction: Extraction) -> Iterator[TextSpan]:
    for a in extraction.attributions:
        yield a.cue
        yield a.content
        if a.source is not None:
            yield a.source
    for actor in extraction.actors:
        yield from actor.mentions


def test_extraction_offsets_index_the_text_exactly(extraction: Extraction) -> None:
    text = extraction.document.text
    spans = list(_spans(extraction))
    assert spans
    for span in spans:
        assert text[span.start : span.end] == span.text
        for s, e in span.fragments or ():
            assert span.start <= s < e <= span.end
            assert text[s:e].strip() == text[s:e]


def test_extraction_keeps_quote_continuation_as_fragments(extraction: Extraction) -> None:
    quoted = [a for a in extraction.attributions if a.kind == "direct"]
    assert len(quoted) == 1
    content = quoted[0].content
    assert content.fragments is not None
    assert content.joined(ARTICLE, " | ") == '"We lost two cranes," | "The rest can be fixed."'


def _cues(nlp: Language, text: str) -> list[tuple[str, str | None, list[str], str]]:
    doc = nlp(text)
    return [
        (
            text[slice(*a.cue)],
            text[slice(*a.source)] if a.source else None,
            [text[s:e] for s, e in a.content],
            a.stance,
        )
        for a in doc._.attributions
    ]


def test_said_in_a_statement_that_keeps_the_clause_out_of_the_cue(nlp: Language) -> None:
    found = _cues(nlp, "The ministry said in a statement that the border would stay closed.")
    assert found == [
        ("said in a statement", "The ministry", ["that the border would stay closed"], "affirm")
    ]


def test_headline_colon_with_a_name_the_tagger_calls_a_noun(nlp: Language) -> None:
    found = _cues(nlp, "Zelenskiy: Iran lied about drones")
    assert [(c, s, x) for c, s, x, _ in found] == [(":", "Zelenskiy", ["Iran lied about drones"])]


@pytest.mark.parametrize(
    "sentence",
    [
        "The spokesman did not deny that the plan existed.",
        "The spokesman never denied that the plan existed.",
        "The president has not said whether he will run again.",
    ],
)
def test_a_negated_cue_commits_to_nothing(nlp: Language, sentence: str) -> None:
    [(_cue, _src, _content, stance)] = _cues(nlp, sentence)
    assert stance == "hedge"


def test_refusing_to_deny_is_one_attribution_and_no_denial(nlp: Language) -> None:
    found = _cues(nlp, "The spokesman refused to deny that the plan existed.")
    assert [cue for cue, *_ in found] == ["refused"]
    assert all(stance != "deny" for *_, stance in found)


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        ("KYIV, Oct 18 - Ukraine said on Tuesday that the drones were built abroad.", "Ukraine"),
        ("WASHINGTON (Reuters) - The U.S. said it would act.", "The U.S."),
        ("TEHRAN — Iran’s foreign minister acknowledged that drones were sent.", None),
    ],
)
def test_a_wire_dateline_is_not_the_speaker(nlp: Language, sentence: str, source: str) -> None:
    cue, src, _content, _stance = _cues(nlp, sentence)[0]
    assert src == (source or "Iran’s foreign minister")
    assert cue in ("said", "acknowledged")


def test_a_cue_the_tagger_calls_an_auxiliary_still_counts(nlp: Language) -> None:
    found = _cues(nlp, "Iran admits sending drones to Russia but says they left before the war")
    assert [(c, s, x) for c, s, x, _ in found] == [
        ("admits", "Iran", ["sending drones to Russia"]),
        ("says", "Iran", ["they left before the war"]),
    ]
