"""The network projection: the knowledge graph as NetworkX graphs of actors.

:func:`project` turns the events and standing relations of any engine into a
``networkx.MultiDiGraph`` whose edges carry the evidence (relation, sign, Goldstein value, date,
event, source, quote); :func:`collapse` folds parallel edges into one edge per pair with counts
and tone. Both take a time cut and filters, :class:`ProjectionOptions`, so that every analysis can
be asked "as of" a date.

The modules: ``options`` (the one options object), ``types`` (the taxonomy's relation types),
``rows`` (what is read from the store), ``rules`` (what else a projection reads, and the rule of
folding), ``projection`` (the graph, folding, the check of "a store or a graph already projected"),
``pairs`` (the projection kept as arrays, from a store's network index, for questions about pairs),
``remote`` (the same from a SPARQL server, counted there by one ``GROUP BY``) and ``collapse`` (one
edge per pair).
"""

from kg._network.collapsing import TONE_DIGITS, collapse, tone_sign
from kg._network.options import ProjectionKeywords, ProjectionOptions
from kg._network.pairs import PairNetwork, PairRows, Relations, Sample, between, edge_order, pair_network
from kg._network.projection import describe_view, project, projected, store_options
from kg._network.remote import RemotePairNetwork, pairs_for, remote_pairs
from kg._network.types import SIGN_VALUES, RelationInfo, relation_types

__all__ = [
    "SIGN_VALUES",
    "TONE_DIGITS",
    "PairNetwork",
    "PairRows",
    "ProjectionKeywords",
    "ProjectionOptions",
    "RelationInfo",
    "Relations",
    "RemotePairNetwork",
    "Sample",
    "between",
    "collapse",
    "describe_view",
    "edge_order",
    "pair_network",
    "pairs_for",
    "project",
    "projected",
    "relation_types",
    "remote_pairs",
    "store_options",
    "tone_sign",
]
