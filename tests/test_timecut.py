"""kg._timecut: one set of time rules, the same in Python, in SPARQL and in the time-cut view."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg._errors import InputError
from kg._namespace import DIP, ID
from kg._store import MemoryStore
from kg._timecut import (
    TimeCut,
    before_evidence,
    claim_filter,
    cut_view,
    event_filter,
    expand_directives,
    in_force,
    out_of_force,
    state_filter,
)

DAY0 = dt.date(2023, 10, 1)
days = st.integers(min_value=0, max_value=20).map(lambda n: DAY0 + dt.timedelta(days=n))
maybe_days = st.none() | days


def test_timecut_of_and_bindings():
    cut = TimeCut.of(as_of="2023-10-19", since=dt.date(2023, 10, 1))
    assert cut.bindings() == {
        "asOf": Literal("2023-10-19", datatype=XSD.date),
        "since": Literal("2023-10-01", datatype=XSD.date),
    }
    assert str(cut) == "as of 2023-10-19, since 2023-10-01" and bool(cut) and not TimeCut()
    with pytest.raises(InputError, match="is after until"):
        TimeCut.of(since="2023-10-19", until="2023-10-18")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        TimeCut.of(as_of="2023-13-01")


def test_in_force_rules():
    cut = TimeCut.of(as_of="2023-10-16")
    assert in_force(cut, "2023-10-16") and not in_force(cut, "2023-10-17")
    assert in_force(cut, "2023-10-10", "2023-10-20")  # an event: only its start counts as of a day
    assert not in_force(cut, "2023-10-01", "2023-10-15", standing=True)  # a state that ended
    assert in_force(cut, None, None, standing=True)  # no dates: always
    window = TimeCut.of(since="2023-10-18", until="2023-10-19")
    assert in_force(window, "2023-10-17", "2023-10-18") and not in_force(window, "2023-10-17")
    assert not in_force(window, "2023-10-20")


def _event_store(start, end):
    store = MemoryStore()
    event = ID["event/e"]
    store.graph.add((event, RDF.type, DIP.Event))
    store.graph.add((event, DIP.date, Literal(start.isoformat(), datatype=XSD.date)))
    if end is not None:
        store.graph.add((event, DIP.endDate, Literal(end.isoformat(), datatype=XSD.date)))
    return store


@settings(max_examples=60, deadline=None)
@given(start=days, length=st.none() | st.integers(0, 5), as_of=maybe_days, since=maybe_days, until=maybe_days)
def test_sparql_fragments_follow_the_python_rules_for_events(start, length, as_of, since, until):
    if since and until and since > until:
        since, until = until, since
    end = start + dt.timedelta(days=length) if length is not None else None
    cut = TimeCut.of(as_of, since, until)
    store = _event_store(start, end)
    for fragment in (event_filter("?e", date="?d", cut=cut), event_filter("?e", date="?d")):
        answer = store.query(f"ASK {{ ?e a dip:Event . {fragment} }}", bindings=cut.bindings()).boolean
        assert answer == in_force(cut, start, end)


@settings(max_examples=120, deadline=None)
@given(
    start=maybe_days,
    by=maybe_days,
    observed=maybe_days,
    end=maybe_days,
    before=maybe_days,
    as_of=maybe_days,
    since=maybe_days,
    until=maybe_days,
    from_evidence=st.booleans(),
)
def test_sparql_fragments_follow_the_python_rules_for_states(
    start, by, observed, end, before, as_of, since, until, from_evidence
):
    if since and until and since > until:
        since, until = until, since
    store = MemoryStore()
    state = ID["state/s"]
    store.graph.add((state, RDF.type, DIP.StandingRelation))
    for prop, day in (
        (DIP.startDate, start),
        (DIP.inForceBy, by),
        (DIP.observedOn, observed),
        (DIP.endDate, end),
        (DIP.before, before),
    ):
        if day is not None:
            store.graph.add((state, prop, Literal(day.isoformat(), datatype=XSD.date)))
    cut = TimeCut.of(as_of, since, until, from_evidence=from_evidence)
    open_start = start is None and by is not None
    expected = in_force(cut, start or by or observed, end, standing=True, open_start=open_start, before=before)
    fragments = [state_filter("?s", cut=cut)]
    if not from_evidence:  # with no cut given, the fragment takes the default: open starts stay open
        fragments.append(state_filter("?s"))
    for fragment in fragments:
        answer = store.query(f"ASK {{ ?s a dip:StandingRelation . {fragment} }}", bindings=cut.bindings())
        assert answer.boolean == expected


def test_open_start_and_before_in_python():
    by_16 = {"start": "2023-10-16", "standing": True, "open_start": True}
    assert in_force(TimeCut.of(as_of="2023-10-01"), **by_16)  # already so by the 16th: before it too
    assert not in_force(TimeCut.of(as_of="2023-10-01", from_evidence=True), **by_16)
    assert in_force(TimeCut.of(until="2023-10-10"), **by_16)
    assert not in_force(TimeCut.of(until="2023-10-10", from_evidence=True), **by_16)
    assert before_evidence(TimeCut.of(as_of="2023-10-01"), "2023-10-16", open_start=True)
    assert not before_evidence(TimeCut.of(as_of="2023-10-16"), "2023-10-16", open_start=True)
    assert not before_evidence(TimeCut.of(as_of="2023-10-01"), "2023-10-16", open_start=False)
    # "previously": ended before the 19th, so not in force on it nor in a window from it
    assert in_force(TimeCut.of(as_of="2023-10-18"), "2023-10-07", standing=True, before="2023-10-19")
    assert not in_force(TimeCut.of(as_of="2023-10-19"), "2023-10-07", standing=True, before="2023-10-19")
    assert not in_force(TimeCut.of(since="2023-10-19"), "2023-10-07", standing=True, before="2023-10-19")
    assert (
        str(TimeCut.of(as_of="2023-10-16", from_evidence=True))
        == "as of 2023-10-16, standing relations from first evidence"
    )


def test_claims_follow_their_asserting_events():
    store = _event_store(dt.date(2023, 10, 17), None)
    claim = ID["claim/c"]
    store.graph.add((claim, RDF.type, DIP.Claim))
    store.graph.add((ID["event/e"], DIP.assertsClaim, claim))
    text = "ASK { ?c a dip:Claim . %s }"
    for day, expected in (("2023-10-16", False), ("2023-10-17", True)):
        cut = TimeCut.of(as_of=day)
        assert store.query(text % claim_filter("?c", cut=cut), bindings=cut.bindings()).boolean is expected
        assert store.query(text % claim_filter("?c"), bindings=cut.bindings()).boolean is expected
    assert claim_filter("?c", cut=TimeCut()) == ""


def test_expand_directives():
    text = "SELECT ?e WHERE {\n    ?e a dip:Event .\n    # timecut: event ?e ?d\n}"
    expanded = expand_directives(text, cut=TimeCut.of(until="2023-10-17"))
    assert expanded.splitlines()[2:] == ["    ?e dip:date ?d .", "    FILTER (!(?d > ?until))", "}"]
    assert expand_directives(text, cut=TimeCut()).splitlines()[2] == "    ?e dip:date ?d ."
    with pytest.raises(InputError, match="bad time-cut directive"):
        expand_directives("# timecut: event e\n")
    with pytest.raises(InputError, match="bad time-cut directive"):
        expand_directives("# timecut: state\n")


def test_out_of_force_on_the_seed(default_store):
    outside = out_of_force(default_store, TimeCut.of(as_of="2023-10-16"))
    kinds = {}
    for node in outside:
        kind = next(default_store.graph.objects(node, RDF.type))
        kinds[kind] = kinds.get(kind, 0) + 1
    # the standing relations are presented as already existing: in force before their first evidence
    assert kinds == {DIP.Event: 21, DIP.Claim: 2}
    assert ID["event/fidan-haniyeh-phone-call-2023-10-16"] not in outside
    strict = out_of_force(default_store, TimeCut.of(as_of="2023-10-16", from_evidence=True))
    states = {str(n).rsplit("/", 1)[-1] for n in strict if (n, RDF.type, DIP.StandingRelation) in default_store.graph}
    assert len(states) == 10 and "haniyeh-politburo-chief-of-hamas" not in states  # named so on Monday
    assert out_of_force(default_store, TimeCut()) == set()


def test_cut_view_drops_what_is_outside_and_derives_again(default_store):
    view = cut_view(default_store, TimeCut.of(as_of="2023-10-16"))
    assert isinstance(view, MemoryStore)
    graph = view.graph
    assert (ID.israel, DIP.recallsDiplomatsFrom, ID.turkey) not in graph
    assert (ID.fidan, DIP.discussesByTelephone, ID.haniyeh) in graph
    assert (ID.haniyeh, DIP.discussesByTelephone, ID.fidan) in graph  # symmetric, derived again
    assert (ID["event/recall-2023-10-19"], None, None) not in graph
    assert not list(graph.subjects(None, URIRef(ID["claim/israel-caused-hospital-explosion"])))
    assert len(default_store.graph) > len(graph)  # the store itself is untouched
