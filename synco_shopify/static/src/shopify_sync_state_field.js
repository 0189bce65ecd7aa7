import { registry } from "@web/core/registry";
import { BadgeField, badgeField } from "@web/views/fields/badge/badge_field";

/**
 * The Sync Status badge: a spinner while the order is In Progress; on Failed, the
 * reason shows when the pointer rests on the badge (the view must load sync_error);
 * Changed in Shopify carries a refresh mark (its colour comes from the view's
 * decoration-warning), as the Update button next to it does.
 */
export class ShopifySyncStateField extends BadgeField {
    static template = "synco_shopify.SyncStateField";

    get state() {
        return this.props.record.data[this.props.name];
    }

    get inProgress() {
        return this.state === "in_progress";
    }

    get changed() {
        return this.state === "changed";
    }

    get failureReason() {
        return (this.state === "failed" && this.props.record.data.sync_error) || false;
    }
}

registry.category("fields").add("shopify_sync_state", {
    ...badgeField,
    component: ShopifySyncStateField,
    // Room for "Changed in Shopify" and its mark (the longest state), so the badge is never cut.
    listViewWidth: [165, 190],
});
