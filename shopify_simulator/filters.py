"""Filter factories for search fields, one per kind of value.

Each factory takes an ``extract(obj)`` function and returns
``factory(op, value, env) -> predicate``; ``env`` carries ``now()`` and the
shop's time zone (date-only values are days in the shop's zone, as in Shopify).
"""
import calendar
import operator
import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from . import gids
from .clock import parse_time
from .search import Ignored

_COMPARE = {"=": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def _interval_test(op, start, end):
    """Predicate on a moment for a value that covers [start, end)."""
    if op == "=":
        return lambda t: start <= t < end
    if op == "<":
        return lambda t: t < start
    if op == "<=":
        return lambda t: t < end
    if op == ">":
        return lambda t: t >= end
    return lambda t: t >= start


def time_value(value, env):
    """A search time value -> (start, end) or a single moment (start == end)."""
    if value.lower() == "now":
        moment = env.now()
        return moment, moment
    partial = _PARTIAL_DATE.match(value)
    if partial:
        year, month, day = (int(g) if g else None for g in partial.groups())
        start = datetime(year, month or 1, day or 1, tzinfo=env.tz)
        if day:
            end = start + timedelta(days=1)
        elif month:
            end = start + timedelta(days=calendar.monthrange(year, month)[1])
        else:
            end = start.replace(year=year + 1)
        return start, end
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Ignored(f"Invalid time value {value!r}.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=env.tz)
    return moment, moment


def time_field(extract):
    def factory(op, value, env):
        start, end = time_value(value, env)
        if start == end:
            compare = _COMPARE[op]
            test = lambda t: compare(t, start)  # noqa: E731
        else:
            test = _interval_test(op, start, end)

        def predicate(obj):
            raw = extract(obj)
            return raw is not None and test(parse_time(raw))

        return predicate

    return factory


def _text_test(op, value):
    wanted = value.lower()
    if op == "=" and wanted.endswith("*"):
        prefix = wanted[:-1]
        return lambda text: text.startswith(prefix)
    compare = _COMPARE[op]
    return lambda text: compare(text, wanted)


def text_field(extract, normalise=lambda text: text):
    """Case-insensitive equality (``value*`` is a prefix); ``normalise`` both sides."""

    def factory(op, value, env):
        test = _text_test(op, normalise(value.lower()))

        def predicate(obj):
            raw = extract(obj)
            return raw is not None and test(normalise(str(raw).lower()))

        return predicate

    return factory


def any_text_field(extract):
    """Matches when any of the extracted strings matches (tags, SKUs, gateways)."""

    def factory(op, value, env):
        test = _text_test(op, value.lower())
        return lambda obj: any(test(str(item).lower()) for item in extract(obj) or ())

    return factory


def none_text_field(extract):
    """``tag_not``: matches when no extracted string equals the value."""
    inner = any_text_field(extract)

    def factory(op, value, env):
        matches = inner(op, value, env)
        return lambda obj: not matches(obj)

    return factory


def number_field(extract):
    def factory(op, value, env):
        try:
            wanted = Decimal(value)
        except InvalidOperation:
            raise Ignored(f"Invalid number {value!r}.") from None
        compare = _COMPARE[op]

        def predicate(obj):
            raw = extract(obj)
            return raw is not None and compare(Decimal(str(raw)), wanted)

        return predicate

    return factory


def id_field(extract):
    """Numeric legacy ids or GIDs, with ranges (``id:>=1234``)."""

    def factory(op, value, env):
        wanted = gids.number(value) if value.startswith("gid://") else None
        if wanted is None:
            if not value.isdigit():
                raise Ignored(f"Invalid id {value!r}.")
            wanted = int(value)
        compare = _COMPARE[op]

        def predicate(obj):
            raw = extract(obj)
            found = gids.number(raw) if isinstance(raw, str) and raw.startswith("gid://") else raw
            return found is not None and compare(int(found), wanted)

        return predicate

    return factory


def bool_field(extract):
    def factory(op, value, env):
        if value.lower() not in ("true", "false"):
            raise Ignored(f"Invalid boolean {value!r}.")
        wanted = value.lower() == "true"
        return lambda obj: bool(extract(obj)) == wanted

    return factory


def enum_field(extract, mapping):
    """``mapping``: search value (lower case) -> set of enum names it stands for.

    A value outside the mapping matches nothing, as an impossible status would.
    """

    def factory(op, value, env):
        wanted = mapping.get(value.lower(), frozenset())
        return lambda obj: extract(obj) in wanted

    return factory
