"""Actors across articles in the store (SQLite and PostgreSQL): one entity per real
actor, the surname rule, and the profile queries behind `claimgraph actor`."""

from __future__ import annotations

from claimgraph.model import Actor, Attribution, Document, Extraction, TextSpan
from claimgraph.store import open_store


def article(text: str, actors: list[Actor], said: list[tuple[str, str, str]]) -> Extraction:
    """An extraction built by hand: ``said`` is (speaker id, cue, content) in ``text``."""
    doc = Document(name=f"{abs(hash(text))}.txt", text=text, published="2024-05-01")
    atts = []
    for n, (speaker, cue, content) in enumerate(said, start=1):
        c = text.index(cue)
        s = text.index(content)
        atts.append(
            Attribution(
                id=f"t{n}",
                cue=TextSpan(c, c + len(cue), cue),
                content=TextSpan(s, s + len(content), content),
                speaker=speaker,
            )
        )
    for a in actors:
        for word in a.name.split()[-1:]:
            at = text.find(word)
            if at >= 0:
                a.mentions.append(TextSpan(at, at + len(word), word))
    return Extraction(document=doc, actors=actors, attributions=atts)


def person(aid: str, name: str, **kw: str) -> Actor:
    return Actor(id=aid, name=name, type="person", **kw)  # type: ignore[arg-type]


def test_one_entity_per_person_and_state_across_articles(store_url: str) -> None:
    a = article(
        "Donald J. Trump said the wall would be built. Tehran said nothing.",
        [person("a1", "Donald J. Trump"), Actor("a2", "Iran", "state", "IRN")],
        [("a1", "said", "the wall would be built")],
    )
    b = article(
        "Donald Trump said taxes would fall.",
        [person("a1", "Donald Trump")],
        [("a1", "said", "taxes would fall")],
    )
    c = article(
        "Iran said the talks were over.",
        [Actor("a1", "Iran", "state", "IRN")],
        [("a1", "said", "the talks were over")],
    )
    with open_store(store_url) as store:
        for x in (a, b, c):
            assert store.save(x)
        rows = {r.id: r for r in store.entities()}
    assert rows["person:donald trump"].statements == 2
    assert rows["person:donald trump"].documents == 2
    assert rows["state:IRN"].documents == 2
    assert rows["state:IRN"].statements == 1


def test_a_bare_surname_joins_the_dominant_full_name_even_if_it_came_first(
    store_url: str,
) -> None:
    early = article(
        "Clinton said the plan was sound.",
        [person("a1", "Clinton")],
        [("a1", "said", "the plan was sound")],
    )
    full = article(
        "Hillary Clinton said the plan would pass.",
        [person("a1", "Hillary Clinton")],
        [("a1", "said", "the plan would pass")],
    )
    with open_store(store_url) as store:
        store.save(early)
        assert {r.id for r in store.entities()} == {"person:clinton"}
        store.save(full)
        rows = {r.id: r for r in store.entities()}
    assert set(rows) == {"person:hillary clinton"}
    assert rows["person:hillary clinton"].statements == 2


def test_namesakes_stay_apart_and_an_unclear_surname_stays_alone(store_url: str) -> None:
    docs = [
        article("Hillary Clinton said yes.", [person("a1", "Hillary Clinton")], []),
        article("Bill Clinton said no.", [person("a1", "Bill Clinton")], []),
        article("Clinton said maybe.", [person("a1", "Clinton")], []),
    ]
    with open_store(store_url) as store:
        for d in docs:
            store.save(d)
        ids = {r.id for r in store.entities()}
    assert ids == {"person:hillary clinton", "person:bill clinton", "person:clinton"}


def test_profile_finds_by_alias_and_splits_said_from_said_about(store_url: str) -> None:
    text = "Tehran said the drones were old. Kyiv said Iran lied about the drones."
    x = article(
        text,
        [Actor("a1", "Iran", "state", "IRN"), Actor("a2", "Ukraine", "state", "UKR")],
        [("a1", "said", "the drones were old"), ("a2", "said Iran", "Iran lied about the drones")],
    )
    # mentions by the names the article used
    x.actors[0].mentions = [TextSpan(0, 6, "Tehran"), TextSpan(43, 47, "Iran")]
    x.actors[1].mentions = [TextSpan(33, 37, "Kyiv")]
    with open_store(store_url) as store:
        store.save(x)
        profile = store.entity_profile("Tehran")
        deleted = store.delete_document(x.document.id)
        after = store.entities()
    assert profile is not None
    assert profile.entity.id == "state:IRN"
    assert "Tehran" in profile.aliases
    assert [s.content for s in profile.said] == ["the drones were old"]
    assert [s.content for s in profile.said_about] == ["Iran lied about the drones"]
    assert deleted
    assert all(r.documents == 0 for r in after)
