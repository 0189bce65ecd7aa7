"""Talking to a running simulator over real HTTP, as a client would."""
import requests

TOKEN = "shpat_test"


def post(sim, query, variables=None, *, token=TOKEN, version=None, operation_name=None, session=None):
    body = {"query": query, "variables": variables or {}}
    if operation_name:
        body["operationName"] = operation_name
    headers = {"X-Shopify-Access-Token": token} if token else {}
    return (session or requests).post(sim.graphql_url(version), json=body, headers=headers, timeout=10)


def gql(sim, query, variables=None, **kwargs):
    """The JSON body of a GraphQL call that must answer HTTP 200."""
    response = post(sim, query, variables, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def data(sim, query, variables=None, **kwargs):
    """``data`` of a call that must succeed without errors."""
    body = gql(sim, query, variables, **kwargs)
    assert "errors" not in body, body["errors"]
    return body["data"]


def page_through(sim, field, selection, *, first=250, args="", session=None):
    """Every node of a root connection, following endCursor; also the number of pages."""
    query = (f"query($first: Int!, $after: String) {{ {field}(first: $first, after: $after{args}) "
             f"{{ pageInfo {{ hasNextPage endCursor }} nodes {{ {selection} }} }} }}")
    nodes, after, pages = [], None, 0
    while True:
        page = data(sim, query, {"first": first, "after": after}, session=session)[field]
        nodes.extend(page["nodes"])
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            return nodes, pages
        after = page["pageInfo"]["endCursor"]
