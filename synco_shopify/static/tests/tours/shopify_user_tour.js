import { registry } from "@web/core/registry";
import {
    checkFilter,
    closeFilterMenu,
    expectRows,
    openFilterMenu,
    openShopifyOrders,
    ROW,
    ROW_IS,
    STATE,
} from "@synco_shopify/../tests/tours/synco_tour_steps";

// A sync job runs a couple of seconds after it is queued, and a batch of 20 orders
// takes a while on a small machine.
const JOB_TIMEOUT = 60000;
const FILTERS = [
    ["All", "all"],
    ["Synced", "synced"],
    ["Not Synced", "not_synced"],
    ["In Progress", "in_progress"],
    ["Failed", "failed"],
    ["Eligible", "eligible"],
    ["Sale Order", "sale_order"],
    ["Invoice", "invoice"],
];

/**
 * A Shopify User's day: filters, a search, one order synced with a click, an
 * ineligible order's reason, twenty orders synced in bulk. The expected counts come
 * from the test that built the data (odoo.syncoExpected).
 */
registry.category("web_tour.tours").add("synco_shopify_user_tour", {
    url: "/odoo",
    steps: () => {
        const expected = odoo.syncoExpected || {};
        let odooRef = "";
        return [
            ...openShopifyOrders(),
            {
                content: "Mark the page: a reload would lose the mark",
                trigger: ROW,
                run: () => {
                    window.syncoPageMark = "loaded once";
                },
            },
            ...expectRows(expected.all),

            // -- each filter -----------------------------------------------------------------
            openFilterMenu(),
            ...FILTERS.flatMap(([label, key]) =>
                checkFilter(label, expected[key], ROW_IS[key], expected.all)
            ),

            // -- a failed order says why, on its badge --------------------------------------------
            {
                content: "Show the failed orders again",
                trigger: ".o_filter_menu .o_menu_item:text(Failed)[aria-checked=false]",
                run: "click",
            },
            ...expectRows(expected.failed, ROW_IS.failed),
            {
                content: "Rest the pointer on the Failed badge",
                trigger: `${ROW} ${STATE("failed")}`,
                run: "hover",
            },
            {
                content: "The tooltip gives the reason",
                trigger: ".o-tooltip:not(:empty)",
                run: function () {
                    const reason = document.querySelector(`${ROW} ${STATE("failed")}`).dataset.tooltip;
                    if (!this.anchor.textContent.includes(reason.split("\n")[0])) {
                        throw new Error(`The tooltip says ${this.anchor.textContent}, not ${reason}`);
                    }
                },
            },
            {
                content: "Remove the filter Failed",
                trigger: ".o_filter_menu .o_menu_item:text(Failed)[aria-checked=true]",
                run: "click",
            },
            ...expectRows(expected.all),
            closeFilterMenu(),

            // -- search by email ---------------------------------------------------------------
            {
                content: "Search an email",
                trigger: ".o_searchview_input",
                run: `edit ${expected.email}`,
            },
            {
                content: "Search it as Customer Email",
                trigger: ".o_searchview_autocomplete .o-dropdown-item:contains(Customer Email)",
                run: "click",
            },
            {
                content: "The customer's one order is found",
                trigger: `${ROW}:count(1) td[name=email]:text(${expected.email})`,
            },

            // -- sync one order with its button; the list follows the job live -------------------
            {
                content: "Click Sync on the eligible order",
                trigger: `${ROW} button.o_shopify_sync`,
                run: "click",
            },
            {
                content: "The order is In Progress, with a spinner",
                trigger: `${ROW} ${STATE("in_progress")} .fa-spin`,
            },
            {
                content: "Its Sync button is gone",
                trigger: `${ROW}:not(:has(button.o_shopify_sync))`,
            },
            {
                content: "The job ends: Synced, without a reload",
                trigger: `${ROW} ${STATE("synced")}`,
                timeout: JOB_TIMEOUT,
            },
            {
                content: "The Odoo ID is shown",
                trigger: `${ROW} td[name=odoo_record_ref]:not(:empty)`,
                run: function () {
                    odooRef = this.anchor.textContent.trim();
                    if (window.syncoPageMark !== "loaded once") {
                        throw new Error("The page was reloaded: the list did not update live");
                    }
                },
            },
            {
                content: "Open the Odoo record from the row",
                trigger: `${ROW} button[name=action_open_odoo_record]`,
                run: "click",
            },
            {
                content: "The sale order the sync made is open",
                trigger: ".o_form_view .o_breadcrumb",
                run: function () {
                    const title = this.anchor.textContent;
                    if (!odooRef || !title.includes(odooRef)) {
                        throw new Error(`Expected the record ${odooRef}, the breadcrumb says ${title}`);
                    }
                },
            },
            {
                content: "It is a confirmed sale order",
                trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Sales Order)",
            },
            {
                content: "Back to the Shopify Orders",
                trigger: ".o_breadcrumb li.breadcrumb-item a:contains(Shopify Orders)",
                run: "click",
            },
            {
                content: "Open the synced order",
                trigger: `${ROW}:count(1) td[name=name]`,
                run: "click",
            },
            {
                content: "Its form says Synced",
                trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Synced)",
            },
            {
                content: "It links to its sale order",
                trigger: ".o_form_view .oe_stat_button[name=action_open_sale_order]",
            },
            {
                content: "Shopify's figures stand next to Odoo's",
                trigger: ".o_form_view .o_notebook .nav-link.active:contains(Shopify says / Odoo has)",
            },
            {
                content: "Open the order's Documents",
                trigger: ".o_form_view .o_notebook .nav-link:contains(Documents)",
                run: "click",
            },
            {
                content: "Its invoice is listed, with its date",
                trigger: ".o_form_view div[name=invoice_ids] .o_data_row:has(td[name=move_type]:contains(Invoice)) td[name=invoice_date]:not(:empty)",
            },
            {
                content: "Open the order's History",
                trigger: ".o_form_view .o_notebook .nav-link:contains(History)",
                run: "click",
            },
            {
                content: "The sync said what it made",
                trigger: ".o_form_view div[name=update_ids] .o_data_row td[name=summary]:not(:empty)",
            },
            {
                content: "Back to the Shopify Orders",
                trigger: ".o_breadcrumb li.breadcrumb-item a:contains(Shopify Orders)",
                run: "click",
            },
            {
                content: "Clear the email search",
                trigger: ".o_searchview_facet:contains(Customer Email) .o_facet_remove",
                run: "click",
            },
            ...expectRows(expected.all),

            // -- an ineligible order says why ---------------------------------------------------
            {
                content: "Open the test order",
                trigger: `${ROW} td[name=ineligible_reason]:contains(test order)`,
                run: "click",
            },
            {
                content: "Its form says why it is not synced",
                trigger: ".o_form_view .alert-warning:contains(Not eligible for sync) .o_shopify_reason:contains(This is a test order; the rules exclude test orders.)",
            },
            {
                content: "It has no Sync button",
                trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_enqueue_sync]))",
            },
            {
                content: "Back to the Shopify Orders",
                trigger: ".o_breadcrumb li.breadcrumb-item a:contains(Shopify Orders)",
                run: "click",
            },
            ...expectRows(expected.all),

            // -- twenty orders in bulk -------------------------------------------------------
            {
                content: `Select the ${expected.bulk} orders that can be synced`,
                trigger: `${ROW} button.o_shopify_sync`,
                run: async function ({ click, queryAll }) {
                    const rows = queryAll(`${ROW}:has(button.o_shopify_sync)`);
                    if (rows.length !== expected.bulk) {
                        throw new Error(`${rows.length} orders can be synced, ${expected.bulk} expected`);
                    }
                    for (const row of rows) {
                        await click(row.querySelector(".o_list_record_selector input"));
                    }
                },
            },
            {
                content: `${expected.bulk} orders are selected`,
                trigger: `.o_selection_box:contains(${expected.bulk} selected)`,
            },
            {
                content: "Open the actions",
                trigger: ".o_cp_action_menus button:contains(Actions)",
                run: "click",
            },
            {
                content: "Run Sync to Odoo",
                trigger: ".o-dropdown--menu .o_menu_item:contains(Sync to Odoo)",
                run: "click",
            },
            {
                content: "The notification sums up what was queued",
                trigger: `.o_notification:contains(${expected.bulk} orders queued for sync.)`,
            },
            {
                content: "The bulk orders are In Progress",
                trigger: `${ROW}:has(${STATE("in_progress")}):count(${expected.bulk + expected.in_progress})`,
            },
            {
                content: "They all finish: Synced, live",
                trigger: `${ROW}:has(${STATE("synced")}):count(${expected.synced + 1 + expected.bulk})`,
                timeout: JOB_TIMEOUT,
            },
            {
                content: "Each has its Odoo ID, and only the held job is still in progress",
                trigger: `${ROW}:has(${STATE("in_progress")}):count(${expected.in_progress})`,
                run: () => {
                    const missing = [...document.querySelectorAll(ROW)].filter(
                        (row) =>
                            row.querySelector(`${STATE("synced")}`) &&
                            !row.querySelector("td[name=odoo_record_ref]").textContent.trim()
                    );
                    if (missing.length) {
                        throw new Error(`${missing.length} synced rows without an Odoo ID`);
                    }
                    if (window.syncoPageMark !== "loaded once") {
                        throw new Error("The page was reloaded: the list did not update live");
                    }
                },
            },
        ];
    },
});
