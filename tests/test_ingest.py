"""Ingestion: event tables, GDELT exports and ICEWS extracts in; counts, mapping, nothing half-written."""

import shutil
import zipfile
from datetime import date
from decimal import Decimal

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

import kg
from kg._errors import IngestError, InputError
from kg._graphs import ASSERTED_GRAPH, DERIVED_GRAPH, ONTOLOGY_GRAPH
from kg._ingestion import ingest, output_path
from kg._ingestion._terms import iri, literal, slug
from kg._namespace import CAMEO, DIP, ID, PREFIXES
from kg._store import EndpointStore, MemoryStore, OxigraphStore
from kg._validation import validate
from kg.cli import main

from .conftest import FIXTURES, oxigraph_server

HERE = FIXTURES / "ingest"
EVENTS = HERE / "events.csv"
BAD = HERE / "bad-rows.csv"
GDELT = HERE / "sample.export.CSV"
GDELT_ZIP = HERE / "sample.export.CSV.zip"
GDELT_BAD = HERE / "bad.export.CSV"
ICEWS = HERE / "sample.tab"


def a(name):
    return URIRef(f"{ID}actor/{name}")


def values(store, sparql, **bindings):
    return {tuple(row) if len(row) > 1 else row[0] for row in store.query(sparql, bindings=bindings)}


def created(report):
    return {(c.iri.removeprefix(str(ID)), c.label, c.kind) for c in report.actors_created}


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    return out


@pytest.fixture(scope="module")
def csv_graph(tmp_path_factory):
    out = tmp_path_factory.mktemp("csv")
    report = ingest(EVENTS, out_dir=out)
    return report, kg.load(out)


# ---------------------------------------------------------------- event tables


def test_event_table_counts_and_created_actors(csv_graph):
    report, _ = csv_graph
    assert (report.rows, report.events, report.standing, report.bad_rows) == (8, 7, 1, [])
    assert created(report) == {
        ("actor/republic-of-veloria", "Republic of Veloria", "state"),
        ("actor/kestrel-front", "Kestrel Front", "organisation"),
        ("actor/amara-osei", "Amara Osei", "person"),
    }
    assert report.sources_created == 5
    assert report.output.name == "events.ttl"


def test_event_table_resolves_names_relations_and_codes(csv_graph):
    _, graph = csv_graph
    rows = values(
        graph,
        """
        SELECT ?actor ?type ?target WHERE {
            ?e a dip:Event ; dip:eventType ?type ; dip:actor ?actor ; dip:date ?d .
            OPTIONAL { ?e dip:target ?target }
            FILTER (?d >= "2024-01-01"^^xsd:date)
        }""",
    )
    veloria, kestrel = a("republic-of-veloria"), a("kestrel-front")
    assert rows == {
        (veloria, DIP.recallsDiplomatsFrom, ID.turkey),
        (ID.turkey, DIP.condemns, veloria),  # "Ankara": an alias of Turkey
        (kestrel, DIP.mediates, ID.turkey),  # "045": the one relation type with that code
        (kestrel, DIP.mediates, veloria),
        (ID.israel, DIP.discussesByTelephone, veloria),  # "the Jewish state": an alias
        # 160: "reduces relations with" is exactly that concept (the warnings and evacuations are only
        # narrower: skos:broadMatch), so the code reads back as it
        (a("amara-osei"), DIP.reducesRelationsWith, veloria),
        (ID.hamas, DIP.accuses, kestrel),  # an IRI
        (ID.israel, CAMEO["0874"], kestrel),  # "ISR": an actor code; a code outside the taxonomy
    }


def test_event_table_derives_edges_and_standing_relations(csv_graph):
    _, graph = csv_graph
    veloria, kestrel = a("republic-of-veloria"), a("kestrel-front")
    for s, p, o in [
        (veloria, DIP.recallsDiplomatsFrom, ID.turkey),
        (kestrel, DIP.mediates, veloria),
        (veloria, DIP.discussesByTelephone, ID.israel),
        (ID.israel, DIP.discussesByTelephone, veloria),
        (veloria, DIP.maintainsTiesWith, kestrel),
        (kestrel, DIP.maintainsTiesWith, veloria),
    ]:
        assert bool(graph.query("ASK WHERE { ?s ?p ?o }", bindings={"s": s, "p": p, "o": o})), (s, p, o)
    assert values(
        graph,
        """SELECT ?d WHERE { ?r a dip:StandingRelation ; dip:relationType dip:maintainsTiesWith ;
                              dip:subject ?s ; dip:observedOn ?d }""",
        s=veloria,
    ) == {Literal("2024-02-20", datatype=XSD.date)}


def test_event_table_dates_provenance_and_optional_columns(csv_graph):
    _, graph = csv_graph
    row = graph.query(
        """SELECT ?d ?end ?p ?src WHERE { ?e dip:actor ?who ; dip:date ?d ; dip:endDate ?end ;
                          dip:datePrecision ?p ; dip:source ?s . ?s rdfs:label ?src }""",
        bindings={"who": a("amara-osei")},
    ).rows
    assert [tuple(r) for r in row] == [
        (
            Literal("2024-02-01", datatype=XSD.date),
            Literal("2024-02-29", datatype=XSD.date),
            DIP.MonthPrecision,
            Literal("Example Wire 2024-02-14"),
        )
    ]
    assert values(graph, "SELECT ?w WHERE { ?who schema:sameAs ?w }", who=a("amara-osei")) == {
        URIRef("http://www.wikidata.org/entity/Q123456789")
    }
    assert values(
        graph,
        """SELECT ?c ?url ?q WHERE { ?e dip:actor ?who ; dip:confidence ?c ; dip:quote ?q ;
                             dip:source/schema:url ?url }""",
        who=a("republic-of-veloria"),
    ) == {
        (
            Literal("0.9", datatype=XSD.decimal),
            URIRef("https://news.example.org/veloria-recall"),
            Literal("Veloria recalled its ambassador from Ankara on Monday, the foreign ministry said."),
        )
    }
    assert values(graph, "SELECT ?n WHERE { ?e dip:actor ?who ; dip:note ?n }", who=a("kestrel-front")) == {
        Literal("mediation offer, not accepted")
    }


def test_event_table_output_conforms_to_the_shapes(tmp_path):
    ingest(EVENTS, out_dir=tmp_path)
    report = kg.validate_files([tmp_path])
    assert report.conforms, report.text()
    assert len(report.warnings) == 1  # the row with no quote


def test_bad_rows_are_reported_and_nothing_is_written(folder):
    with pytest.raises(IngestError) as caught:
        ingest(BAD, out_dir=folder)
    assert [(row, column) for row, column, _ in caught.value.problems] == [
        (3, "date"),
        (4, "date"),
        (5, "relation"),
        (6, "actor"),
    ]
    messages = [m for _, _, m in caught.value.problems]
    assert "'2024-02-30' is not a real day" in messages[1]
    assert "did you mean 'condemns'" in messages[2]
    assert list(folder.iterdir()) == []  # no file, no leftover temporary file


def test_bad_rows_leave_a_store_unchanged(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    ingest(EVENTS, store=store)
    before = len(store)
    with pytest.raises(IngestError):
        ingest(BAD, store=store)
    assert len(store) == before
    assert not store.query("ASK { ?a rdfs:label 'Pell Islands'@en }")


def test_bad_rows_leave_no_new_store_behind(tmp_path):
    with pytest.raises(IngestError):
        ingest(BAD, store=tmp_path / "new")  # a new store is built aside and renamed when good
    assert [p.name for p in tmp_path.iterdir()] == [".new.kg-lock"]  # only the lock folder
    (tmp_path / "empty").mkdir()
    with pytest.raises(IngestError):
        ingest(GDELT_BAD, format="gdelt", store=tmp_path / "empty")
    names = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".kg-lock"))
    assert names == ["empty"] and not any((tmp_path / "empty").iterdir())
    report = ingest(GDELT_BAD, format="gdelt", store=tmp_path / "empty", skip_bad_rows=True)
    assert report.events == 1
    with OxigraphStore(tmp_path / "empty", read_only=True) as store:
        assert bool(store.query("ASK { ?e dip:datasetId '1000000001' }"))
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".kg-lock")) == ["empty"]


def test_skip_bad_rows_writes_the_good_ones(folder):
    report = ingest(BAD, out_dir=folder, skip_bad_rows=True)
    assert (report.rows, report.events) == (6, 2)
    assert [(b.row, b.column) for b in report.bad_rows] == [
        (3, "date"),
        (4, "date"),
        (5, "relation"),
        (6, "actor"),
    ]
    assert created(report) == {("actor/pell-islands", "Pell Islands", "actor")}
    graph = kg.load(folder)
    assert values(
        graph,
        "SELECT ?b WHERE { ?e dip:actor id:turkey ; dip:target ?b ; dip:date ?d . "
        "FILTER (?d >= '2024-03-01'^^xsd:date) }",
    ) == {a("pell-islands")}


def test_strict_refuses_unknown_actors(folder):
    with pytest.raises(IngestError) as caught:
        ingest(EVENTS, out_dir=folder, strict=True)
    assert {(row, column) for row, column, _ in caught.value.problems} == {
        (2, "actor"),
        (3, "target"),
        (4, "actor"),
        (4, "target"),
        (5, "target"),
        (6, "actor"),
        (6, "target"),
        (7, "target"),
        (8, "actor"),
        (8, "target"),
        (9, "target"),
    }
    assert "unknown actor 'Republic of Veloria'" in caught.value.problems[0][2]
    assert list(folder.iterdir()) == []


def test_reingesting_into_a_store_adds_nothing(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    first = ingest(EVENTS, store=store)
    size = len(store)
    second = ingest(EVENTS, store=store)
    assert len(store) == size
    assert (first.events, second.events, len(second.actors_created)) == (7, 7, 0)
    kg.derive(store)  # the edges were derived on the way in
    assert len(store) == size


def test_reingesting_into_a_folder_rewrites_the_same_file(folder):
    ingest(EVENTS, out_dir=folder)
    text = (folder / "events.ttl").read_text()
    again = ingest(EVENTS, out_dir=folder, data=[folder])  # its own earlier output is left out
    assert (folder / "events.ttl").read_text() == text
    assert len(again.actors_created) == 3


def test_event_table_into_a_memory_store(default_store):
    store = MemoryStore(Graph())
    for triple in default_store.graph:
        store.graph.add(triple)
    report = ingest(EVENTS, store=store)
    assert report.events == 7
    assert bool(store.query("ASK { ?a dip:recallsDiplomatsFrom id:turkey . ?a rdfs:label 'Republic of Veloria'@en }"))


def test_a_new_store_gets_the_ontology_and_the_default_graph(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    ingest(EVENTS, store=store)
    assert bool(store.query("ASK { dip:RelationScheme a skos:ConceptScheme . id:turkey a dip:State }"))
    bare = OxigraphStore(tmp_path / "bare")
    ingest(EVENTS, store=bare, default=False)
    assert not bare.query("ASK { id:turkey a dip:State }")
    # created from the country table: its ISO name, the name the table gave as an alias
    assert bool(bare.query("ASK { ?t rdfs:label 'Türkiye'@en ; skos:altLabel 'Turkey'@en ; dip:actorCode 'TUR' }"))


def test_kind_conflicts_and_bad_optional_cells(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(
        "date,actor,relation,target,source,quote,actor_kind,confidence,actor_wikidata\n"
        "2024-01-01,Zed,condemns,Turkey,S,,person,,\n"
        "2024-01-02,Zed,condemns,Turkey,S,,state,,\n"
        "2024-01-03,Yan,condemns,Turkey,S,,dragon,1.5,X12\n"
        "2024-01,Yan,condemns,Turkey,,,,,\n"
        "2024-13,Yan,maintains ties with,,S,,,,\n"
    )
    with pytest.raises(IngestError) as caught:
        ingest(table, out_dir=tmp_path / "out")
    assert [(row, column) for row, column, _ in caught.value.problems] == [
        (3, "actor"),
        (4, "actor_kind"),
        (4, "actor_wikidata"),
        (4, "confidence"),
        (5, "source"),
        (6, "date"),
        (6, "target"),
    ]


def test_header_without_required_columns(tmp_path):
    with pytest.raises(IngestError) as caught:
        ingest(GDELT, out_dir=tmp_path)
    assert {c for _, c, _ in caught.value.problems} == {
        "date",
        "actor",
        "relation",
        "target",
        "source",
        "quote",
    }
    assert "format='gdelt'" in str(caught.value)


def test_input_errors(tmp_path):
    with pytest.raises(InputError, match="out_dir=DIR"):
        ingest(EVENTS)
    with pytest.raises(InputError, match="no such file"):
        ingest(tmp_path / "missing.csv", out_dir=tmp_path)
    with pytest.raises(InputError, match="unknown format"):
        ingest(EVENTS, format="polecat", out_dir=tmp_path)


# ---------------------------------------------------------------- GDELT


GDELT_CREATED = {
    ("actor/gdelt/TURGOV", "Turkey government", "government body"),
    ("actor/gdelt/ISRGOV", "Israel government", "government body"),
    ("actor/france", "France", "state"),
    ("actor/gdelt/IGOUNO", "Intergovernmental organisation UNO", "organisation"),
    ("actor/gdelt/COP", "Police", "government body"),
    ("actor/gdelt/TURCVL", "Turkey civilians", "collective"),
    ("actor/norway", "Norway", "state"),
}


def test_gdelt_export_plain_and_zipped(tmp_path):
    plain = ingest(GDELT, format="gdelt", out_dir=tmp_path / "plain")
    zipped = ingest(GDELT_ZIP, format="gdelt", out_dir=tmp_path / "zipped")
    assert (plain.rows, plain.events, plain.skipped) == (10, 9, {"no Actor1 (nobody who acted)": 1})
    assert created(plain) == GDELT_CREATED
    assert zipped.output.name == plain.output.name == "sample.export.ttl"
    assert zipped.output.read_text().replace("sample.export.CSV.zip", "X") == plain.output.read_text().replace(
        "sample.export.CSV", "X"
    )
    with zipfile.ZipFile(GDELT_ZIP) as archive:  # the two fixtures hold the same rows
        assert archive.read("sample.export.CSV") == GDELT.read_bytes()
    assert kg.validate_files([tmp_path / "plain"]).conforms


@pytest.fixture(scope="module")
def gdelt_store(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("gdelt") / "store")
    report = ingest(GDELT, format="gdelt", store=store)
    return report, store


def test_gdelt_row_decoded(gdelt_store):
    _, store = gdelt_store
    event = URIRef(f"{ID}event/gdelt/1000000001")
    row = store.query(
        """SELECT ?type ?actor ?target ?date ?g ?n ?tone ?url ?place ?id WHERE {
        ?e dip:eventType ?type ; dip:actor ?actor ; dip:target ?target ; dip:date ?date ;
           dip:goldsteinScale ?g ; dip:numMentions ?n ; dip:avgTone ?tone ; dip:datasetId ?id ;
           dip:source/schema:url ?url ; dip:location/rdfs:label ?place }""",
        bindings={"e": event},
    ).rows
    assert [tuple(c.toPython() if isinstance(c, Literal) else c for c in r) for r in row] == [
        (
            CAMEO["161"],  # coded 161, the broader concept: never read as a recall
            ID.israel,
            ID.turkey,
            date(2023, 10, 19),
            Decimal("-4"),
            12,
            Decimal("-5.5"),
            URIRef("https://news.example.org/2023/10/19/recall"),
            "Ankara, Ankara, Turkey",
            "1000000001",
        )
    ]


def test_gdelt_types_actors_and_sources(gdelt_store):
    _, store = gdelt_store
    types = dict(values(store, "SELECT ?id ?type WHERE { ?e dip:datasetId ?id ; dip:eventType ?type }"))
    assert types == {
        Literal(f"100000000{i}" if i < 10 else "1000000010"): t
        for i, t in [
            (1, CAMEO["161"]),  # "reduce or break diplomatic relations": not a recall
            (2, DIP.condemns),
            (3, DIP.visits),
            (4, CAMEO["036"]),
            (6, DIP.makesStatement),
            (7, DIP.mediates),
            (8, DIP.arrests),
            (9, DIP.reducesRelationsWith),  # exactly 160
            (10, CAMEO["1823"]),
        ]
    }
    assert values(
        store,
        "SELECT ?l WHERE { ?e dip:datasetId '1000000010' ; dip:source ?s . ?s rdfs:label ?l . "
        "FILTER NOT EXISTS { ?s schema:url ?u } }",
    ) == {Literal("BBC Monitoring")}
    assert values(store, "SELECT ?alias WHERE { ?gov skos:altLabel ?alias }", gov=a("gdelt/TURGOV")) == {
        Literal("Turkish Government", lang="en")
    }
    assert bool(
        store.query(
            """ASK WHERE { ?r a dip:StandingRelation ; dip:relationType dip:partOf ;
                                  dip:subject ?gov ; dip:object id:turkey . ?gov dip:partOf id:turkey }""",
            bindings={"gov": a("gdelt/TURGOV")},
        )
    )
    assert not store.query("ASK { ?e dip:datasetId '1000000005' }")  # no Actor1: skipped


def test_gdelt_store_conforms_and_is_derived(gdelt_store):
    _, store = gdelt_store
    size = len(store)
    kg.derive(store)
    assert len(store) == size
    graph = store.to_graph()
    for prefix, namespace in PREFIXES.items():  # the SPARQL constraints of the shapes use dip:
        graph.bind(prefix, namespace)
    report = validate(graph)
    assert report.conforms, report.text()


def test_gdelt_bad_rows(tmp_path):
    with pytest.raises(IngestError) as caught:
        ingest(GDELT_BAD, format="gdelt", out_dir=tmp_path)
    assert [(row, column) for row, column, _ in caught.value.problems] == [
        (2, "SQLDATE"),
        (3, "EventCode"),
        (4, "(row)"),
    ]
    assert list(tmp_path.iterdir()) == []
    report = ingest(GDELT_BAD, format="gdelt", out_dir=tmp_path, skip_bad_rows=True)
    assert (report.rows, report.events, len(report.bad_rows)) == (4, 1, 3)


def test_gdelt_strict_refuses_codes_the_graph_lacks(tmp_path):
    with pytest.raises(IngestError) as caught:
        ingest(GDELT, format="gdelt", out_dir=tmp_path, strict=True)
    assert {(row, column) for row, column, _ in caught.value.problems} == {
        (2, "Actor1Code"),
        (3, "Actor2Code"),
        (4, "Actor1Code"),
        (7, "Actor1Code"),
        (8, "Actor1Code"),
        (8, "Actor2Code"),
        (10, "Actor1Code"),
    }


# ---------------------------------------------------------------- ICEWS


def test_icews_extract(tmp_path):
    report = ingest(ICEWS, format="icews", out_dir=tmp_path)
    assert (report.rows, report.events, report.skipped) == (
        6,
        5,
        {"no source actor ('Unspecified Actor')": 1},
    )
    assert created(report) == {
        ("actor/foreign-affairs-turkey", "Foreign Affairs (Turkey)", "government body"),
        ("actor/protester-turkey", "Protester (Turkey)", "collective"),
        ("actor/jonas-storvik", "Jonas Storvik", "actor"),
        ("actor/norway", "Norway", "state"),
    }
    graph = kg.load(tmp_path)
    rows = values(
        graph,
        """SELECT ?id ?actor ?type ?target WHERE {
               ?e dip:datasetId ?id ; dip:actor ?actor ; dip:eventType ?type .
               OPTIONAL { ?e dip:target ?target } FILTER (STRSTARTS(STR(?e), ?ns)) }""",
        ns=Literal(f"{ID}event/icews/"),
    )
    assert rows == {
        (Literal("90000001"), ID.israel, CAMEO["161"], ID.turkey),  # 161 alone is no recall
        (Literal("90000002"), a("foreign-affairs-turkey"), DIP.condemns, ID.israel),
        (Literal("90000003"), a("protester-turkey"), DIP.demonstratesAgainst, ID.israel),
        (Literal("90000004"), a("jonas-storvik"), DIP.consults, None),
        (Literal("90000006"), a("norway"), DIP.hostsVisitOf, ID.erdogan),  # "Erdoğan" is the seed's "Erdogan"
    }
    assert bool(graph.query("ASK WHERE { ?b dip:partOf id:turkey }", bindings={"b": a("foreign-affairs-turkey")}))
    assert values(
        graph,
        "SELECT ?g ?src WHERE { ?e dip:datasetId '90000003' ; dip:goldsteinScale ?g ; dip:source/rdfs:label ?src }",
    ) == {(Literal("-6.5", datatype=XSD.decimal), Literal("Example Wire, ICEWS story 5003"))}
    assert kg.validate_files([tmp_path]).conforms


def test_icews_header_is_checked(tmp_path):
    broken = tmp_path / "broken.tab"
    broken.write_text(ICEWS.read_text().replace("CAMEO Code", "Code", 1))
    with pytest.raises(IngestError) as caught:
        ingest(broken, format="icews", out_dir=tmp_path / "out")
    assert caught.value.problems[0][:2] == (1, "CAMEO Code")


def test_icews_code_without_its_leading_zero(tmp_path):
    broken = tmp_path / "zeros.tab"
    broken.write_text(ICEWS.read_text().replace("\t040\t", "\t40\t"))
    with pytest.raises(IngestError) as caught:
        ingest(broken, format="icews", out_dir=tmp_path / "out")
    assert caught.value.problems == [
        (5, "CAMEO Code", "'40' is not a CAMEO event code (CAMEO codes keep their leading zeros: '040'?)")
    ]


# ---------------------------------------------------------------- downstream: nothing special-cased


def test_ingested_events_work_downstream(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    ingest(EVENTS, store=store)
    ingest(GDELT, format="gdelt", store=store)
    network = kg.project(store)
    veloria = str(a("republic-of-veloria"))
    assert {(v, d["relation"]) for _, v, d in network.out_edges(veloria, data=True)} >= {
        (str(ID.turkey), str(DIP.recallsDiplomatsFrom)),
        (str(a("kestrel-front")), str(DIP.maintainsTiesWith)),
    }
    found = kg.paths(store, "Amara Osei", "Norway")
    assert [len(p.nodes) - 1 for p in found.shortest] == [3]  # Amara - Veloria - Israel - Norway
    ranking = kg.centrality(store, top=3)
    assert "Israel" in {str(cell) for row in ranking.rows for cell in row}
    from kg._drawing import draw, save_figure

    figure = draw(store, focus="Republic of Veloria", top=10)
    labels = {t.get_text().replace("\n", " ") for ax in figure.axes for t in ax.texts if t.get_gid() == "node-label"}
    assert {"Republic of Veloria", "Turkey"} <= labels  # the ingested actor and its target are on the map
    png = save_figure(figure, tmp_path / "map.png")
    assert png.stat().st_size > 10_000


def test_event_table_into_a_sparql_endpoint(tmp_path):
    """A real `oxigraph serve` on 127.0.0.1: names resolve over HTTP, the events go in one update."""
    with oxigraph_server() as base, EndpointStore(f"{base}/query", update_url=f"{base}/update", timeout=30) as endpoint:
        first = ingest(EVENTS, store=endpoint)  # an empty endpoint gets the ontology and default graph too
        size = len(endpoint)
        second = ingest(EVENTS, store=endpoint)
        assert (first.events, len(first.actors_created), second.actors_created, len(endpoint)) == (
            7,
            3,
            [],
            size,
        )
        assert bool(
            endpoint.query("ASK { ?a dip:recallsDiplomatsFrom id:turkey ; rdfs:label 'Republic of Veloria'@en }")
        )
        # each triple in its graph (kg._graphs): the derived edge apart from the event that states it
        where = "SELECT ?g WHERE { GRAPH ?g { %s } }"
        edge = "?a dip:recallsDiplomatsFrom id:turkey"
        assert {r[0] for r in endpoint.query_values(where % edge)} == {DERIVED_GRAPH}
        assert {r[0] for r in endpoint.query_values(where % "?e dip:eventType dip:recallsDiplomatsFrom")} == {
            ASSERTED_GRAPH
        }
        assert {r[0] for r in endpoint.query_values(where % "dip:recallsDiplomatsFrom a ?class")} == {ONTOLOGY_GRAPH}
        with pytest.raises(IngestError):
            ingest(BAD, store=endpoint)
        assert len(endpoint) == size


# ---------------------------------------------------------------- the command


def test_cli_needs_a_destination(capsys):
    assert main(["ingest", str(EVENTS)]) == 2
    assert "-o DIR" in capsys.readouterr().err


def test_cli_reports_bad_rows(tmp_path, capsys):
    assert main(["ingest", str(BAD), "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "row 3: column 'date'" in err and "row 6: column 'actor'" in err
    assert list(tmp_path.iterdir()) == []
    assert main(["ingest", str(BAD), "-o", str(tmp_path), "--skip-bad-rows"]) == 0
    assert "bad rows skipped (4)" in capsys.readouterr().out


def test_cli_store_option_before_or_after(tmp_path, capsys):
    assert main(["--store", str(tmp_path / "a"), "ingest", str(GDELT), "--format", "gdelt"]) == 0
    assert "9 event(s)" in capsys.readouterr().out
    assert main(["ingest", str(GDELT), "--format", "gdelt", "--store", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "id:actor/gdelt/TURGOV  Turkey government  (government body)" in out
    assert len(OxigraphStore(tmp_path / "a", read_only=True)) == len(OxigraphStore(tmp_path / "b", read_only=True))


def test_cli_icews_to_folder(tmp_path, capsys):
    assert main(["ingest", "--format", "icews", str(ICEWS), "-o", str(tmp_path)]) == 0
    assert "5 event(s)" in capsys.readouterr().out
    assert main(["--data", str(tmp_path), "info", "--format", "json"]) == 0
    assert '"events": 32' in capsys.readouterr().out  # the seed's 27 and the extract's 5


# ---------------------------------------------------------------- terms


@given(st.text())
def test_literals_round_trip_through_n_triples(text):
    line = f"<urn:s> <urn:p> {literal(text)} .\n"
    [quad] = list(ox.parse(line, format=ox.RdfFormat.N_TRIPLES))
    assert quad.object.value == text


@given(st.text(min_size=1))
def test_any_url_path_becomes_a_valid_iri(path):
    line = f"<urn:s> <urn:p> {iri('https://example.org/' + path)} .\n"
    assert len(list(ox.parse(line, format=ox.RdfFormat.N_TRIPLES))) == 1


@given(st.text())
def test_slugs_are_safe_local_names(text):
    assert slug(text).replace("-", "").isalnum() and slug(text).isascii()


def test_gzipped_export(tmp_path):
    import gzip

    packed = tmp_path / "sample.export.CSV.gz"
    packed.write_bytes(gzip.compress(GDELT.read_bytes()))
    report = ingest(packed, format="gdelt", out_dir=tmp_path / "out")
    assert (report.rows, report.events, report.output.name) == (10, 9, "sample.export.ttl")


def test_output_path():
    assert output_path("x/events.csv", "out").as_posix() == "out/events.ttl"
    assert output_path("x/20180326044500.export.CSV.gz", "o").name == "20180326044500.export.ttl"


def test_shipped_zip_is_a_real_archive(tmp_path):
    copy = tmp_path / "copy.zip"
    shutil.copy(GDELT_ZIP, copy)
    assert zipfile.is_zipfile(copy)


# ---------------------------------------------------------------- quantities and CAMEO codes (issue 13)


def test_quantities_keep_the_tables_words(tmp_path):
    table = tmp_path / "counts.csv"
    table.write_text(
        "date,actor,relation,target,source,quote,quantity,quantity_of\n"
        '2024-05-02,Turkey,arrests,Israel,Invented table for tests,"Police detained some 1,400 people.",'
        '"some 1,400",people detained\n'
        "2024-05-03,Turkey,arrests,Israel,Invented table for tests,Police detained dozens.,Dozens,people detained\n"
        "2024-05-04,Turkey,arrests,Israel,Invented table for tests,Police detained five.,five,people detained\n"
        "2024-05-05,Turkey,arrests,Israel,Invented table for tests,Police detained many.,many,people detained\n"
    )
    store = MemoryStore()
    ingest(table, store=store)
    rows = values(
        store,
        """
        SELECT ?words ?kind ?amount ?hedge ?minimum ?read WHERE {
            ?e dip:quantity ?q . ?q a ?kind ; dip:words ?words ; dip:countOf "people detained" .
            OPTIONAL { ?q dip:amount ?amount } OPTIONAL { ?q dip:hedge ?hedge }
            OPTIONAL { ?q dip:impliedMinimum ?minimum ;
                          dip:hasReading [ dip:readingOf dip:impliedMinimum ; dip:words ?read ] } }""",
    )
    as_python = {tuple(c.toPython() if isinstance(c, Literal) else c for c in r) for r in rows}
    assert as_python == {
        ("some 1,400", DIP.StatedFigure, 1400, DIP.Some, None, None),
        ("five", DIP.StatedFigure, 5, None, None, None),
        ("Dozens", DIP.VagueQuantity, None, None, 24, "Dozens"),  # no amount: a reading of the word
        ("many", DIP.VagueQuantity, None, None, None, None),
    }
    assert validate(store.graph).conforms


def test_a_quantity_needs_what_it_counts(tmp_path):
    table = tmp_path / "counts.csv"
    table.write_text(
        "date,actor,relation,target,source,quote,quantity,quantity_of\n"
        "2024-05-02,Turkey,arrests,Israel,Invented table for tests,q,12 or so,people\n"
        "2024-05-02,Turkey,arrests,Israel,Invented table for tests,q,dozens,\n"
    )
    with pytest.raises(IngestError) as caught:
        ingest(table, out_dir=tmp_path / "out")
    assert [p[:2] for p in caught.value.problems] == [(2, "quantity"), (3, "quantity_of")]


def test_cameo_161_is_never_read_as_a_recall(tmp_path):
    # Invented rows (tests/fixtures/ingest/cameo-coded.csv says so in each note): Bolivia cut ties
    # with Israel (161), Jordan's recall filed under 161 alone, Chile's recalls named as recalls.
    store = MemoryStore()
    ingest(HERE / "cameo-coded.csv", store=store)
    rows = values(
        store,
        """SELECT ?label ?type WHERE {
        ?e dip:source/rdfs:label "dipkg test fixture: invented CAMEO-coded rows" ;
           dip:actor/rdfs:label ?label ; dip:eventType ?type }""",
    )
    assert {(str(label), t) for label, t in rows} == {
        ("Bolivia", CAMEO["161"]),
        ("Jordan", CAMEO["161"]),
        ("Chile", DIP.recallsDiplomatsFrom),
        ("Honduras", DIP.reducesRelationsWith),
    }  # 160 is exactly "reduces relations with"
    assert not values(store, "ASK { ?a dip:recallsDiplomatsFrom ?b ; rdfs:label 'Bolivia'@en }") - {False}
    from kg._ingestion._index import GraphIndex

    index = GraphIndex(store)
    assert index.relation_for_code("161") == str(CAMEO["161"])
    assert index.relation_for_code("045") == str(DIP.mediates)  # an exact match is read back
