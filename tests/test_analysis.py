"""Paths with evidence, centrality, balance, dyads and diffs: exact answers, cross-checked."""

import igraph
import pytest

import kg
from kg._analysis import MEASURES, balance, centrality, diff, dyad, paths
from kg._errors import InputError, UnknownNameError
from kg._namespace import DIP, ID
from kg._network import project

from .conftest import FIXTURES
from .test_synth import synth

OTHER = FIXTURES / "network" / "other-report.ttl"
EX = "https://example.org/atlas/"
SOURCE = str(ID["source/toi-2023-10-19-israel-recalls-diplomats-from-turkey"])


PLAIN = {"fold": False, "claims": False}
"""Every actor apart and contested accounts left out: the analyses' mechanics, one at a time."""


def iri(name):
    return str(ID[name])


@pytest.fixture(scope="module")
def other():
    return kg.load(OTHER, default=False)


# ---------------------------------------------------------------- paths


def test_shortest_path_from_israel_to_haniyeh_with_its_evidence(default_store):
    found = paths(default_store, "Israel", "Haniyeh", **PLAIN)
    assert [p.nodes for p in found.shortest] == [(iri("israel"), iri("hamas"), iri("haniyeh"))]
    first, second = found.shortest[0].hops
    said = [(e["actor_label"], e["relation_label"], e["target_label"], e["date"]) for e in first.evidence]
    assert said == [
        ("Hamas", "attacks", "Israel", "2023-10-07"),
        ("Hamas", "takes hostages from", "Israel", "2023-10-07"),
    ]
    assert [str(e["event"]) for e in first.evidence] == [
        iri("event/hamas-attacks-israel-2023-10-07"),
        iri("event/hamas-takes-hostages-2023-10-07"),
    ]
    assert {str(e["source"]) for e in first.evidence} == {SOURCE}
    assert first.evidence[0]["quote"].startswith("the terror group that slaughtered some 1,400 Israelis")
    (post,) = second.evidence
    # dated by its first evidence: Monday's call already names him "Hamas politburo chief"
    assert (post["actor_label"], post["relation_label"], post["target_label"], post["date"]) == (
        "Ismail Haniyeh",
        "holds a post in",
        "Hamas",
        "2023-10-16",
    )
    assert post["before_evidence"] is False
    assert str(post["event"]) == iri("state/haniyeh-politburo-chief-of-hamas")
    assert post["quote"] == (
        "On Monday, Fidan spoke with Hamas politburo chief Ismail Haniyeh on the phone "
        "about the possibility of the release of hostages."
    )
    # every simple path of up to 3 hops, shortest first
    assert [p.labels for p in found] == [
        ("Israel", "Hamas", "Ismail Haniyeh"),
        ("Israel", "Turkey", "Hakan Fidan", "Ismail Haniyeh"),
        ("Israel", "Turkey", "Hamas", "Ismail Haniyeh"),
    ]
    assert found.table().rows[0][:9] == [1, 2, True, 1, "Israel", "Hamas", "Hamas", "attacks", "Israel"]
    assert len(found.table()) == 3 + 6 + 8


def test_paths_follow_the_cut_the_fold_and_the_signs(default_store):
    # as of Monday the post already holds (the call names him by it): a path, with evidence
    monday = paths(default_store, "Israel", "Haniyeh", as_of="2023-10-16", **PLAIN)
    assert [p.labels for p in monday.shortest] == [("Israel", "Hamas", "Ismail Haniyeh")]
    assert [e["quote"][:9] for e in monday.shortest[0].hops[1].evidence] == ["On Monday"]
    # the ties with Hamas and Fidan's post are shown before their first evidence, and marked so
    early = {(row[4], row[5], row[7]) for row in monday.table().rows if row[10]}
    assert early == {("Turkey", "Hamas", "maintains ties with"), ("Turkey", "Hakan Fidan", "holds a post in")}
    assert "2 standing relations counted in force before the first evidence" in monday.table().title
    strict = paths(default_store, "Israel", "Haniyeh", as_of="2023-10-16", from_evidence=True, **PLAIN)
    assert [p.labels for p in strict.shortest] == [("Israel", "Hamas", "Ismail Haniyeh")]
    assert not any(
        e["relation_label"] == "maintains ties with" or e["before_evidence"]
        for p in strict
        for h in p.hops
        for e in h.evidence
    )
    assert not paths(default_store, "Israel", "Haniyeh", as_of="2023-10-15", from_evidence=True, **PLAIN)
    assert "no path" in paths(default_store, "Israel", "Haniyeh", structural=False, **PLAIN).note
    # folded, the actors named stay apart: Haniyeh is reached through his post, or through Fidan's
    # call counted for Turkey
    folded = paths(default_store, "Israel", "Haniyeh", fold=True, claims=False)
    assert [p.labels for p in folded.shortest] == [
        ("Israel", "Hamas", "Ismail Haniyeh"),
        ("Israel", "Turkey", "Ismail Haniyeh"),
    ]
    assert [(e["actor_label"], e["relation_label"]) for e in folded.shortest[1].hops[1].evidence] == [
        ("Hakan Fidan", "discusses by telephone with")
    ]
    assert folded.note == ""
    cooperative = paths(default_store, "Israel", "Hamas", signs=["+"], **PLAIN)
    assert [p.labels for p in cooperative.shortest] == [("Israel", "Turkey", "Hamas")]
    assert {e["relation_label"] for h in cooperative.shortest[0].hops for e in h.evidence} == {
        "mediates",
        "is in touch with",
        "maintains ties with",
    }
    direct = paths(default_store, "Israel", "Hamas", max_hops=1, limit=None, **PLAIN)
    assert direct.paths[0].labels == ("Israel", "Hamas")
    assert len(paths(default_store, "Israel", "Hamas", max_hops=1, **PLAIN)) == 1


def test_directed_paths_and_evidence_limit(other):
    assert not paths(other, "Carpania", "Dunmark", directed=True, **PLAIN)
    back = paths(other, "Dunmark", "Carpania", directed=True, max_hops=2, **PLAIN)
    assert [p.labels for p in back] == [("Dunmark", "Borduria", "Carpania")]  # meets with is symmetric
    ties = paths(other, "Elbonia", "Dunmark", directed=True, max_hops=1, **PLAIN)  # so are ties
    assert [e["relation_label"] for e in ties.shortest[0].hops[0].evidence] == ["maintains ties with"]
    assert not paths(other, "Aland", "Northern Front", directed=True, **PLAIN)
    limited = paths(other, "Aland", "Borduria", evidence=1, **PLAIN)
    assert [len(h.evidence) for h in limited.shortest[0].hops] == [1]
    assert limited.shortest[0].hops[0].more == 1
    truncated = paths(other, "Aland", "Lind", limit=2, **PLAIN)
    assert (len(truncated), truncated.truncated) == (2, True)


def test_paths_on_a_graph_nobody_here_wrote(other):
    found = paths(other, "the island state", "lind", **PLAIN)
    assert [p.labels for p in found] == [
        ("Aland", "Borduria", "Vera Lind"),
        ("Aland", "Carpania", "Borduria", "Vera Lind"),
        ("Aland", "Carpania", "Carpanian Foreign Ministry", "Vera Lind"),
        ("Aland", "Dunmark", "Borduria", "Vera Lind"),
    ]
    assert [str(e["event"]) for e in found.shortest[0].hops[0].evidence] == [EX + "e1", EX + "e2"]


def test_bad_names_are_clear_errors(default_store):
    with pytest.raises(UnknownNameError) as info:
        paths(default_store, "Isreal", "Haniyeh", **PLAIN)
    assert info.value.suggestions[0].casefold() == "israel"
    with pytest.raises(UnknownNameError) as info:
        dyad(default_store, "Turkey", "Hanyeh", **PLAIN)
    assert "haniyeh" in [name.casefold() for name in info.value.suggestions]
    with pytest.raises(InputError, match="same actor"):
        paths(default_store, "Ankara", "turkey", **PLAIN)
    assert paths(default_store, "Fidan", "Turkey", fold=True, claims=False).shortest[0].labels == (
        "Hakan Fidan",
        "Turkey",
    )  # named, so kept apart: linked by his post
    with pytest.raises(InputError, match="max_hops"):
        paths(default_store, "Israel", "Turkey", max_hops=0, **PLAIN)


def test_options_on_a_projected_graph_are_refused(default_store):
    graph = project(default_store)
    assert paths(graph, "Israel", "Turkey").shortest[0].labels == ("Israel", "Turkey")
    with pytest.raises(InputError, match="already projected"):
        centrality(graph, as_of="2023-10-16")


# ---------------------------------------------------------------- centrality


def test_top_betweenness(default_store):
    ranked = centrality(default_store, measure="betweenness", **PLAIN).to_dicts()
    # the foreign ministry's condemnation presupposes the contested blame: left out by default, so
    # the ministry is no node, and Turkey, not Israel, lies on the most shortest paths
    assert [(r["rank"], r["actor"]) for r in ranked[:3]] == [
        (1, "Turkey"),
        (2, "Israel"),
        (3, "protesters at Israel's missions in Turkey"),
    ]
    assert ranked[0]["score"] == pytest.approx(9 / 28)  # 9 of the 28 pairs of the other 8 actors
    assert ranked[1]["score"] == pytest.approx(8 / 28)
    named = centrality(default_store, measure="betweenness", kinds=["State", "Organisation", "Person"], **PLAIN)
    assert [r["actor"] for r in named.to_dicts()][:2] == ["Turkey", "Israel"]
    # once persons and bodies act for their state, Turkey is the broker
    folded = centrality(default_store, measure="betweenness", fold=True, claims=False).to_dicts()
    assert [(r["actor"], r["score"]) for r in folded[:2]] == [
        ("Turkey", pytest.approx(7 / 12)),
        ("Israel", pytest.approx(1 / 12)),
    ]
    directed = centrality(default_store, measure="betweenness", directed=True, **PLAIN).to_dicts()
    assert directed[0]["actor"] == "Turkey"


def test_centrality_on_a_graph_nobody_here_wrote(other):
    ranked = centrality(other, measure="betweenness", **PLAIN).to_dicts()
    assert [(r["actor"], r["score"]) for r in ranked[:3]] == [
        ("Dunmark", pytest.approx(4.5 / 21)),
        ("Aland", pytest.approx(2.5 / 21)),
        ("Borduria", pytest.approx(1 / 21)),
    ]
    degree = centrality(other, measure="in-degree", top=1, **PLAIN).to_dicts()
    assert [(r["actor"], r["score"], r["relations"]) for r in degree] == [("Aland", pytest.approx(4 / 7), 5)]
    assert centrality(other, measure="degree", kinds=["person"], **PLAIN).to_dicts()[0]["actor"] == "Vera Lind"


def test_eigenvector_on_a_disconnected_graph_does_not_fail(other):
    ranked = centrality(other, measure="eigenvector", **PLAIN).to_dicts()
    # Vera Lind and the ministry form a component of their own: outside the largest, they score 0
    assert {r["actor"]: r["score"] for r in ranked}["Vera Lind"] == 0.0
    assert ranked[0]["actor"] == "Aland"
    assert "largest component (6 of 8 actors" in centrality(other, measure="eigenvector", **PLAIN).title


def test_unknown_measure(default_store):
    with pytest.raises(UnknownNameError) as info:
        centrality(default_store, measure="betweeness", **PLAIN)
    assert info.value.suggestions == ["betweenness"]
    with pytest.raises(InputError, match="directed graph"):
        centrality(default_store, measure="in-degree", directed=False, **PLAIN)


def _igraph(graph, *, directed):
    """The collapsed graph in igraph, built here from the projection's edges."""
    nodes = sorted(graph)
    index = {n: i for i, n in enumerate(nodes)}
    weights = {}
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        pairs = [(u, v)] + ([(v, u)] if directed and data["symmetric"] else [])
        for a, b in pairs:
            key = (a, b) if directed else tuple(sorted((a, b)))
            weights[key] = weights.get(key, 0) + 1
    g = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in weights], directed=directed)
    g.es["weight"] = list(weights.values())
    return nodes, g


def _independent(graph, measure, directed):
    nodes, g = _igraph(graph, directed=directed)
    n = len(nodes)
    if measure in ("degree", "in-degree", "out-degree"):
        mode = {"degree": "all", "in-degree": "in", "out-degree": "out"}[measure]
        values = [d / (n - 1) for d in g.degree(mode=mode)]
    elif measure == "betweenness":
        scale = (1 if directed else 2) / ((n - 1) * (n - 2))
        values = [b * scale for b in g.betweenness(directed=directed)]
    elif measure == "closeness":
        raw = g.closeness(mode="in" if directed else "all", normalized=True)
        reach = [len(g.subcomponent(v, mode="in" if directed else "all")) for v in range(n)]
        values = [0.0 if c != c else c * (r - 1) / (n - 1) for c, r in zip(raw, reach, strict=True)]
    elif measure == "pagerank":
        values = g.pagerank(directed=directed, weights="weight", damping=0.85)
    else:  # eigenvector: the largest undirected component, scaled to the top score
        component = max(g.connected_components(), key=len)
        sub = g.induced_subgraph(component)
        scores = sub.eigenvector_centrality(weights="weight")
        values = [0.0] * n
        for v, s in zip(component, scores, strict=True):
            values[v] = s
    return dict(zip(nodes, values, strict=True))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "events.nt"
    synth.write_ntriples(path, 1500, seed=3)
    return kg.load(path, default=False)


# in- and out-degree are measures of the directed graph only
@pytest.mark.parametrize(
    ("measure", "directed"),
    [(m, d) for m in MEASURES for d in (False, True) if d or m not in ("in-degree", "out-degree")],
)
@pytest.mark.parametrize("which", ["default", "other", "synthetic"])
def test_centrality_agrees_with_igraph(request, which, measure, directed):
    store = request.getfixturevalue({"default": "default_store"}.get(which, which))
    graph = project(store)
    ranked = centrality(graph, measure=measure, directed=directed).to_dicts()
    ours = {str(r["iri"]): r["score"] for r in ranked}
    theirs = _independent(graph, measure, directed and measure != "eigenvector")
    if measure == "eigenvector":
        top = max(ours.values())
        ours = {k: v / top for k, v in ours.items()}
    assert ours.keys() == theirs.keys()
    for node, value in theirs.items():
        assert ours[node] == pytest.approx(value, abs=1e-6), node


# ---------------------------------------------------------------- balance


def test_israel_turkey_hamas_triad_is_balanced(default_store):
    result = balance(default_store, **PLAIN)
    triad = result.find("Israel", "Turkey", "Hamas")
    assert triad.labels == ("Hamas", "Israel", "Turkey")
    assert (triad.signs, triad.tones) == ((-1, -1, 1), (-19.0, -7.0, 9.5))
    assert (triad.balanced, triad.pattern) == (True, "+--")
    assert triad.reading == "the enemy of my enemy is my friend"
    assert triad.relations[0] == ("attacks", "takes hostages from")
    assert (len(result.triads), result.ratio, result.pairs, result.neutral_pairs) == (1, 1.0, 8, 0)
    # with the persons and bodies folded into their states, the triad still holds
    folded = balance(default_store, fold=True, claims=False).find(iri("israel"), iri("turkey"), iri("hamas"))
    # (Israel-Turkey -11: the ministry's condemnation, contested, is not counted)
    assert (folded.signs, folded.tones, folded.balanced) == ((-1, -1, 1), (-19.0, -11.0, 10.5), True)


def test_balance_on_a_graph_nobody_here_wrote(other):
    result = balance(other, **PLAIN)
    assert [(t.labels, t.pattern, t.balanced) for t in result.triads] == [
        (("Aland", "Borduria", "Carpania"), "++-", False),
        (("Aland", "Borduria", "Dunmark"), "++-", False),
        (("Aland", "Dunmark", "Elbonia"), "++-", False),
    ]
    assert result.ratio == 0.0
    with_claims = balance(other, claims=True, fold=False)
    assert (with_claims.balanced, len(with_claims.triads)) == (1, 4)
    triad = with_claims.find("Dunmark", "Elbonia", "Northern Front")
    assert triad.reading == "the enemy of my enemy is my friend"
    # before Dunmark's ties with Elbonia began and the mediation, only one triad
    early = balance(other, as_of="2024-03-04", **PLAIN)
    assert [t.labels for t in early.triads] == [("Aland", "Borduria", "Carpania")]
    assert balance(other, as_of="2024-03-01", **PLAIN).ratio is None


def test_neutral_pairs_are_left_out():
    store = kg.MemoryStore()
    store.update("""INSERT DATA {
        dip:makesStatement a dip:RelationType ; dip:sign dip:Neutral ; dip:symmetric false ;
            dip:goldstein 0.0 .
        dip:meetsWith a dip:RelationType ; dip:sign dip:Cooperative ; dip:symmetric true ; dip:goldstein 2.5 .
        id:x1 dip:eventType dip:meetsWith ; dip:actor id:a ; dip:target id:b ;
            dip:date "2024-01-01"^^xsd:date .
        id:x2 dip:eventType dip:meetsWith ; dip:actor id:b ; dip:target id:c ;
            dip:date "2024-01-01"^^xsd:date .
        id:x3 dip:eventType dip:makesStatement ; dip:actor id:c ; dip:target id:a ;
            dip:date "2024-01-01"^^xsd:date .
    }""")
    result = balance(store, **PLAIN)
    assert (result.triads, result.pairs, result.neutral_pairs) == ([], 2, 1)
    assert "1 pairs with zero tone left out" in result.summary()


# ---------------------------------------------------------------- dyad and diff


def test_dyad_in_time_order_with_running_tone(default_store):
    table = dyad(default_store, "Jerusalem", "Ankara", **PLAIN)
    assert [(r["date"], r["actor"], r["relation"], r["running_tone"]) for r in table.to_dicts()] == [
        ("2023-10-07", "Turkey", "mediates", 5.0),
        ("2023-10-17", "Israel", "evacuates citizens from", 1.0),
        ("2023-10-17", "Israel", "issues travel warning against", -3.0),
        ("2023-10-19", "Israel", "recalls diplomats from", -7.0),
    ]
    # no recall as of 16 October
    early = dyad(default_store, "Israel", "Turkey", as_of="2023-10-16", **PLAIN).to_dicts()
    assert [r["relation"] for r in early] == ["mediates"]
    folded = dyad(default_store, "Israel", "Turkey", fold=True, claims=False).to_dicts()
    assert ("Israel's National Security Council", "urges citizens to leave", "Turkey") in {
        (r["actor"], r["relation"], r["target"]) for r in folded
    }
    assert len(folded) == 5
    # the ministry's condemnation presupposes the contested blame: only with the contested accounts
    marked = dyad(default_store, "Israel", "Turkey", fold=True, claims=True).to_dicts()
    assert {(r["actor"], r["relation"]) for r in marked if r["contested"]} == {
        ("Ministry of Foreign Affairs of Turkey", "condemns"),
        ("Recep Tayyip Erdogan", "accuses"),
    }


def test_the_default_view_of_a_dyad_counts_every_body_and_official(default_store):
    rows = dyad(default_store, "Israel", "Turkey").to_dicts()
    assert [(r["date"], r["actor"], r["relation"], r["target"], r["contested"]) for r in rows] == [
        ("2023-10-07", "Turkey", "mediates", "Israel", False),
        ("2023-10-17", "Israel's National Security Council", "urges citizens to leave", "Turkey", False),
        # its "barbaric attacks" presuppose the contested blame: a contested account too
        ("2023-10-17", "Ministry of Foreign Affairs of Turkey", "condemns", "Israel", True),
        ("2023-10-17", "Recep Tayyip Erdogan", "accuses", "Israel", True),
        ("2023-10-17", "Israel", "evacuates citizens from", "Turkey", False),
        ("2023-10-17", "Israel", "issues travel warning against", "Turkey", False),
        ("2023-10-19", "Israel", "recalls diplomats from", "Turkey", False),
    ]
    title = dyad(default_store, "Israel", "Turkey").title
    assert "counted for the state or organisation they act for" in title
    assert "contested accounts included, marked" in title
    # a dyad of a minister keeps the minister apart
    fidan = dyad(default_store, "Fidan", "Haniyeh").to_dicts()
    assert [(r["actor"], r["relation"]) for r in fidan] == [("Hakan Fidan", "discusses by telephone with")]


def test_the_report_ranks_the_actors_as_the_centrality_command_does(default_store, tmp_path):
    import csv

    report = kg.write_report(default_store, tmp_path, svg=False, queries=False, validation=False)
    with open(report.folder / "centrality.csv", encoding="utf-8") as handle:
        table = [(r["actor"], float(r["score"])) for r in csv.DictReader(handle)]
    ranked = [(r["actor"], r["score"]) for r in centrality(default_store).to_dicts()]
    assert table == [(a, pytest.approx(b)) for a, b in ranked]
    assert table[0] == ("Israel", pytest.approx(8 / 9))


def test_diff_between_two_dates(default_store):
    rows = diff(default_store, "2023-10-16", "2023-10-19", **PLAIN).to_dicts()
    changes = {(r["change"], r["actor"], r["relation"], r["target"]) for r in rows}
    assert ("appeared", "Israel", "recalls diplomats from", "Turkey") in changes
    # the report presents the ties as existing: not new on the 19th, whatever the cut
    assert not any(r["relation"] == "maintains ties with" for r in rows)
    assert [r["change"] for r in rows] == ["appeared"] * 7 + ["changed sign"]
    recall = next(r for r in rows if r["relation"] == "recalls diplomats from")
    assert (
        recall["count_before"],
        recall["count_after"],
        recall["tone_before"],
        recall["tone_after"],
        recall["events"],
    ) == (0, 1, None, -4.0, "id:event/recall-2023-10-19")
    # the tone of a row is its own: the two protests, not the pair's total
    protests = next(r for r in rows if r["relation"] == "demonstrates against")
    assert (protests["count_after"], protests["tone_after"]) == (2, -13.0)
    turned = rows[-1]
    assert (
        turned["actor"],
        turned["target"],
        turned["sign_before"],
        turned["sign_after"],
        turned["tone_before"],
        turned["tone_after"],
    ) == ("Israel", "Turkey", 1, -1, 5.0, -7.0)
    # counted from first evidence only, the ties are seen for the first time: never "appeared"
    strict = diff(default_store, "2023-10-16", "2023-10-19", from_evidence=True, structural=True, **PLAIN).to_dicts()
    seen = {(r["change"], r["actor"], r["relation"], r["target"]) for r in strict}
    assert ("first evidence", "Turkey", "maintains ties with", "Hamas") in seen
    assert not any(
        r["change"] == "appeared" and r["relation"] in ("maintains ties with", "holds a post in") for r in strict
    )
    assert diff(default_store, "2023-10-19", "2023-10-19", **PLAIN).rows == []
    with pytest.raises(InputError, match="swap them"):
        diff(default_store, "2023-10-19", "2023-10-16", **PLAIN)
    with pytest.raises(InputError, match="as_of"):
        diff(default_store, "2023-10-16", "2023-10-19", as_of="2023-10-17", **PLAIN)


def test_diff_on_a_graph_nobody_here_wrote(other):
    rows = diff(other, "2024-03-05", "2024-03-10", **PLAIN).rows
    assert [r[:10] for r in rows] == [
        [
            "appeared",
            "Vera Lind",
            "Carpanian Foreign Ministry",
            "discusses by telephone with",
            0,
            1,
            None,
            1,
            None,
            1.0,
        ],
        ["appeared", "Northern Front", "Dunmark", "attacks", 0, 1, None, -1, None, -10.0],
        ["appeared", "Elbonia", "Aland", "imposes sanctions on", 0, 1, None, -1, None, -8.0],
        ["ended", "Dunmark", "Elbonia", "maintains ties with", 1, 0, 1, None, 3.5, None],
    ]
    # a pair whose tone turns: Aland's view of Borduria is negative, Elbonia's of Aland appears
    graph = project(other, **PLAIN)
    assert diff(graph, "2024-03-05", "2024-03-10").rows == rows


def test_diff_reports_a_sign_change():
    store = kg.load(OTHER, default=False)
    store.update(f"""INSERT DATA {{
        <{EX}e11> dip:eventType dip:signsAgreementWith ; dip:actor <{EX}aland> ;
            dip:target <{EX}borduria> ; dip:date "2024-03-20"^^xsd:date .
        <{EX}e12> dip:eventType dip:providesAidTo ; dip:actor <{EX}aland> ;
            dip:target <{EX}borduria> ; dip:date "2024-03-20"^^xsd:date . }}""")
    rows = diff(store, "2024-03-10", "2024-03-20", **PLAIN).to_dicts()
    said = [
        (
            r["change"],
            r["actor"],
            r["target"],
            r["relation"],
            r["sign_before"],
            r["sign_after"],
            r["tone_before"],
            r["tone_after"],
            r["events"],
        )
        for r in rows
    ]
    # the pair's tone, either direction (as in balance): Borduria condemns -2, Aland expels -7;
    # then the agreement +8 and the aid +7
    assert said == [
        ("appeared", "Aland", "Borduria", "provides aid to", None, 1, None, 7.0, EX + "e12"),
        ("appeared", "Aland", "Borduria", "signs agreement with", None, 1, None, 8.0, EX + "e11"),
        (
            "changed sign",
            "Aland",
            "Borduria",
            "condemns; expels; signs agreement with; provides aid to",
            -1,
            1,
            -9.0,
            6.0,
            f"{EX}e11 {EX}e12",
        ),
    ]


def test_diff_reports_a_second_recall_over_ingested_weeks():
    from kg._ingestion import ingest

    store = kg.load()
    ingest(FIXTURES / "ingest" / "cameo-coded.csv", store=store)
    rows = diff(store, "2023-11-01", "2023-11-08").to_dicts()
    said = [
        (
            r["change"],
            r["actor"],
            r["relation"],
            r["target"],
            r["count_before"],
            r["count_after"],
            r["tone_before"],
            r["tone_after"],
        )
        for r in rows
    ]
    assert ("changed in intensity", "Chile", "recalls diplomats from", "Israel", 1, 2, -4.0, -8.0) in said
    assert [r["events"].startswith("id:event/csv/") for r in rows] == [True] * len(rows)
    # a state that cut ties, coded 161, is no recall
    first = diff(store, "2023-10-30", "2023-10-31").to_dicts()
    assert {(r["actor"], r["relation"]) for r in first} == {
        ("Bolivia", "Reduce or break diplomatic relations"),
        ("Chile", "recalls diplomats from"),
    }
    assert str(DIP.signsAgreementWith)  # the type exists in the taxonomy
