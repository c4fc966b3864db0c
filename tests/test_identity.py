"""Cross-article identity keys: the rules that decide who is the same actor."""

from __future__ import annotations

from claimgraph.identity import entity_key, person_name_parts, pick_by_surname
from claimgraph.model import Actor


def person(name: str) -> Actor:
    return Actor(id="a1", name=name, type="person")


def test_person_forms_of_one_name_share_a_key() -> None:
    keys = {entity_key(person(n)) for n in ("Donald Trump", "Donald J. Trump", "Mr. Donald Trump")}
    assert keys == {"person:donald trump"}


def test_namesakes_keep_their_own_keys() -> None:
    assert entity_key(person("Hillary Clinton")) != entity_key(person("Bill Clinton"))
    assert entity_key(person("Hillary Rodham Clinton")) == entity_key(person("Hillary Clinton"))


def test_surname_only_and_accents() -> None:
    assert entity_key(person("Trump")) == "person:trump"
    assert person_name_parts("José Mújica") == ["jose", "mujica"]


def test_states_by_code_whatever_the_name() -> None:
    tehran = Actor(id="a1", name="Iran", type="state", country="IRN")
    iran = Actor(id="a9", name="Islamic Republic of Iran", type="state", country="IRN")
    assert entity_key(tehran) == entity_key(iran) == "state:IRN"


def test_organisations_by_name_and_country_media_by_name() -> None:
    a = Actor(id="a1", name="Foreign Ministry", type="organisation", country="UKR")
    b = Actor(id="a2", name="Foreign Ministry", type="organisation", country="RUS")
    assert entity_key(a) != entity_key(b)
    assert entity_key(Actor(id="a3", name="The Guardian", type="media")) == "media:guardian"


def test_a_bare_surname_goes_to_a_dominant_full_name_only() -> None:
    assert pick_by_surname("trump", {"person:donald trump": 40}) == "person:donald trump"
    both = {"person:hillary clinton": 50, "person:bill clinton": 9}
    assert pick_by_surname("clinton", both) == "person:hillary clinton"
    close = {"person:hillary clinton": 10, "person:bill clinton": 9}
    assert pick_by_surname("clinton", close) is None
    assert pick_by_surname("nobody", {"person:donald trump": 3}) is None
