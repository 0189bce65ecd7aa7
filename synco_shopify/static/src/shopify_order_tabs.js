import { Component, onWillDestroy, onWillStart, status, useState } from "@odoo/owl";
import { Domain } from "@web/core/domain";
import { _t } from "@web/core/l10n/translation";
import { KeepLast } from "@web/core/utils/concurrency";
import { useBus, useService } from "@web/core/utils/hooks";
import { useDebounced } from "@web/core/utils/timing";

const RELOAD_DELAY = 300;
/** The search view's filters shown as tabs, in this order (the vendor's All, Synced, Not
 * Synced, Eligible, Sale Order and Invoice, with the states a merchant acts on). */
export const TAB_FILTERS = [
    "filter_not_synced",
    "filter_in_progress",
    "filter_synced",
    "filter_changed",
    "filter_failed",
    "filter_eligible",
    "filter_sale_order",
    "filter_invoice",
];

/**
 * One-click filters with counts above the Shopify Orders list. A tab is the search
 * view's filter of the same name: clicking one replaces the tab filters of the search
 * with it (All removes them), so the facet shows in the search bar as any filter does.
 * Counts are those of the search without its tab filters (a store, an email search),
 * read in one query, and follow the sync jobs live (Odoo's bus).
 */
export class ShopifyOrderTabs extends Component {
    static template = "synco_shopify.OrderTabs";
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.state = useState({ counts: {} });
        this.keepLast = new KeepLast();
        const searchModel = this.env.searchModel;
        useBus(searchModel, "update", () => this.loadCounts());
        const busService = useService("bus_service");
        const reload = useDebounced(() => this.loadCounts(), RELOAD_DELAY);
        busService.subscribe("synco_shopify/orders_changed", reload);
        onWillDestroy(() => busService.unsubscribe("synco_shopify/orders_changed", reload));
        onWillStart(() => this.loadCounts());
    }

    get tabItems() {
        const items = this.env.searchModel.getSearchItems((item) => TAB_FILTERS.includes(item.name));
        return TAB_FILTERS.map((name) => items.find((item) => item.name === name)).filter(Boolean);
    }

    get tabs() {
        const items = this.tabItems;
        return [
            { name: "all", label: _t("All"), active: !items.some((item) => item.isActive) },
            ...items.map((item) => ({
                name: item.name,
                label: item.description,
                active: item.isActive,
                searchItemId: item.id,
            })),
        ];
    }

    /**
     * The search's domain without its tab filters (what every tab counts within), built
     * as Odoo 19's SearchModel builds its own (_getDomain) from the active groups.
     */
    get baseDomain() {
        const searchModel = this.env.searchModel;
        if (typeof searchModel._getGroups !== "function") {
            return searchModel.domain; // another version's search model: counts within the whole search
        }
        const tabIds = new Set(this.tabItems.map((item) => item.id));
        const domains = [searchModel.globalDomain];
        for (const group of searchModel._getGroups()) {
            const groupDomains = group.activeItems
                .filter((activeItem) => !tabIds.has(activeItem.searchItemId))
                .map((activeItem) => searchModel._getSearchItemDomain(activeItem))
                .filter(Boolean);
            if (groupDomains.length) {
                domains.push(Domain.or(groupDomains));
            }
        }
        return Domain.and(domains).toList(searchModel.domainEvalContext);
    }

    async loadCounts() {
        // A bus message or a search may come after the list was left (its debounced reload
        // fires later): a destroyed component's ORM refuses calls, which is not an error.
        if (status(this) === "destroyed") {
            return;
        }
        const searchModel = this.env.searchModel;
        const tabs = { all: [] };
        for (const item of this.tabItems) {
            tabs[item.name] = new Domain(item.domain).toList(searchModel.domainEvalContext);
        }
        const counts = await this.keepLast.add(
            this.orm.call("shopify.order", "tab_counts", [this.baseDomain, tabs], {
                context: searchModel.context,
            })
        );
        if (status(this) !== "destroyed") {
            this.state.counts = counts;
        }
    }

    select(tab) {
        const searchModel = this.env.searchModel;
        const toggles = this.tabItems
            .filter((item) => item.isActive && item.id !== tab.searchItemId)
            .map((item) => item.id);
        if (tab.searchItemId && !tab.active) {
            toggles.push(tab.searchItemId);
        }
        if (!toggles.length) {
            return;
        }
        // One search, not one per filter toggled.
        searchModel.blockNotification = true;
        try {
            for (const id of toggles.slice(0, -1)) {
                searchModel.toggleSearchItem(id);
            }
        } finally {
            searchModel.blockNotification = false;
        }
        searchModel.toggleSearchItem(toggles.at(-1));
    }
}
