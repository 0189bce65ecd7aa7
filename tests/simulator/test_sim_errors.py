"""Documents Shopify would reject, and fields the simulator cannot answer, say so clearly."""
from sim_http import gql


def test_a_misspelt_field_gets_shopifys_validation_error_and_no_data(simulator):
    body = gql(simulator, "query Misspelt {\n  orders(first: 1) { nodes { id totlPriceSet { shopMoney { amount } } } }\n}")
    assert "data" not in body
    [error] = body["errors"]
    assert error["message"] == "Field 'totlPriceSet' doesn't exist on type 'Order'"
    assert error["locations"] == [{"line": 2, "column": 33}]
    assert error["extensions"]["code"] == "undefinedField"
    assert error["extensions"]["typeName"] == "Order" and error["extensions"]["fieldName"] == "totlPriceSet"


def test_an_unknown_argument_and_a_missing_one_are_validation_errors(simulator):
    body = gql(simulator, "{ orders(frist: 1) { nodes { id } } order { id } }")
    codes = sorted(e["extensions"]["code"] for e in body["errors"])
    assert codes == ["argumentNotAccepted", "missingRequiredArguments"]
    assert "data" not in body


def test_a_syntax_error_is_reported_with_its_location(simulator):
    body = gql(simulator, "{ orders(first: 1) { nodes { id } }")
    [error] = body["errors"]
    assert error["extensions"]["code"] == "parseError"
    assert error["locations"][0]["line"] == 1
    assert "data" not in body


def test_a_field_the_simulator_does_not_implement_is_an_error_naming_it(simulator):
    # Order.staffMember exists in Shopify's schema but is not simulated.
    body = gql(simulator, "{ orders(first: 2) { nodes { id staffMember { id } } } }")
    messages = {e["message"] for e in body["errors"]}
    assert messages == {"Order.staffMember is not implemented by the Shopify simulator"}
    assert all(e["extensions"]["code"] == "NOT_IMPLEMENTED_BY_SIMULATOR" for e in body["errors"])
    assert [e["path"] for e in body["errors"]] == [
        ["orders", "nodes", 0, "staffMember"], ["orders", "nodes", 1, "staffMember"]]


def test_a_stored_null_is_a_real_null_without_error(make_simulator):
    import sim_shops
    sim = make_simulator(scenario=sim_shops.shop_data([sim_shops.order(1, email=None)]))
    body = gql(sim, "{ orders(first: 1) { nodes { email } } }")
    assert body["data"]["orders"]["nodes"] == [{"email": None}]
    assert "errors" not in body


def test_a_variable_of_the_wrong_type_is_rejected_before_running(simulator):
    body = gql(simulator, "query($first: Int!) { orders(first: $first) { nodes { id } } }", {"first": "ten"})
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "INVALID_VARIABLE"


def test_a_connection_without_first_or_last_is_refused(simulator):
    body = gql(simulator, "{ orders { nodes { id } } }")
    assert body["errors"][0]["message"] == "You must provide one of first or last."
    assert body["errors"][0]["path"] == ["orders"] and "code" not in body["errors"][0].get("extensions", {})
    assert body["data"] is None  # orders is non-null: the error nulls the whole answer
    assert gql(simulator, "{ orders(first: 251) { nodes { id } } }")["errors"][0]["message"].endswith("limited to 250.")


def test_an_invalid_global_id_is_an_error(simulator):
    body = gql(simulator, '{ order(id: "42") { id } }')
    assert body["errors"][0]["message"] == "Invalid global id '42'"
    assert gql(simulator, '{ order(id: "gid://shopify/Order/1") { id } }')["data"] == {"order": None}
