import { registry } from "@web/core/registry";
import {
    clickTab,
    expectRows,
    openShopifyOrders,
    ROW,
    ROW_IS,
    STATE,
    TAB,
} from "@synco_shopify/../tests/tours/synco_tour_steps";

// A sync job runs a couple of seconds after it is queued, and a batch of 20 orders
// takes a while on a small machine.
const JOB_TIMEOUT = 60000;
// [tab, search filter, key of odoo.syncoExpected]; the tabs with no order are counted only.
// In Progress and Failed are visited below, with what their rows say.
const TABS = [
    ["filter_not_synced", "Not Synced", "not_synced"],
    ["filter_synced", "Synced", "synced"],
    ["filter_eligible", "Eligible", "eligible"],
    ["filter_sale_order", "Sale Order", "sale_order"],
    ["filter_invoice", "Invoice", "invoice"],
];

/** The tooltip Odoo shows for ``selector`` (hovered) says ``text``. */
function tooltipSays(selector, text) {
    return [
        {
            content: `Rest the pointer on ${selector}`,
            trigger: selector,
            run: "hover",
        },
        {
            content: `The tooltip says ${text}`,
            trigger: `.o-tooltip:contains(${text})`,
        },
    ];
}

/**
 * A Shopify User's day: the tabs and their counts, a search, one order synced with a
 * click, an ineligible order's reason, twenty orders synced in bulk from the Not Synced
 * tab. The expected counts come from the test that built the data (odoo.syncoExpected).
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

            // -- the tabs: one click, with counts (issue 12, point 9) ------------------------------
            {
                content: "The All tab is active and counts every order",
                trigger: `${TAB("all")}.active .o_shopify_tab_count:text(${expected.all})`,
            },
            {
                content: "Nothing is Changed in Shopify",
                trigger: `${TAB("filter_changed")} .o_shopify_tab_count:text(0)`,
            },
            ...TABS.flatMap(([name, label, key]) => clickTab(name, label, expected[key], ROW_IS[key])),

            // -- a failed order says why, on its badge; its job says nothing more (point 7) --------
            ...clickTab("filter_failed", "Failed", expected.failed, ROW_IS.failed),
            {
                content: "Its job is done: the Job Status adds nothing to Failed and stays empty",
                trigger: `${ROW}:has(${STATE("failed")}) td[name=job_status]:not(:has(.badge)):not(:contains(Done))`,
            },
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
            ...clickTab("filter_in_progress", "In Progress", expected.in_progress, ROW_IS.in_progress),
            {
                content: "Its job waits for a retry (Shopify throttled it): the Job Status says so",
                trigger: `${ROW} td[name=job_status]:contains(Will retry)`,
            },
            ...clickTab("all", "All", expected.all),

            // -- columns sized for their content; the reason in a tooltip (point 10) ---------------
            {
                content: "Every customer email shows in full, and eligibility takes a narrow column",
                trigger: `${ROW} td[name=email]`,
                run: () => {
                    const cut = [...document.querySelectorAll(`${ROW} td[name=email]`)].filter(
                        (cell) => cell.scrollWidth > cell.clientWidth
                    );
                    if (cut.length) {
                        throw new Error(`${cut.length} emails are truncated, e.g. ${cut[0].textContent}`);
                    }
                    const header = document.querySelector(".o_list_view thead th[data-name=eligible]");
                    if (!header || header.getBoundingClientRect().width > 130) {
                        throw new Error("The eligibility column is missing or wide");
                    }
                    if (document.querySelector(".o_list_view thead th[data-name=ineligible_reason]")) {
                        throw new Error("The reason takes a column of its own");
                    }
                },
            },
            ...tooltipSays(
                `${ROW} .o_shopify_eligibility[data-eligible='0'][data-tooltip*='test order']`,
                "This is a test order; the rules exclude test orders."
            ),
            {
                content: "Open the test order",
                trigger: `${ROW}:has(.o_shopify_eligibility[data-tooltip*='test order']) td[name=name]`,
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
            {
                content: "The tabs count within the search",
                trigger: `${TAB("all")} .o_shopify_tab_count:text(1)`,
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
                content: "The Odoo ID is shown as a link",
                trigger: `${ROW} td[name=odoo_record_ref] a.o_shopify_odoo_ref:not(:empty)`,
                run: function () {
                    odooRef = this.anchor.textContent.trim();
                    if (window.syncoPageMark !== "loaded once") {
                        throw new Error("The page was reloaded: the list did not update live");
                    }
                },
            },
            {
                content: "The tabs follow the job: Synced counts the order",
                trigger: `${TAB("filter_synced")} .o_shopify_tab_count:text(1)`,
            },
            {
                content: "Open the Odoo record from its Odoo ID (point 11)",
                trigger: `${ROW} td[name=odoo_record_ref] a.o_shopify_odoo_ref`,
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

            // -- twenty orders in bulk, from the Not Synced tab --------------------------------------
            ...clickTab("filter_not_synced", "Not Synced", expected.not_synced - 1, ROW_IS.not_synced),
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
            // The order synced above posted an invoice dated after some of these (point 3).
            {
                content: "Before anything is queued, Odoo warns that invoices would be dated before the last posted one",
                trigger: `.modal .o_shopify_early_invoices:contains(${expected.early_order}):contains(whose last posted invoice is dated)`,
            },
            {
                content: "Sync anyway",
                trigger: ".modal button.o_shopify_sync_anyway",
                run: "click",
            },
            {
                content: "The notification sums up what was queued",
                trigger: `.o_notification:contains(${expected.bulk} orders queued for sync.)`,
            },
            // The Not Synced list would drop them at once: their own list keeps them (point 8).
            {
                content: "The orders just queued open in a list of their own",
                trigger: `.o_breadcrumb .active:contains(Sync of ${expected.bulk} orders)`,
            },
            {
                content: "The bulk orders are In Progress",
                trigger: `${ROW}:has(${STATE("in_progress")}):count(${expected.bulk})`,
            },
            {
                content: "They all finish: Synced, live",
                trigger: `${ROW}:has(${STATE("synced")}):count(${expected.bulk})`,
                timeout: JOB_TIMEOUT,
            },
            {
                content: "The tabs of that list count them as Synced",
                trigger: `${TAB("filter_synced")} .o_shopify_tab_count:text(${expected.bulk})`,
            },
            {
                content: "Each has its Odoo ID, and the page was never reloaded",
                trigger: `${ROW}:has(${STATE("synced")}):count(${expected.bulk})`,
                run: () => {
                    const missing = [...document.querySelectorAll(ROW)].filter(
                        (row) => !row.querySelector("td[name=odoo_record_ref]").textContent.trim()
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
