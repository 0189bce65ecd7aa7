import { onWillDestroy } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";
import { listView } from "@web/views/list/list_view";
import { ListController } from "@web/views/list/list_controller";
import { ShopifyOrderTabs } from "./shopify_order_tabs";
import { ShopifyStoreErrors } from "./shopify_store_errors";

const RELOAD_DELAY = 300;

/**
 * The Shopify Orders list reloads itself when a sync job changes orders: the server
 * sends "synco_shopify/orders_changed" to the Shopify users' group on Odoo's bus.
 * Above the table, tabs with counts filter it in one click (ShopifyOrderTabs), under a
 * banner naming the stores Shopify refuses (ShopifyStoreErrors).
 */
export class ShopifyOrderListController extends ListController {
    static template = "synco_shopify.OrderListView";
    static components = { ...ListController.components, ShopifyOrderTabs, ShopifyStoreErrors };

    setup() {
        super.setup(...arguments);
        const busService = useService("bus_service");
        this.reloadDebounced = useDebounced(() => this.reloadRows(), RELOAD_DELAY);
        this.onOrdersChanged = this.onOrdersChanged.bind(this);
        busService.subscribe("synco_shopify/orders_changed", this.onOrdersChanged);
        onWillDestroy(() => busService.unsubscribe("synco_shopify/orders_changed", this.onOrdersChanged));
    }

    onOrdersChanged() {
        this.reloadDebounced();
    }

    /**
     * Reloads the rows shown, with their own domain, order and page. Not model.load():
     * it would start from the configuration before a search still loading, and, being
     * the last load, show the old search's rows under the new filters.
     */
    async reloadRows() {
        const root = this.model.root;
        if (root.selection.length) {
            // A reload under the user's selection would drop it (a job's write-back may land
            // while they tick rows): it waits until nothing is selected.
            this.reloadDebounced();
            return;
        }
        await root.load();
        if (this.model.root !== root) {
            // A search replaced the rows meanwhile; it may have read before the change.
            await this.model.root.load();
        }
    }
}

registry.category("views").add("shopify_order_list", {
    ...listView,
    Controller: ShopifyOrderListController,
});
