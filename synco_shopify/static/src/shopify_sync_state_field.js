import { registry } from "@web/core/registry";
import { BadgeField, badgeField } from "@web/views/fields/badge/badge_field";

/**
 * The Sync Status badge: a spinner while the order is In Progress; on Failed, the
 * reason shows when the pointer rests on the badge (the view must load sync_error).
 */
export class ShopifySyncStateField extends BadgeField {
    static template = "synco_shopify.SyncStateField";

    get state() {
        return this.props.record.data[this.props.name];
    }

    get inProgress() {
        return this.state === "in_progress";
    }

    get failureReason() {
        return (this.state === "failed" && this.props.record.data.sync_error) || false;
    }
}

registry.category("fields").add("shopify_sync_state", {
    ...badgeField,
    component: ShopifySyncStateField,
    // Room for "In Progress" and its spinner, so the badge is never cut.
    listViewWidth: [130, 150],
});
