"""What tools/screenshots.py photographs: the README's shots, and one per point of
issue 12 that a person compares by eye. Each shot finds its record in the demo over
JSON-RPC, opens it as the user it is about, and waits for what proves the point. A few
shots first set up what they show (a rule change, a failed sync) and put it back after.

Run it a few minutes after `make demo` starts, before its first scheduled catch-up has
synced every eligible order (the shots of a sync need orders still to sync)."""
import json
import time
from dataclasses import dataclass
from typing import Callable

ORDERS_ACTION = "synco_shopify.action_shopify_orders"
STORES_ACTION = "synco_shopify.action_shopify_stores"

# Users the demo gets for the shots (password = login).
DEMO_USERS = {
    "shopify_manager": ("Shopify Manager", ["synco_shopify.group_shopify_manager",
                                            "sales_team.group_sale_salesman", "account.group_account_invoice"]),
    # A Shopify User without sales or accounting rights: the Odoo ID opens a summary.
    "shopify_user": ("Shopify User", ["synco_shopify.group_shopify_user"]),
}


@dataclass(frozen=True)
class Shot:
    name: str
    caption: str
    take: Callable  # (browser, odoo, url) -> None: leaves the page to photograph
    login: str = "admin"
    height: int = 0
    setup: Callable = None  # (admin session) -> what teardown needs
    teardown: Callable = None  # (admin session, what setup returned)


# -- helpers ------------------------------------------------------------------------------
def _click_text(browser, selector, text):
    """Clicks the first ``selector`` whose text has ``text`` (menu items have no ids)."""
    browser.wait(selector)
    script = (f"(() => {{ const el = [...document.querySelectorAll({json.dumps(selector)})]"
              f".find(e => e.textContent.includes({json.dumps(text)})); if (el) {{ el.click(); return true; }}"
              " return false; })()")
    for _ in range(50):
        if browser.evaluate(script):
            return
        time.sleep(0.2)
    raise RuntimeError(f"no {selector} says {text}")


def _orders(browser, url):
    browser.open(f"{url}/odoo/action-{ORDERS_ACTION}",
                 ready=".o_shopify_order_tabs a.active[data-tab=all] .o_shopify_tab_count")
    browser.wait(".o_list_view .o_data_row")


def _tab(browser, url, name):
    _orders(browser, url)
    browser.click(f".o_shopify_order_tabs a[data-tab={name}]", ready=f".o_shopify_order_tabs a.active[data-tab={name}]")
    browser.wait(".o_searchview_facet")
    time.sleep(1)  # the rows of the new search


def _select_sync_rows(browser, count):
    browser.evaluate(f"""[...document.querySelectorAll('.o_data_row')].filter(r => r.querySelector('button.o_shopify_sync'))
        .slice(0, {count}).forEach(r => r.querySelector('.o_list_record_selector input').click())""")
    browser.wait(".o_selection_box")
    _click_text(browser, ".o_cp_action_menus button", "Actions")
    _click_text(browser, ".o-dropdown--menu .o_menu_item", "Sync to Odoo")


def _store_id(odoo):
    return odoo.first("shopify.store", [])


def _open_store(browser, odoo, url, page=None):
    browser.open(f"{url}/odoo/action-{STORES_ACTION}/{_store_id(odoo)}", ready=".o_form_view div[name=shop_domain]")
    if page:
        browser.click(f".o_notebook a.nav-link[name={page}]", ready=f".o_notebook a.nav-link.active[name={page}]")


def _report(browser, url, move_id, ready):
    browser.open(f"{url}/report/html/account.report_invoice/{move_id}", ready=ready)


# -- README ------------------------------------------------------------------------------
def _orders_list(browser, odoo, url):
    _orders(browser, url)


def _synced_order(browser, odoo, url):
    order_id = odoo.first("shopify.order", [("sync_state", "=", "synced"), ("has_invoice", "=", True)])
    browser.open(f"{url}/odoo/action-{ORDERS_ACTION}/{order_id}",
                 ready=".o_form_view .o_statusbar_status .o_arrow_button_current, .o_form_view table")


def _synced_invoice(browser, odoo, url):
    order_id = odoo.first("shopify.order", [("sync_state", "=", "synced"), ("has_invoice", "=", True)])
    move_id = odoo.first("account.move", [("shopify_order_id", "=", order_id), ("move_type", "=", "out_invoice")])
    _report(browser, url, move_id, ready="#informations, .page")


# -- issue 12, documents -----------------------------------------------------------------
def _tax_labels(browser, odoo, url):  # 1
    groups = odoo.call("account.move.line", "formatted_read_group",
                       [("move_id.shopify_order_id", "!=", False), ("move_id.move_type", "=", "out_invoice"),
                        ("tax_line_id", "!=", False)], groupby=["move_id"], aggregates=["__count"],
                       having=[("__count", ">=", 3)], limit=1)
    if not groups:
        raise LookupError("the demo has no invoice with three Shopify taxes")
    _report(browser, url, groups[0]["move_id"][0], ready=".o_total_table")


def _discount(browser, odoo, url):  # 2
    line = odoo.call("account.move.line", "search_read", [("name", "like", "Discount ("),
                                                          ("move_id.move_type", "=", "out_invoice")],
                     fields=["move_id"], limit=1)
    if not line:
        raise LookupError("the demo has no invoice line with a discount")
    browser.open(f"{url}/odoo/action-account.action_move_out_invoice_type/{line[0]['move_id'][0]}",
                 ready=".o_field_widget[name=invoice_line_ids] .o_data_row")


def _unmapped_gateways(browser, odoo, url):  # 4
    _open_store(browser, odoo, url, page="mappings")
    browser.wait(".o_shopify_unmapped_gateways")


def _rates(browser, odoo, url):  # 14, rates
    _open_store(browser, odoo, url, page="mappings")
    browser.wait(".o_field_widget[name=tax_mapping_ids] td[name=rate]")
    browser.evaluate("document.querySelector('.o_field_widget[name=tax_mapping_ids]').scrollIntoView()")
    time.sleep(0.5)


def _delivery(browser, odoo, url):  # 5
    picking_id = odoo.first("stock.picking", [("shopify_fulfillment_gid", "!=", False), ("state", "=", "done")])
    browser.open(f"{url}/odoo/action-stock.action_picking_tree_all/{picking_id}",
                 ready=".o_form_view .o_field_widget[name=shopify_fulfillment_name]")


# -- issue 12, statuses and the list -------------------------------------------------------
def _invoice_dates_warning(browser, odoo, url):  # 3
    _tab(browser, url, "filter_not_synced")
    _select_sync_rows(browser, 3)
    browser.wait(".modal .o_shopify_early_invoices")


def _older_orders_eligible(odoo):
    """Authorized orders, older than the last invoice, become eligible and invoiced; no
    catch-up syncs them behind the shot's back. Returns what to put back."""
    store = odoo.call("shopify.store", "read", [_store_id(odoo)],
                      ["auto_sync", "invoice_policy", "rule_financial_status_ids"])[0]
    authorized = odoo.call("shopify.financial.status", "search", [("code", "=", "AUTHORIZED")])
    odoo.call("shopify.store", "write", [store["id"]], {
        "auto_sync": False, "invoice_policy": "all",
        "rule_financial_status_ids": [(6, 0, store["rule_financial_status_ids"] + authorized)]})
    return store


def _put_back(odoo, store):
    odoo.call("shopify.store", "write", [store["id"]], {
        "auto_sync": store["auto_sync"], "invoice_policy": store["invoice_policy"],
        "rule_financial_status_ids": [(6, 0, store["rule_financial_status_ids"])]})


def _batch_list(browser, odoo, url):  # 8
    _invoice_dates_warning(browser, odoo, url)
    browser.click(".modal button.o_shopify_sync_anyway",
                  ready=".o_list_view .o_data_row .o_shopify_sync_state[data-state=in_progress]")


def _rules_exclude_synced(odoo):
    store = odoo.call("shopify.store", "read", [_store_id(odoo)], ["rule_date_from"])[0]
    odoo.call("shopify.store", "write", [store["id"]], {"rule_date_from": time.strftime("%Y-%m-%d")})
    return store


def _rules_back(odoo, store):
    odoo.call("shopify.store", "write", [store["id"]], {"rule_date_from": store["rule_date_from"]})


def _synced_after_rule_change(browser, odoo, url):  # 6
    order_id = odoo.first("shopify.order", [("sync_state", "=", "synced"), ("eligible", "=", False)])
    browser.open(f"{url}/odoo/action-{ORDERS_ACTION}/{order_id}",
                 ready=".o_form_view .o_statusbar_status .o_arrow_button_current[data-value=synced]")


def _failed_sync(odoo):
    """One eligible order synced while Shopify refuses the store's token: it fails, with
    the reason, through its job. The token is put back at once, the rules after the shot."""
    store = _older_orders_eligible(odoo)
    store_id = store["id"]
    token = odoo.call("shopify.store", "read", [store_id], ["access_token"])[0]["access_token"]
    order_id = odoo.first("shopify.order", [("eligible", "=", True), ("sync_state", "=", "not_synced")])
    odoo.call("shopify.store", "write", [store_id], {"access_token": "shpat_revoked_for_the_screenshot"})
    odoo.call("shopify.order", "action_enqueue_sync", [order_id])
    for _ in range(60):
        if odoo.call("shopify.order", "read", [order_id], ["sync_state"])[0]["sync_state"] == "failed":
            break
        time.sleep(1)
    odoo.call("shopify.store", "write", [store_id], {"access_token": token})
    return store


def _failed_job_status(browser, odoo, url):  # 7
    _tab(browser, url, "filter_failed")
    browser.wait(".o_data_row .o_shopify_sync_state[data-state=failed]")


def _tabs(browser, odoo, url):  # 9
    _orders(browser, url)


def _reason_tooltip(browser, odoo, url):  # 10
    _orders(browser, url)
    badge = ".o_data_row .o_shopify_eligibility[data-eligible='0']"
    browser.wait(badge)
    browser.evaluate(f"document.querySelector({json.dumps(badge)}).dispatchEvent(new MouseEvent('mouseenter'))")
    browser.wait(".o-tooltip")


def _odoo_id_summary(browser, odoo, url):  # 11
    _orders(browser, url)
    browser.click(".o_data_row td[name=odoo_record_ref] a.o_shopify_odoo_ref",
                  ready=".modal .o_shopify_order_summary div[name=comparison_html] table")


def _test_connection(browser, odoo, url):  # 12
    _open_store(browser, odoo, url)
    browser.click(".o_form_statusbar button[name=action_test_connection]",
                  ready=".o_notification:has(.o_notification_bar.bg-success)")


def _store_as_manager(browser, odoo, url):  # 13
    _open_store(browser, odoo, url)


def _one_order_queued(browser, odoo, url):  # 14, wording
    _tab(browser, url, "filter_not_synced")
    browser.click(".o_data_row button.o_shopify_sync", ready=".o_notification, .modal .o_shopify_sync_anyway")
    if browser.evaluate("!!document.querySelector('.modal .o_shopify_sync_anyway')"):
        browser.click(".modal .o_shopify_sync_anyway", ready=".o_notification")


SHOTS = [
    Shot("orders_list", "The Shopify Orders list", _orders_list),
    Shot("synced_order", "A synced order: its documents and the comparison", _synced_order, height=1240),
    Shot("synced_invoice", "The invoice of a synced order, as printed", _synced_invoice, height=1240),
    Shot("01_tax_labels", "Each Shopify tax under its own name on the printed invoice", _tax_labels, height=1240),
    Shot("02_discount_on_the_line", "A line's discount said on its description", _discount, height=1000),
    Shot("04_unmapped_gateways", "The store lists the gateways that have no mapping", _unmapped_gateways),
    Shot("05_delivery_validated", "A delivery validated on Shopify's shipment", _delivery),
    Shot("06_synced_order_after_rule_change", "A synced order the rules no longer accept shows its outcome",
         _synced_after_rule_change, login="shopify_manager", height=1000,
         setup=_rules_exclude_synced, teardown=_rules_back),
    Shot("07_failed_order_job_status", "A failed order: its outcome, no Done job", _failed_job_status,
         login="shopify_user", setup=_failed_sync, teardown=_put_back),
    Shot("09_tabs", "Tabs with counts above the list", _tabs, login="shopify_user"),
    Shot("10_columns_and_reason", "Columns sized for content, the reason in a tooltip", _reason_tooltip,
         login="shopify_user"),
    Shot("11_odoo_id_summary", "The Odoo ID opens a summary for a user without sales rights", _odoo_id_summary,
         login="shopify_user"),
    Shot("12_test_connection", "Test connection says the shop, currency, time zone and plan", _test_connection),
    Shot("13_store_as_manager", "A Manager sees the shop domain and API address read-only", _store_as_manager,
         login="shopify_manager"),
    Shot("14_tax_rates", "Tax rates in one form (7.25%)", _rates, height=1600),
    Shot("14_one_order_queued", "1 order queued for sync", _one_order_queued, login="shopify_manager",
         setup=_older_orders_eligible, teardown=_put_back),
    # These two change the demo (they sync orders): last.
    Shot("03_invoice_dates_warning", "The warning before back-dated invoices", _invoice_dates_warning,
         login="shopify_manager", setup=_older_orders_eligible, teardown=_put_back),
    Shot("08_batch_list", "The queued orders in a list of their own, settling live", _batch_list,
         login="shopify_manager", setup=_older_orders_eligible, teardown=_put_back),
]
