"""Exact answers from the seed data (data/*.ttl) about the report of 19 October 2023."""

import datetime
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF, RDFS, SKOS, XSD

import kg
from kg._loading import read_graph

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT.parent / "shared" / "sources" / "toi-2023-10-19-israel-recalls-diplomats-from-turkey.txt"

DIP = Namespace("https://w3id.org/dipkg/ns#")
ID = Namespace("https://w3id.org/dipkg/id/")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
NS = {"dip": DIP, "id": ID, "rdfs": RDFS, "skos": SKOS, "schema": SCHEMA, "xsd": XSD}

ARTICLE = ID["source/toi-2023-10-19-israel-recalls-diplomats-from-turkey"]
EXPLOSION = ID["event/gaza-hospital-explosion-2023-10-17"]
HOSPITAL_CLAIM = ID["claim/israel-caused-hospital-explosion"]
ROCKET_CLAIM = ID["claim/misfired-palestinian-rocket"]

# A second sentence starts after a full stop (or ! ?), optional closing quotes, and white space.
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]*\s+\S")


def _day(iso):
    return datetime.date.fromisoformat(iso)


def _load_graph():
    """The default graph as the package loads it (ontology, data, derived relations)."""
    data = sorted((ROOT / "data").glob("*.ttl"))
    assert {p.name for p in data} == {"actors.ttl", "claims.ttl", "events.ttl", "sources.ttl", "states.ttl"}
    return kg.load().graph


@pytest.fixture(scope="module")
def graph():
    return _load_graph()


def _rows(graph, query):
    """Run a SELECT and return its rows as a set of tuples of Python values or IRIs."""
    result = graph.query(query, initNs=NS)
    return {tuple(v.toPython() if isinstance(v, Literal) else v for v in row) for row in result}


def _column(graph, query):
    return {row[0] for row in _rows(graph, query)}


def _instances(graph, cls):
    return _column(graph, f"SELECT DISTINCT ?x WHERE {{ ?x a/rdfs:subClassOf* <{cls}> }}")


# ------------------------------------------------------------------ counts


def test_counts(graph):
    assert len(_instances(graph, DIP.Event)) == 27
    assert len(_instances(graph, DIP.Claim)) == 2
    assert len(_instances(graph, DIP.StandingRelation)) == 11
    assert len(_instances(graph, DIP.Actor)) == 21
    assert len(_instances(graph, DIP.Place)) == 4
    assert _instances(graph, DIP.Source) == {
        ARTICLE,
        ID["source/afp-2023-10-19-israel-recalls-diplomats-from-turkey"],
    }


# ------------------------------------------------------------------ who did what to whom, when


def test_recall_of_diplomats(graph):
    rows = _rows(
        graph,
        """
        SELECT ?actor ?target ?date ?precision ?informant WHERE {
            ?e dip:eventType dip:recallsDiplomatsFrom ; dip:actor ?actor ; dip:target ?target ;
               dip:date ?date ; dip:datePrecision ?precision ; dip:attributedTo ?informant .
        }""",
    )
    assert rows == {
        (
            ID.israel,
            ID.turkey,
            _day("2023-10-19"),
            DIP.DayPrecision,
            ID["informant/anonymous-source-close-to-the-dossier"],
        )
    }
    qualifiers = _column(graph, "SELECT ?q WHERE { ?e dip:eventType dip:recallsDiplomatsFrom ; dip:qualifier ?q }")
    assert qualifiers == {"temporary", "as a security precaution", "for the short term"}


def test_graph_as_of_a_date_has_recall_only_from_the_19th(graph):
    query = """
        SELECT ?e WHERE {{ ?e dip:eventType dip:recallsDiplomatsFrom ; dip:date ?d .
                          FILTER (?d <= "{}"^^xsd:date) }}"""
    assert _column(graph, query.format("2023-10-16")) == set()
    assert _column(graph, query.format("2023-10-19")) == {ID["event/recall-2023-10-19"]}


def test_warnings_and_evacuation_against_turkey(graph):
    rows = _rows(
        graph,
        """
        SELECT ?type ?actor ?date ?end WHERE {
            ?e dip:eventType ?type ; dip:actor ?actor ; dip:target id:turkey ; dip:date ?date .
            OPTIONAL { ?e dip:endDate ?end }
            FILTER (?type IN (dip:urgesCitizensToLeave, dip:issuesTravelWarning, dip:evacuatesCitizensFrom))
        }""",
    )
    assert rows == {
        (DIP.urgesCitizensToLeave, ID["israel-national-security-council"], _day("2023-10-17"), None),
        (DIP.issuesTravelWarning, ID.israel, _day("2023-10-17"), _day("2023-10-19")),
        (DIP.evacuatesCitizensFrom, ID.israel, _day("2023-10-17"), _day("2023-10-19")),
    }
    assert _column(graph, """SELECT ?n WHERE { ?e dip:eventType dip:urgesCitizensToLeave ; dip:timeNote ?n }""") == {
        "late on Tuesday"
    }
    assert _column(graph, """SELECT ?q WHERE { ?e dip:eventType dip:issuesTravelWarning ; dip:qualifier ?q }""") == {
        "highest threat level"
    }


def test_consulate_statement(graph):
    rows = _rows(
        graph,
        """
        SELECT ?actor ?date ?by ?about WHERE {
            ?e dip:eventType dip:makesStatement ; dip:actor ?actor ; dip:date ?date ;
               dip:attributedTo ?by ; dip:concerns ?about .
            FILTER (?actor = id:israel-consulate-istanbul)
        }""",
    )
    assert rows == {
        (
            ID["israel-consulate-istanbul"],
            _day("2023-10-18"),
            ID["israel-consulate-istanbul"],
            ID["event/nsc-urges-israelis-to-leave-turkey-2023-10-17"],
        )
    }


def test_who_maintains_ties_with_hamas(graph):
    others = _column(
        graph,
        """
        SELECT ?other WHERE {
            ?s a dip:StandingRelation ; dip:relationType dip:maintainsTiesWith ;
               dip:subject ?a ; dip:object ?b .
            FILTER (?a = id:hamas || ?b = id:hamas)
            BIND (IF(?a = id:hamas, ?b, ?a) AS ?other)
        }""",
    )
    assert others == {ID.turkey}


def test_who_spoke_with_haniyeh(graph):
    rows = _rows(
        graph,
        """
        SELECT ?other ?date ?topic WHERE {
            ?e dip:eventType dip:discussesByTelephone ; dip:actor ?a ; dip:target ?t ;
               dip:date ?date ; dip:topic ?topic .
            FILTER (?a = id:haniyeh || ?t = id:haniyeh)
            BIND (IF(?a = id:haniyeh, ?t, ?a) AS ?other)
        }""",
    )
    assert rows == {(ID.fidan, _day("2023-10-16"), "release of hostages")}


def test_turkey_in_touch_with_hamas_after_requests(graph):
    rows = _rows(
        graph,
        """
        SELECT ?actor ?target ?by ?requester ?asked WHERE {
            ?e dip:eventType dip:consults ; dip:actor ?actor ; dip:target ?target ; dip:attributedTo ?by ;
               dip:inResponseTo ?r .
            ?r dip:eventType dip:appealsTo ; dip:actor ?requester ; dip:target ?asked .
        }""",
    )
    assert rows == {(ID.turkey, ID.hamas, ID.fidan, ID["several-governments"], ID.turkey)}


def test_mediation_has_two_parties(graph):
    rows = _rows(
        graph,
        """
        SELECT ?mediator ?party ?date ?end ?before ?when WHERE {
            ?e dip:eventType dip:mediates ; dip:actor ?mediator ; dip:target ?party ;
               dip:date ?date ; dip:endDate ?end ; dip:before ?before ; dip:timeNote ?when ;
               dip:datePrecision dip:IntervalPrecision .
        }""",
    )
    # "previously": the report places the mediation before its own day, not up to it
    assert rows == {
        (ID.turkey, ID.israel, _day("2023-10-07"), _day("2023-10-18"), _day("2023-10-19"), "previously"),
        (ID.turkey, ID.hamas, _day("2023-10-07"), _day("2023-10-18"), _day("2023-10-19"), "previously"),
    }
    readings = _rows(
        graph,
        """
        SELECT ?of ?words WHERE {
            ?e dip:eventType dip:mediates ; dip:hasReading [ dip:readingOf ?of ; dip:words ?words ] }""",
    )
    assert readings == {
        (DIP.date, "the ongoing Israel-Hamas war"),
        (DIP.endDate, "previously"),
        (DIP.target, "the ongoing Israel-Hamas war"),
    }


def test_seventh_of_october(graph):
    stated = _rows(
        graph,
        """
        SELECT ?type ?words ?amount ?hedge ?counted WHERE {
            ?e dip:eventType ?type ; dip:actor id:hamas ; dip:target id:israel ;
               dip:date "2023-10-07"^^xsd:date ;
               dip:quantity [ a dip:StatedFigure ; dip:words ?words ; dip:amount ?amount ; dip:hedge ?hedge ;
                              dip:countOf ?counted ] .
        }""",
    )
    assert stated == {
        (DIP.attacks, "some 1,400", 1400, DIP.Some, "people killed"),
        (DIP.takesHostages, "some 200", 200, DIP.Some, "Israeli and foreign hostages"),
    }
    vague = _rows(
        graph,
        """
        SELECT ?words ?minimum ?word ?counted WHERE {
            ?e dip:eventType dip:attacks ;
               dip:quantity ?q . ?q a dip:VagueQuantity ; dip:words ?words ; dip:impliedMinimum ?minimum ;
                                    dip:countOf ?counted ;
                                    dip:hasReading [ dip:readingOf dip:impliedMinimum ; dip:words ?word ] .
            FILTER NOT EXISTS { ?q dip:amount ?any }
        }""",
    )
    assert vague == {("thousands of terrorists", 2000, "thousands", "terrorists who invaded Israel")}


def test_protests_clashes_and_detentions(graph):
    protests = _rows(
        graph,
        """
        SELECT ?actor ?target ?where ?date WHERE {
            ?e dip:eventType dip:demonstratesAgainst ; dip:actor ?actor ; dip:target ?target ;
               dip:location ?where ; dip:date ?date .
        }""",
    )
    assert protests == {
        (ID.protesters, ID.israel, ID["israel-consulate-istanbul"], _day("2023-10-17")),
        (ID.protesters, ID.israel, ID["israel-embassy-ankara"], _day("2023-10-17")),
    }
    rows = _rows(
        graph,
        """
        SELECT ?type ?actor ?target ?kind ?words ?number WHERE {
            ?e dip:eventType ?type ; dip:actor ?actor ; dip:target ?target ; dip:quantity ?q .
            ?q a ?kind ; dip:words ?words ; dip:amount|dip:impliedMinimum ?number .
            FILTER (?type IN (dip:clashesWith, dip:arrests) && ?kind != dip:Quantity)
        }""",
    )
    # "Dozens" is a word: no amount, a lower bound marked as a reading; "five" is a figure, unhedged
    assert rows == {
        (DIP.clashesWith, ID["turkish-police"], ID.protesters, DIP.VagueQuantity, "Dozens", 24),
        (DIP.arrests, ID["turkish-police"], ID.protesters, DIP.StatedFigure, "five", 5),
    }
    assert not _rows(graph, "SELECT ?h WHERE { ?e dip:eventType dip:arrests ; dip:quantity/dip:hedge ?h }")


def test_condemnation_of_the_explosion(graph):
    rows = _rows(
        graph,
        """
        SELECT ?actor ?target ?about ?by ?q WHERE {
            ?e dip:eventType dip:condemns ; dip:actor ?actor ; dip:target ?target ; dip:concerns ?about ;
               dip:attributedTo ?by ; dip:qualifier ?q .
        }""",
    )
    assert {r[:4] for r in rows} == {
        (ID["turkey-foreign-ministry"], ID.israel, EXPLOSION, ID["turkey-foreign-ministry"])
    }
    assert {r[4] for r in rows} == {"in the strongest terms", "these barbaric attacks"}
    # "these barbaric attacks" presupposes the contested blame; the target is read from "also"
    marks = _rows(
        graph,
        """
        SELECT ?claim ?of ?words WHERE {
            ?e dip:eventType dip:condemns ; dip:presupposesClaim ?claim ;
               dip:hasReading [ dip:readingOf ?of ; dip:words ?words ] }""",
    )
    assert marks == {(HOSPITAL_CLAIM, DIP.target, "also")}
    assert not _rows(graph, "SELECT ?c WHERE { ?e dip:eventType dip:condemns ; dip:assertsClaim ?c }")


def test_posts_held_by_named_persons(graph):
    rows = _rows(
        graph,
        """
        SELECT ?person ?in ?role WHERE {
            ?s dip:relationType dip:holdsPostIn ; dip:subject ?person ; dip:object ?in ; dip:role ?role .
        }""",
    )
    assert rows == {
        (ID.erdogan, ID.turkey, "President"),
        (ID.fidan, ID.turkey, "top diplomat"),
        (ID.haniyeh, ID.hamas, "politburo chief"),
    }
    assert _instances(graph, DIP.Person) == {ID.erdogan, ID.fidan, ID.haniyeh}


def test_structure_of_missions_and_bodies(graph):
    rows = _rows(
        graph,
        """
        SELECT ?type ?s ?o WHERE {
            ?r dip:relationType ?type ; dip:subject ?s ; dip:object ?o .
            FILTER (?type IN (dip:partOf, dip:missionOf, dip:locatedIn))
        }""",
    )
    assert rows == {
        (DIP.partOf, ID["israel-national-security-council"], ID.israel),
        (DIP.partOf, ID["turkey-foreign-ministry"], ID.turkey),
        (DIP.partOf, ID["turkish-police"], ID.turkey),
        (DIP.missionOf, ID["israel-consulate-istanbul"], ID.israel),
        (DIP.missionOf, ID["israel-embassy-ankara"], ID.israel),
        (DIP.locatedIn, ID["israel-consulate-istanbul"], ID.istanbul),
        (DIP.locatedIn, ID["israel-embassy-ankara"], ID["ankara-city"]),
    }
    assert set(graph.objects(None, DIP.observedOn)) == set()


def test_standing_relations_say_since_when_the_report_shows_them(graph):
    # No start is given: each is already so by the day of the earliest statement that shows it.
    rows = _rows(
        graph,
        """
        SELECT ?s ?by WHERE { ?s a dip:StandingRelation ; dip:inForceBy ?by
                              FILTER NOT EXISTS { ?s dip:startDate ?start } }""",
    )
    by = {str(s).rsplit("/", 1)[-1]: d.isoformat() for s, d in rows}
    assert len(by) == 11
    assert by["haniyeh-politburo-chief-of-hamas"] == "2023-10-16"  # Monday's call names him so
    assert by["fidan-foreign-minister-of-turkey"] == "2023-10-17"  # "Turkey's top diplomat ... said Tuesday"
    assert by["turkey-maintains-ties-with-hamas"] == "2023-10-19"
    assert Counter(by.values()) == {"2023-10-16": 1, "2023-10-17": 8, "2023-10-19": 2}


# ------------------------------------------------------------------ claims


def test_who_asserts_disputes_and_endorses_the_claims(graph):
    def actors_by(prop, claim):
        return _column(graph, f"SELECT ?a WHERE {{ ?e dip:{prop} <{claim}> ; dip:actor ?a }}")

    assert actors_by("assertsClaim", HOSPITAL_CLAIM) == {ID.hamas, ID["arab-and-muslim-world"], ID.erdogan}
    assert actors_by("disputesClaim", HOSPITAL_CLAIM) == {ID.israel}
    assert actors_by("endorsesClaim", HOSPITAL_CLAIM) == set()
    assert actors_by("assertsClaim", ROCKET_CLAIM) == {ID.israel}
    assert actors_by("disputesClaim", ROCKET_CLAIM) == set()
    assert actors_by("endorsesClaim", ROCKET_CLAIM) == {
        ID["united-states"],
        ID["other-western-countries"],
        ID["many-analysts"],
    }
    assert set(graph.subject_objects(DIP.contradicts)) == {
        (HOSPITAL_CLAIM, ROCKET_CLAIM),
        (ROCKET_CLAIM, HOSPITAL_CLAIM),
    }
    rows = _rows(
        graph,
        "SELECT ?c ?about ?who WHERE { ?c a dip:Claim ; dip:about ?about ; dip:claimedResponsible ?who }",
    )
    assert rows == {
        (HOSPITAL_CLAIM, EXPLOSION, ID.israel),
        (ROCKET_CLAIM, EXPLOSION, ID["palestinian-terror-group"]),
    }


def test_claims_are_never_facts(graph):
    claims = _rows(
        graph,
        "SELECT ?c ?event ?who WHERE { ?c a dip:Claim ; dip:about ?event ; dip:claimedResponsible ?who }",
    )
    assert claims
    for _, event, who in claims:
        # no direct link between the one held responsible and the event, either way
        assert set(graph.predicates(who, event)) == set()
        assert set(graph.predicates(event, who)) == set()
        # the contested event has no actor or target at all
        assert set(graph.objects(event, DIP.actor)) == set()
        assert set(graph.objects(event, DIP.target)) == set()
        # only claims point at it (dip:about) and events say they concern it (dip:concerns)
        assert {p for _, p in graph.subject_predicates(event)} == {DIP.about, DIP.concerns}
        assert set(graph.subjects(DIP.about, event)) == {c for c, _, _ in claims}
    # no derived actor-to-actor edge is typed in the data files: the package derives them
    relation_types = set(graph.subjects(RDF.type, DIP.RelationType))
    as_written, _ = read_graph([])
    assert {p for p in as_written.predicates() if p in relation_types} == set()


# ------------------------------------------------------------------ every event, every actor


def test_every_event_has_one_date_source_and_quote(graph):
    events = _instances(graph, DIP.Event)
    for event in events:
        dates = list(graph.objects(event, DIP.date))
        sources = list(graph.objects(event, DIP.source))
        quotes = list(graph.objects(event, DIP.quote))
        assert len(dates) == 1 and isinstance(dates[0].toPython(), datetime.date), event
        assert sources == [ARTICLE], event
        assert len(quotes) == 1, event
        quote = str(quotes[0])
        assert 0 < len(quote) < 400, event
        assert _SENTENCE_BREAK.search(quote) is None, f"{event}: quote has more than one sentence"
        assert len(list(graph.objects(event, DIP.eventType))) == 1, event
        ends = list(graph.objects(event, DIP.endDate))
        precision = list(graph.objects(event, DIP.datePrecision))
        assert precision == ([DIP.IntervalPrecision] if ends else [DIP.DayPrecision]), event
        assert all(end.toPython() >= dates[0].toPython() for end in ends), event


def test_quotes_are_verbatim_from_the_report(graph):
    if not REPORT.exists():
        pytest.skip("../shared is absent: the report is not on this machine")
    text = REPORT.read_text(encoding="utf-8")
    quoted = list(graph.subject_objects(DIP.quote))
    assert len(quoted) == 27 + 2 + 11
    assert [(s, str(q)) for s, q in quoted if str(q) not in text] == []


def test_every_actor_has_exactly_one_english_label(graph):
    actors = _instances(graph, DIP.Actor)
    counts = Counter(
        s
        for s in actors
        for label in graph.objects(s, RDFS.label)
        if isinstance(label, Literal) and label.language == "en"
    )
    assert {a: counts[a] for a in actors} == {a: 1 for a in actors}


def test_actor_types(graph):
    def of(cls):
        return _column(graph, f"SELECT ?x WHERE {{ ?x a <{cls}> }}")

    assert of(DIP.State) == {ID.israel, ID.turkey, ID["united-states"]}
    assert of(DIP.DiplomaticMission) == {ID["israel-consulate-istanbul"], ID["israel-embassy-ankara"]}
    assert of(DIP.GovernmentBody) == {
        ID["israel-national-security-council"],
        ID["turkey-foreign-ministry"],
        ID["turkish-police"],
    }
    assert of(DIP.Organisation) == {ID.hamas, ID["palestinian-terror-group"], ID.afp, ID["times-of-israel"]}
    assert of(DIP.Collective) == {
        ID["arab-and-muslim-world"],
        ID["other-western-countries"],
        ID["many-analysts"],
        ID["several-governments"],
        ID.protesters,
        ID["israelis-in-turkey"],
    }
    assert of(DIP.Place) == {ID["gaza-strip"], ID.istanbul, ID["ankara-city"], ID["gaza-hospital"]}
    codes = _rows(graph, "SELECT ?s ?c WHERE { ?s dip:actorCode ?c }")
    assert codes == {(ID.israel, "ISR"), (ID.turkey, "TUR"), (ID["united-states"], "USA")}


def test_aliases_the_report_uses(graph):
    def aliases(node):
        return {str(a) for a in graph.objects(node, SKOS.altLabel)}

    assert aliases(ID.israel) == {"Jerusalem", "the Jewish state"}
    assert aliases(ID.turkey) == {"Ankara"}
    assert aliases(ID["united-states"]) == {"the US"}
    assert aliases(ID.hamas) == {"the terror group", "the Hamas terror group"}
    assert aliases(ID["arab-and-muslim-world"]) == {"many Arab countries"}
    names = {node: {str(graph.value(node, RDFS.label))} | aliases(node) for node in (ID.erdogan, ID.fidan, ID.haniyeh)}
    assert names == {
        ID.erdogan: {"Recep Tayyip Erdogan", "Erdogan", "Turkish President"},
        ID.fidan: {"Hakan Fidan", "Fidan", "Turkey's top diplomat"},
        ID.haniyeh: {"Ismail Haniyeh", "Haniyeh", "Hamas politburo chief"},
    }


def test_wikidata_iris_are_exactly_the_checked_ones(graph):
    assert set(graph.subject_objects(SCHEMA.sameAs)) == {
        (ID.israel, WD.Q801),
        (ID.turkey, WD.Q43),
        (ID["united-states"], WD.Q30),
        (ID.hamas, WD.Q38799),
        (ID["gaza-strip"], WD.Q39760),
        (ID.istanbul, WD.Q406),
        (ID["ankara-city"], WD.Q3640),
        (ID.afp, WD.Q40464),
    }


def test_reporting_chain(graph):
    rows = _rows(
        graph,
        """
        SELECT ?article ?publisher ?wire ?agency ?date WHERE {
            ?article dip:basedOn ?wire ; schema:publisher ?publisher ; schema:datePublished ?date .
            ?wire schema:publisher ?agency .
        }""",
    )
    assert rows == {
        (
            ARTICLE,
            ID["times-of-israel"],
            ID["source/afp-2023-10-19-israel-recalls-diplomats-from-turkey"],
            ID.afp,
            _day("2023-10-19"),
        )
    }
    assert (
        str(graph.value(ARTICLE, RDFS.label))
        == "Israel bringing diplomats home from Turkey after warning its citizens to leave"
    )


# ------------------------------------------------------------------ numbers and readings: only what the report says

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}


def _report_text():
    if not REPORT.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{REPORT} is missing: the report must be present in CI")
        pytest.skip("../shared is absent: the report is not on this machine")
    return REPORT.read_text(encoding="utf-8")


def _numbers_in(words):
    """The numbers written in ``words``: figures (1,400) and number words (five)."""
    found = {int(m.replace(",", "")) for m in re.findall(r"\d[\d,]*", words)}
    found |= {n for w, n in _NUMBER_WORDS.items() if re.search(rf"\b{w}\b", words, re.IGNORECASE)}
    return found


def _data_numbers():
    """Every numeric literal of the data files, with its node, property and the words it came from."""
    files = sorted((ROOT / "data").glob("*.ttl"))
    assert len(files) == 5
    data = Graph()
    for path in files:
        data.parse(path, format="turtle")
    numeric = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}
    rows = []
    for node, prop, value in data:
        if not (isinstance(value, Literal) and value.datatype in numeric):
            continue
        readings = {r for r in data.objects(node, DIP.hasReading) if (r, DIP.readingOf, prop) in data}
        stated = [str(w) for w in data.objects(node, DIP.words)]
        read = [str(w) for r in readings for w in data.objects(r, DIP.words)]
        rows.append((node, prop, value.toPython(), stated, read))
    return rows


def test_every_number_of_the_data_is_the_reports_or_a_marked_reading():
    text = _report_text()
    rows = _data_numbers()
    listing = sorted((str(p).rsplit("#", 1)[-1], n, stated, read) for _, p, n, stated, read in rows)
    # The whole list, with the report's words each number came from.
    assert listing == [
        ("amount", 5, ["five"], []),
        ("amount", 200, ["some 200"], []),
        ("amount", 1400, ["some 1,400"], []),
        ("impliedMinimum", 24, ["Dozens"], ["Dozens"]),
        ("impliedMinimum", 40, ["scores of people"], ["scores"]),
        ("impliedMinimum", 2000, ["thousands of terrorists"], ["thousands"]),
    ]
    unexplained = []
    for node, prop, number, stated, read in rows:
        in_report = [w for w in stated if w in text and number in _numbers_in(w)]
        marked = [w for w in read if w in text]
        if not in_report and not marked:
            unexplained.append((node, prop, number))
        if prop == DIP.impliedMinimum:  # a number read into a word is a reading, always
            assert marked and not in_report, (node, number)
    assert unexplained == []


def test_a_number_the_report_lacks_fails_unless_marked_as_a_reading():
    # the check above, run on an invented quantity: "dozens" stored as a stated figure of 24
    words = "Dozens"
    assert 24 not in _numbers_in(words)
    assert _numbers_in("some 1,400") == {1400} and _numbers_in("five") == {5}


def test_no_figure_read_into_a_word_is_stored_as_a_stated_one(graph):
    # SPARQL against the ontology: a vague quantity has no dip:amount, a stated one no implied minimum
    assert not _rows(graph, "SELECT ?q WHERE { ?q a dip:VagueQuantity ; dip:amount ?n }")
    assert not _rows(graph, "SELECT ?q WHERE { ?q dip:amount ?n ; dip:hasReading ?r }")
    assert not _rows(graph, "SELECT ?q WHERE { ?q a dip:StatedFigure ; dip:impliedMinimum ?n }")
    words = _rows(
        graph,
        """
        SELECT ?words ?kind WHERE { ?q a ?kind ; dip:words ?words .
                                    FILTER (?kind IN (dip:StatedFigure, dip:VagueQuantity)) }""",
    )
    assert words == {
        ("scores of people", DIP.VagueQuantity),
        ("Dozens", DIP.VagueQuantity),
        ("thousands of terrorists", DIP.VagueQuantity),
        ("some 1,400", DIP.StatedFigure),
        ("some 200", DIP.StatedFigure),
        ("five", DIP.StatedFigure),
    }


def test_readings_keep_the_reports_words(graph):
    text = _report_text()
    rows = _rows(
        graph, "SELECT ?node ?of ?words WHERE { ?node dip:hasReading ?r . ?r dip:readingOf ?of ; dip:words ?words }"
    )
    assert [r for r in rows if r[2] not in text] == []
    of = Counter(str(r[1]).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for r in rows)
    assert of == {"date": 17, "target": 9, "impliedMinimum": 3, "endDate": 1, "label": 2, "altLabel": 1, "object": 1}
    # the inferred targets: the condemnation ("also"), protests, endorsements, hostages, threats, mediation
    targets = {str(n).rsplit("/", 1)[-1] for n, o, _ in rows if o == DIP.target}
    assert "turkey-foreign-ministry-condemns-israel-2023-10-17" in targets


def test_the_hospital_is_named_as_the_report_names_it(graph):
    labels = {str(o) for o in graph.objects(ID["gaza-hospital"], RDFS.label)}
    labels |= {str(o) for o in graph.objects(ID["gaza-hospital"], SKOS.altLabel)}
    text = _report_text()
    assert labels == {"a Gaza hospital", "Gaza hospital", "the hospital"}
    assert all(label in text for label in labels)
