"""Speaker resolution from the real pipeline, on hand-written sentences.

``claimgraph_actors`` turns each attribution's source (and channel) into an actor
of the article: a person with role and country, a state, an organisation, a news
agency or an unnamed group, and resolves later short mentions ("Okafor", "he",
"the foreign minister") to the actor introduced earlier.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from claimgraph.actors import ActorRecord
from claimgraph.pipeline import load_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def speakers(doc: Doc) -> list[ActorRecord | None]:
    """The speaker actor of each attribution, in text order."""
    return [doc._.actors[a.speaker] if a.speaker is not None else None for a in doc._.attributions]


def speaker_indices(doc: Doc) -> list[int | None]:
    return [a.speaker for a in doc._.attributions]


def one_speaker(nlp: Language, text: str) -> ActorRecord:
    found = speakers(nlp(text))
    assert len(found) == 1, found
    assert found[0] is not None
    return found[0]


# --------------------------------------------------------------------------- people


def test_titled_person_gets_name_role_and_country(nlp: Language) -> None:
    who = one_speaker(
        nlp, "Iranian Foreign Minister Reza Karimi said that the drones were sent before the war."
    )
    assert (who.name, who.type, who.role, who.country) == (
        "Reza Karimi",
        "person",
        "foreign minister",
        "IRN",
    )


def test_titled_person_without_nationality_has_role_but_no_country(nlp: Language) -> None:
    who = one_speaker(nlp, "Finance Minister Olga Marchenko said that taxes would rise.")
    assert (who.name, who.type, who.role, who.country) == (
        "Olga Marchenko",
        "person",
        "finance minister",
        None,
    )


def test_surname_alone_is_the_person_named_in_full_earlier(nlp: Language) -> None:
    doc = nlp(
        "Daniel Okafor said that taxes would rise. Okafor said that the rise was unavoidable."
    )
    first, second = speaker_indices(doc)
    assert first is not None and first == second
    assert doc._.actors[first].name == "Daniel Okafor"
    assert doc._.actors[first].type == "person"


def test_surname_alone_after_a_quote_keeps_the_title_of_the_full_mention(nlp: Language) -> None:
    doc = nlp(
        "Finance Minister Olga Marchenko said that taxes would rise. "
        '"The rise is unavoidable," Marchenko said.'
    )
    first, second = speaker_indices(doc)
    assert first is not None and first == second
    who = doc._.actors[first]
    assert (who.name, who.role) == ("Olga Marchenko", "finance minister")


def test_pronoun_he_is_the_last_person(nlp: Language) -> None:
    doc = nlp("Daniel Okafor said that taxes would rise. He said that the rise was unavoidable.")
    first, second = speaker_indices(doc)
    assert first is not None and first == second


def test_pronoun_picks_the_latest_person_not_the_first(nlp: Language) -> None:
    doc = nlp(
        "Anna Berg said that the plan was reckless. Daniel Okafor said that taxes would rise. "
        "He said that he would not back down."
    )
    berg, okafor, he = speaker_indices(doc)
    assert he == okafor
    assert he != berg
    assert he is not None and doc._.actors[he].name == "Daniel Okafor"


def test_definite_role_phrase_is_the_person_introduced_with_that_title(nlp: Language) -> None:
    doc = nlp(
        "Foreign Minister Jane Doe said that the meeting was useful. "
        "Tom Berg said the visit was short. "
        "The foreign minister said that more talks were planned."
    )
    doe, berg, minister = speaker_indices(doc)
    assert minister == doe
    assert minister != berg
    assert minister is not None and doc._.actors[minister].name == "Jane Doe"


def test_indefinite_role_phrase_is_a_new_person(nlp: Language) -> None:
    doc = nlp(
        "Foreign Minister Jane Doe said that the meeting was useful. "
        "A ministry spokesperson said that the visit would last two days."
    )
    doe, spokesperson = speaker_indices(doc)
    assert doe is not None and spokesperson is not None
    assert spokesperson != doe
    assert doc._.actors[spokesperson].type == "person"
    assert doc._.actors[spokesperson].name != "Jane Doe"


def test_bare_indefinite_role_noun_is_a_new_person(nlp: Language) -> None:
    doc = nlp(
        "Foreign Minister Jane Doe said that the meeting was useful. "
        "A spokesperson said that the visit would last two days."
    )
    doe, spokesperson = speaker_indices(doc)
    assert spokesperson is not None and spokesperson != doe
    assert doc._.actors[spokesperson].role == "spokesperson"


# --------------------------------------------------------------------------- states


@pytest.mark.parametrize(
    ("text", "name", "iso3"),
    [
        ("Tehran said that the drones were sent before the war.", "Iran", "IRN"),
        ("The Kremlin said that the talks had failed.", "Russia", "RUS"),
        ("Kyiv said that the attack killed three people.", "Ukraine", "UKR"),
    ],
    ids=["tehran", "kremlin", "kyiv"],
)
def test_capital_or_seat_of_government_is_its_state(
    nlp: Language, text: str, name: str, iso3: str
) -> None:
    who = one_speaker(nlp, text)
    assert (who.name, who.type, who.country) == (name, "state", iso3)


def test_country_and_its_capital_are_one_actor(nlp: Language) -> None:
    doc = nlp("Iran said that the drones were old. Tehran said that no more would be sent.")
    first, second = speaker_indices(doc)
    assert first is not None and first == second
    assert doc._.actors[first].country == "IRN"


# --------------------------------------------------------------------------- groups


def test_unnamed_officials_are_a_group(nlp: Language) -> None:
    who = one_speaker(nlp, "Two senior officials said that the plan was dropped.")
    assert who.type == "group"
    assert who.country is None


def test_unnamed_officials_with_a_nationality_are_a_group_of_that_country(
    nlp: Language,
) -> None:
    who = one_speaker(nlp, "Two senior Iranian officials said that the plan was dropped.")
    assert (who.name, who.type, who.country) == ("Iranian officials", "group", "IRN")


def test_according_to_witnesses_is_a_group(nlp: Language) -> None:
    who = one_speaker(nlp, "According to two witnesses, the ferry sank within minutes.")
    assert who.type == "group"


# --------------------------------------------------------------------------- organisations


def test_ministry_by_common_noun_is_an_organisation_of_the_country(nlp: Language) -> None:
    who = one_speaker(nlp, "Ukraine's foreign ministry said that the talks would resume on Monday.")
    assert (who.name, who.type, who.country) == (
        "Ukrainian Foreign Ministry",
        "organisation",
        "UKR",
    )


def test_ministry_named_by_adjective_and_by_possessive_is_spelled_alike(nlp: Language) -> None:
    who = one_speaker(
        nlp, "The Iranian foreign ministry said that the talks would resume on Monday."
    )
    assert (who.name, who.type, who.country) == (
        "Iranian Foreign Ministry",
        "organisation",
        "IRN",
    )


def test_news_agency_as_source_is_media(nlp: Language) -> None:
    who = one_speaker(nlp, "Reuters has learned that the deal was signed in secret.")
    assert (who.name, who.type) == ("Reuters", "media")


# --------------------------------------------------------------------------- intermediaries


def test_agency_quoting_him_is_the_channel_and_he_is_the_person_named_earlier(
    nlp: Language,
) -> None:
    doc = nlp(
        "Ivan Petrov has said that talks are pointless. The state news agency TASS quoted "
        "him as saying that the West had ignored every offer."
    )
    first, relay = doc._.attributions
    assert relay.speaker is not None and relay.speaker == first.speaker
    who = doc._.actors[relay.speaker]
    assert (who.name, who.type) == ("Ivan Petrov", "person")
    assert relay.channel_actor is not None
    channel = doc._.actors[relay.channel_actor]
    assert (channel.name, channel.type, channel.country) == ("TASS", "media", "RUS")


def test_agency_quoting_a_person_who_never_spoke_before(nlp: Language) -> None:
    doc = nlp(
        "Russian envoy Ivan Petrov spoke in Geneva on Friday. The state news agency TASS "
        "quoted him as saying that the West had ignored every offer."
    )
    (relay,) = doc._.attributions
    assert relay.speaker is not None
    assert doc._.actors[relay.speaker].name == "Ivan Petrov"
    assert relay.channel_actor is not None
    assert doc._.actors[relay.channel_actor].name == "TASS"


# --------------------------------------------------------------------------- mentions


def test_actor_mentions_index_the_text(nlp: Language) -> None:
    text = (
        "Finance Minister Olga Marchenko said that taxes would rise. "
        '"The rise is unavoidable," Marchenko said. Kyiv said that the budget was final.'
    )
    doc = nlp(text)
    assert doc._.actors
    for actor in doc._.actors:
        assert actor.mentions
        for s, e in actor.mentions:
            assert 0 <= s < e <= len(text)
            assert text[s:e].strip() == text[s:e]
    marchenko = next(a for a in doc._.actors if a.name == "Olga Marchenko")
    assert {text[s:e] for s, e in marchenko.mentions} >= {"Marchenko"}


def test_appositive_gives_the_role_and_the_surname_links_back(nlp: Language) -> None:
    doc = nlp(
        "Olga Marchenko, the country's finance minister, said that taxes would rise. "
        "Marchenko said the rise was unavoidable."
    )
    first, second = doc._.attributions
    who = doc._.actors[first.speaker]
    assert (who.name, who.type, who.role) == ("Olga Marchenko", "person", "finance minister")
    assert second.speaker == first.speaker


def test_surname_is_the_person_even_when_tagged_as_a_common_noun(nlp: Language) -> None:
    doc = nlp(
        "Peter Lund said on Tuesday that taxes would rise. "
        "Lund later said that the rise was unavoidable."
    )
    first, second = doc._.attributions
    assert first.speaker is not None and second.speaker == first.speaker


def test_title_of_a_person_who_is_not_yet_a_source(nlp: Language) -> None:
    doc = nlp(
        "Foreign Minister Jane Doe arrived in Oslo on Monday. "
        "The foreign minister said that the meeting was useful."
    )
    [att] = doc._.attributions
    assert doc._.actors[att.speaker].name == "Jane Doe"
    doc = nlp(
        "Russian envoy Ivan Petrov spoke in Geneva on Friday. The state news agency TASS "
        "quoted him as saying that the West had ignored every offer."
    )
    [att] = doc._.attributions
    who = doc._.actors[att.speaker]
    assert (who.name, who.role, who.country) == ("Ivan Petrov", "envoy", "RUS")


def test_he_after_an_unnamed_person(nlp: Language) -> None:
    doc = nlp(
        "The harbour master said that the port would reopen on Friday. "
        '"We lost two cranes," he said.'
    )
    first, second = doc._.attributions
    assert first.speaker is not None and second.speaker == first.speaker
    assert doc._.actors[first.speaker].type == "person"


# --------------------------------------------------------------------------- issue 3


def test_role_with_its_body_and_sector(nlp: Language) -> None:
    who = one_speaker(
        nlp, "Ukrainian Foreign Ministry spokesperson Olena Marko said the claims were baseless."
    )
    assert (who.name, who.role, who.affiliation) == (
        "Olena Marko",
        "spokesperson",
        "Ukrainian Foreign Ministry",
    )
    assert (who.country, who.sector) == ("UKR", "GOV")


def test_states_from_demonyms_and_capitals_are_listed(nlp: Language) -> None:
    doc = nlp("Iranian-made drones hit Kyiv, and Iranians living abroad protested in Berlin.")
    by_country = {(a.country, a.type) for a in doc._.actors}
    assert ("IRN", "state") in by_country  # "Iranian-made"
    assert ("IRN", "group") in by_country  # "Iranians living abroad"
    assert ("UKR", "state") in by_country  # Kyiv


def test_media_and_intergovernmental_bodies_have_their_sector(nlp: Language) -> None:
    doc = nlp(
        "The European Union and NATO said on Monday, according to Reuters, that talks failed."
    )
    sectors = {a.name: (a.type, a.sector) for a in doc._.actors}
    assert sectors["European Union"] == ("igo", "IGO")
    assert sectors["NATO"] == ("igo", "IGO")
    assert sectors["Reuters"] == ("media", "MED")


def test_a_coordinated_source_is_several_speakers(nlp: Language) -> None:
    doc = nlp("Tehran and Moscow denied that the drones came from Iran.")
    [att] = doc._.attributions
    names = [doc._.actors[i].name for i in [att.speaker, *att.co_speakers]]
    assert names == ["Iran", "Russia"]


def test_it_and_they_resolve_to_states_and_groups(nlp: Language) -> None:
    doc = nlp("Russia fired missiles at the port on Monday. It said the port held weapons.")
    [att] = doc._.attributions
    assert doc._.actors[att.speaker].name == "Russia"


def test_no_actor_from_a_related_posts_list(nlp: Language) -> None:
    text = (
        "Talks stall\n\nThe mayor said the talks had stalled.\n\nRelated posts\n\n"
        "Brazil Wins Again In Overtime\n\nPeru Elects New Leader After Runoff"
    )
    doc = nlp(text)
    assert not any(a.country in ("BRA", "PER") for a in doc._.actors)


def test_a_users_actors_file_names_and_codes_actors(tmp_path: Path) -> None:
    actors_csv = tmp_path / "actors.csv"
    actors_csv.write_text(
        "name,canonical,type,country,sector,role\n"
        "Harbour Watch,Harbour Watch Coalition,organisation,NOR,NGO,\n"
        "Ola Nord,Ola Nord,person,NOR,GOV,harbour minister\n",
        "utf-8",
    )
    nlp2 = load_pipeline(actors_file=str(actors_csv))
    doc = nlp2("Harbour Watch said the port was unsafe. Ola Nord said it was safe.")
    got = [doc._.actors[a.speaker] for a in doc._.attributions]
    assert [(a.name, a.type, a.country, a.sector) for a in got] == [
        ("Harbour Watch Coalition", "organisation", "NOR", "NGO"),
        ("Ola Nord", "person", "NOR", "GOV"),
    ]
    assert got[1].role == "harbour minister"


def test_office_holders_get_their_country_by_name_or_title(nlp: Language) -> None:
    doc = nlp("Opposition groups are demanding that President Mugabe abandon the land policy.")
    mugabe = next(a for a in doc._.actors if a.name == "Mugabe")
    assert (mugabe.type, mugabe.country) == ("person", "ZWE")
    doc = nlp("Michael Brown said the shop was closed.")  # a surname alone is no office
    assert [a.country for a in doc._.actors if a.type == "person"] == [None]


def test_a_us_state_gives_the_country_but_is_no_actor(nlp: Language) -> None:
    doc = nlp("New Jersey Gov. Chris Christie said taxes would fall.")
    assert [(a.name, a.country) for a in doc._.actors] == [("Chris Christie", "USA")]


def test_plural_proper_nouns_are_groups(nlp: Language) -> None:
    who = one_speaker(nlp, "Several Democrats said the bill was dead.")
    assert (who.name, who.type) == ("Democrats", "group")


def test_us_in_capitals_is_the_country_not_the_pronoun(nlp: Language) -> None:
    doc = nlp("The PRC on Tuesday demanded that the US cancel plans to sell weapons to Taiwan.")
    assert ("United States", "USA") in [(a.name, a.country) for a in doc._.actors]
