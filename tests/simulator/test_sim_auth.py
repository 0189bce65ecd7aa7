"""The client-credentials grant: tokens issued, accepted, expired, renewed."""
import time

import requests

import sim_shops
from sim_http import post

SHOP_QUERY = "{ shop { name } }"


def _grant(sim, **form):
    fields = {"grant_type": "client_credentials", "client_id": "app-id", "client_secret": "app-secret", **form}
    return requests.post(f"{sim.base_url}/admin/oauth/access_token", data=fields, timeout=5)


def _shop(client_id="app-id", client_secret="app-secret", token_ttl=86400):
    return dict(scenario=sim_shops.shop_with(2), client_id=client_id, client_secret=client_secret,
                token_ttl=token_ttl)


def test_client_credentials_issue_a_token_the_api_accepts(make_simulator):
    sim = make_simulator(**_shop())
    response = _grant(sim)
    assert response.status_code == 200
    grant = response.json()
    assert grant["access_token"].startswith("shpat_")
    assert grant["expires_in"] == 86400
    assert "read_orders" in grant["scope"].split(",") and "write_orders" in grant["scope"].split(",")
    assert post(sim, SHOP_QUERY, token=grant["access_token"]).status_code == 200


def test_the_grant_also_takes_a_json_body(make_simulator):
    sim = make_simulator(**_shop())
    response = requests.post(
        f"{sim.base_url}/admin/oauth/access_token",
        json={"grant_type": "client_credentials", "client_id": "app-id", "client_secret": "app-secret"},
        timeout=5,
    )
    assert response.status_code == 200 and response.json()["access_token"].startswith("shpat_")


def test_a_wrong_secret_or_client_gets_no_token(make_simulator):
    sim = make_simulator(**_shop())
    for form in ({"client_secret": "guess"}, {"client_id": "other-app"}):
        response = _grant(sim, **form)
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_client"
        assert "access_token" not in response.json()
    assert _grant(sim, grant_type="authorization_code").json()["error"] == "unsupported_grant_type"


def test_an_issued_token_expires_and_a_new_grant_renews_access(make_simulator):
    sim = make_simulator(**_shop(token_ttl=0.4))
    first = _grant(sim).json()
    assert first["expires_in"] == 0.4
    assert post(sim, SHOP_QUERY, token=first["access_token"]).status_code == 200
    time.sleep(0.5)
    expired = post(sim, SHOP_QUERY, token=first["access_token"])
    assert expired.status_code == 401
    assert expired.json()["errors"].startswith("[API] Invalid API key or access token")
    second = _grant(sim).json()
    assert second["access_token"] != first["access_token"]
    assert post(sim, SHOP_QUERY, token=second["access_token"]).status_code == 200


def test_the_static_token_outlives_issued_tokens(make_simulator):
    sim = make_simulator(**_shop(token_ttl=0.2))
    issued = _grant(sim).json()["access_token"]
    time.sleep(0.3)
    assert post(sim, SHOP_QUERY, token=issued).status_code == 401
    assert post(sim, SHOP_QUERY).status_code == 200


def test_a_shop_without_client_credentials_refuses_the_grant(make_simulator):
    sim = make_simulator(**_shop(client_id=None, client_secret=None))
    assert _grant(sim).status_code == 400
