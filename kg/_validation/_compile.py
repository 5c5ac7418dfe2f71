"""SHACL shapes compiled into SPARQL queries that return the nodes breaking them.

Each constraint of each shape with a target becomes one :class:`Check`: a SELECT of the focus
nodes (``?this``) that break it, with the offending ``?value`` where SHACL reports one. The
compiler reads the shapes graph generically (no shape is written by hand here): targets
(``sh:targetClass``, ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, implicit
class targets), property paths (predicate, inverse, sequence, alternative, zero-or-more,
one-or-more, zero-or-one), the value constraints (``sh:class``, ``sh:datatype``, ``sh:nodeKind``,
``sh:in``, ``sh:hasValue``, ``sh:pattern``, lengths, ranges, ``sh:languageIn``), cardinality,
``sh:uniqueLang``, the property pairs (``sh:equals``, ``sh:disjoint``, ``sh:lessThan``,
``sh:lessThanOrEquals``), the logical ones (``sh:and``, ``sh:or``, ``sh:xone``, ``sh:not``,
``sh:node``, nested ``sh:property`` in them) and SPARQL-based constraints (``sh:sparql`` with
``sh:select``, pre-bound ``$this``). A shape that uses anything else raises
:class:`~kg._errors.EngineError` naming it: nothing is silently skipped.

Constraints whose outcome depends on the value alone (class, datatype, pattern, ...) are checked
once per distinct value, then joined back to the focus nodes only for the values that fail: the
data's few hundred actors or types are checked once, not once per event.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg._errors import EngineError

__all__ = ["Check", "compile_shapes"]

Closure = Callable[[URIRef], list[URIRef]]
"""The classes whose instances are instances of a class: itself and its subclasses, in the data."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, as SPARQL.

    ``query`` selects ``?this`` (and ``?value``, and ``?path`` for SPARQL constraints) for every
    result. A check on values alone has ``values_of``, the SPARQL path whose distinct values it
    tests: ``candidates`` keeps those of them (put in its ``VALUES ?value {}``) that break the
    constraint, and ``query`` joins those back to their focus nodes (same placeholder); ``full``
    is the same check in one query, for paths with many distinct values or blank nodes.
    """

    shape: str
    component: str
    severity: str
    message: str
    path: URIRef | None
    query: str
    values_of: str = ""
    candidates: str = ""
    full: str = ""
    value_is_focus: bool = False


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_NOT_CONSTRAINTS = {
    RDF.type,
    SH.path,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.property,
    SH.sparql,
    SH.flags,
    *_TARGETS,
}
_VALUE = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH["in"],
    SH.pattern,
    SH.minLength,
    SH.maxLength,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.languageIn,
    SH.node,
    SH["or"],
    SH["and"],
    SH.xone,
    SH["not"],
}
_FOCUS = {
    SH.minCount,
    SH.maxCount,
    SH.hasValue,
    SH.uniqueLang,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.equals,
    SH.disjoint,
}
_COMPONENT = {
    SH["class"]: "Class",
    SH["in"]: "In",
    SH["or"]: "Or",
    SH["and"]: "And",
    SH["not"]: "Not",
}
# Datatypes whose lexical form SPARQL can check by casting (an ill-formed "2023-13-45"^^xsd:date
# keeps its datatype in the store, but the cast fails).
_CASTABLE = {
    XSD[name]
    for name in (
        "boolean",
        "integer",
        "decimal",
        "float",
        "double",
        "date",
        "dateTime",
        "time",
        "duration",
        "dayTimeDuration",
        "yearMonthDuration",
    )
}
_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}
_RANGES = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_PAIRS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}
_JOIN_AT_MOST = 500
"""Most failing values joined back with VALUES; past this, the check runs as one query."""


def term(node: Node) -> str:
    """Write an rdflib term in SPARQL (N-Triples form)."""
    if isinstance(node, BNode):
        raise EngineError("a blank node cannot stand as a constant in a shape's SPARQL")
    return node.n3()


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


class _Compiler:
    def __init__(self, shapes: Graph, closure: Closure):
        self.g = shapes
        self.closure = closure
        self.fresh = itertools.count()
        self.prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self._prefixes().items())

    # ------------------------------------------------------------ reading the shapes graph

    def _prefixes(self) -> dict[str, str]:
        found = {str(p): str(ns) for p, ns in self.g.namespaces() if p}
        for declaration in self.g.objects(None, SH.declare):
            prefix, namespace = self.g.value(declaration, SH.prefix), self.g.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                found[str(prefix)] = str(namespace)
        return found

    def _one(self, node: Node, predicate: URIRef) -> Node | None:
        return self.g.value(node, predicate)  # type: ignore[arg-type]

    def _list(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))  # type: ignore[arg-type]

    def _name(self, node: Node) -> str:
        return str(node) if isinstance(node, URIRef) else "a blank-node shape"

    def _var(self) -> str:
        return f"?_v{next(self.fresh)}"

    def _message(self, shape: Node) -> str:
        messages = [m for m in self.g.objects(shape, SH.message) if isinstance(m, Literal)]  # type: ignore[arg-type]
        messages.sort(key=lambda m: (m.language not in (None, "en"), str(m)))
        return str(messages[0]) if messages else ""

    def _severity(self, shape: Node) -> str:
        severity = self._one(shape, SH.severity)
        return str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"

    def _check_known(self, shape: Node) -> None:
        for predicate in set(self.g.predicates(shape)):  # type: ignore[arg-type]
            if str(predicate).startswith(str(SH)) and predicate not in _NOT_CONSTRAINTS | _VALUE | _FOCUS:
                raise EngineError(
                    f"the shape {self._name(shape)} uses {predicate.n3(self.g.namespace_manager)}, which the "
                    "Oxigraph validator does not compile; validate with engine='pyshacl', or extend "
                    "kg/_validation/_compile.py"
                )

    def path(self, node: Node) -> str:
        """Write a SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return term(node)
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self.path(step) for step in self._list(node)) + ")"
        unary = {SH.inversePath: "^{}", SH.zeroOrMorePath: "{}*", SH.oneOrMorePath: "{}+", SH.zeroOrOnePath: "{}?"}
        for predicate, form in unary.items():
            inner = self._one(node, predicate)
            if inner is not None:
                return "(" + form.format(self.path(inner)) + ")"
        alternatives = self._one(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(step) for step in self._list(alternatives)) + ")"
        raise EngineError(f"a property path the validator does not read: {node!r}")

    # ------------------------------------------------------------ targets

    def targets(self, shape: Node) -> str:
        """Return a graph pattern binding ``?this`` to every focus node of ``shape`` (or ``""``: none)."""
        patterns = []
        classes = list(self.g.objects(shape, SH.targetClass))  # type: ignore[arg-type]
        if (shape, RDF.type, RDFS.Class) in self.g:
            classes.append(shape)
        for cls in classes:
            patterns.append(f"VALUES ?_class {{ {self._closure(cls)} }} ?this a ?_class .")
        nodes = [term(n) for n in self.g.objects(shape, SH.targetNode)]  # type: ignore[arg-type]
        if nodes:
            patterns.append(f"VALUES ?this {{ {' '.join(nodes)} }}")
        for predicate in self.g.objects(shape, SH.targetSubjectsOf):  # type: ignore[arg-type]
            patterns.append(f"?this {term(predicate)} ?_object .")
        for predicate in self.g.objects(shape, SH.targetObjectsOf):  # type: ignore[arg-type]
            patterns.append(f"?_subject {term(predicate)} ?this .")
        if len(patterns) <= 1:
            return patterns[0] if patterns else ""
        return " UNION ".join(f"{{ {p} }}" for p in patterns)

    def _closure(self, cls: Node) -> str:
        if not isinstance(cls, URIRef):
            raise EngineError(f"sh:class and sh:targetClass take an IRI, not {cls!r}")
        return " ".join(term(c) for c in self.closure(cls))

    # ------------------------------------------------------------ conformance as an expression

    def value_ok(self, parameter: URIRef, value: Node, v: str) -> str:
        """Return a SPARQL expression true when the node in ``v`` satisfies one value constraint."""
        if parameter == SH["class"]:
            c = self._var()
            return f"EXISTS {{ VALUES {c} {{ {self._closure(value)} }} {v} a {c} }}"
        if parameter == SH.datatype:
            return self._datatype(value, v)
        if parameter == SH.nodeKind:
            return _KINDS[value].format(v=v)  # type: ignore[index]
        if parameter == SH["in"]:
            members = [f"sameTerm({v}, {term(m)})" for m in self._list(value)]
            return "(" + (" || ".join(members) or "false") + ")"
        if parameter == SH.pattern:  # its sh:flags live on the shape: filled in by _value_expression
            return f"(!isBlank({v}) && REGEX(STR({v}), {_literal(str(value))}{{flags}}))"
        if parameter in (SH.minLength, SH.maxLength):
            op = ">=" if parameter == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(value)})"  # type: ignore[call-overload]
        if parameter in _RANGES:
            return f"COALESCE({v} {_RANGES[parameter]} {term(value)}, false)"
        if parameter == SH.languageIn:
            tags = [f"langMatches(lang({v}), {_literal(str(t))})" for t in self._list(value)]
            return f"(isLiteral({v}) && ({' || '.join(tags) or 'false'}))"
        return self._logical(parameter, value, v)

    def _datatype(self, datatype: Node, v: str) -> str:
        test = f"isLiteral({v}) && datatype({v}) = {term(datatype)}"
        if datatype == XSD.string:
            test += f' && lang({v}) = ""'
        elif datatype in _CASTABLE:
            test += f" && COALESCE(isLiteral({term(datatype)}(STR({v}))), false)"
        return f"({test})"

    def _logical(self, parameter: URIRef, value: Node, v: str) -> str:
        if parameter == SH.node:
            return self.conforms(value, v)
        if parameter == SH["not"]:
            return f"!{self.conforms(value, v)}"
        parts = [self.conforms(member, v) for member in self._list(value)]
        if parameter == SH["and"]:
            return "(" + (" && ".join(parts) or "true") + ")"
        if parameter == SH["or"]:
            return "(" + (" || ".join(parts) or "false") + ")"
        return "((" + " + ".join(f"IF({p}, 1, 0)" for p in parts) + ") = 1)"  # sh:xone

    def conforms(self, shape: Node, v: str) -> str:
        """Return a SPARQL expression true when the node in ``v`` conforms to ``shape`` (nested shapes)."""
        self._check_known(shape)
        path = self._one(shape, SH.path)
        parts: list[str] = []
        if path is None:
            parts += [self._value_expression(shape, p, o, v) for p, o in self._constraints(shape, _VALUE)]
            parts += [f"sameTerm({v}, {term(o)})" for o in self.g.objects(shape, SH.hasValue)]  # type: ignore[arg-type]
            parts += [self.conforms(p, v) for p in self.g.objects(shape, SH.property)]  # type: ignore[arg-type]
            rest = [p for p, _ in self._constraints(shape, _FOCUS - {SH.hasValue})]
        else:
            p = self.path(path)
            y = self._var()
            for parameter, value in self._constraints(shape, _VALUE):
                ok = self._value_expression(shape, parameter, value, y)
                parts.append(f"NOT EXISTS {{ {v} {p} {y} FILTER(!{ok}) }}")
            for value in self.g.objects(shape, SH.hasValue):  # type: ignore[arg-type]
                parts.append(f"EXISTS {{ {v} {p} {y} FILTER(sameTerm({y}, {term(value)})) }}")
            for parameter, value in self._constraints(shape, {SH.minCount, SH.maxCount}):
                parts.append(self._count_expression(parameter, int(value), v, p))  # type: ignore[call-overload]
            rest = [p for p, _ in self._constraints(shape, _FOCUS - {SH.hasValue, SH.minCount, SH.maxCount})]
        if rest or list(self.g.objects(shape, SH.sparql)):  # type: ignore[arg-type]
            raise EngineError(
                f"a shape nested in sh:or, sh:and, sh:xone, sh:not or sh:node uses {', '.join(map(str, rest))} "
                "or sh:sparql, which the Oxigraph validator does not compile there; validate with engine='pyshacl'"
            )
        return "(" + (" && ".join(parts) or "true") + ")"

    def _count_expression(self, parameter: URIRef, count: int, v: str, p: str) -> str:
        n = count if parameter == SH.minCount else count + 1
        if n == 0:
            return "true"
        ys = [self._var() for _ in range(n)]
        distinct = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(ys, 2)) or "true"
        exists = f"EXISTS {{ {' '.join(f'{v} {p} {y} .' for y in ys)} FILTER({distinct}) }}"
        return exists if parameter == SH.minCount else f"!{exists}"

    def _constraints(self, shape: Node, kinds: set[URIRef]) -> Iterator[tuple[URIRef, Node]]:
        for predicate, value in sorted(self.g.predicate_objects(shape)):  # type: ignore[arg-type]
            if predicate in kinds:
                yield predicate, value  # type: ignore[misc]

    def _value_expression(self, shape: Node, parameter: URIRef, value: Node, v: str) -> str:
        expression = self.value_ok(parameter, value, v)
        if parameter == SH.pattern:
            flags = self._one(shape, SH.flags)
            expression = expression.replace("{flags}", f", {_literal(str(flags))}" if flags is not None else "")
        return expression

    # ------------------------------------------------------------ the checks of a shape with targets

    def shape(self, shape: Node) -> Iterator[Check]:
        self._check_known(shape)
        targets = self.targets(shape)
        if not targets or self._deactivated(shape):
            return
        if self._one(shape, SH.path) is not None:
            yield from self.property_checks(shape, targets, shape)
        else:
            yield from self.node_checks(shape, targets)
        for prop in self.g.objects(shape, SH.property):  # type: ignore[arg-type]
            self._check_known(prop)
            if not self._deactivated(prop):
                yield from self.property_checks(prop, targets, shape)
        for constraint in self.g.objects(shape, SH.sparql):  # type: ignore[arg-type]
            yield self.sparql_check(shape, constraint, targets)

    def _deactivated(self, shape: Node) -> bool:
        return self._one(shape, SH.deactivated) == Literal(True)

    def _make(self, shape: Node, parameter: URIRef, query: str, **options: object) -> Check:
        name = str(parameter).rsplit("#", 1)[-1]
        component = _COMPONENT.get(parameter, name[0].upper() + name[1:])
        path = self._one(shape, SH.path)
        return Check(
            shape=self._name(shape),
            component=component,
            severity=self._severity(shape),
            message=self._message(shape),
            path=path if isinstance(path, URIRef) else None,
            query=self.prefixes + query,
            **options,  # type: ignore[arg-type]
        )

    def node_checks(self, shape: Node, targets: str) -> Iterator[Check]:
        for parameter, value in self._constraints(shape, _VALUE):
            ok = self._value_expression(shape, parameter, value, "?this")
            query = f"SELECT DISTINCT ?this WHERE {{ {targets} FILTER(!{ok}) }}"
            yield self._make(shape, parameter, query, value_is_focus=True)
        for value in self.g.objects(shape, SH.hasValue):  # type: ignore[arg-type]
            query = f"SELECT DISTINCT ?this WHERE {{ {targets} FILTER(!sameTerm(?this, {term(value)})) }}"
            yield self._make(shape, SH.hasValue, query, value_is_focus=True)
        rest = [str(p) for p, _ in self._constraints(shape, _FOCUS - {SH.hasValue})]
        if rest:
            raise EngineError(f"the node shape {self._name(shape)} uses {', '.join(rest)}, which need a sh:path")

    def property_checks(self, shape: Node, targets: str, parent: Node) -> Iterator[Check]:
        path = self._one(shape, SH.path)
        if path is None:
            raise EngineError(f"the property shape {self._name(shape)} of {self._name(parent)} has no sh:path")
        p = self.path(path)
        if list(self.g.objects(shape, SH.property)):  # type: ignore[arg-type]
            raise EngineError(f"the property shape {self._name(shape)} nests sh:property: use sh:node instead")
        for parameter, value in self._constraints(shape, _VALUE):
            ok = self._value_expression(shape, parameter, value, "?value")
            bad = f"FILTER(!{ok})"
            yield self._make(
                shape,
                parameter,
                f"SELECT DISTINCT ?this ?value WHERE {{ VALUES ?value {{}} ?this {p} ?value . {targets} }}",
                values_of=p,
                candidates=self.prefixes + f"SELECT ?value WHERE {{ VALUES ?value {{}} {bad} }}",
                full=self.prefixes + f"SELECT DISTINCT ?this ?value WHERE {{ ?this {p} ?value . {bad} {targets} }}",
            )
        for parameter, value in self._constraints(shape, _FOCUS):
            yield self._make(shape, parameter, self._focus_query(parameter, value, p, targets))

    def _focus_query(self, parameter: URIRef, value: Node, p: str, targets: str) -> str:
        if parameter == SH.minCount:
            n = int(value)  # type: ignore[call-overload]
            if n <= 1:
                where = f"{targets} FILTER NOT EXISTS {{ ?this {p} ?_x }}" if n == 1 else "FILTER(false)"
                return f"SELECT DISTINCT ?this WHERE {{ {where} }}"
            return (
                f"SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {p} ?_x }} }} "
                f"GROUP BY ?this HAVING(COUNT(DISTINCT ?_x) < {n})"
            )
        if parameter == SH.maxCount:
            n = int(value)  # type: ignore[call-overload]
            if n == 0:
                return f"SELECT DISTINCT ?this WHERE {{ ?this {p} ?_x . {targets} }}"
            if n == 1:
                return f"SELECT DISTINCT ?this WHERE {{ ?this {p} ?_x, ?_y . FILTER(!sameTerm(?_x, ?_y)) {targets} }}"
            return (
                f"SELECT ?this WHERE {{ ?this {p} ?_x . {targets} }} GROUP BY ?this HAVING(COUNT(DISTINCT ?_x) > {n})"
            )
        if parameter == SH.hasValue:
            return (
                f"SELECT DISTINCT ?this WHERE {{ {targets} "
                f"FILTER NOT EXISTS {{ ?this {p} ?_x FILTER(sameTerm(?_x, {term(value)})) }} }}"
            )
        if parameter == SH.uniqueLang:
            if value != Literal(True):
                return "SELECT ?this WHERE { FILTER(false) }"
            same = 'isLiteral(?_x) && lang(?_x) != "" && LCASE(lang(?_x)) = LCASE(lang(?_y)) && !sameTerm(?_x, ?_y)'
            where = f"?this {p} ?_x, ?_y . FILTER({same}) {targets}"
            return f"SELECT DISTINCT ?this (LCASE(lang(?_x)) AS ?_lang) WHERE {{ {where} }}"
        return self._pair_query(parameter, value, p, targets)

    def _pair_query(self, parameter: URIRef, value: Node, p: str, targets: str) -> str:
        q = term(value)
        if parameter in _PAIRS:
            test = f"!COALESCE(?value {_PAIRS[parameter]} ?_o, false)"
            where = f"?this {q} ?_o . ?this {p} ?value . FILTER({test}) {targets}"
            return f"SELECT DISTINCT ?this ?value ?_o WHERE {{ {where} }}"
        if parameter == SH.disjoint:
            return f"SELECT DISTINCT ?this ?value WHERE {{ ?this {p} ?value . ?this {q} ?value . {targets} }}"
        return (  # sh:equals: the values on either side missing from the other
            f"SELECT DISTINCT ?this ?value WHERE {{ {{ ?this {p} ?value FILTER NOT EXISTS {{ ?this {q} ?value }} }} "
            f"UNION {{ ?this {q} ?value FILTER NOT EXISTS {{ ?this {p} ?value }} }} {targets} }}"
        )

    def sparql_check(self, shape: Node, constraint: Node, targets: str) -> Check:
        select = self._one(constraint, SH.select)
        if select is None:
            raise EngineError(f"a sh:sparql constraint of {self._name(shape)} has no sh:select")
        text = str(select)
        path = self._one(shape, SH.path)
        if path is not None:
            text = text.replace("$PATH", self.path(path))
        start = text.upper().find("SELECT")
        brace = text.find("{", start)
        if start < 0 or brace < 0:
            raise EngineError(f"the sh:select of {self._name(shape)} is not a SELECT query")
        # $this pre-bound (SHACL 5.3.1): the focus nodes bound first, in the query's outer group
        text = text[: brace + 1] + f" {{ SELECT ?this WHERE {{ {targets} }} }} " + text[brace + 1 :]
        check = self._make(shape, SH.sparql, text)
        message = self._message(constraint) or check.message
        return Check(**{**check.__dict__, "component": "SPARQL", "message": message})


def compile_shapes(shapes: Graph, closure: Closure) -> list[Check]:
    """Compile every shape with a target in ``shapes`` into checks.

    Parameters
    ----------
    shapes : rdflib.Graph
        The SHACL shapes graph.
    closure : callable
        Given a class IRI, the classes whose instances are its instances (itself and its
        subclasses), read from the data graph.

    Raises
    ------
    EngineError
        A shape uses a SHACL feature the compiler does not handle (named in the message).

    Examples
    --------
    >>> from rdflib import Graph
    >>> shapes = Graph().parse(format="turtle", data='''
    ... @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
    ... ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .''')
    >>> [check.component for check in compile_shapes(shapes, lambda c: [c])]
    ['MinCount']
    """
    compiler = _Compiler(shapes, closure)
    shapes_with_targets = {s for t in _TARGETS for s in shapes.subjects(t, None)}
    shapes_with_targets |= {s for s in shapes.subjects(RDF.type, RDFS.Class) if (s, RDF.type, SH.NodeShape) in shapes}
    checks: list[Check] = []
    for shape in sorted(shapes_with_targets, key=str):
        checks.extend(compiler.shape(shape))
    return checks
