"""kg.query: named queries answering the seed report exactly, parameters, time cuts, safety, output."""

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

import kg
from kg._errors import InputError, QueryError, UnknownNameError
from kg._namespace import CAMEO, DIP, ID
from kg._query import (
    canonical,
    check,
    get_query,
    list_queries,
    parse_header,
    query,
    resolve,
    resolve_actor,
    serialize,
    sparql_json,
)
from kg._store import MemoryStore
from kg._timecut import TimeCut, cut_view

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "query"
NAMES = {
    "between",
    "claims",
    "condemnations",
    "dyad-tone",
    "evidence",
    "mediations",
    "posts",
    "reductions",
    "ties",
    "timeline",
}
HOSPITAL = ID["claim/israel-caused-hospital-explosion"]
ROCKET = ID["claim/misfired-palestinian-rocket"]


def cells(result, *names):
    return [tuple(None if row[n] is None else str(row[n]) for n in names) for row in result]


# ---------------------------------------------------------------- the library of named queries


def test_the_named_queries_are_all_there_and_well_formed():
    queries = list_queries()
    assert {q.name for q in queries} == NAMES
    for named in queries:
        assert named.description and named.path is not None and named.path.name == f"{named.name}.rq"
        assert named.time_aware, f"{named.name} must declare asOf, since and until"
        assert check(named.sparql) == "SELECT"
        assert "ORDER BY" in named.text  # a stable order on every engine
        assert "# timecut:" in named.text


def test_get_query_unknown_lists_every_name():
    with pytest.raises(UnknownNameError) as info:
        get_query("condemnation")
    assert info.value.suggestions[0] == "condemnations"
    for name in NAMES:
        assert name in str(info.value)


def test_parse_header_reads_parameters():
    named = parse_header(
        "# name: q\n# description: d\n# param: who (actor, required) — the one\n"
        "# param: day (date)\nSELECT * WHERE { ?s ?p ?o }"
    )
    assert (named.name, named.description) == ("q", "d")
    assert [(p.name, p.kind, p.required, p.description) for p in named.parameters] == [
        ("who", "actor", True, "the one"),
        ("day", "date", False, ""),
    ]
    with pytest.raises(InputError, match="bad parameter line"):
        parse_header("# param: who (person)\nSELECT * WHERE {}")


# ---------------------------------------------------------------- the seed report, answered exactly


def test_who_recalled_diplomats_from_whom_and_when(default_store):
    result = query(default_store, "reductions", params={"type": "recalls"})
    assert cells(result, "date", "actorLabel", "relation", "targetLabel") == [
        ("2023-10-19", "Israel", "recalls diplomats from", "Turkey")
    ]
    everything = query(default_store, "reductions")
    assert cells(everything, "date", "actorLabel", "relation") == [
        ("2023-10-17", "Israel", "evacuates citizens from"),
        ("2023-10-17", "Israel", "issues travel warning against"),
        ("2023-10-17", "Israel's National Security Council", "urges citizens to leave"),
        ("2023-10-19", "Israel", "recalls diplomats from"),
    ]


def test_who_condemns_whom(default_store):
    expected = [
        (
            "2023-10-17",
            "Ministry of Foreign Affairs of Turkey",
            "Israel",
            str(ID["event/turkey-foreign-ministry-condemns-israel-2023-10-17"]),
        )
    ]
    columns = ("date", "actorLabel", "targetLabel", "event")
    assert cells(query(default_store, "condemnations"), *columns) == expected
    assert (
        cells(
            query(default_store, "condemnations", params={"target": "the Jewish state"}),
            "date",
            "actorLabel",
            "targetLabel",
            "event",
        )
        == expected
    )
    assert len(query(default_store, "condemnations", params={"target": "Turkey"})) == 0


def test_who_maintains_ties_with_hamas(default_store):
    result = query(default_store, "ties", params={"actor": "Hamas"})
    assert cells(result, "subjectLabel", "relation", "objectLabel", "start", "end") == [
        ("Turkey", "maintains ties with", "Hamas", "2023-10-19", None)
    ]


def test_contested_claims_with_asserters_disputers_endorsers(default_store):
    result = query(default_store, "claims")
    stances = {(row["claim"], str(row["stance"]), str(row["actorLabel"])) for row in result}
    assert stances == {
        (HOSPITAL, "asserts", "Hamas"),
        (HOSPITAL, "asserts", "the Arab and Muslim world"),
        (HOSPITAL, "asserts", "Recep Tayyip Erdogan"),
        (HOSPITAL, "disputes", "Israel"),
        (ROCKET, "asserts", "Israel"),
        (ROCKET, "endorses", "United States"),
        (ROCKET, "endorses", "other Western countries"),
        (ROCKET, "endorses", "many analysts"),
        # "these barbaric attacks" takes the blame for granted
        (HOSPITAL, "presupposes", "Ministry of Foreign Affairs of Turkey"),
    }
    assert len(result) == 9
    israel = query(default_store, "claims", params={"actor": "Israel"})
    assert cells(israel, "claim", "stance") == [(str(ROCKET), "asserts"), (str(HOSPITAL), "disputes")]


def test_fidans_timeline(default_store):
    result = query(default_store, "timeline", params={"actor": "Fidan"})
    assert cells(result, "date", "role", "actorLabel", "relation", "targetLabel") == [
        ("2023-10-07", "said by", "several governments", "appeals to", "Turkey"),
        ("2023-10-07", "said by", "Turkey", "is in touch with", "Hamas"),
        ("2023-10-16", "actor", "Hakan Fidan", "discusses by telephone with", "Ismail Haniyeh"),
        ("2023-10-17", "actor", "Hakan Fidan", "makes a statement", None),
    ]
    # the same actor by alias, IRI and local name
    for name in ("Turkey's top diplomat", "id:fidan", str(ID.fidan), "FIDAN", "<https://w3id.org/dipkg/id/fidan>"):
        assert query(default_store, "timeline", params={"actor": name}).rows == result.rows


def test_posts_held(default_store):
    assert cells(query(default_store, "posts"), "holderLabel", "role", "bodyLabel", "start") == [
        ("Ismail Haniyeh", "politburo chief", "Hamas", "2023-10-16"),  # Monday's call names him so
        ("Hakan Fidan", "top diplomat", "Turkey", "2023-10-17"),  # the report's words for his post
        ("Recep Tayyip Erdogan", "President", "Turkey", "2023-10-19"),
    ]
    # no start is known: each is in force by its first evidence, and counted before it by default
    assert cells(query(default_store, "posts"), "inForceBy") == [("2023-10-16",), ("2023-10-17",), ("2023-10-19",)]
    assert len(query(default_store, "posts", as_of="2023-10-16")) == 3
    assert cells(query(default_store, "posts", as_of="2023-10-16", from_evidence=True), "holderLabel") == [
        ("Ismail Haniyeh",)
    ]
    assert cells(query(default_store, "posts", params={"actor": "Erdogan"}), "role") == [("President",)]


def test_dyad_tone_of_israel_and_turkey(default_store):
    one_way = query(default_store, "dyad-tone", params={"actor": "Israel", "target": "Turkey"})
    assert cells(one_way, "actorLabel", "targetLabel", "events", "goldsteinSum", "goldsteinMean") == [
        ("Israel", "Turkey", "3", "-12.0", "-4.0")
    ]
    other_way = query(default_store, "dyad-tone", params={"actor": "Turkey", "target": "Israel"})
    assert cells(other_way, "events", "goldsteinSum", "goldsteinMean") == [("1", "5.0", "5.0")]
    every = query(default_store, "dyad-tone")
    assert len(every) == 16
    assert cells(every, "actorLabel", "targetLabel", "events")[0] == ("Hamas", "Israel", "3")
    police = next(r for r in every if str(r["actorLabel"]) == "Turkish police")
    assert (str(police["goldsteinSum"]), str(police["goldsteinMean"])) == ("-12.5", "-6.25")
    assert police["events"] == Literal(2)


def test_events_between_two_actors_in_a_window(default_store):
    params = {"actor": "Israel", "other": "Ankara"}
    columns = ("date", "fromLabel", "relation", "toLabel")
    assert cells(query(default_store, "between", params=params), *columns) == [
        ("2023-10-07", "Turkey", "mediates", "Israel"),
        ("2023-10-17", "Israel", "evacuates citizens from", "Turkey"),
        ("2023-10-17", "Israel", "issues travel warning against", "Turkey"),
        ("2023-10-19", "Israel", "recalls diplomats from", "Turkey"),
    ]
    window = query(default_store, "between", params=params, since="2023-10-19", until="2023-10-19")
    # the warning and the evacuations reach the 19th; the mediation, "previously", ends before it
    assert cells(window, "relation") == [
        ("evacuates citizens from",),
        ("issues travel warning against",),
        ("recalls diplomats from",),
    ]
    before = query(default_store, "between", params=params, until="2023-10-16")
    assert cells(before, "relation") == [("mediates",)]
    on_the_18th = {"since": "2023-10-18", "until": "2023-10-18"}
    by_param = query(default_store, "between", params={**params, **on_the_18th})
    assert len(by_param) == 3


def test_mediations(default_store):
    assert cells(query(default_store, "mediations"), "mediatorLabel", "partyLabel") == [
        ("Turkey", "Hamas"),
        ("Turkey", "Israel"),
    ]


def test_sources_and_quotes_behind_an_event(default_store):
    result = query(default_store, "evidence", params={"event": "recall-2023-10-19"})
    assert cells(result, "quote", "saidBy", "publisher", "via") == [
        (
            "Israel has recalled its diplomats from Turkey as a security precaution, a source close to the "
            "dossier told AFP Thursday",
            "an anonymous source close to the dossier",
            "The Times of Israel",
            "Agence France-Presse",
        )
    ]
    by_label = query(default_store, "evidence", params={"event": "israel recalls its diplomats from turkey"})
    assert by_label.rows == result.rows
    assert len(query(default_store, "evidence")) == 27  # every event, incidents included


# ---------------------------------------------------------------- time


def test_as_of_the_16th_has_no_recall_and_the_19th_has(default_store):
    assert len(query(default_store, "reductions", as_of="2023-10-16")) == 0
    assert len(query(default_store, "reductions", as_of="2023-10-18")) == 3
    after = query(default_store, "reductions", as_of="2023-10-19")
    assert ("2023-10-19", "recalls diplomats from") in cells(after, "date", "relation")
    ask = "ASK { id:israel dip:recallsDiplomatsFrom id:turkey }"
    assert query(default_store, ask, as_of="2023-10-16").boolean is False
    assert query(default_store, ask, as_of="2023-10-19").boolean is True
    # a window that ends before the recall
    assert query(default_store, ask, since="2023-10-01", until="2023-10-18").boolean is False


def test_as_of_claims_and_states(default_store):
    assert len(query(default_store, "claims", as_of="2023-10-16")) == 0
    assert len(query(default_store, "claims", as_of="2023-10-17")) == 9
    # "Turkey maintains ties with Hamas": presented as existing, so in force before the 19th too
    assert len(query(default_store, "ties", as_of="2023-10-18")) == 1
    assert len(query(default_store, "ties", as_of="2023-10-18", from_evidence=True)) == 0
    assert len(query(default_store, "ties", as_of="2023-10-19")) == 1
    assert len(query(default_store, "posts", as_of="2023-10-19")) == 3


def test_time_params_and_options_are_one_thing(default_store):
    by_option = query(default_store, "reductions", as_of="2023-10-18")
    by_param = query(default_store, "reductions", params={"as-of": "2023-10-18"})
    assert by_option.rows == by_param.rows
    with pytest.raises(InputError, match="two different as-of dates"):
        query(default_store, "reductions", params={"asOf": "2023-10-17"}, as_of="2023-10-18")
    with pytest.raises(InputError, match="the window is empty"):
        query(default_store, "reductions", since="2023-10-19", until="2023-10-17")
    with pytest.raises(InputError, match="not a valid date"):
        query(default_store, "reductions", as_of="19 October")


@pytest.mark.parametrize(
    "cut",
    [
        {"as_of": "2023-10-16"},
        {"as_of": "2023-10-17"},
        {"since": "2023-10-18"},
        {"since": "2023-10-17", "until": "2023-10-17"},
    ],
)
def test_named_queries_cut_themselves_as_the_view_cuts_the_graph(default_store, cut):
    """The fast way (FILTERs in the query) and the general way (a time-cut view) agree."""
    view = cut_view(default_store, TimeCut.of(**cut))
    params = {"between": {"actor": "Israel", "other": "Turkey"}, "timeline": {"actor": "Fidan"}}
    for named in list_queries():
        fast = query(default_store, named.name, params=params.get(named.name), **cut)
        general = query(view, named.sparql, params=params.get(named.name))
        assert fast.rows == general.rows, named.name


def test_posts_as_of_on_data_nobody_here_wrote():
    store = kg.load(FIXTURES / "ministers.ttl", default=False)

    def holders(**cut):
        return cells(query(store, "posts", **cut), "holderLabel", "role")

    assert holders() == [("Ana Example", "Foreign Minister"), ("Bo Sample", "Foreign Minister")]
    assert holders(as_of="2019-06-01") == [("Ana Example", "Foreign Minister")]
    assert holders(as_of="2021-06-01") == [("Bo Sample", "Foreign Minister")]
    assert holders(since="2020-12-01", until="2021-01-31") == [
        ("Ana Example", "Foreign Minister"),
        ("Bo Sample", "Foreign Minister"),
    ]
    assert holders(as_of="2017-01-01") == []


# ---------------------------------------------------------------- names


def test_resolve_actor_by_label_alias_local_name_and_iri(default_store):
    for name in ("Turkey", "turkey", "ANKARA", "id:turkey", str(ID.turkey), f"<{ID.turkey}>"):
        assert resolve_actor(default_store, name) == ID.turkey
    assert resolve_actor(default_store, "the Jewish state") == ID.israel
    council = ID["israel-national-security-council"]
    assert resolve_actor(default_store, "israel-national-security-council") == council


def test_unknown_actor_suggests_the_closest_names(default_store):
    with pytest.raises(UnknownNameError) as info:
        resolve_actor(default_store, "Turky")
    assert info.value.kind == "actor" and info.value.suggestions[0] == "Turkey"
    with pytest.raises(UnknownNameError) as info:
        query(default_store, "timeline", params={"actor": "Erdogn"})
    assert "Erdogan" in info.value.suggestions


def test_ambiguous_names_ask_for_the_iri(tmp_path):
    path = tmp_path / "twins.ttl"
    path.write_text(
        """@prefix dip: <https://w3id.org/dipkg/ns#> . @prefix id: <https://w3id.org/dipkg/id/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        id:a a dip:State ; rdfs:label "A" ; skos:altLabel "the twins" .
        id:b a dip:State ; rdfs:label "B" ; skos:altLabel "the twins" .""",
        encoding="utf-8",
    )
    store = kg.load(path, default=False)
    with pytest.raises(InputError, match=r"is ambiguous: it names A .*, B .*; give the label or the IRI"):
        resolve_actor(store, "The Twins")
    assert resolve_actor(store, "b") == ID.b


def test_resolve_relation_types(default_store):
    for name in ("recalls", "recalls diplomats from", "dip:recallsDiplomatsFrom", "recallsDiplomatsFrom"):
        assert resolve(default_store, name, kind="type") == DIP.recallsDiplomatsFrom
    assert resolve(default_store, "161", kind="type") == CAMEO["161"]  # the raw CAMEO code
    with pytest.raises(UnknownNameError):
        resolve(default_store, "recallz diplomats", kind="type")


def test_bad_parameters(default_store):
    with pytest.raises(InputError, match=r"takes no parameter 'who'.*actor \(actor\)"):
        query(default_store, "condemnations", params={"who": "Turkey"})
    with pytest.raises(InputError, match=r"needs actor \(actor, required\)"):
        query(default_store, "timeline")
    with pytest.raises(UnknownNameError):
        query(default_store, "evidence", params={"event": "no-such-event"})


def test_parameters_of_an_inline_query_are_bound_as_terms(default_store):
    text = "SELECT ?label WHERE { ?actor rdfs:label ?label }"
    assert cells(query(default_store, text, params={"actor": "id:turkey"}), "label") == [("Turkey",)]
    # a value that looks like SPARQL stays a literal, never text of the query
    sneaky = 'x" } UNION { ?actor ?p ?label'
    assert query(default_store, "SELECT ?actor WHERE { ?actor rdfs:label ?label }", params={"label": sneaky}).rows == []


def test_a_query_file_with_a_header(tmp_path, default_store):
    path = tmp_path / "labels.rq"
    path.write_text(
        "# name: labels\n# param: who (actor, required) — whose label\n"
        "SELECT ?label WHERE { ?who rdfs:label ?label }\n",
        encoding="utf-8",
    )
    assert cells(query(default_store, path, params={"who": "Ankara"}), "label") == [("Turkey",)]
    assert cells(query(default_store, str(path), params={"who": "Ankara"}), "label") == [("Turkey",)]
    with pytest.raises(InputError, match="no such query file"):
        query(default_store, str(tmp_path / "missing.rq"))


# ---------------------------------------------------------------- safety


def test_update_is_refused_and_the_store_unchanged(default_store):
    before = len(default_store)
    for text in ("INSERT DATA { id:x id:y id:z }", "DELETE WHERE { ?s ?p ?o }", "CLEAR DEFAULT"):
        with pytest.raises(QueryError, match="refused: this is a SPARQL Update"):
            query(default_store, text)
    assert len(default_store) == before


def test_update_runs_when_allowed():
    store = MemoryStore()
    result = query(store, "INSERT DATA { id:x rdfs:label 'x' }", allow_update=True)
    assert result.form == "UPDATE" and len(store) == 1


def test_service_and_load_are_refused(default_store):
    with pytest.raises(QueryError, match=r"SERVICE <http://example.org/sparql>.*allow_network=True"):
        query(default_store, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    hidden = "SELECT * WHERE { ?s ?p ?o OPTIONAL { service <http://example.org/x> { ?s ?q ?r } } }"
    with pytest.raises(QueryError, match="SERVICE"):
        query(default_store, hidden)
    with pytest.raises(QueryError, match=r"LOAD <http://example\.org/data\.ttl> reaches the network"):
        query(default_store, "LOAD <http://example.org/data.ttl>", allow_update=True)
    # the word in a string or a comment is no SERVICE
    assert query(default_store, 'SELECT ?x WHERE { BIND ("SERVICE <x>" AS ?x) } # SERVICE').rows[0][0] == Literal(
        "SERVICE <x>"
    )


def test_syntax_error_gives_line_and_column(default_store):
    with pytest.raises(QueryError) as info:
        query(default_store, "SELECT ?x WHERE {\n  ?x ?p ?o .\n  FILTER (?x = ) }")
    assert info.value.line == 3 and info.value.column is not None
    assert "line 3" in str(info.value) and "FILTER (?x = )" in str(info.value)
    with pytest.raises(QueryError, match=r"(?i)unknown"):
        query(default_store, "SELECT ?x WHERE { ?x nope:thing ?y }")


# ---------------------------------------------------------------- results


def test_rows_dicts_dataframe_and_html(default_store):
    result = query(default_store, "posts")
    assert [str(r["role"]) for r in result] == ["politburo chief", "top diplomat", "President"]
    assert result.to_dicts()[0]["holderLabel"] == Literal("Ismail Haniyeh", lang="en")
    frame = result.to_dataframe()
    assert list(frame.columns) == ["holderLabel", "role", "bodyLabel", "start", "inForceBy", "end", "state"]
    assert frame["role"].tolist() == ["politburo chief", "top diplomat", "President"]
    html = result._repr_html_()
    assert html.startswith("<table>") and "<td>top diplomat</td>" in html


def test_rows_without_order_by_come_sorted(default_store):
    text = "SELECT ?label WHERE { ?a a dip:State ; rdfs:label ?label }"
    assert cells(query(default_store, text), "label") == [("Israel",), ("Turkey",), ("United States",)]


def test_numbers_have_one_canonical_form():
    decimal = URIRef(str(XSD.decimal))
    assert str(canonical(Literal("-4", datatype=decimal))) == "-4.0"
    assert str(canonical(Literal("2.50", datatype=decimal))) == "2.5"
    assert str(canonical(Literal("007", datatype=XSD.integer))) == "7"
    assert str(canonical(Literal("2.5E0", datatype=XSD.double))) == "2.5"
    assert str(canonical(Literal("1", datatype=XSD.boolean))) == "true"
    assert canonical(Literal("x")) == Literal("x")


def test_select_serialisations(default_store):
    result = query(default_store, "ties")
    csv = serialize(result, "csv").splitlines()
    assert csv[0] == "subjectLabel,relation,objectLabel,start,inForceBy,end,state"
    state = ID["state/turkey-maintains-ties-with-hamas"]
    assert csv[1] == f"Turkey,maintains ties with,Hamas,2023-10-19,2023-10-19,,{state}"
    tsv = serialize(result, "tsv").splitlines()
    assert tsv[1].split("\t")[:3] == ["Turkey", "maintains ties with", "Hamas"]
    data = json.loads(serialize(result, "json"))
    assert data["head"]["vars"] == ["subjectLabel", "relation", "objectLabel", "start", "inForceBy", "end", "state"]
    binding = data["results"]["bindings"][0]
    assert binding["subjectLabel"] == {"type": "literal", "value": "Turkey", "xml:lang": "en"}
    assert binding["start"] == {"type": "literal", "value": "2023-10-19", "datatype": str(XSD.date)}
    assert binding["state"] == {"type": "uri", "value": str(ID["state/turkey-maintains-ties-with-hamas"])}
    assert "end" not in binding
    table = serialize(result, "table")
    assert "Turkey" in table and table.rstrip().endswith("(1 row)")
    with pytest.raises(InputError, match="prints as"):
        serialize(result, "turtle")


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")  # rdflib's own JSON-LD parser
def test_ask_and_graph_serialisations(default_store):
    ask = query(default_store, "ASK { ?a dip:condemns ?b }")
    assert serialize(ask) == "true\n"
    assert sparql_json(ask) == {"head": {}, "boolean": True}
    graph = query(default_store, "CONSTRUCT { ?a dip:condemns ?b } WHERE { ?a dip:condemns ?b }")
    expected = Graph()
    expected.add((ID["turkey-foreign-ministry"], DIP.condemns, ID.israel))
    for fmt, parser in (("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), (None, "turtle")):
        text = serialize(graph, fmt)
        assert isomorphic(Graph().parse(data=text, format=parser), expected), fmt
    assert '"@context"' in serialize(graph, "jsonld") and "http" not in json.loads(serialize(graph, "jsonld"))[
        "@context"
    ].get("@import", "")
    with pytest.raises(InputError, match="a CONSTRUCT answer is a graph"):
        serialize(graph, "csv")
