"""The mutations the simulator runs: metafields, bulk operations, and the order mutations of
lifecycle/ (refunds, cancellation, edits, captures, payments marked by hand), and webhook
subscriptions (webhooks/)."""
from .lifecycle import LIFECYCLE_MUTATIONS
from .webhooks.graphql import WEBHOOK_MUTATIONS



def _metafields_set(source, info, args):
    sim = info.context.sim
    fault = sim.faults.draw("metafield_user_errors")
    if fault is not None:
        error = {"field": ["metafields"], "message": fault.params["message"], "code": fault.params["code"],
                 "elementIndex": None}
        return {"metafields": [], "userErrors": [error]}
    written, errors = sim.metafields.set(args["metafields"])
    sim.counters.add("metafields_set", len(written))
    return {"metafields": written, "userErrors": errors}


def _definition_create(source, info, args):
    created, errors = info.context.sim.metafields.define(args["definition"])
    return {"createdDefinition": created, "userErrors": errors}


def _bulk_run_query(source, info, args):
    ctx = info.context
    operation, errors = ctx.sim.bulk.run_query(ctx.version, args["query"], args.get("groupObjects"))
    return {"bulkOperation": operation, "userErrors": errors}


def _bulk_cancel(source, info, args):
    operation, errors = info.context.sim.bulk.cancel(args["id"])
    return {"bulkOperation": operation, "userErrors": errors}


MUTATIONS = {
    ("Mutation", "metafieldsSet"): _metafields_set,
    ("Mutation", "metafieldDefinitionCreate"): _definition_create,
    ("Mutation", "bulkOperationRunQuery"): _bulk_run_query,
    ("Mutation", "bulkOperationCancel"): _bulk_cancel,
    **LIFECYCLE_MUTATIONS,
    **WEBHOOK_MUTATIONS,
}
