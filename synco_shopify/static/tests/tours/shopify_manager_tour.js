import { registry } from "@web/core/registry";
import {
    checkFilter,
    closeFilterMenu,
    expectRows,
    openFilterMenu,
    openShopifyOrders,
    ROW_IS,
} from "@synco_shopify/../tests/tours/synco_tour_steps";

/**
 * A Shopify Manager narrows the store's rules to paid orders; the Eligible filter
 * of the Orders list follows. Counts come from the test (odoo.syncoExpected).
 */
registry.category("web_tour.tours").add("synco_shopify_manager_tour", {
    url: "/odoo",
    steps: () => {
        const expected = odoo.syncoExpected || {};
        return [
            ...openShopifyOrders(),
            ...expectRows(expected.all),
            openFilterMenu(),
            {
                content: "Eligible before the change",
                trigger: ".o_filter_menu .o_menu_item:text(Eligible)[aria-checked=false]",
                run: "click",
            },
            ...expectRows(expected.eligible_before, ROW_IS.eligible),
            closeFilterMenu(),

            // -- change a rule -----------------------------------------------------------------
            {
                content: "Open Configuration",
                trigger: ".o_menu_sections button:contains(Configuration)",
                run: "click",
            },
            {
                content: "Open Stores",
                trigger: ".o-dropdown--menu [data-menu-xmlid='synco_shopify.menu_shopify_stores']",
                run: "click",
            },
            {
                content: "Open the store",
                trigger: ".o_list_view .o_data_row td[name=name]:contains(Test store)",
                run: "click",
            },
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

            // -- the Eligible filter follows -----------------------------------------------------
            {
                content: "Back to Shopify > Orders",
                trigger: ".o_menu_sections [data-menu-xmlid='synco_shopify.menu_shopify_orders']",
                run: "click",
            },
            ...expectRows(expected.all),
            openFilterMenu(),
            ...checkFilter("Eligible", expected.eligible_after, ROW_IS.eligible, expected.all),
            closeFilterMenu(),
        ];
    },
});
