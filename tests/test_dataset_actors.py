"""What ICEWS and GDELT say about their actors: sectors, types, ties to states, folding, reports."""

import csv
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

import kg
from kg._ingestion import ingest
from kg._ingestion.sectors import icews_reading, icews_sectors
from kg._namespace import DIP, ID, SCHEMA
from kg._network import collapse, project
from kg._validation import validate

from .conftest import FIXTURES

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "real-samples"
REAL_ICEWS = SAMPLES / "events.2018.sample.tab"
HEADER = (FIXTURES / "ingest" / "sample.tab").read_text(encoding="utf-8").splitlines()[0]
GDELT = FIXTURES / "ingest" / "sample.export.CSV"
real = pytest.mark.skipif(
    not REAL_ICEWS.is_file(),
    reason="../shared/reference/real-samples is absent (a fresh machine has only the repository)",
)


def actor(name):
    return URIRef(f"{ID}actor/{name}")


def tab(path, *rows):
    path.write_text("\n".join([HEADER, *("\t".join(r) for r in rows)]) + "\n", encoding="utf-8")
    return path


def row(
    event_id,
    date,
    source,
    sectors,
    country,
    code,
    target,
    target_sectors,
    target_country,
    story,
    lat="39.9199",
    lon="32.8543",
):
    return (
        event_id,
        date,
        source,
        sectors,
        country,
        "text",
        code,
        "1",
        target,
        target_sectors,
        target_country,
        story,
        "1",
        "Example Wire",
        "Ankara",
        "NA",
        "Ankara",
        "Turkey",
        lat,
        lon,
    )


def ties(graph, subject):
    return {
        (str(t).rsplit("#")[-1], o)
        for t, o in graph.query(
            "SELECT ?t ?o WHERE { ?r dip:subject ?s ; dip:relationType ?t ; dip:object ?o }",
            initBindings={"s": subject},
        )
    }


# ---------------------------------------------------------------- the tables


@real
def test_the_sector_table_covers_every_sector_of_the_real_sample():
    with REAL_ICEWS.open(encoding="utf-8") as handle:
        found = {
            s.strip()
            for r in csv.DictReader(handle, delimiter="\t")
            for column in ("Source Sectors", "Target Sectors")
            for s in r[column].split(",")
        }
    missing = sorted(found - {"NA", ""} - set(icews_sectors()))
    assert missing == []
    assert len(found - {"NA", ""}) == 151


def test_a_government_sector_wins_and_a_generic_agent_of_people_is_a_collective():
    trudeau = icews_reading(
        "Government,Executive Office,Executive,(National) Major Party,Parties,"
        "Center Left,Ideological,Legislative / Parliamentary",
        generic=False,
    )
    assert (trudeau.kind, trudeau.tie, trudeau.unknown) == (str(DIP.Actor), str(DIP.actsFor), ())
    police = icews_reading("Police,Government", generic=True)
    assert (police.kind, police.tie) == (str(DIP.GovernmentBody), str(DIP.partOf))
    citizens = icews_reading("Social,General Population / Civilian / Social", generic=True)
    assert (citizens.kind, citizens.tie) == (str(DIP.Collective), str(DIP.collectiveOf))
    assert icews_reading("Elite", generic=False).tie == str(DIP.basedIn)
    assert icews_reading("Parties,(National) Major Party", generic=True).kind == str(DIP.Organisation)


# ---------------------------------------------------------------- the real ICEWS sample


@pytest.fixture(scope="module")
def real_graph(tmp_path_factory):
    if not REAL_ICEWS.is_file():
        pytest.skip("../shared/reference/real-samples is absent")
    out = tmp_path_factory.mktemp("icews")
    report = ingest(REAL_ICEWS, format="icews", out_dir=out)
    return report, kg.load(out)


@real
def test_justin_trudeau_acts_for_canada_and_his_events_count_for_it_when_folded(real_graph):
    _, store = real_graph
    graph = store.graph
    trudeau, canada = actor("justin-trudeau"), URIRef(f"{ID}actor/canada")
    assert ("actsFor", canada) in ties(graph, trudeau)
    # The tie comes from ICEWS, observed on the days of the rows that name him, derived from a row.
    tie = graph.value(predicate=DIP.subject, object=trudeau)
    assert graph.value(tie, DIP.source) == URIRef(f"{ID}source/icews")
    assert {str(d) for d in graph.objects(tie, DIP.observedOn)} == {"2018-06-01", "2018-06-02"}
    assert str(graph.value(tie, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))).startswith(f"{ID}event/icews/")
    sectors = {str(graph.value(s, SKOS.prefLabel)) for s in graph.objects(trudeau, DIP.sector)}
    assert {"Government", "Executive Office", "Parties", "Legislative / Parliamentary"} <= sectors

    folded = project(store, fold=True)
    assert folded.graph["fold_map"][str(trudeau)] == str(canada)
    # Rows 32896121 and 32900392: Justin Trudeau (Canada) makes a visit (042) to India, to France.
    for event, target in (("32896121", "india"), ("32900392", "france")):
        edges = [
            (b, d["actor"])
            for _, b, d in folded.out_edges(str(canada), data=True)
            if d["event"] == f"{ID}event/icews/{event}"
        ]
        assert edges == [(f"{ID}actor/{target}", str(trudeau))]
    unfolded = project(store, fold=False)
    assert not any(d["event"] == f"{ID}event/icews/32896121" for *_, d in unfolded.out_edges(str(canada), data=True))


@real
def test_kim_daejung_is_tied_to_south_korea_and_citizens_of_malaysia_are_never_folded(real_graph):
    _, store = real_graph
    graph = store.graph
    korea, malaysia = URIRef(f"{ID}actor/south-korea"), URIRef(f"{ID}actor/malaysia")
    # Row 32891234: Kim Daejung (sector Elite, South Korea) signs an agreement with Kim Jong-Il.
    # ICEWS gives him no government sector, so he is based in South Korea, not acting for it.
    assert ties(graph, actor("kim-daejung")) == {("basedIn", korea)}
    assert graph.value(URIRef(f"{ID}event/icews/32891234"), DIP.actor) == actor("kim-daejung")
    citizens = actor("citizen-malaysia")
    assert ties(graph, citizens) == {("collectiveOf", malaysia)}
    assert (citizens, None, None) in graph and graph.value(
        citizens, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    ) == DIP.Collective
    folded = project(store, fold=True)
    assert str(citizens) not in folded.graph["fold_map"]
    # Row 32896462: Citizen (Malaysia) endorses (051) Mahathir Mohamad: still the citizens' edge.
    assert any(d["event"] == f"{ID}event/icews/32896462" for *_, d in folded.out_edges(str(citizens), data=True))
    # A government body generic agent folds: row 32898793 "Other Authorities / Officials (Malaysia)".
    assert folded.graph["fold_map"][f"{ID}actor/other-authorities-officials-malaysia"] == str(malaysia)


@real
def test_the_real_sample_reports_its_merges_and_repeated_reports(real_graph):
    report, store = real_graph
    merged = {(m.name, m.iri) for m in report.merged}
    assert ("Recep Tayyip Erdoğan", f"{ID}erdogan") in merged  # the default graph's Erdoğan
    assert report.unresolved == {}
    assert report.repeated_reports > 0
    assert "names resolved to actors the graph had" in str(report)
    # Counted once: every occurrence gives one edge, whatever the number of rows reporting it.
    counted = project(store)
    each = project(store, each_report=True)
    assert each.number_of_edges() - counted.number_of_edges() == sum(
        d["reports"] - 1 for *_, d in counted.edges(data=True)
    )
    assert max(d["reports"] for *_, d in counted.edges(data=True)) > 1


# ---------------------------------------------------------------- bad input, merges, reports


def test_unknown_sector_unknown_country_and_bad_coordinates_are_kept_as_text_and_reported(tmp_path):
    path = tab(
        tmp_path / "bad.tab",
        row(
            "1",
            "2023-10-19",
            "Anna Example",
            "Government,Moonlighting",
            "Freedonia",
            "010",
            "Turkey",
            "NA",
            "Turkey",
            "1",
            lat="95.5",
            lon="32.8",
        ),
        row(
            "2",
            "2023-10-20",
            "Anna Example",
            "Government,Moonlighting",
            "Freedonia",
            "010",
            "Turkey",
            "NA",
            "Turkey",
            "2",
        ),
    )
    report = ingest(path, format="icews", out_dir=tmp_path / "out")
    assert (report.events, report.bad_rows) == (2, [])
    assert {k: (u.count, u.examples) for k, u in report.unresolved.items()} == {
        "icews sector(s) or code(s) not in the package's table": (2, [(2, "Moonlighting")]),
        "country name(s) or code(s) resolving to no state": (2, [(2, "Freedonia")]),
        "coordinates not numbers in range (latitude -90..90, longitude -180..180)": (1, [(2, "95.5, 32.8")]),
    }
    assert "unresolved: 2 country name(s) or code(s) resolving to no state, kept as text" in str(report)
    graph = kg.load(tmp_path / "out").graph
    anna = actor("anna-example")
    assert graph.value(anna, DIP.sectorText) == Literal("Moonlighting")
    assert graph.value(anna, DIP.countryText) == Literal("Freedonia")
    assert ties(graph, anna) == set()  # no state guessed
    assert (None, RDFS.label, Literal("Freedonia", lang="en")) not in graph  # no state invented
    place = URIRef(f"{ID}place/ankara-ankara-turkey")
    assert graph.value(place, SCHEMA.latitude) is None
    assert graph.value(place, DIP.coordinatesText) == Literal("95.5, 32.8")
    assert validate(graph).conforms


def test_one_event_reported_by_two_datasets_counts_once_with_its_reports(tmp_path):
    store = kg.load()
    # The same statement (010) of Israel about Turkey on one day, in an ICEWS file and a GDELT one.
    ingest(
        tab(
            tmp_path / "a.tab", row("7", "2023-10-19", "Israel", "NA", "Israel", "010", "Turkey", "NA", "Turkey", "70")
        ),
        format="icews",
        store=store,
    )
    gdelt = tmp_path / "b.export.CSV"
    fields = GDELT.read_text(encoding="utf-8").splitlines()[0].split("\t")
    fields[0], fields[26], fields[27], fields[28] = "1000000999", "010", "010", "01"
    gdelt.write_text("\t".join(fields) + "\n", encoding="utf-8")
    ingest(gdelt, format="gdelt", store=store)
    pairs = [(str(e), str(o)) for e, o in store.graph.subject_objects(DIP.occurrence)]
    assert len({o for _, o in pairs}) == 1 and len(pairs) == 2
    israel, turkey = str(ID.israel), str(ID.turkey)
    once = [
        d
        for _, b, d in project(store).out_edges(israel, data=True)
        if b == turkey and d["relation"] == str(DIP.makesStatement)
    ]
    assert [(d["reports"], d["event"]) for d in once] == [(2, f"{ID}event/gdelt/1000000999")]
    assert (
        len(
            [
                1
                for _, b, d in project(store, each_report=True).out_edges(israel, data=True)
                if b == turkey and d["relation"] == str(DIP.makesStatement)
            ]
        )
        == 2
    )
    assert (
        collapse(project(store))[israel][turkey]["count"] + 1
        == collapse(project(store, each_report=True))[israel][turkey]["count"]
    )


def test_spelling_variants_resolve_and_the_same_name_in_another_country_is_another_actor(tmp_path):
    path = tab(
        tmp_path / "names.tab",
        row(
            "1",
            "2023-10-19",
            "Recep Tayyip Erdogan",
            "Government,Executive",
            "Turkey",
            "010",
            "Israel",
            "NA",
            "Israel",
            "1",
        ),
        row("2", "2023-10-19", "Maria Example", "Elite", "Norway", "010", "Israel", "NA", "Israel", "2"),
        row("3", "2023-10-19", "Maria Exämple", "Elite", "Norway", "010", "Israel", "NA", "Israel", "3"),
        row("4", "2023-10-19", "Maria Example", "Elite", "Sweden", "010", "Israel", "NA", "Israel", "4"),
    )
    report = ingest(path, format="icews", out_dir=tmp_path / "out")
    assert ("Recep Tayyip Erdogan", str(ID.erdogan)) in {(m.name, m.iri) for m in report.merged}
    graph = kg.load(tmp_path / "out").graph
    assert graph.value(URIRef(f"{ID}event/icews/1"), DIP.actor) == ID.erdogan
    assert ("actsFor", ID.turkey) in ties(graph, ID.erdogan)
    norway, sweden = (graph.value(URIRef(f"{ID}event/icews/{n}"), DIP.actor) for n in ("2", "4"))
    assert graph.value(URIRef(f"{ID}event/icews/3"), DIP.actor) == norway == actor("maria-example")
    assert sweden == actor("maria-example--sweden") and sweden != norway
    assert {"Maria Exämple"} <= {m.name for m in report.merged}


def test_gdelt_types_tie_bodies_groups_and_people_to_their_state(tmp_path):
    base = GDELT.read_text(encoding="utf-8").splitlines()[1].split("\t")
    rows = []
    for number, (code, name, type1, ethnic) in enumerate(
        (
            ("TURGOV", "TURKISH GOVERNMENT", "GOV", ""),
            ("TURCVL", "TURKISH CIVILIANS", "CVL", "kur"),
            ("TURMED", "TURKISH MEDIA", "MED", ""),
            ("TURXYZ", "SOMETHING", "XYZ", ""),
            ("AFRGOV", "AFRICAN GOVERNMENTS", "GOV", ""),
            ("QQQGOV", "NOWHERE GOVERNMENT", "GOV", ""),
        ),
        1,
    ):
        fields = list(base)
        fields[0], fields[5], fields[6], fields[7], fields[12], fields[9] = (
            f"20000000{number}",
            code,
            name,
            code[:3],
            type1,
            ethnic,
        )
        rows.append("\t".join(fields))
    path = tmp_path / "types.export.CSV"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = ingest(path, format="gdelt", out_dir=tmp_path / "out")
    store = kg.load(tmp_path / "out")
    graph = store.graph
    gdelt = f"{ID}actor/gdelt/"
    assert ties(graph, URIRef(gdelt + "TURGOV")) == {("partOf", ID.turkey)}
    assert ties(graph, URIRef(gdelt + "TURCVL")) == {("collectiveOf", ID.turkey)}
    assert ties(graph, URIRef(gdelt + "TURMED")) == {("basedIn", ID.turkey)}
    assert ties(graph, URIRef(gdelt + "TURXYZ")) == {("basedIn", ID.turkey)}
    assert graph.value(URIRef(gdelt + "TURXYZ"), DIP.sectorText) == Literal("XYZ")
    assert report.unresolved["gdelt sector(s) or code(s) not in the package's table"].examples == [(4, "XYZ")]
    ethnic = {str(graph.value(s, SKOS.prefLabel)) for s in graph.objects(URIRef(gdelt + "TURCVL"), DIP.sector)}
    assert ethnic == {"civilians", "GDELT ethnic group code kur"}
    created = {str(a) for a in graph.subjects(RDFS.label, None) if str(a).startswith(gdelt)}
    assert created == {gdelt + c for c in ("TURGOV", "TURCVL", "TURMED", "TURXYZ", "AFRGOV", "QQQGOV")}
    # A country code that is no country: kept as text, reported, no state invented, no tie.
    assert ties(graph, URIRef(gdelt + "QQQGOV")) == set()
    assert graph.value(URIRef(gdelt + "QQQGOV"), DIP.countryText) == Literal("QQQ")
    assert report.unresolved["country name(s) or code(s) resolving to no state"].examples == [(6, "QQQ")]
    assert not list(graph.subjects(DIP.actorCode, Literal("QQQ")))
    assert not any((URIRef(a), None, DIP.Person) in graph for a in created)  # roles, never persons
    place = graph.value(URIRef(f"{ID}event/gdelt/200000001"), DIP.location)
    assert (graph.value(place, SCHEMA.latitude), graph.value(place, SCHEMA.longitude)) == (
        Literal("39.9199", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
        Literal("32.8543", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
    )
    folded = project(store, fold=True)
    assert folded.graph["fold_map"].get(gdelt + "TURGOV") == str(ID.turkey)
    assert gdelt + "TURCVL" not in folded.graph["fold_map"]
    assert gdelt + "TURMED" not in folded.graph["fold_map"]
    # A region (CAMEO's AFR) is no state to act for: its governments are based in it, not folded.
    assert ties(graph, URIRef(gdelt + "AFRGOV")) == {("basedIn", actor("africa"))}
    assert gdelt + "AFRGOV" not in folded.graph["fold_map"]
    assert ("ISR", str(ID.israel)) in {(m.name, m.iri) for m in report.merged}  # the default graph's
    assert validate(graph).conforms
