"""Each failure reaches the caller as its own typed error, saying what to do, with no secret in it."""
import logging

import pytest

from synco_shopify.shopify.api.auth import ClientCredentials, StaticToken
from synco_shopify.shopify.api.errors import (
    ApiVersionError,
    AuthenticationError,
    InvalidDocument,
    MaxCostExceeded,
    QueryError,
    UserErrors,
)

WRONG_TOKEN = "shpat_wrong_but_secret_9876543210"
SECRET = "client-secret-never-shown"


def test_rejected_token_raises_authentication_error_without_the_token(sim, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    with make_client(sim, StaticToken(WRONG_TOKEN)) as client:
        with pytest.raises(AuthenticationError) as caught:
            client.execute("Shop")
    message = str(caught.value)
    assert "401" in message and "check the access token / app credentials" in message
    assert WRONG_TOKEN not in message and WRONG_TOKEN not in repr(caught.value)
    assert WRONG_TOKEN not in caplog.text
    assert sim.stats["graphql_requests"] == 1  # a static token is not renewed, nor retried


def test_refused_app_credentials_never_show_the_secret(sim, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    credentials = ClientCredentials("some-client", SECRET)
    with make_client(sim, credentials) as client:
        with pytest.raises(AuthenticationError, match="app credentials") as caught:
            client.execute("Shop")
    shown = str(caught.value) + repr(caught.value) + repr(credentials) + repr(client) + caplog.text
    assert SECRET not in shown


def test_unknown_api_version_raises_api_version_error(sim, make_client):
    client = make_client(sim, version="2019-04")
    with pytest.raises(ApiVersionError, match="2019-04"):
        client.execute("Shop")


def test_invalid_document_lists_every_validation_error(client, sim):
    with pytest.raises(InvalidDocument) as caught:
        client.execute("query Broken { shop { nam currencyCod } }")
    assert len(caught.value.messages) == 2
    assert "'nam'" in str(caught.value) and "'currencyCod'" in str(caught.value)


def test_syntax_error_is_reported_without_a_request(client, sim):
    with pytest.raises(InvalidDocument, match="Syntax Error"):
        client.execute("query { shop { name }")
    assert sim.stats["graphql_requests"] == 0


def test_max_cost_exceeded_is_not_retried(client, sim):
    costly = "query Costly { orders(first: 250) { nodes { %s } } }" % " ".join(
        f"c{i}: customer {{ id }}" for i in range(100))
    with pytest.raises(MaxCostExceeded) as caught:
        client.execute(costly)
    assert caught.value.cost > caught.value.max_cost == 1000
    assert "fewer objects per page" in str(caught.value)
    assert sim.stats["graphql_requests"] == 1


def test_errors_next_to_data_raise_query_error(client):
    with pytest.raises(QueryError, match="Invalid global id"):
        client.execute('query { order(id: "nonsense") { id } }')


def test_user_errors_carry_the_index_of_the_refused_input(client, sim):
    orders = [o["id"] for o in sim.data.orders[:3]]
    entries = [
        {"ownerId": gid, "namespace": "custom", "key": "err_probe", "type": "number_integer", "value": value}
        for gid, value in zip(orders, ["1", "two", "3"])
    ]
    with pytest.raises(UserErrors) as caught:
        client.execute("SetOdooIds", {"metafields": entries})
    assert [e["elementIndex"] for e in caught.value.user_errors] == [1]
    assert "INVALID_VALUE" in str(caught.value)
    assert sim.metafield(orders[0], "custom", "err_probe") is None  # atomic: nothing written
