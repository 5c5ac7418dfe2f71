"""The network projection: the knowledge graph as NetworkX graphs of actors.

:func:`project` turns the events and standing relations of any engine into a
``networkx.MultiDiGraph`` whose edges carry the evidence (relation, sign, Goldstein value, date,
event, source, quote); :func:`collapse` folds parallel edges into one edge per pair with counts
and tone. Both take a time cut and filters, :class:`ProjectionOptions`, so that every analysis can
be asked "as of" a date.

The modules: ``options`` (the one options object), ``types`` (the taxonomy's relation types),
``rows`` (what is read from the store), ``projection`` (the graph, folding, the check of "a store
or a graph already projected") and ``collapse`` (one edge per pair).
"""

from kg._network.collapsing import collapse
from kg._network.options import ProjectionKeywords, ProjectionOptions
from kg._network.projection import describe_view, project, projected
from kg._network.types import SIGN_VALUES, RelationInfo, relation_types

__all__ = [
    "SIGN_VALUES",
    "ProjectionKeywords",
    "ProjectionOptions",
    "RelationInfo",
    "collapse",
    "describe_view",
    "project",
    "projected",
    "relation_types",
]
