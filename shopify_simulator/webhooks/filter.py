"""A subscription's ``filter``: Shopify's search syntax over the webhook payload (REST field names,
nested ones with a period, e.g. ``line_items.sku:ABC``).

The simulator implements terms ``field:value`` and ``field:>value`` (``<``, ``>=``, ``<=``) joined
by whitespace or AND; a term on a list matches when any element matches. OR, NOT, ``-term``,
parentheses and wildcards are refused at subscription time (a userError), never silently ignored.
"""
import re
from decimal import Decimal, InvalidOperation

_TERM = re.compile(r'^(?P<path>[a-z_][a-z0-9_.]*):(?P<op><=|>=|<|>)?(?P<value>"[^"]*"|\S+)$')
_UNSUPPORTED = re.compile(r"(^|\s)(OR|NOT)(\s|$)|[()*]|(^|\s)-")


def compile_filter(text):
    """A predicate over a payload dict, None for no filter; ValueError for what is not implemented."""
    if not text or not text.strip():
        return None
    if _UNSUPPORTED.search(text):
        raise ValueError("This filter is not implemented by the Shopify simulator (terms field:value joined "
                         "by AND only)")
    terms = []
    for word in text.split():
        if word == "AND":
            continue
        match = _TERM.match(word)
        if match is None:
            raise ValueError(f"Invalid filter term {word!r}")
        terms.append((match.group("path").split("."), match.group("op") or "=", match.group("value").strip('"')))
    return lambda payload: all(_matches(payload, path, op, value) for path, op, value in terms)


def _values(node, path):
    if isinstance(node, list):
        for item in node:
            yield from _values(item, path)
        return
    if not path:
        yield node
        return
    if isinstance(node, dict) and path[0] in node:
        yield from _values(node[path[0]], path[1:])


def _number(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _compare(actual, op, wanted):
    if op == "=":
        if isinstance(actual, bool):
            return str(actual).lower() == wanted.lower()
        left, right = _number(actual), _number(wanted)
        if left is not None and right is not None:
            return left == right
        return str(actual).lower() == wanted.lower()
    left, right = _number(actual), _number(wanted)
    if left is None or right is None:
        left, right = str(actual), wanted  # ISO timestamps compare as text
    return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]


def _matches(payload, path, op, value):
    return any(actual is not None and _compare(actual, op, value) for actual in _values(payload, path))
