"""The webhook subscription fields of the Admin GraphQL API: ``webhookSubscriptionCreate``,
``webhookSubscriptionDelete`` and what the listing needs (``resolvers.py`` pages it like any
root connection; ``webhookSubscription(id:)`` and ``node(id:)`` go through ``Simulator.node``)."""
from .. import filters, gids
from ..paging import SortKey
from ..resources import Resource, _time


def _number(obj):
    return gids.number(obj["id"])


WEBHOOK_SUBSCRIPTION = Resource(
    "WebhookSubscription",
    # The filters the ``query`` argument's description lists: created_at, id, updated_at.
    filters={
        "id": filters.id_field(lambda obj: obj.get("id")),
        "created_at": filters.time_field(lambda obj: obj.get("createdAt")),
        "updated_at": filters.time_field(lambda obj: obj.get("updatedAt")),
    },
    sort_keys={
        "ID": SortKey("ID", _number, "int"),
        "CREATED_AT": SortKey("CREATED_AT", _time("createdAt"), "time"),
    },
    default_sort="CREATED_AT",
)


def all_subscriptions(sim):
    return sim.webhooks.subscriptions.all()


def keep(subscription, args):
    """The listing's own arguments: topics, callbackUrl / uri, format."""
    if args.get("topics") and subscription["topic"] not in args["topics"]:
        return False
    for name in ("callbackUrl", "uri"):
        if args.get(name) and subscription["uri"] != args[name]:
            return False
    return not args.get("format") or subscription["format"] == args["format"]


def _create(source, info, args):
    ctx = info.context
    created, errors = ctx.sim.webhooks.subscriptions.create(args["topic"], args["webhookSubscription"], ctx.version)
    return {"webhookSubscription": created, "userErrors": errors}


def _delete(source, info, args):
    gid = args["id"]
    if gids.type_of(gid) != "WebhookSubscription":
        return {"deletedWebhookSubscriptionId": None,
                "userErrors": [{"field": ["id"], "message": "Webhook subscription does not exist"}]}
    deleted, errors = info.context.sim.webhooks.subscriptions.delete(gid)
    return {"deletedWebhookSubscriptionId": deleted, "userErrors": errors}


WEBHOOK_MUTATIONS = {
    ("Mutation", "webhookSubscriptionCreate"): _create,
    ("Mutation", "webhookSubscriptionDelete"): _delete,
}
