"""Exact answers from the seed data (data/*.ttl) about the report of 19 October 2023."""

import datetime
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, Namespace
from rdflib.namespace import RDF, RDFS, SKOS, XSD

import kg
from kg.loading import read_graph

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
    qualifiers = _column(
        graph, "SELECT ?q WHERE { ?e dip:eventType dip:recallsDiplomatsFrom ; dip:qualifier ?q }"
    )
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
    assert _column(
        graph, """SELECT ?n WHERE { ?e dip:eventType dip:urgesCitizensToLeave ; dip:timeNote ?n }"""
    ) == {"late on Tuesday"}
    assert _column(
        graph, """SELECT ?q WHERE { ?e dip:eventType dip:issuesTravelWarning ; dip:qualifier ?q }"""
    ) == {"highest threat level"}


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
        SELECT ?mediator ?party ?date ?end WHERE {
            ?e dip:eventType dip:mediates ; dip:actor ?mediator ; dip:target ?party ;
               dip:date ?date ; dip:endDate ?end ; dip:datePrecision dip:IntervalPrecision .
        }""",
    )
    assert rows == {
        (ID.turkey, ID.israel, _day("2023-10-07"), _day("2023-10-19")),
        (ID.turkey, ID.hamas, _day("2023-10-07"), _day("2023-10-19")),
    }


def test_seventh_of_october(graph):
    rows = _rows(
        graph,
        """
        SELECT ?type ?amount ?approx ?counted WHERE {
            ?e dip:eventType ?type ; dip:actor id:hamas ; dip:target id:israel ;
               dip:date "2023-10-07"^^xsd:date ;
               dip:quantity [ dip:amount ?amount ; dip:approximate ?approx ; dip:countOf ?counted ] .
        }""",
    )
    assert {(t, a, x) for t, a, x, _ in rows} == {
        (DIP.attacks, 1400, True),
        (DIP.attacks, 2000, True),
        (DIP.takesHostages, 200, True),
    }
    assert {c for t, _, _, c in rows if t == DIP.takesHostages} == {"Israeli and foreign hostages"}


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
        SELECT ?type ?actor ?target ?amount ?approx WHERE {
            ?e dip:eventType ?type ; dip:actor ?actor ; dip:target ?target ;
               dip:quantity [ dip:amount ?amount ; dip:approximate ?approx ] .
            FILTER (?type IN (dip:clashesWith, dip:arrests))
        }""",
    )
    assert rows == {
        (DIP.clashesWith, ID["turkish-police"], ID.protesters, 24, True),
        (DIP.arrests, ID["turkish-police"], ID.protesters, 5, False),
    }


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
        (ID.fidan, ID.turkey, "Foreign Minister"),
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
    assert set(graph.objects(None, DIP.observedOn)) == {Literal(_day("2023-10-19"))}


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
    names = {
        node: {str(graph.value(node, RDFS.label))} | aliases(node)
        for node in (ID.erdogan, ID.fidan, ID.haniyeh)
    }
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
