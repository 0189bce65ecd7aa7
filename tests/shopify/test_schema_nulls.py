"""Robust to what the schema allows: every field the sync reads that Shopify's schema makes
nullable is tried with null, on every supported API version.

The cases come from the schema and the documents (fixtures/null_cases.py), so a field a document
starts to select is tried without anyone listing it. Each case takes real payloads (the
simulator's orders, read over HTTP by the addon's own orders_api.fetch_orders, with refunds,
edits and shipments made by Shopify's mutations), nulls the field where it occurs, and runs the
pure pipeline services/order_sync.py runs: parse_order -> build_plan -> check_plan ->
plan_lifecycle, on both currency sides, for a first sync and for an update (Odoo holds what
the first sync of the same order without the null made). Allowed outcomes: the order plans,
or an OrderDataError whose message names the field: its response key as a word (GIDs set
apart, since "gid://" would name every "id"). A traceback, or totals that no longer reconcile
(the sync's TotalsMismatch) without naming the field, fail the case.

Nullable fields selected above the payload (Query.nodes...) are the API layer's: each has its
reason in TRANSPORT. A bulk file's nested lines are told apart by id: those whose id may be
null are tried through orders_bulk.read_export at the end.
"""
import os
import re
import traceback
from decimal import Decimal

import pytest
from fixtures.null_cases import matches, null_case, nullable_fields, occurrences, reading_documents

from shopify_simulator import Simulator, schema
from shopify_simulator.generator import generate
from shopify_simulator.generator.scenarios import FORCED_ONLY
from synco_shopify.shopify.api import orders_api, orders_bulk
from synco_shopify.shopify.lifecycle.plan import item_quantities, plan_lifecycle
from synco_shopify.shopify.lifecycle.types import BookingPolicy, Held, HeldDocument, HeldSaleOrder
from synco_shopify.shopify.planning.plan import PlanSettings, build_plan, check_plan
from synco_shopify.shopify.planning.plan_types import CASH_ROUNDING
from synco_shopify.shopify.reading.order import SIDES, OrderDataError, parse_order

VERSIONS = schema.versions()
DOCUMENTS = tuple(reading_documents())
POLICY = BookingPolicy(sale_order=True, invoice=True, paid_only=True, payments=True)
# Nullable fields no payload of the corpus holds a value for: the case cannot be made. Each
# with the reason; an entry whose field later shows up in the corpus fails the test (stale).
NOT_IN_CORPUS = {}
# Fields whose null is not meaningful in a payload (none so far): label -> reason.
EXCLUDED = {}
# Nullable fields the reading documents select above the payload (null_cases.PAYLOAD_ROOTS):
# the API layer meets their null before parse_order, never the reading layer. Each with what
# meets it; a new one fails test_transport_nulls_have_a_reason until it is given one.
TRANSPORT = {
    "QueryRoot.order": "OrderFull: no such order, fetch_order returns None. OrderLineItemsPage: an order "
                       "deleted between two pages of its lines; orders_api._complete_line_items does not "
                       "expect it (TypeError): reported, api/ is not this layer's.",
    "QueryRoot.nodes[]": "A refund, shipment or order gone since its order was read: orders_api and "
                         "orders_bulk skip null nodes; the refund or shipment then lacks the connection and "
                         "parse_order names it (refunds[i].refundLineItems, fulfillments[i].fulfillmentLineItems).",
    "PageInfo.endCursor": "OrdersFull's orders page: null on the last page, which client.paginate does not follow.",
    "QueryRoot.node": "BulkOperation: the bulk export's status, polled by api/bulk.py (an operation gone "
                      "while polled is not expected there: TypeError; reported).",
    **{f"BulkOperation.{f}": "The bulk export's state, read by api/bulk.py (no url: nothing exported)."
       for f in ("completedAt", "errorCode", "fileSize", "partialDataUrl", "url")},
    **{name: "Starting a bulk export: a refusal comes as userErrors, which the client raises as UserErrors."
       for name in ("Mutation.bulkOperationRunQuery", "BulkOperationRunQueryPayload.bulkOperation",
                    "BulkOperationUserError.code", "BulkOperationUserError.field")},
}


# -- the corpus: real payloads, as fetch_orders returns them -----------------------------------------
def _live(sim):
    """Shopify's own mutations on some orders: refunds (with shipping: refundShippingLines and
    their ShippingLine), edits (agreements), shipments (fulfillments)."""
    orders = [o for o in sim.data.orders if not o.get("cancelledAt") and not o.get("test")
              and o["displayFinancialStatus"] == "PAID" and o["lineItems"]]
    done = {"refund": 0, "edit": 0, "fulfill": 0}
    for i, order in enumerate(orders[:60]):
        line = order["lineItems"][0]
        action = ("refund", "edit", "fulfill")[i % 3]
        if any(f["status"] == "OPEN" for f in order.get("fulfillmentOrders") or ()):
            action = "fulfill"  # most generated orders are shipped already
        try:
            if action == "refund":
                # Every other refund gives back less than it takes (a restocking fee): an OrderAdjustment.
                amount = "1.00" if done["refund"] % 2 else None
                sim.refund(order["id"], lines=[(line["id"], 1, "RETURN")], shipping="full", amount=amount)
            elif action == "edit" and (line.get("variant") or {}).get("id"):
                sim.edit(order["id"], add=[(line["variant"]["id"], 1)], set_quantity=[(line["id"], line["quantity"])])
            elif action == "fulfill":
                sim.fulfill(order["id"], lines=[(line["id"], 1)])
            else:
                continue
        except Exception:  # noqa: BLE001 - Shopify refuses some (nothing left to ship...): others do it
            continue
        done[action] += 1
    assert all(count >= 3 for count in done.values()), done


def _fetch(sim, make_client):
    gids = [o["id"] for o in sim.data.orders]
    with make_client(sim) as client:
        # Some orders synced before: their custom.odoo_id metafield (alias odooId) holds a value.
        assert set(orders_api.set_odoo_ids(client, [(gid, f"S{n:05d}") for n, gid in enumerate(gids[::4])]).values()) \
            == {None}
        return orders_api.fetch_orders(client, gids)


@pytest.fixture(scope="module")
def corpus(make_client, access_token):
    # Plus: a bigger bucket, so that reading 160 orders is not throttled.
    with Simulator(orders=150, seed=31, token=access_token, plan="plus") as sim:
        _live(sim)
        payloads = _fetch(sim, make_client)
    for scenario in sorted(FORCED_ONLY):
        with Simulator(scenario=generate(31, 3, scenarios=[scenario]), token=access_token, plan="plus") as sim:
            payloads += _fetch(sim, make_client)
    # An order that does not sync as it is (e.g. "Nothing to book": cancelled before any payment)
    # cannot tell whether a null is handled. Richest first: a case nulls the field in the payload
    # that uses the most of the order.
    return sorted((p for p in payloads if outcome(p, None) is None), key=lambda p: -len(repr(p)))


# -- one case ----------------------------------------------------------------------------------------
def _pipeline(payload, side, held=Held()):
    """What the sync does before it writes: (differences, None) when the plan does not reconcile,
    else (None, (plan, lifecycle plan))."""
    order = parse_order(payload, side=side)
    settings = PlanSettings(side=side, timezone="America/New_York")
    plan = build_plan(order, settings)
    differences = check_plan(plan, order)
    if differences:
        return differences, None
    return None, (plan, plan_lifecycle(order, plan, held, POLICY, settings))


def holding(plan, life):
    """What Odoo holds once a first sync carried out ``life`` (everything posted)."""
    return Held(
        sale_order=HeldSaleOrder(state="cancel" if life.cancel_sale_order else "sale",
                                 quantities=tuple(item_quantities(plan.lines).items())),
        documents=tuple(HeldDocument(key=d.key, kind=d.kind, move_type=d.move_type, state="posted",
                                     quantities=tuple(item_quantities(d.lines).items()), total=d.total,
                                     rounding=sum((line.total for line in d.lines if line.kind == CASH_ROUNDING),
                                                  Decimal(0)))
                        for d in life.documents),
        payments=frozenset(p.transaction_id for p in life.payments),
        fulfillments=frozenset(d.fulfillment_id for d in life.deliveries))


def names(message, key):
    if key is None:
        return False
    return re.search(rf"(?<![\w/]){re.escape(key)}(?!\w)", re.sub(r"gid://\S+", "", message)) is not None


def outcome(payload, key, base=None):
    """None when the null is handled (plans, or OrderDataError naming ``key``), else what went wrong.
    ``key`` None: the order must plan. With ``base`` (the payload before the null), the null is
    also met by an update: Odoo holds what the first sync of ``base`` made."""
    for side in SIDES:
        for held in (False, True) if base is not None else (False,):
            try:
                state = Held()
                if held:
                    state = holding(*_pipeline(base, side)[1])
                differences, _planned = _pipeline(payload, side, state)
            except OrderDataError as exc:
                if names(str(exc), key):
                    break
                return f"{'update: ' if held else ''}OrderDataError not naming {key!r}: {exc}"
            except Exception as exc:  # noqa: BLE001 - any other error is what the test is after
                where = traceback.extract_tb(exc.__traceback__)[-1]
                return (f"{'update: ' if held else ''}{type(exc).__name__}: {exc} "
                        f"({where.filename.rsplit('/', 1)[-1]}:{where.lineno})")
            if differences:
                if names("\n".join(differences), key):
                    break
                return f"{side}: totals no longer reconcile: {differences}"
    return None


def _money(bag):
    return bag and bag["shopMoney"]["amount"] not in ("0", "0.0", "0.00")


# The kinds of order a null may matter in: a case tries the richest payload holding the field and
# the richest one of each kind that holds it.
KINDS = {
    "refunded": lambda p: p["refunds"],
    "shipping refunded": lambda p: any(r["refundShippingLines"]["nodes"] for r in p["refunds"]),
    "refund adjusted": lambda p: any((r.get("orderAdjustments") or {}).get("nodes") for r in p["refunds"]),
    "edited": lambda p: (p.get("agreements") or {}).get("nodes"),
    "shipped": lambda p: p["fulfillments"],
    "cancelled": lambda p: p["cancelledAt"],
    "two currencies": lambda p: p["currencyCode"] != p["presentmentCurrencyCode"],
    "taxes included": lambda p: p["taxesIncluded"],
    "discounted": lambda p: p["discountApplications"]["nodes"],
    "duties included": lambda p: p["dutiesIncluded"] and any(line["duties"] for line in p["lineItems"]["nodes"]),
    "duties charged": lambda p: not p["dutiesIncluded"] and any(line["duties"] for line in p["lineItems"]["nodes"]),
    "fees": lambda p: p["additionalFees"],
    "cash rounding": lambda p: _money((p.get("totalCashRoundingAdjustment") or {}).get("paymentSet")),
    "not paid": lambda p: p["displayFinancialStatus"] != "PAID",
    "company": lambda p: (p.get("purchasingEntity") or {}).get("__typename") == "PurchasingCompany",
}
# SYNCO_NULLS_EXHAUSTIVE=1: every payload holding the field instead (minutes, not seconds).
EXHAUSTIVE = os.environ.get("SYNCO_NULLS_EXHAUSTIVE") == "1"
_FOUND = {}  # version -> the occurrences of each payload of the corpus
_RESULTS = {}  # the same null in the same payload gives the same result on every version


def run_case(version, corpus, case):
    """(places, payloads run, failures) for one case. A place is where the field occurs in a
    payload (its path, indexes left out); each is nulled in the payloads KINDS choose."""
    if version not in _FOUND:
        _FOUND[version] = [list(occurrences(version, p, DOCUMENTS)) for p in corpus]
    holders = {}  # pattern -> [(payload index, its first occurrence there)]
    for index, found in enumerate(_FOUND[version]):
        for occurrence in found:
            if matches(case, occurrence) and all(i != index for i, _ in holders.get(occurrence.pattern, ())):
                holders.setdefault(occurrence.pattern, []).append((index, occurrence))
    failures, runs = [], 0
    for pattern, held in holders.items():
        chosen = held if EXHAUSTIVE else [held[0]] + [
            next(h for h in held if kind(corpus[h[0]]))
            for kind in KINDS.values() if any(kind(corpus[h[0]]) for h in held)]
        for index, occurrence in {index: occurrence for index, occurrence in chosen}.items():
            key, runs = (case.kind, index, occurrence.path), runs + 1
            if key not in _RESULTS:
                mutated = null_case(version, corpus[index], DOCUMENTS, occurrence, case.kind)
                _RESULTS[key] = outcome(mutated, case.key, corpus[index])
            if _RESULTS[key]:
                failures.append(f"{pattern} = null ({corpus[index]['name']}): {_RESULTS[key]}")
    return list(holders), runs, failures


# -- the tests ---------------------------------------------------------------------------------------
def test_the_documents_read_into_orders_are_found_by_the_rule():
    assert {"OrdersFull", "OrderFull", "OrderLineItemsPage", "RefundDetails", "OrderEdits"} <= set(DOCUMENTS)
    assert {"BulkOrdersFull", "FulfillmentLines", "RefundLines"} <= set(DOCUMENTS)
    assert not {"OrderHeaders", "SetOdooIds", "Shop"} & set(DOCUMENTS)


def test_the_corpus_has_orders_of_every_kind(corpus):
    assert len(corpus) > 150
    assert sum(bool(p["refunds"]) for p in corpus) >= 10 and sum(bool(p.get("agreements")) for p in corpus) >= 3
    assert sum(bool(p["fulfillments"]) for p in corpus) >= 10
    assert [kind for kind, test in KINDS.items() if not any(test(p) for p in corpus)] == []


@pytest.mark.parametrize("version", VERSIONS)
def test_transport_nulls_have_a_reason(version):
    assert {c.label for c in nullable_fields(version, DOCUMENTS, inside=False)} == set(TRANSPORT)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_nullable_field_read_survives_null(version, corpus, capsys):
    cases = [c for c in nullable_fields(version, DOCUMENTS) if c.label not in EXCLUDED]
    assert len(cases) > 50  # the rule still finds the documents' fields
    uncovered, failures, patterns, runs = [], [], 0, 0
    for case in cases:
        tried, ran, failed = run_case(version, corpus, case)
        patterns, runs = patterns + len(tried), runs + ran
        label = case.label
        if not tried and label not in NOT_IN_CORPUS:
            uncovered.append(label)
        if tried and label in NOT_IN_CORPUS:
            uncovered.append(f"{label} is in the corpus now: remove it from NOT_IN_CORPUS")
        failures += [f"{label}: {f}" for f in failed]
    with capsys.disabled():
        print(f"\n[schema nulls] {version}: {len(cases)} nullable fields read, {patterns} places in the "
              f"payload, {runs} payloads with a null run, {len(failures)} failing")
    assert uncovered == [], "no payload of the corpus holds these fields: " + ", ".join(uncovered)
    assert failures == [], "\n".join(failures)


def test_the_harness_tells_a_handled_null_from_a_crash(corpus):
    payload = corpus[0]
    assert outcome(payload, "lineItems") is None
    missing = dict(payload, lineItems=None)  # the reader says "lineItems is missing"
    assert outcome(missing, "lineItems") is None
    assert "not naming 'price'" in outcome(missing, "price")
    garbled = dict(payload, lineItems={"nodes": ["not an object"], "pageInfo": payload["lineItems"]["pageInfo"]})
    assert outcome(garbled, "lineItems").startswith("AttributeError")


def test_a_shipping_line_without_id_has_none_where_a_refund_names_it(corpus):
    """The reported case (ShippingLine.id null): the same line is null-id in its refund too."""
    version = VERSIONS[-1]
    case = next(c for c in nullable_fields(version, DOCUMENTS) if c.label == "ShippingLine.id")
    tried, runs, failures = run_case(version, corpus, case)
    assert "refunds[].refundShippingLines.nodes[].shippingLine.id" in tried and runs > 2 and failures == []
    payload = next(p for p in corpus if KINDS["shipping refunded"](p))
    line = next(o for o in occurrences(version, payload, DOCUMENTS)
                if matches(case, o) and o.pattern == "shippingLines.nodes[].id")
    mutated = null_case(version, payload, DOCUMENTS, line, "null")
    refunded = [n["shippingLine"] for r in mutated["refunds"] for n in r["refundShippingLines"]["nodes"]]
    assert line.obj["id"] and refunded and all(s["id"] is None for s in refunded)
    stand_in = f"{payload['id']}/ShippingLine/{line.path[2]}"  # its place among the order's shipping lines
    assert stand_in in [s.id for s in parse_order(mutated).shipping_lines]


# -- the bulk path: a bulk file's nested lines are told apart by their id ----------------------------
def _bulk_lines_with_nullable_id():
    """Node types of BulkOrdersFull's nested connections whose ``id`` the schema lets be null:
    orders_bulk.read_export finds each line's connection from its id (latest version)."""
    return sorted({c.parent for c in nullable_fields(VERSIONS[-1], DOCUMENTS)
                   if c.field == "id" and c.kind == "null" and "BulkOrdersFull" in c.documents})


def _bulk_objects(payload):
    """The payload as a bulk file has it: the order's line, then one line per node of its nested
    connections, pointing at it with __parentId."""
    nested = [key for key, value in payload.items() if isinstance(value, dict) and "nodes" in value
              and key in ("lineItems", "discountApplications", "shippingLines", "fulfillmentOrders")]
    order = {k: v for k, v in payload.items() if k not in nested}
    # BulkOrdersFull asks __typename of the nodes of these three (discount applications
    # carry theirs already).
    typename = {"lineItems": "LineItem", "shippingLines": "ShippingLine", "fulfillmentOrders": "FulfillmentOrder"}
    return [order, *({**node, **({"__typename": typename[key]} if key in typename else {}),
                      "__parentId": payload["id"]} for key in nested for node in payload[key]["nodes"])]


@pytest.mark.parametrize("node_type", _bulk_lines_with_nullable_id())
def test_a_bulk_line_without_id_reaches_its_connection(node_type, corpus, request):
    version = VERSIONS[-1]
    case = next(c for c in nullable_fields(version, DOCUMENTS) if (c.parent, c.field) == (node_type, "id"))
    payload, where = next((p, o) for p in corpus for o in occurrences(version, p, DOCUMENTS)
                          if matches(case, o) and len(o.path) == 4 and o.path[1] == "nodes")
    mutated = null_case(version, payload, DOCUMENTS, where, "null")
    found = orders_bulk.read_export(_bulk_objects(mutated), {payload["id"]})[payload["id"]]
    connection = where.path[0]
    assert len(found[connection]["nodes"]) == len(mutated[connection]["nodes"])
