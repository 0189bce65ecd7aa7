import { Component, onWillDestroy, onWillStart, status, useState } from "@odoo/owl";
import { KeepLast } from "@web/core/utils/concurrency";
import { useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";

const RELOAD_DELAY = 300;

/**
 * A banner above the Shopify Orders list naming each store whose last call to Shopify
 * failed (a revoked token, a wrong address), with what Shopify answered: its catch-up
 * and its jobs stop until an administrator fixes it on the store, which is where the
 * link goes. It follows the stores live: the server tells the list on Odoo's bus when a
 * store's connection fails or recovers.
 */
export class ShopifyStoreErrors extends Component {
    static template = "synco_shopify.StoreErrors";
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ stores: [] });
        this.keepLast = new KeepLast();
        const busService = useService("bus_service");
        const reload = useDebounced(() => this.load(), RELOAD_DELAY);
        busService.subscribe("synco_shopify/orders_changed", reload);
        onWillDestroy(() => busService.unsubscribe("synco_shopify/orders_changed", reload));
        onWillStart(() => this.load());
    }

    async load() {
        if (status(this) === "destroyed") {
            return;
        }
        const stores = await this.keepLast.add(this.orm.call("shopify.store", "connection_errors", []));
        if (status(this) !== "destroyed") {
            this.state.stores = stores;
        }
    }

    openStore(store) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "shopify.store",
            res_id: store.id,
            views: [[false, "form"]],
        });
    }
}
