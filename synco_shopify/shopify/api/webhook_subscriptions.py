"""The store's webhook subscriptions: subscribe, check, unsubscribe (Admin GraphQL)."""
from .webhooks import INCLUDE_FIELDS, TOPICS


def current(client, uri=None):
    """The subscriptions to the intake's topics; only those delivering to ``uri`` when given."""
    nodes = client.execute("WebhookSubscriptions", {"topics": list(TOPICS)})["webhookSubscriptions"]["nodes"]
    return [n for n in nodes if uri is None or n.get("uri") == uri]


def subscribe(client, uri):
    """Subscribes ``uri`` to every intake topic it is not subscribed to yet; returns them all."""
    have = {n["topic"] for n in current(client, uri)}
    for topic in TOPICS:
        if topic not in have:
            client.execute("WebhookSubscriptionCreate", {"topic": topic, "subscription": {
                "uri": uri, "format": "JSON", "includeFields": list(INCLUDE_FIELDS)}})
    return current(client, uri)


def unsubscribe(client, uri):
    """Deletes the intake's subscriptions delivering to ``uri``; returns how many."""
    found = current(client, uri)
    for node in found:
        client.execute("WebhookSubscriptionDelete", {"id": node["id"]})
    return len(found)
