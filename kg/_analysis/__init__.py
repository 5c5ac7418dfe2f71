"""Questions of the network: paths with evidence, centrality, balance, dyads and change over time.

Every function takes a store (it then projects it with :func:`kg._network.project` under a
:class:`~kg._network.ProjectionOptions`, given as an object, as keywords, or both) or a network
already projected, and answers with a :class:`~kg._tabular.Table` or a small dataclass with a
``.table()``. Actors are named as :func:`kg._actors.resolve_actor` reads names: label, alias,
local name or IRI, in any case (on a network already projected, with no store at hand: label,
local name or IRI).

One module a question: ``path_search`` (:func:`paths`), ``ranking`` (:func:`centrality`),
``triads`` (:func:`balance`), ``dyads`` (:func:`dyad`), ``change`` (:func:`diff`); ``base``
holds the network and its names, shared by all.
"""

from kg._analysis.change import CHANGES, diff
from kg._analysis.dyads import dyad
from kg._analysis.path_search import Hop, Path, Paths, paths
from kg._analysis.ranking import MEASURES, centrality
from kg._analysis.triads import Balance, Triad, balance

__all__ = [
    "CHANGES",
    "MEASURES",
    "Balance",
    "Hop",
    "Path",
    "Paths",
    "Triad",
    "balance",
    "centrality",
    "diff",
    "dyad",
    "paths",
]
