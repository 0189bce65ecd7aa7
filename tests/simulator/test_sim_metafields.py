"""metafieldsSet and metafieldDefinitionCreate as §3 of the Shopify notes describes them."""
import pytest

import sim_shops
from sim_http import data, gql

SET = """mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
  metafields { id namespace key value type compareDigest createdAt updatedAt owner { ... on Order { id } } }
  userErrors { field message code elementIndex } } }"""
READ = """query($id: ID!) { order(id: $id) {
  odooId: metafield(namespace: "custom", key: "odoo_id") { id value type compareDigest }
  metafields(first: 10) { nodes { namespace key value } } } }"""
DEFINE = """mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) {
  createdDefinition { id namespace key type { name } } userErrors { field message code } } }"""


@pytest.fixture
def sim(make_simulator):
    return make_simulator(scenario=sim_shops.shop_with(30))


def _entry(order, value, **extra):
    return {"ownerId": order["id"], "namespace": "custom", "key": "odoo_id", "type": "single_line_text_field",
            "value": value, **extra}


def _set(sim, entries):
    return data(sim, SET, {"m": entries})["metafieldsSet"]


def test_written_metafields_are_returned_and_visible_on_the_order(sim):
    order = sim.data.orders[0]
    result = _set(sim, [_entry(order, "S00042")])
    assert result["userErrors"] == []
    [written] = result["metafields"]
    assert (written["namespace"], written["key"], written["value"]) == ("custom", "odoo_id", "S00042")
    assert written["owner"] == {"id": order["id"]} and written["compareDigest"]
    read = data(sim, READ, {"id": order["id"]})["order"]
    assert read["odooId"] == {"id": written["id"], "value": "S00042", "type": "single_line_text_field",
                              "compareDigest": written["compareDigest"]}
    assert read["metafields"]["nodes"] == [{"namespace": "custom", "key": "odoo_id", "value": "S00042"}]
    assert sim.stats["metafields_set"] == 1


def test_one_bad_input_writes_nothing_and_names_its_index(sim):
    orders = sim.data.orders
    entries = [_entry(orders[0], "S1"), _entry(orders[1], "S2", key="x"), _entry(orders[2], "S3")]
    result = _set(sim, entries)
    assert result["metafields"] == []
    [error] = result["userErrors"]
    assert error["elementIndex"] == 1 and error["code"] == "TOO_SHORT"
    assert error["field"] == ["metafields", "1", "key"]
    assert all(sim.metafield(o["id"], "custom", "odoo_id") is None for o in orders[:3])


@pytest.mark.parametrize("change, code", [
    ({"namespace": "ab"}, "TOO_SHORT"),
    ({"namespace": "bad namespace"}, "INVALID"),
    ({"key": "k" * 65}, "TOO_LONG"),
    ({"type": None}, "BLANK"),
    ({"type": "number_integer"}, "INVALID_VALUE"),
    ({"type": "no_such_type"}, "INVALID_TYPE"),
    ({"ownerId": "gid://shopify/Order/1"}, "INVALID"),
])
def test_each_rule_on_an_input_is_a_user_error(sim, change, code):
    entry = {**_entry(sim.data.orders[0], "S00042"), **change}
    result = _set(sim, [_entry(sim.data.orders[1], "ok"), entry])
    assert [(e["code"], e["elementIndex"]) for e in result["userErrors"]] == [(code, 1)]
    assert sim.metafield(sim.data.orders[1]["id"], "custom", "odoo_id") is None


def test_more_than_25_inputs_are_refused(sim):
    entries = [_entry(order, f"S{n}") for n, order in enumerate(sim.data.orders[:26])]
    result = _set(sim, entries)
    assert result["metafields"] == []
    assert [e["code"] for e in result["userErrors"]] == ["LESS_THAN_OR_EQUAL_TO"]
    assert _set(sim, entries[:25])["userErrors"] == []
    assert sim.stats["metafields_set"] == 25


def test_writing_the_same_value_twice_keeps_one_metafield(sim):
    order = sim.data.orders[0]
    first = _set(sim, [_entry(order, "S7")])["metafields"][0]
    again = _set(sim, [_entry(order, "S7")])["metafields"][0]
    assert again["id"] == first["id"] and again["updatedAt"] == first["updatedAt"]
    changed = _set(sim, [_entry(order, "S8")])["metafields"][0]
    assert changed["id"] == first["id"] and changed["compareDigest"] != first["compareDigest"]
    assert len(data(sim, READ, {"id": order["id"]})["order"]["metafields"]["nodes"]) == 1


def test_compare_digest_writes_only_over_the_value_that_was_read(sim):
    order = sim.data.orders[0]
    assert _set(sim, [_entry(order, "A", compareDigest=None)])["userErrors"] == []
    # compareDigest null: only when the metafield does not exist yet.
    stale = _set(sim, [_entry(order, "B", compareDigest=None)])["userErrors"]
    assert [e["code"] for e in stale] == ["STALE_OBJECT"]
    digest = data(sim, READ, {"id": order["id"]})["order"]["odooId"]["compareDigest"]
    assert _set(sim, [_entry(order, "C", compareDigest=digest)])["userErrors"] == []
    assert [e["code"] for e in _set(sim, [_entry(order, "D", compareDigest=digest)])["userErrors"]] == ["STALE_OBJECT"]
    assert sim.metafield(order["id"], "custom", "odoo_id")["value"] == "C"


def test_a_definition_supplies_the_type_and_cannot_be_created_twice(sim):
    definition = {"name": "Odoo id", "namespace": "custom", "key": "odoo_id", "type": "single_line_text_field",
                  "ownerType": "ORDER"}
    created = data(sim, DEFINE, {"d": definition})["metafieldDefinitionCreate"]
    assert created["userErrors"] == [] and created["createdDefinition"]["type"] == {"name": "single_line_text_field"}
    again = data(sim, DEFINE, {"d": definition})["metafieldDefinitionCreate"]
    assert again["createdDefinition"] is None and [e["code"] for e in again["userErrors"]] == ["TAKEN"]
    untyped = {k: v for k, v in _entry(sim.data.orders[0], "S9").items() if k != "type"}
    assert _set(sim, [untyped])["userErrors"] == []
    assert sim.metafield(sim.data.orders[0]["id"], "custom", "odoo_id")["type"] == "single_line_text_field"


def test_metafield_writes_leave_the_orders_updated_at_alone(sim):
    order = sim.data.orders[0]
    _set(sim, [_entry(order, "S1")])
    assert data(sim, READ.replace("odooId:", "updatedAt odooId:"), {"id": order["id"]})["order"]["updatedAt"] == order["updatedAt"]


def test_metafields_are_readable_in_a_page_of_orders(sim):
    orders = sim.data.orders[:3]
    _set(sim, [_entry(o, f"S{n}") for n, o in enumerate(orders)])
    query = '{ orders(first: 250, sortKey: ID) { nodes { id odooId: metafield(namespace: "custom", key: "odoo_id") { value } } } }'
    by_id = {n["id"]: n["odooId"] for n in data(sim, query)["orders"]["nodes"]}
    assert [by_id[o["id"]] for o in orders] == [{"value": "S0"}, {"value": "S1"}, {"value": "S2"}]
    assert sum(v is None for v in by_id.values()) == len(sim.data.orders) - 3


def test_the_metafield_is_a_node_with_its_owner(sim):
    order = sim.data.orders[0]
    written = _set(sim, [_entry(order, "S1")])["metafields"][0]
    body = gql(sim, "query($id: ID!) { node(id: $id) { ... on Metafield { value owner { ... on Order { id } } } } }",
               {"id": written["id"]})
    assert body["data"]["node"] == {"value": "S1", "owner": {"id": order["id"]}}
