"""Shopify's search syntax (``orders(query:)`` and friends), parsed and compiled.

Grammar (https://shopify.dev/docs/api/usage/search-syntax): whitespace is AND,
``OR`` the other connective, parentheses group, ``-term`` or ``NOT term``
negates, comparators are ``: :< :> :<= :>=``, values may be quoted.

A query compiles against a table of filter fields (``name -> factory``); a
factory turns ``(comparator, value, env)`` into a predicate over one stored
object. Like Shopify, a field the table does not know is dropped from the query
(it neither matches nor excludes) and reported as a warning.
"""
import re
from typing import NamedTuple

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<lpar>\()
    | (?P<rpar>\))
    | (?P<neg>-)?
      (?:(?P<field>[A-Za-z_][\w.]*)(?P<op>:<=|:>=|:<|:>|:))?
      (?P<value>'[^']*'|"[^"]*"|[^\s()]+)?
    )""",
    re.VERBOSE,
)
KEYWORDS = {"OR", "AND", "NOT"}


class Term(NamedTuple):
    field: object  # None for bare text
    op: str
    value: str


class Not(NamedTuple):
    child: object


class And(NamedTuple):
    children: tuple


class Or(NamedTuple):
    children: tuple


class Ignored(Exception):
    """Raised by a filter factory for a value it cannot use; the term is dropped."""


def _tokens(text):
    pos, out = 0, []
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            pos += 1  # a lone character the grammar has no use for
            continue
        pos = match.end()
        if match.group("lpar"):
            out.append(("(",))
        elif match.group("rpar"):
            out.append((")",))
        elif not (match.group("field") or match.group("value")):
            if match.group("neg"):
                out.append(("NOT",))  # "-(a OR b)" negates the group
        else:
            raw = match.group("value") or ""
            quoted = len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\""
            value = raw[1:-1] if quoted else raw
            field = match.group("field")
            if not field and not quoted and not match.group("neg") and value in KEYWORDS:
                out.append((value,))
            else:
                op = (match.group("op") or ":")[1:] or "="
                out.append(("term", bool(match.group("neg")), Term(field, op, value)))
    return out


def parse(text):
    """The query's tree. Unbalanced parentheses are tolerated, as Shopify does."""
    tokens = _tokens(text or "")
    pos = 0

    def peek():
        return tokens[pos][0] if pos < len(tokens) else None

    def parse_or():
        nonlocal pos
        items = [parse_and()]
        while peek() == "OR":
            pos += 1
            items.append(parse_and())
        items = [i for i in items if i is not None]
        return items[0] if len(items) == 1 else (Or(tuple(items)) if items else None)

    def parse_and():
        nonlocal pos
        items = []
        while peek() not in (None, ")", "OR"):
            if peek() == "AND":
                pos += 1
                continue
            items.append(parse_unary())
        items = [i for i in items if i is not None]
        return items[0] if len(items) == 1 else (And(tuple(items)) if items else None)

    def parse_unary():
        nonlocal pos
        kind = peek()
        if kind == "NOT":
            pos += 1
            child = parse_unary() if peek() not in (None, ")", "OR") else None
            return Not(child) if child is not None else None
        if kind == "(":
            pos += 1
            node = parse_or()
            if peek() == ")":
                pos += 1
            return node
        _, negated, term = tokens[pos]
        pos += 1
        return Not(term) if negated else term

    parts = []
    while pos < len(tokens):
        if peek() == ")":
            pos += 1  # a stray closing parenthesis
            continue
        node = parse_or()
        if node is not None:
            parts.append(node)
    return parts[0] if len(parts) == 1 else (And(tuple(parts)) if parts else None)


class Compiled(NamedTuple):
    predicate: object  # callable(obj) -> bool, or None when every object matches
    warnings: list  # [{"field", "message"}], Shopify's extensions.search warnings
    unknown_fields: list


def compile_query(text, fields, env):
    warnings, unknown = [], []

    def build(node):
        if node is None:
            return None
        if isinstance(node, Term):
            factory = fields.get(node.field)
            if factory is None:
                unknown.append(node.field)
                warnings.append({"field": node.field, "message": "Invalid search field for this query."})
                return None
            try:
                return factory(node.op, node.value, env)
            except Ignored as why:
                warnings.append({"field": node.field, "message": str(why)})
                return None
        if isinstance(node, Not):
            inner = build(node.child)
            return None if inner is None else (lambda obj: not inner(obj))
        preds = [p for p in (build(c) for c in node.children) if p is not None]
        if not preds:
            return None
        if len(preds) == 1:
            return preds[0]
        if isinstance(node, And):
            return lambda obj: all(p(obj) for p in preds)
        return lambda obj: any(p(obj) for p in preds)

    return Compiled(build(parse(text)), warnings, unknown)
