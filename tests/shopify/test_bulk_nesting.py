"""Re-nesting a bulk result file: children follow their parent, not necessarily right after it."""
import json

from synco_shopify.shopify.api import bulk

LINES = [
    {"id": "gid://shopify/Order/1", "name": "#1"},
    {"id": "gid://shopify/Order/2", "name": "#2"},
    {"id": "gid://shopify/LineItem/11", "__parentId": "gid://shopify/Order/1"},
    {"id": "gid://shopify/LineItem/21", "__parentId": "gid://shopify/Order/2"},
    {"id": "gid://shopify/ShippingLine/12", "__parentId": "gid://shopify/Order/1"},
    {"id": "gid://shopify/LineItem/13", "__parentId": "gid://shopify/Order/1"},
    {"id": "gid://shopify/Order/3", "name": "#3"},
    {"id": "gid://shopify/DiscountAllocation/131", "__parentId": "gid://shopify/LineItem/13"},
]


def write_jsonl(path, objects):
    path.write_text("".join(json.dumps(o) + "\n" for o in objects))
    return path


def test_children_land_under_their_parent_grouped_by_type(tmp_path):
    roots = list(bulk.nested(write_jsonl(tmp_path / "r.jsonl", LINES)))
    by_id = {r["id"]: r for r in roots}
    assert [r["name"] for r in roots] == ["#3", "#2", "#1"]  # reverse file order
    one = by_id["gid://shopify/Order/1"]["__children"]
    assert [c["id"] for c in one["LineItem"]] == ["gid://shopify/LineItem/11", "gid://shopify/LineItem/13"]
    assert [c["id"] for c in one["ShippingLine"]] == ["gid://shopify/ShippingLine/12"]
    grand = one["LineItem"][1]["__children"]["DiscountAllocation"]
    assert grand[0]["id"] == "gid://shopify/DiscountAllocation/131"
    assert "__children" not in by_id["gid://shopify/Order/3"]


def test_reading_backwards_survives_lines_split_across_blocks(tmp_path):
    orders = [{"id": f"gid://shopify/Order/{n}", "note": "x" * (n % 97)} for n in range(1, 2001)]
    path = write_jsonl(tmp_path / "big.jsonl", orders)
    roots = list(bulk.nested(path))
    assert [r["id"] for r in roots] == [o["id"] for o in reversed(orders)]
    assert path.stat().st_size > 2 * (1 << 16)  # several read blocks were needed
