"""Real GDELT and ICEWS files (../shared/reference/real-samples) ingest with the counts and values
they hold. Skipped when ../shared is not beside the repository; nothing of them is copied here."""

from datetime import date
from decimal import Decimal

import pytest
from rdflib import Literal, URIRef

from kg._ingestion import ingest
from kg._namespace import CAMEO, DIP, ID
from kg._store import OxigraphStore

from .conftest import SHARED

SAMPLES = SHARED / "reference" / "real-samples"
GDELT = SAMPLES / "20180326044500.export.CSV"
ICEWS = SAMPLES / "events.2018.sample.tab"

pytestmark = pytest.mark.skipif(
    not (GDELT.is_file() and ICEWS.is_file()),
    reason="../shared/reference/real-samples is not beside the repository",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("real") / "store")
    gdelt = ingest(GDELT, format="gdelt", store=store)
    icews = ingest(ICEWS, format="icews", store=store)
    return store, gdelt, icews


def event(store, dataset, number):
    rows = store.query(
        """
        SELECT ?type ?actor ?target ?date ?goldstein ?source ?url WHERE {
            ?e dip:eventType ?type ; dip:actor ?actor ; dip:date ?date ; dip:goldsteinScale ?goldstein ;
               dip:source ?source .
            OPTIONAL { ?e dip:target ?target } OPTIONAL { ?source schema:url ?url }
        }""",
        bindings={"e": URIRef(f"{ID}event/{dataset}/{number}")},
    ).rows
    assert len(rows) == 1
    return tuple(c.toPython() if isinstance(c, Literal) else c for c in rows[0])


def count(store, sparql):
    return int(store.query(sparql).rows[0][0])


def test_gdelt_export_counts(store):
    _, gdelt, _ = store
    assert (gdelt.rows, gdelt.events, gdelt.skipped, gdelt.bad_rows) == (
        1540,
        1375,
        {"no Actor1 (nobody who acted)": 165},
        [],
    )


def test_gdelt_rows_decoded(store):
    store, _, _ = store
    syria = URIRef(f"{ID}actor/syria")
    url = "http://www.arabamerica.com/syria-accuses-israel-of-stealing-valuable-artifacts-from-ancient-damascus-synagogue/"
    # 741918239: SYR accuses ISR (112), Goldstein -2.0; SYR is a state the default graph lacks.
    assert event(store, "gdelt", 741918239)[:5] == (
        DIP.accuses,
        syria,
        ID.israel,
        date(2018, 3, 26),
        Decimal("-2"),
    )
    assert event(store, "gdelt", 741918239)[6] == URIRef(url)
    assert bool(
        store.query(
            "ASK WHERE { ?s a dip:State ; dip:actorCode 'SYR' ; rdfs:label 'Syria'@en }",
            bindings={"s": syria},
        )
    )
    # 741917868: ISR vs PSEREB ("HAMAS"), 195: outside the taxonomy, so the CAMEO concept.
    assert event(store, "gdelt", 741917868)[:5] == (
        CAMEO["195"],
        ID.israel,
        URIRef(f"{ID}actor/gdelt/PSEREB"),
        date(2018, 3, 26),
        Decimal("-10"),
    )
    # 741917022: dated a year before the export (SQLDATE 20170326), BUS on MNCUSA ("MICROSOFT").
    assert event(store, "gdelt", 741917022)[:5] == (
        CAMEO["071"],
        URIRef(f"{ID}actor/gdelt/BUS"),
        URIRef(f"{ID}actor/gdelt/MNCUSA"),
        date(2017, 3, 26),
        Decimal("7.4"),
    )
    # 741917858: ISR, 181 ("abduct, hijack, or take hostage"), no Actor2: the code's own concept, since
    # "takes hostages from" is only narrower than it (skos:broadMatch)
    assert event(store, "gdelt", 741917858)[:3] == (CAMEO["181"], ID.israel, None)


def test_gdelt_export_per_actor_and_type(store):
    store, _, _ = store
    assert (
        count(
            store,
            """SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
        ?e dip:datasetId ?id . { ?e dip:actor id:israel } UNION { ?e dip:target id:israel }
        FILTER (STRSTARTS(STR(?e), "https://w3id.org/dipkg/id/event/gdelt/")) }""",
        )
        == 32
    )
    assert (
        count(
            store,
            """SELECT (COUNT(?e) AS ?n) WHERE { ?e dip:eventType dip:makesStatement .
        FILTER (STRSTARTS(STR(?e), "https://w3id.org/dipkg/id/event/gdelt/")) }""",
        )
        == 136
    )


def test_icews_extract_counts(store):
    _, _, icews = store
    assert (icews.rows, icews.events, icews.skipped, icews.bad_rows) == (3705, 3705, {}, [])


def test_icews_rows_decoded(store):
    store, _, _ = store
    russia = URIRef(f"{ID}actor/russian-federation")
    # 32890575: Israel signs an agreement with Russia (057, intensity 8), Daily News, story 47402162.
    assert event(store, "icews", 32890575)[:6] == (
        DIP.signsAgreementWith,
        ID.israel,
        russia,
        date(2018, 6, 1),
        Decimal("8"),
        URIRef(f"{ID}source/icews/47402162"),
    )
    # 32899427: Turkey accuses its own military (112): a government body part of Turkey.
    military = URIRef(f"{ID}actor/military-turkey")
    assert event(store, "icews", 32899427)[:5] == (
        DIP.accuses,
        ID.turkey,
        military,
        date(2018, 6, 1),
        Decimal("-2"),
    )
    assert bool(store.query("ASK WHERE { ?m a dip:GovernmentBody ; dip:partOf id:turkey }", bindings={"m": military}))
    # 32891170: "Recep Tayyip Erdoğan" is the default graph's Erdogan; he makes a statement (010).
    assert event(store, "icews", 32891170)[:3] == (DIP.makesStatement, ID.erdogan, ID.turkey)


def test_icews_extract_per_actor(store):
    store, _, _ = store
    assert (
        count(
            store,
            """SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {
        { ?e dip:actor id:israel } UNION { ?e dip:target id:israel }
        FILTER (STRSTARTS(STR(?e), "https://w3id.org/dipkg/id/event/icews/")) }""",
        )
        == 40
    )


def test_reingesting_the_real_files_adds_nothing(store):
    store, _, _ = store
    size = len(store)
    again = ingest(ICEWS, format="icews", store=store)
    assert (len(store), again.actors_created) == (size, [])
