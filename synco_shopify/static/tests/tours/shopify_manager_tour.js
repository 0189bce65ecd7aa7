import { registry } from "@web/core/registry";
import {
    clickTab,
    expectRows,
    openShopifyOrders,
    openStore,
    ROW,
    ROW_IS,
    STATE,
} from "@synco_shopify/../tests/tours/synco_tour_steps";

/**
 * A Shopify Manager narrows the store's rules to paid orders; the Eligible tab follows,
 * and the orders already synced keep showing what they are: synced, not "not eligible".
 * Counts come from the test (odoo.syncoExpected).
 */
registry.category("web_tour.tours").add("synco_shopify_manager_tour", {
    url: "/odoo",
    steps: () => {
        const expected = odoo.syncoExpected || {};
        return [
            ...openShopifyOrders(),
            ...expectRows(expected.all),
            ...clickTab("filter_eligible", "Eligible", expected.eligible_before, ROW_IS.eligible),

            // -- change a rule -----------------------------------------------------------------
            ...openStore("Test store"),
            {
                content: "Open its order rules",
                trigger: ".o_notebook .nav-link:contains(Order rules)",
                run: "click",
            },
            {
                content: "Type a payment status",
                trigger: "div[name=rule_financial_status_ids] input",
                run: "edit Paid",
            },
            {
                content: "Accept only Paid orders",
                trigger: ".o-autocomplete--dropdown-item a:text(Paid)",
                run: "click",
            },
            {
                content: "The rule shows Paid",
                trigger: "div[name=rule_financial_status_ids] .o_tag:contains(Paid)",
            },
            {
                content: "Save the store",
                trigger: ".o_form_button_save",
                run: "click",
            },
            {
                content: "The store is saved",
                trigger: ".o_form_saved",
            },

            // -- the Eligible tab follows ------------------------------------------------------------
            {
                content: "Back to Shopify > Orders",
                trigger: ".o_menu_sections [data-menu-xmlid='synco_shopify.menu_shopify_orders']",
                run: "click",
            },
            ...expectRows(expected.all),
            ...clickTab("filter_eligible", "Eligible", expected.eligible_after, ROW_IS.eligible),

            // -- a synced order shows that it is synced (issue 12, point 6) ---------------------------
            ...clickTab("filter_synced", "Synced", expected.synced, ROW_IS.synced),
            {
                content: "No synced row shows an eligibility box, badge or reason",
                trigger: `${ROW}:has(${STATE("synced")}):not(:has(td[name=eligible] input, td[name=eligible] .o_shopify_eligibility, td[name=ineligible_reason]:not(:empty))):count(${expected.synced})`,
            },
            {
                content: "Open the synced order whose payment is pending (no longer eligible under Paid only)",
                trigger: `${ROW}:has(td[name=name]:text(${expected.pending_order})) td[name=name]`,
                run: "click",
            },
            {
                content: "Its form says Synced",
                trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Synced)",
            },
            {
                content: "It has no Not eligible banner nor an unticked Eligible box",
                trigger: ".o_form_view .o_form_sheet:not(:has(.alert:contains(Not eligible for sync))):not(:has(div[name=eligible]))",
            },
        ];
    },
});
