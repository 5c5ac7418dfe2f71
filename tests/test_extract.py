"""Extraction: a news report to a draft event table that ingests; rules, dates, claims, bad input."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

import kg
from kg._errors import InputError
from kg._extract import DRAFT_COLUMNS, extract, load_rules
from kg._extract._text import find_dates, sentences
from kg._ingestion import REQUIRED_COLUMNS, ingest, output_path
from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "benchmarks" / "extract-eval"
CHILE = EVAL / "chile-bolivia-2024-03-14.txt"
KENYA = EVAL / "kenya-uganda-2025-06-02.txt"
SEED = "toi-2023-10-19-israel-recalls-diplomats-from-turkey.txt"
URL = "https://example.org/wire/1"


def rows_of(text, published, store, **kw):
    draft = extract(text, published=published, source=URL, store=store, **kw)
    return draft, [(r.actor, r.relation, r.target, r.date) for r in draft.rows]


# ---------------------------------------------------------------- the rules, each with its sentence


@pytest.mark.parametrize("rule", load_rules(), ids=lambda r: r.id)
def test_every_rule_finds_its_test_sentence(rule, default_store):
    draft = extract(rule.example, published=rule.published, source=URL, store=default_store)
    actor, relation, target, date = (part.strip() for part in rule.expect.split("|"))
    got = [(r.actor, r.relation, r.target, r.date) for r in draft.rows if r.rule == rule.id]
    assert (actor, relation, target, date) in got, (
        rule.example,
        [(r.actor, r.relation, r.target, r.date, r.rule) for r in draft.rows],
    )


def test_rules_are_keyed_to_the_taxonomy_and_its_cameo_codes():
    ontology = Graph().parse(ROOT / "ontology" / "relations.ttl")
    codes = {
        str(r).rsplit("#", 1)[-1]: str(c)
        for r, c in ontology.query(
            "PREFIX dip: <https://w3id.org/dipkg/ns#> SELECT ?r ?c WHERE { ?r a dip:RelationType ; dip:cameoCode ?c }"
        )
    }
    rules = load_rules()
    assert len(rules) >= 20
    for rule in rules:
        assert rule.relation in codes, rule.id
        assert codes[rule.relation] == rule.cameo, rule.id


def test_a_broken_rule_file_is_refused(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text(
        '[[rule]]\nid = "x"\nrelation = "condemns"\ncameo = "111"\npattern = "(unclosed"\n'
        'example = "a"\npublished = "2024-01-01"\nexpect = "a | b |  | c"\n'
    )
    with pytest.raises(InputError, match="pattern does not compile"):
        load_rules(bad)


# ---------------------------------------------------------------- sentences


def test_sentences_keep_abbreviations_initials_and_quotations_whole():
    text = (
        "Gen. Ali met J. Smith at 9 a.m. on Oct. 7 in the U.S. capital. “We met. We agreed,” he said!\nNext line? Yes."
    )
    found = sentences(text)
    assert [s.text for s in found] == [
        "Gen. Ali met J. Smith at 9 a.m. on Oct. 7 in the U.S. capital.",
        "“We met. We agreed,” he said!",
        "Next line?",
        "Yes.",
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


# ---------------------------------------------------------------- dates


def test_weekdays_and_days_read_against_the_publication_day():
    thursday = dt.date(2023, 10, 19)
    days = {
        d.text: d.day
        for d in find_dates("On Monday, late on Tuesday, Wednesday night, Thursday and on October 7", thursday)
    }
    assert days == {
        "On Monday": dt.date(2023, 10, 16),
        "late on Tuesday": dt.date(2023, 10, 17),
        "Wednesday night": dt.date(2023, 10, 18),
        "Thursday": dt.date(2023, 10, 19),
        "on October 7": dt.date(2023, 10, 7),
    }
    # a day later in the year than publication is last year's
    assert find_dates("on December 30", dt.date(2024, 1, 3))[0].day == dt.date(2023, 12, 30)


def test_previously_and_the_present_perfect_keep_an_interval(default_store):
    text = (
        "BERN, Switzerland — Hamas attacked Israel on October 7. "
        "Turkey was previously involved in trying to mediate between Israel and Hamas."
    )
    draft, _ = rows_of(text, "2023-10-19", default_store)
    mediation = next(r for r in draft.rows if r.relation == "mediates")
    # "previously": before the day of the report, so up to the day before it
    assert (mediation.date, mediation.end_date, mediation.date_precision) == ("2023-10-07", "2023-10-18", "interval")
    assert mediation.target == "Israel;Hamas"


# ---------------------------------------------------------------- negation, hedges, passive, claims


def test_a_negated_verb_gives_no_event_and_the_sentence_is_listed(default_store):
    draft, rows = rows_of(
        "Chile did not expel Bolivian diplomats on Monday, officials said.", "2024-03-14", default_store
    )
    assert rows == []
    assert "negated" in draft.skipped[0].reason


def test_a_hedge_lowers_the_confidence_and_is_named(default_store):
    draft, rows = rows_of(
        "Bolivian police reportedly detained three Chilean engineers on Monday.", "2024-03-14", default_store
    )
    assert rows == [("Bolivian police", "arrests", "Chilean engineers", "2024-03-11")]
    row = draft.rows[0]
    assert float(row.confidence) < 0.8 and "hedged ('reportedly')" in row.review
    assert (row.actor_kind, row.target_kind) == ("government body", "collective")


def test_the_passive_voice_swaps_actor_and_target(default_store):
    _, rows = rows_of("The explosion on Tuesday has been blamed by Syria on Jordan.", "2024-05-09", default_store)
    assert ("Syria", "accuses", "Jordan", "2024-05-07") in rows


def test_what_is_claimed_is_never_a_fact(default_store):
    draft, rows = rows_of(
        "On Sunday, Kenya accused Ugandan troops of attacking a police post late on Saturday, a charge Kampala denied.",
        "2025-06-02",
        default_store,
    )
    assert ("Kenya", "accuses", "Ugandan troops", "2025-06-01") in rows
    assert not [r for r in draft.rows if r.relation == "attacks"]
    assert {r.claim for r in draft.rows} == {"asserts", "disputes"}
    denial = next(r for r in draft.rows if r.relation == "deniesResponsibility")
    assert denial.actor == "Uganda"  # "Kampala": the capital for its state


def test_attribution_and_quote(default_store, shared):
    text = (shared / "sources" / SEED).read_text(encoding="utf-8")
    draft = extract(text, published="2023-10-19", source=URL, store=default_store)
    recall = next(r for r in draft.rows if r.relation == "recallsDiplomatsFrom")
    assert (recall.actor, recall.target, recall.date) == ("Israel", "Turkey", "2023-10-19")
    assert recall.attributed_to == "a source close to the dossier"
    # the default graph encodes this report: the draft points at the event it already has
    assert "the graph already has this event: <https://w3id.org/dipkg/id/event/recall-2023-10-19>" in recall.review
    for row in draft.rows:
        assert row.quote in text and len(row.quote) <= 400
        assert row.quote in text[row.sentence_start : row.sentence_end]
    # the contested cause of the hospital explosion appears only as claims
    blame = [r for r in draft.rows if r.relation == "accuses" and r.target == "Israel"]
    assert {r.actor for r in blame} >= {"Hamas", "the Arab and Muslim world", "Recep Tayyip Erdogan"}
    assert all(r.claim == "asserts" and r.date_precision == "interval" for r in blame)
    assert not [r for r in draft.rows if r.relation == "attacks" and r.date != "2023-10-07"]
    # the headline restates the body; a sentence with no actor is listed, not guessed
    reasons = {s.sentence: s.reason for s in draft.skipped}
    assert reasons[1].startswith("headline") and reasons[21] == "no recognisable actor"


def test_an_unknown_name_before_the_verb_is_not_replaced_by_a_known_one(default_store):
    # "Vladivostok" is no actor: the denial is not given to Ukraine, the sentence's first name
    _, rows = rows_of(
        "Ukraine accused Russia of shelling a hospital on Monday, a charge Vladivostok denied.",
        "2023-03-08",
        default_store,
    )
    assert rows == [("Ukraine", "accuses", "Russian Federation", "2023-03-06")]
    _, rows = rows_of(
        "Ukraine accused Russia of shelling a hospital on Monday, a charge the Kremlin denied.",
        "2023-03-08",
        default_store,
    )
    assert ("Russian Federation", "deniesResponsibility", "", "2023-03-06") in rows


def test_a_state_s_body_is_a_government_body_of_that_state(default_store):
    draft, rows = rows_of("Sri Lanka's navy detained 14 Indian fishermen on Wednesday.", "2024-11-15", default_store)
    assert rows == [("Sri Lankan navy", "arrests", "Indian fishermen", "2024-11-13")]
    assert (draft.rows[0].actor_kind, draft.rows[0].target_kind) == ("government body", "collective")


def test_a_modal_verb_is_flagged_not_asserted(default_store):
    draft, _ = rows_of("On Monday, Vilnius said it would back Estonia's position.", "2023-03-08", default_store)
    row = next(r for r in draft.rows if r.relation == "endorses")
    assert row.actor == "Lithuania" and "modal ('would')" in row.review and float(row.confidence) <= 0.6


def test_actors_by_alias_title_and_new_names(default_store):
    text = (
        "ANKARA, Turkey — Turkey's top diplomat Hakan Fidan spoke by phone with Peruvian Foreign Minister "
        "Ana Ruiz on Monday. The Jewish state condemned the African Union on Tuesday."
    )
    draft, rows = rows_of(text, "2024-05-09", default_store)
    assert ("Hakan Fidan", "discussesByTelephone", "Ana Ruiz", "2024-05-06") in rows
    assert ("Israel", "condemns", "African Union", "2024-05-07") in rows
    call = next(r for r in draft.rows if r.relation == "discussesByTelephone")
    assert call.target_kind == "person" and call.actor_kind == ""  # Fidan is the graph's
    condemn = next(r for r in draft.rows if r.relation == "condemns")
    assert condemn.target_kind == "organisation"


# ---------------------------------------------------------------- the draft ingests


def test_the_draft_ingests_and_the_graph_answers(tmp_path, default_store):
    draft = extract(CHILE.read_text(encoding="utf-8"), published="2024-03-14", source=URL, store=default_store)
    assert {r.source for r in draft.rows} == {URL}  # the report's key in every row
    assert not [r for r in draft.rows if "already has" in r.review]
    table = draft.write(tmp_path / "draft.csv")
    header = next(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert tuple(header) == DRAFT_COLUMNS and set(REQUIRED_COLUMNS) <= set(header)
    report = ingest(table, out_dir=tmp_path / "out")
    assert report.events == len(draft.rows)
    graph = kg.load(output_path(table, tmp_path / "out"))
    answer = graph.query_values("""
        SELECT ?label ?date WHERE { ?e dip:eventType dip:recallsDiplomatsFrom ; dip:actor ?a ; dip:target ?t ;
            dip:date ?date ; dip:source/schema:url ?url . ?a rdfs:label ?label . ?t dip:actorCode "BOL" }""")
    assert answer == [("Chile", "2024-03-13")]
    persons = {
        label
        for (label,) in graph.query_values(
            "SELECT ?l WHERE { ?p a dip:Person ; rdfs:label ?l . FILTER NOT EXISTS { ?p skos:altLabel ?x } }"
        )
    }
    assert {"Marta Vidal", "Paulo Reis", "Luis Mendoza"} <= persons


def test_turtle_output_is_what_ingest_writes(tmp_path, default_store):
    draft = extract(KENYA.read_text(encoding="utf-8"), published="2025-06-02", source=URL, store=default_store)
    turtle = draft.to_turtle()
    graph = Graph().parse(data=turtle, format="turtle")
    expels = list(
        graph.query("SELECT ?e WHERE { ?e <https://w3id.org/dipkg/ns#eventType> <https://w3id.org/dipkg/ns#expels> }")
    )
    assert len(expels) == 1


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("abc\x00def ghi jkl", "binary"),
        (
            "Le ministre des Affaires étrangères a rappelé mardi son ambassadeur en Turquie pour consultations.",
            "English",
        ),
    ],
)
def test_bad_text_is_refused(text, message, default_store):
    with pytest.raises(InputError, match=message):
        extract(text, published="2024-01-01", source=URL, store=default_store)


def test_a_report_with_no_date_is_refused(default_store):
    with pytest.raises(InputError, match="no date"):
        extract(
            "Chile recalled its ambassador from Bolivia on Monday.", published=None, source=URL, store=default_store
        )
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        extract(
            "Chile recalled its ambassador from Bolivia on Monday.",
            published="19/10/2023",
            source=URL,
            store=default_store,
        )


def test_cli_writes_a_draft_and_refuses_bad_input(tmp_path, capsys):
    out = tmp_path / "draft.csv"
    assert main(["extract", str(CHILE), "--published", "2024-03-14", "--source", URL, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "skipped sentence 8" in err and "negated" in err
    assert out.read_text(encoding="utf-8").startswith("date,actor,relation,target,source,quote")
    # the draft ingests with kg ingest, and --format ttl writes what ingest writes
    assert main(["ingest", str(out), "-o", str(tmp_path / "ingested")]) == 0
    ingested = Graph().parse(tmp_path / "ingested" / "draft.ttl")
    ttl = tmp_path / "draft.ttl"
    assert (
        main(["extract", str(CHILE), "--published", "2024-03-14", "--source", URL, "-o", str(ttl), "--format", "ttl"])
        == 0
    )
    assert len(Graph().parse(ttl)) == len(ingested) > 0
    capsys.readouterr()
    before = out.read_bytes()
    # an existing draft is not overwritten
    assert main(["extract", str(CHILE), "--published", "2024-03-14", "--source", URL, "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err and out.read_bytes() == before
    binary = tmp_path / "report.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    french = tmp_path / "fr.txt"
    french.write_text(
        "Le ministre a rappelé mardi son ambassadeur en Turquie pour des consultations urgentes.", encoding="utf-8"
    )
    for report, published, words in (
        (binary, "2024-01-01", "binary"),
        (french, "2024-01-01", "English"),
        (CHILE, None, "--published"),
        (tmp_path / "none.txt", "2024-01-01", "no such"),
    ):
        target = tmp_path / f"out-{report.stem}.csv"
        argv = ["extract", str(report), "--source", URL, "-o", str(target)]
        argv += ["--published", published] if published else []
        assert main(argv) == 2
        assert words in capsys.readouterr().err
        assert not target.exists()


_PIECES = [
    "Chile",
    "Turkey's foreign ministry",
    "the Jewish state",
    "Kenyan police",
    "Foreign Minister Ana Ruiz",
    "recalled its ambassador from",
    "did not condemn",
    "reportedly detained",
    "was blamed by",
    "on",
    "spoke by phone with",
    "late on Tuesday",
    "on October 7",
    "previously",
    "said",
    "that",
    ",",
    "and",
    "“",
    "”",
    "Israel-Hamas",
    "the country",
    "its",
    "hostages",
    "mediate between",
    "—",
    "which has been",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14), min_size=1, max_size=5))
def test_any_english_text_gives_a_draft_whose_quotes_are_its_own(default_store, sentences_):
    text = "\n".join(" ".join(words) + "." for words in sentences_) + "\nThe minister said the talks went well."
    try:
        draft = extract(text, published="2024-05-09", source=URL, store=default_store)
    except InputError as exc:  # names alone are not English words: the only refusal allowed here
        assert "does not read as English" in str(exc)
        return
    for row in draft.rows:
        assert row.quote and row.quote in text and row.actor
        assert row.date <= "2024-05-09" and (not row.end_date or row.date <= row.end_date)
    assert not {r.sentence for r in draft.rows} & {s.sentence for s in draft.skipped}
