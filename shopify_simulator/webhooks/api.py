"""``sim.webhooks``: the subscriptions, the deliveries made from order changes, and calls for tests."""
import functools
import uuid
from datetime import timezone

from . import payloads, topics
from .delivery import Content, Delivery, Dispatcher
from .filter import compile_filter
from .subscriptions import Subscriptions, rest_topic

SUBSCRIBE = """mutation Subscribe($topic: WebhookSubscriptionTopic!, $input: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $input) {
    webhookSubscription { id topic uri includeFields filter format createdAt }
    userErrors { field message } } }"""
UNSUBSCRIBE = """mutation Unsubscribe($id: ID!) { webhookSubscriptionDelete(id: $id) {
  deletedWebhookSubscriptionId userErrors { field message } } }"""
# Shopify signs with the app's client secret; without a client-credentials app and without
# ``webhook_secret`` the simulator chooses this one.
DEFAULT_SECRET = "shpss_simulator_webhooks"


class WebhookError(RuntimeError):
    def __init__(self, errors):
        super().__init__(f"webhook subscription refused: {errors}")
        self.errors = errors


def graphql_topic(topic):
    """ORDERS_CREATE from either ORDERS_CREATE or orders/create."""
    return topic.replace("/", "_").upper()


class Webhooks:
    def __init__(self, sim, secret, retry_scale=0.001, timeout=5.0, shop_domain=None):
        self.sim = sim
        self.secret = secret or DEFAULT_SECRET
        self.subscriptions = Subscriptions(sim.clock)
        self.dispatcher = Dispatcher(self.secret, shop_domain or sim.store.shop.get("myshopifyDomain"), sim.faults,
                                     retry_scale, timeout, self._give_up)
        sim.store.order_listeners.append(self._order_changed)

    # -- for tests -------------------------------------------------------------------------------
    def subscribe(self, topic, url, include_fields=None, **fields):
        """Creates a subscription through the real ``webhookSubscriptionCreate`` (``fields``: more
        WebhookSubscriptionInput fields, e.g. ``filter``, ``metafieldNamespaces``) and returns it;
        raises WebhookError with the userErrors."""
        data = {"uri": url, **fields}
        if include_fields is not None:
            data["includeFields"] = list(include_fields)
        body = self.sim.execute(SUBSCRIBE, {"topic": graphql_topic(topic), "input": data})
        if body.get("errors"):
            raise WebhookError(body["errors"])
        payload = body["data"]["webhookSubscriptionCreate"]
        if payload["userErrors"]:
            raise WebhookError(payload["userErrors"])
        return payload["webhookSubscription"]

    def unsubscribe(self, subscription_id):
        payload = self.sim.execute(UNSUBSCRIBE, {"id": subscription_id})["data"]["webhookSubscriptionDelete"]
        if payload["userErrors"]:
            raise WebhookError(payload["userErrors"])
        return payload["deletedWebhookSubscriptionId"]

    def deliveries(self):
        """Every delivery so far, in the order made: topic, url, state, status, statuses and
        attempts, webhook_id, event_id, subscription_id, order_id, faults, triggered_at."""
        return self.dispatcher.deliveries()

    def wait_idle(self, timeout=10.0):
        """True once nothing is queued, held or waiting for a retry; False after ``timeout`` s."""
        return self.dispatcher.wait_idle(timeout)

    def start(self):
        self.dispatcher.start()

    def stop(self):
        self.dispatcher.stop()

    # -- from the store ----------------------------------------------------------------------------
    def _order_changed(self, before, after):
        subscriptions = self.subscriptions.all()
        if not subscriptions:
            return  # nothing to build: the shop without subscribers runs as fast as before
        event_id = str(uuid.uuid4())
        triggered = self.sim.clock.now().astimezone(timezone.utc).isoformat(timespec="microseconds")
        triggered = triggered.replace("+00:00", "Z")
        for fired in topics.fired(before, after):
            for subscription in subscriptions:
                if subscription["topic"] != fired.topic:
                    continue
                build = functools.partial(self._payload, fired, after, subscription)
                predicate = compile_filter(subscription["filter"])
                if predicate is not None and not predicate(self._full_payload(fired, after, subscription)):
                    continue  # filtered out: Shopify sends nothing
                self.dispatcher.submit(Delivery(str(uuid.uuid4()), event_id, rest_topic(fired.topic), subscription,
                                                triggered, Content(build), after["id"]))

    def _full_payload(self, fired, order, subscription):
        if fired.topic == "REFUNDS_CREATE":
            return payloads.refund(fired.subject, order)
        if fired.topic == "ORDERS_EDITED":
            return payloads.order_edit(fired.subject, order)
        body = payloads.order(order)
        if subscription["metafieldNamespaces"] or subscription["metafields"]:
            body["metafields"] = payloads.metafields(self.sim, order["id"], subscription)
        return body

    def _payload(self, fired, order, subscription):
        return payloads.include_fields(self._full_payload(fired, order, subscription), subscription["includeFields"])

    def _give_up(self, subscription_id):
        self.subscriptions.delete(subscription_id)

