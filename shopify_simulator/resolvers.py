"""How each GraphQL field is answered.

Most fields read the stored dict under their own name. A stored list behind a
connection-typed field is paged like any connection; a stored list behind a
field taking ``first`` is cut. A reference stored partially (a line's
``variant { id }``) is completed from the indexed object with that id. A field
found nowhere is an error naming ``Type.field``, never a silent null.
"""
from graphql import GraphQLError, get_named_type, is_list_type, is_non_null_type

from . import gids, resources
from .cost import is_connection
from .mutations import MUTATIONS
from .paging import POSITION, page_size, paginate, position_entries
from .search import compile_query
from .store import select
from .webhooks.graphql import WEBHOOK_SUBSCRIPTION, all_subscriptions, keep as keep_subscription


class NotImplementedBySimulator(Exception):
    extensions = {"code": "NOT_IMPLEMENTED_BY_SIMULATOR"}


def invalid_id(value):
    return GraphQLError(
        f"Invalid global id '{value}'",
        extensions={"code": "argumentLiteralsIncompatible", "typeName": "CoercionError"},
    )


class Context:
    """What the resolvers of one request see (``info.context``)."""

    def __init__(self, sim, version, bulk=False):
        self.sim = sim  # the Simulator: store, metafields, bulk, faults, stats
        self.version = version
        self.bulk = bulk  # bulk queries page nested connections without first/last
        self.search = []  # Shopify's extensions.search entries

    def note_search(self, info, query, listing):
        if listing.warnings:
            self.search.append({"path": list(info.path.as_list()), "query": query, "warnings": listing.warnings})
            self.sim.counters.add("search_fields_ignored", len(listing.unknown_fields))


def type_resolver(value, info, abstract_type):
    return value.get("__typename") or gids.type_of(value.get("id"))


_plans = {}


def field_resolver(source, info, **args):
    key = (info.parent_type, info.field_name)
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _plan_for(info.parent_type, info.field_name)
    return plan(source, info, args)


def _plan_for(parent_type, field_name):
    custom = RESOLVERS.get((parent_type.name, field_name))
    if custom:
        return custom
    if field_name in OWNED_RESOLVERS and any(i.name == "HasMetafields" for i in parent_type.interfaces):
        return OWNED_RESOLVERS[field_name]
    field = parent_type.fields[field_name]
    if is_connection(get_named_type(field.type)):
        return _stored_connection
    unwrapped = field.type.of_type if is_non_null_type(field.type) else field.type
    if is_list_type(unwrapped) and "first" in field.args:
        return _stored_list
    return _stored


def _read(source, info, args, plan):
    try:
        return source[info.field_name]
    except KeyError:
        pass
    except TypeError:
        raise NotImplementedBySimulator(f"{info.parent_type.name}.{info.field_name} has no stored value") from None
    full = info.context.sim.node(source.get("id"))
    if full is not None and full is not source:
        return plan(full, info, args)
    raise NotImplementedBySimulator(
        f"{info.parent_type.name}.{info.field_name} is not implemented by the Shopify simulator"
    )


def _stored(source, info, args):
    return _read(source, info, args, _stored)


def _stored_list(source, info, args):
    value = _read(source, info, args, _stored_list)
    first = args.get("first")
    return value[:first] if value is not None and first is not None else value


def _stored_connection(source, info, args):
    value = _read(source, info, args, _stored_connection)
    return None if value is None else _page(info, args, position_entries(value), POSITION)


def _page(info, args, entries, sort_key, keys=None):
    page_size(args.get("first"), args.get("last"), required=not info.context.bulk)
    return paginate(
        entries, sort_key, keys=keys,
        first=args.get("first"), after=args.get("after"),
        last=args.get("last"), before=args.get("before"),
        reverse=bool(args.get("reverse")),
    )


def _listing(resource, objects=None, keep=None):
    """A root connection over one resource: search, sort, page."""

    def resolve(source, info, args):
        ctx = info.context
        page_size(args.get("first"), args.get("last"), required=not ctx.bulk)
        if args.get("savedSearchId"):
            raise NotImplementedBySimulator("savedSearchId is not implemented by the Shopify simulator")
        sort_name = args.get("sortKey") or resource.default_sort
        query = args.get("query")
        if objects is None:
            listing = ctx.sim.store.listing(resource, sort_name, query)
        else:
            sort_key = resource.sort_keys[sort_name]
            listing = select(objects(ctx.sim), resource, sort_key, query, ctx.sim.store.env)
        ctx.note_search(info, query, listing)
        entries, keys = listing.entries, listing.keys
        if keep is not None:
            entries, keys = [entry for entry in entries if keep(entry[1], args)], None
        page = _page(info, args, entries, resource.sort_keys[sort_name], keys)
        if resource is resources.ORDER:
            ctx.sim.counters.add("orders_served", len(page["nodes"]))
        return page

    return resolve


def _lookup(info, gid, type_name=None):
    parsed = gids.parse(gid)
    if parsed is None:
        raise invalid_id(gid)
    if type_name and parsed[0] != type_name:
        return None
    found = info.context.sim.node(gid)
    if found is not None and parsed[0] == "Order":
        info.context.sim.counters.add("orders_served")
    return found


def _by_id(type_name):
    return lambda source, info, args: _lookup(info, args["id"], type_name)


def _nodes(source, info, args):
    if len(args["ids"]) > 250:
        raise GraphQLError("The input array size of 251 is greater than the maximum allowed of 250.",
                           extensions={"code": "MAX_INPUT_SIZE_EXCEEDED"})
    return [_lookup(info, gid) for gid in args["ids"]]


def _location(source, info, args):
    if args.get("id"):
        return _lookup(info, args["id"], "Location")
    active = [loc for loc in info.context.sim.store.objects("Location") if loc.get("isActive", True)]
    return active[0] if active else None


def _orders_count(source, info, args):
    if args.get("savedSearchId"):
        raise NotImplementedBySimulator("savedSearchId is not implemented by the Shopify simulator")
    listing = info.context.sim.store.listing(resources.ORDER, "ID", args.get("query"))
    info.context.note_search(info, args.get("query"), listing)
    count, limit = len(listing.entries), args.get("limit")
    if limit is not None and count > limit:
        return {"count": limit, "precision": "AT_LEAST"}
    return {"count": count, "precision": "EXACT"}


def _metafield_definitions(source, info, args):
    found = info.context.sim.metafields.definitions(args["ownerType"], args.get("namespace"), args.get("key"))
    return _page(info, args, position_entries(found), POSITION)


def _metafield(source, info, args):
    return info.context.sim.metafields.get(source["id"], args.get("namespace"), args["key"])


def _metafields(source, info, args):
    namespace, keys = args.get("namespace"), args.get("keys")
    found = [
        m for m in info.context.sim.metafields.of_owner(source["id"])
        if (namespace is None or m["namespace"] == namespace)
        and (keys is None or f"{m['namespace']}.{m['key']}" in keys)
    ]
    return _page(info, args, position_entries(found), POSITION)


def _metafield_owner(source, info, args):
    return info.context.sim.node(source["_owner"])


def _metafield_definition(source, info, args):
    return info.context.sim.metafields.definition(source["ownerType"], source["namespace"], source["key"])


def _agreements(source, info, args):
    """Order.agreements, filtered by its ``query`` (id, happened_at) like a root listing."""
    found = _read(source, info, args, _agreements)
    query = args.get("query")
    if query:
        compiled = compile_query(query, resources.AGREEMENT_FILTERS, info.context.sim.store.env)
        info.context.note_search(info, query, compiled)
        found = [a for a in found if compiled.predicate is None or compiled.predicate(a)]
    return _page(info, args, position_entries(found), POSITION)


def _webhook_subscriptions_count(source, info, args):
    ctx = info.context
    listing = select(all_subscriptions(ctx.sim), WEBHOOK_SUBSCRIPTION, WEBHOOK_SUBSCRIPTION.sort_keys["ID"],
                     args.get("query"), ctx.sim.store.env)
    ctx.note_search(info, args.get("query"), listing)
    count, limit = len(listing.entries), args.get("limit")
    if limit is not None and count > limit:
        return {"count": limit, "precision": "AT_LEAST"}
    return {"count": count, "precision": "EXACT"}


def _keep_active(location, args):
    return args.get("includeInactive") or location.get("isActive", True)


RESOLVERS = {
    ("QueryRoot", "shop"): lambda source, info, args: info.context.sim.store.shop,
    ("QueryRoot", "orders"): _listing(resources.ORDER),
    ("QueryRoot", "order"): _by_id("Order"),
    ("QueryRoot", "ordersCount"): _orders_count,
    ("QueryRoot", "node"): lambda source, info, args: _lookup(info, args["id"]),
    ("QueryRoot", "nodes"): _nodes,
    ("QueryRoot", "customer"): _by_id("Customer"),
    ("QueryRoot", "customers"): _listing(resources.CUSTOMER),
    ("QueryRoot", "product"): _by_id("Product"),
    ("QueryRoot", "products"): _listing(resources.PRODUCT),
    ("QueryRoot", "productVariant"): _by_id("ProductVariant"),
    ("QueryRoot", "productVariants"): _listing(resources.VARIANT),
    ("QueryRoot", "location"): _location,
    ("QueryRoot", "locations"): _listing(resources.LOCATION, keep=_keep_active),
    ("QueryRoot", "bulkOperation"): _by_id("BulkOperation"),
    ("QueryRoot", "bulkOperations"): _listing(resources.BULK_OPERATION, objects=lambda sim: sim.bulk.all()),
    ("QueryRoot", "webhookSubscription"): _by_id("WebhookSubscription"),
    ("QueryRoot", "webhookSubscriptions"): _listing(WEBHOOK_SUBSCRIPTION, objects=all_subscriptions,
                                                    keep=keep_subscription),
    ("QueryRoot", "webhookSubscriptionsCount"): _webhook_subscriptions_count,
    ("QueryRoot", "metafieldDefinitions"): _metafield_definitions,
    ("Metafield", "owner"): _metafield_owner,
    ("Metafield", "definition"): _metafield_definition,
    ("Order", "agreements"): _agreements,
    **MUTATIONS,
}
OWNED_RESOLVERS = {"metafield": _metafield, "metafields": _metafields}
