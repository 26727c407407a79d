"""Cross-article entity resolution: one entity per real thing, on the seeds
through the engine and on hand-built analyses through the linker alone."""
from __future__ import annotations

import os
import uuid

import pytest

from marsad.link.entities import EntityLinker, cooccurring, get_entity, list_entities
from marsad.model import Analysis, Article, Mention
from marsad.store import open_store
from marsad.text.normalize import SEARCH

from conftest import SEEDS

LAVROV, HUSSEIN, MAXIMOV = "سيرغي لافروف", "فؤاد حسين", "ماكسيم ماكسيموف"
SEED_IDS = {"000_869a8ed862cadf55", "003_7ef351cf9e1796e6"}


def _entities_named(entities, name: str) -> list[dict]:
    key = SEARCH.text(name)
    return [e for e in entities if key in {SEARCH.text(a) for a in e["aliases"]} or SEARCH.text(e["canonical"]) == key]


@pytest.fixture
def seeded(engine, seeds):
    engine.ingest([str(SEEDS / "seeds.jsonl")])
    return engine


def test_seed_people_are_one_entity_each_across_both_articles(seeded):
    entities = list(seeded.export("entities"))
    for name in (LAVROV, HUSSEIN, MAXIMOV):
        found = _entities_named(entities, name)
        assert len(found) == 1, (name, found)
        e = found[0]
        assert e["type"] == "PER" and set(e["articles"]) == SEED_IDS
        assert e["mention_count"] >= 2 and e["id"].startswith("E")
    lavrov = _entities_named(entities, LAVROV)[0]
    assert "وزير الخارجية الروسي" in lavrov["titles"] and lavrov["country"] == "روسيا"
    assert set(_entities_named(entities, "لافروف")[0]["aliases"]) >= {"لافروف", LAVROV}
    assert seeded.stats()["entities"] == len(entities)


def test_seed_000_short_form_and_role_point_to_lavrov(seeded):
    lavrov_id = _entities_named(list(seeded.export("entities")), LAVROV)[0]["id"]
    rec = seeded.article_record("000_869a8ed862cadf55")
    short = [m for m in rec["entities"] if m["text"] == "لافروف"]
    role = [m for m in rec["entities"] if m["text"] == "الوزير الروسي"]
    assert short and role
    assert {m["entity_id"] for m in short + role} == {lavrov_id}
    assert {m["canonical"] for m in short + role} == {LAVROV}
    ent = get_entity(seeded.store, lavrov_id)
    kinds = {m["kind"] for m in ent["mentions"]}
    assert {"name", "short", "role"} <= kinds
    text = seeded.analysis("000_869a8ed862cadf55").article.text
    assert all(text[m["start"]:m["end"]] == m["text"] for m in ent["mentions"]
               if m["article_id"] == "000_869a8ed862cadf55")
    co = {c["canonical"] for c in cooccurring(seeded.store, lavrov_id)}
    assert HUSSEIN in co
    listed = list_entities(seeded.store, type="PER", q="لافروف")
    assert [i["id"] for i in listed["items"]] == [lavrov_id] and listed["total"] == 1


def test_seed_misspelt_place_joins_its_country(seeded):
    entities = list(seeded.export("entities"))
    afg = [e for e in entities if e["canonical"] == "أفغانستان"]
    assert len(afg) == 1 and set(afg[0]["articles"]) == SEED_IDS


def test_reingesting_does_not_double_count(seeded):
    before = {e["id"]: e["mention_count"] for e in seeded.export("entities")}
    seeded.ingest([str(SEEDS / "seeds.jsonl")], force=True)
    after = {e["id"]: e["mention_count"] for e in seeded.export("entities")}
    assert after == before


# -- the linker on hand-built analyses --------------------------------------------------
def _analysis(aid: str, text: str, spans: list[tuple[str, str, str]], published: str = "2021-01-01") -> Analysis:
    """Mentions at the first occurrence of each (surface, type, canonical)."""
    ms, pos = [], 0
    for surface, typ, canonical in spans:
        s = text.index(surface, pos)
        pos = s + len(surface)
        kind = "name" if not canonical or canonical == surface else "short"
        ms.append(Mention(s, pos, surface, typ, kind=kind, canonical=canonical or None))
    return Analysis(article=Article(id=aid, text=text, published=published), mentions=tuple(ms))


BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("MARSAD_TEST_PG") else [])


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """SQLite always; PostgreSQL too when MARSAD_TEST_PG names a server."""
    if request.param == "sqlite":
        s = open_store(str(tmp_path / "link.db"))
    else:
        from marsad.store.postgres import PostgresStore

        s = PostgresStore(os.environ["MARSAD_TEST_PG"], schema=f"t_{uuid.uuid4().hex[:10]}")
    s.ensure_schema(EntityLinker.schema)
    yield s
    if request.param == "postgres":
        s.drop_schema()
    s.close()


def _link(store, *analyses):
    linker = EntityLinker()
    with store.transaction():
        return linker.link(store, list(analyses))


def test_people_sharing_a_name_part_stay_apart(store):
    a = _analysis("a1", "وصل فؤاد حسين الى موسكو وقال حسين ان الزيارة مهمة.",
                  [("فؤاد حسين", "PER", ""), ("حسين", "PER", "فؤاد حسين")])
    b = _analysis("a2", "حكم صدام حسين العراق طويلا وكان حسين يحكم بقبضة قوية.",
                  [("صدام حسين", "PER", ""), ("حسين", "PER", "صدام حسين")])
    la, lb = _link(store, a, b)
    ids_a = {m.entity_id for m in la.mentions}
    ids_b = {m.entity_id for m in lb.mentions}
    assert len(ids_a) == 1 and len(ids_b) == 1 and ids_a != ids_b
    people = list(EntityLinker().export(store, "entities"))
    assert sorted(e["canonical"] for e in people) == ["صدام حسين", "فؤاد حسين"]
    # a bare surname in a third article binds to neither
    c = _analysis("a3", "قال حسين ان الامر انتهى.", [("حسين", "PER", "")])
    (lc,) = _link(store, c)
    assert lc.mentions[0].entity_id not in ids_a | ids_b


def test_spelling_variants_of_a_person_meet(store):
    a = _analysis("b1", "قال سيرغي لافروف كلاما.", [("سيرغي لافروف", "PER", "")])
    b = _analysis("b2", "قال سيرجي لافروف كلاما.", [("سيرجي لافروف", "PER", "")])
    c = _analysis("b3", "قال سيرغي لافروفا كلاما.", [("سيرغي لافروفا", "PER", "")])
    d = _analysis("b4", "قال سيرغي شويغو كلاما.", [("سيرغي شويغو", "PER", "")])
    e = _analysis("b5", "قال سيرغي فيكتوروفيتش لافروف كلاما.", [("سيرغي فيكتوروفيتش لافروف", "PER", "")])
    f = _analysis("b6", "قال عبد الله أوجلان كلاما.", [("عبد الله أوجلان", "PER", "")])
    g = _analysis("b7", "قال عبد الفتاح أوجلان كلاما.", [("عبد الفتاح أوجلان", "PER", "")])
    la, lb, lc, ld, le, lf, lg = _link(store, a, b, c, d, e, f, g)
    ids = [x.mentions[0].entity_id for x in (la, lb, lc, ld, le, lf, lg)]
    assert ids[0] == ids[1] == ids[2] == ids[4]  # typos and a middle name
    assert len({ids[0], ids[3], ids[5], ids[6]}) == 4  # another first name, another person
    assert lb.mentions[0].canonical == "سيرغي لافروف"


def test_all_spellings_of_the_united_states_are_one_entity(store):
    a = _analysis("c1", "أعلنت أميركا سحب قوات، وقالت الولايات المتحدة إن القرار نهائي.",
                  [("أميركا", "LOC", ""), ("الولايات المتحدة", "GPE", "")], "2021-02-01")
    b = _analysis("c2", "ردت امريكا على الاتهامات في بيان.", [("امريكا", "LOC", "")], "2021-02-03")
    la, lb = _link(store, a, b)
    ids = {m.entity_id for m in la.mentions + lb.mentions}
    assert len(ids) == 1
    (us,) = list(EntityLinker().export(store, "entities"))
    assert us["canonical"] == "الولايات المتحدة" and us["mention_count"] == 3
    assert set(us["articles"]) == {"c1", "c2"}
    assert {"أميركا", "امريكا", "الولايات المتحدة"} <= set(us["aliases"])
    row = get_entity(store, us["id"])
    assert row["first_seen"] == "2021-02-01" and row["last_seen"] == "2021-02-03"


def test_unknown_organisation_typo_and_type_classes(store):
    a = _analysis("d1", "أعلنت شركة النفط الوطنية عن صفقة.", [("شركة النفط الوطنية", "ORG", "")])
    b = _analysis("d2", "أعلنت شركة النفظ الوطنية عن صفقة.", [("شركة النفظ الوطنية", "ORG", "")])
    c = _analysis("d3", "زار شركة النفط الوطنية وفد.", [("شركة النفط الوطنية", "PER", "")])
    la, lb, lc = _link(store, a, b, c)
    assert la.mentions[0].entity_id == lb.mentions[0].entity_id  # one typo away
    assert lc.mentions[0].entity_id != la.mentions[0].entity_id  # a PER is never an ORG


def test_empty_analysis_links_to_nothing(store):
    (la,) = _link(store, Analysis(article=Article(id="e1", text="")))
    assert la.mentions == ()
    assert EntityLinker().stats(store) == {"entities": 0}
    with pytest.raises(ValueError):
        list(EntityLinker().export(store, "stories"))
