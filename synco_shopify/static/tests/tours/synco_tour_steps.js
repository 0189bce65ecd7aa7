/**
 * Steps shared by the Synco tours: the Shopify Orders list, its filters and rows.
 * Each check waits for what a person would see (rows, badges, counts), not for a click.
 */

export const ROW = ".o_list_view .o_data_row";
export const STATE = (state) => `.o_shopify_sync_state[data-state=${state}]`;

/** What every visible row of a filter must show. */
export const ROW_IS = {
    all: "",
    synced: `:has(${STATE("synced")})`,
    not_synced: `:has(${STATE("not_synced")})`,
    in_progress: `:has(${STATE("in_progress")} .fa-spin)`,
    failed: `:has(${STATE("failed")}[data-tooltip]:not([data-tooltip=""])):has(button.o_shopify_retry)`,
    eligible: ":has(td[name=eligible] .o_shopify_eligibility[data-eligible='1'])",
    sale_order: ":has(td[name=odoo_record_ref]:not(:empty))",
    invoice: ":has(td[name=invoice_ref]:not(:empty))",
};

export function openShopifyOrders() {
    return [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            content: "Open the Shopify app",
            trigger: ".o_app[data-menu-xmlid='synco_shopify.menu_shopify_root']",
            run: "click",
        },
        {
            content: "Open Shopify > Orders",
            trigger: ".o_menu_sections [data-menu-xmlid='synco_shopify.menu_shopify_orders']",
            run: "click",
        },
        {
            content: "The Shopify Orders list is shown",
            trigger: ".o_breadcrumb:contains(Shopify Orders)",
        },
    ];
}

/** From the Shopify app: Configuration > Stores > the store named ``name``. */
export function openStore(name) {
    return [
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
            trigger: `.o_list_view .o_data_row td[name=name]:contains(${name})`,
            run: "click",
        },
    ];
}

/** The list shows exactly ``count`` rows, each matching ``rowIs``. */
export function expectRows(count, rowIs = "", content = "") {
    const steps = [
        {
            content: content || `The list shows ${count} rows`,
            trigger: `${ROW}:count(${count})`,
        },
    ];
    if (rowIs) {
        // As many rows match as there are rows: all of them do.
        steps.push({
            content: `Each of the ${count} rows shows ${rowIs}`,
            trigger: `${ROW}${rowIs}:count(${count})`,
        });
    }
    return steps;
}

export function openFilterMenu() {
    return {
        content: "Open the search options",
        trigger: ".o_searchview_dropdown_toggler",
        run: "click",
    };
}

export function closeFilterMenu() {
    return {
        content: "Close the search options",
        trigger: ".o_filter_menu",
        run: "press Escape",
    };
}

/** Turns the filter ``label`` on (with the menu open), checks the rows, turns it off. */
export function checkFilter(label, count, rowIs, total) {
    const item = `.o_filter_menu .o_menu_item:text(${label})`;
    return [
        {
            content: `Apply the filter ${label}`,
            trigger: `${item}[aria-checked=false]`,
            run: "click",
        },
        {
            content: `The filter ${label} is applied`,
            trigger: `.o_searchview_facet:contains(${label})`,
        },
        ...expectRows(count, rowIs, `Filter ${label}: ${count} rows`),
        {
            content: `Remove the filter ${label}`,
            trigger: `${item}[aria-checked=true]`,
            run: "click",
        },
        ...expectRows(total, "", `Without ${label}: ${total} rows again`),
    ];
}

/** The tabs above the list: the search view's filters with their counts. */
export const TAB = (name) => `.o_shopify_order_tabs a[data-tab=${name}]`;

/**
 * Clicks the tab ``name`` (whose search filter is ``label``): its count says ``count``
 * before the click, the list then shows that many rows, each matching ``rowIs``.
 */
export function clickTab(name, label, count, rowIs = "") {
    return [
        {
            content: `The tab ${label} counts ${count}`,
            trigger: `${TAB(name)} .o_shopify_tab_count:text(${count})`,
        },
        {
            content: `Click the tab ${label}`,
            trigger: TAB(name),
            run: "click",
        },
        {
            content: `The tab ${label} is the active one, its filter in the search`,
            trigger: `${TAB(name)}.active`,
        },
        ...(name === "all"
            ? [{ content: "No tab filter is left", trigger: ".o_searchview:not(:has(.o_searchview_facet))" }]
            : [{ content: `The search shows ${label}`, trigger: `.o_searchview_facet .o_facet_value:text(${label})` }]),
        ...expectRows(count, rowIs, `Tab ${label}: ${count} rows`),
    ];
}
