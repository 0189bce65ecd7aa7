"""Webhooks as Shopify sends them: subscriptions through the Admin GraphQL API, deliveries of the
order topics on every order change, retries and faults (README "Webhooks")."""
from .api import WebhookError, Webhooks

__all__ = ["WebhookError", "Webhooks"]
