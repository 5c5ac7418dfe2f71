"""The project's vocabulary as code: a misspelt term fails at import, not at query time."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["ACTOR_KIND", "CAMEO", "DIP", "ID", "PREFIXES", "SCHEMA", "SEM", "WD"]


class DIP(DefinedNamespace):
    """Own terms of the diplomatic-relations ontology (``ontology/core.ttl``, ``relations.ttl``).

    ``tests/test_namespace.py`` keeps this class equal to the terms the ontology defines.

    Examples
    --------
    >>> from kg import DIP
    >>> DIP.Event
    rdflib.term.URIRef('https://w3id.org/dipkg/ns#Event')
    """

    _NS = Namespace("https://w3id.org/dipkg/ns#")
    _fail = True

    # classes
    Actor: URIRef  # anyone who acts or is acted upon
    State: URIRef  # a sovereign state
    GovernmentBody: URIRef  # a ministry, council, police force
    DiplomaticMission: URIRef  # an embassy or consulate
    Organisation: URIRef  # a non-state organisation
    Person: URIRef  # a named individual
    Collective: URIRef  # protesters, "the Arab and Muslim world"
    Place: URIRef  # a city, territory or site
    Event: URIRef  # a dated happening
    Claim: URIRef  # a proposition, never a fact
    StandingRelation: URIRef  # a relation with a time span
    Source: URIRef  # a document that reports events
    Informant: URIRef  # who told the reporter, when not an actor
    Quantity: URIRef  # how many, in the report's words
    StatedFigure: URIRef  # a quantity the report gives as a number
    VagueQuantity: URIRef  # a quantity the report gives only as a word ("dozens")
    Hedge: URIRef  # about, some, more than
    Reading: URIRef  # where the data interprets its source
    RelationType: URIRef  # a concept of the relation taxonomy
    IncidentType: URIRef  # a kind of happening with no agreed actor
    CameoCode: URIRef  # a code of the CAMEO scheme
    Sign: URIRef  # cooperative, conflictual or neutral
    DatePrecision: URIRef  # how precisely a date is known
    RelationScheme: URIRef  # the SKOS scheme of relation types
    IncidentScheme: URIRef  # the SKOS scheme of incident types
    CameoScheme: URIRef  # the SKOS scheme of CAMEO codes

    # individuals
    Cooperative: URIRef
    Conflictual: URIRef
    Neutral: URIRef
    DayPrecision: URIRef
    MonthPrecision: URIRef
    YearPrecision: URIRef
    IntervalPrecision: URIRef
    About: URIRef
    Some: URIRef
    MoreThan: URIRef
    AtLeast: URIRef
    UpTo: URIRef

    # event properties
    eventType: URIRef
    actor: URIRef
    target: URIRef
    date: URIRef
    endDate: URIRef
    datePrecision: URIRef
    timeNote: URIRef
    source: URIRef
    quote: URIRef
    attributedTo: URIRef
    qualifier: URIRef
    topic: URIRef
    quantity: URIRef
    amount: URIRef  # the number a report states (stated figures only)
    hedge: URIRef  # the report's hedge on a stated figure
    impliedMinimum: URIRef  # the lower bound a vague word implies (a reading)
    countOf: URIRef
    words: URIRef  # the source's own words
    hasReading: URIRef  # marks a node whose data is partly a reading
    readingOf: URIRef  # the property a reading concerns
    before: URIRef  # the source places it before this day ("previously")
    location: URIRef
    concerns: URIRef
    inResponseTo: URIRef
    confidence: URIRef
    note: URIRef

    # claim properties
    assertsClaim: URIRef
    disputesClaim: URIRef
    endorsesClaim: URIRef
    presupposesClaim: URIRef  # the wording takes the claim for granted
    claimText: URIRef
    about: URIRef
    claimedResponsible: URIRef
    contradicts: URIRef

    # standing relations
    relationType: URIRef
    subject: URIRef
    object: URIRef
    startDate: URIRef
    inForceBy: URIRef  # already so by this day; start unknown
    observedOn: URIRef
    role: URIRef

    # taxonomy metadata
    cameoCode: URIRef
    goldstein: URIRef
    quadClass: URIRef
    ploverCategory: URIRef
    ploverMode: URIRef
    sign: URIRef
    symmetric: URIRef
    standing: URIRef
    structural: URIRef
    foldsInto: URIRef

    # actors and sources
    actorCode: URIRef
    basedOn: URIRef

    # provenance of events from event datasets (GDELT, ICEWS)
    datasetId: URIRef  # the row's identifier in its dataset
    goldsteinScale: URIRef  # the dataset's own conflict-cooperation score for the event
    numMentions: URIRef  # how often the event was mentioned
    avgTone: URIRef  # the average tone of the documents mentioning it

    # relation types (each also the property of its derived edge)
    recallsDiplomatsFrom: URIRef
    condemns: URIRef
    accuses: URIRef
    mediates: URIRef
    maintainsTiesWith: URIRef
    urgesCitizensToLeave: URIRef
    issuesTravelWarning: URIRef
    evacuatesCitizensFrom: URIRef
    reducesRelationsWith: URIRef
    demonstratesAgainst: URIRef
    clashesWith: URIRef
    arrests: URIRef
    discussesByTelephone: URIRef
    consults: URIRef
    visits: URIRef
    hostsVisitOf: URIRef
    meetsWith: URIRef
    negotiatesWith: URIRef
    endorses: URIRef
    signsAgreementWith: URIRef
    appealsTo: URIRef
    providesAidTo: URIRef
    makesStatement: URIRef
    deniesResponsibility: URIRef
    rejects: URIRef
    threatens: URIRef
    imposesSanctionsOn: URIRef
    expels: URIRef
    takesHostages: URIRef
    attacks: URIRef
    holdsPostIn: URIRef
    partOf: URIRef
    missionOf: URIRef
    locatedIn: URIRef

    # actors as event datasets describe them (ontology/datasets.ttl)
    actsFor: URIRef
    collectiveOf: URIRef
    basedIn: URIRef
    sector: URIRef
    sectorText: URIRef
    countryText: URIRef
    coordinatesText: URIRef
    occurrence: URIRef
    Occurrence: URIRef
    explosion: URIRef
    securityThreat: URIRef


ID = Namespace("https://w3id.org/dipkg/id/")
"""Namespace of the data: actors, events, claims, sources."""

CAMEO = Namespace("https://w3id.org/dipkg/cameo/")
"""Namespace of the full CAMEO scheme (``ontology/cameo.ttl``): ``CAMEO["161"]``."""

SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, str] = {
    "dip": str(DIP),
    "id": str(ID),
    "cameo": str(CAMEO),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": str(SCHEMA),
    "sem": str(SEM),
    "wd": str(WD),
    "dcterms": "http://purl.org/dc/terms/",
}
"""Prefixes known to every query and to every Turtle file the package writes."""

ACTOR_KIND = """?actor a ?kind . ?kind rdfs:subClassOf* dip:Actor .
    FILTER NOT EXISTS { ?actor a ?sub . ?sub rdfs:subClassOf+ ?kind . ?sub rdfs:subClassOf* dip:Actor }"""
"""A SPARQL graph pattern: each ``?actor`` with ``?kind``, its most specific actor class.

The actor's classes under ``dip:Actor`` that no other class of the actor's is below (``State``,
``Person``, ...): the one rule by which actor names and the projection tell an actor's kind.
"""
