"""What can go wrong when talking to Shopify, one class per thing the user can act on.

Every message says what happened and what to do. None ever carries a token, a
client secret or a request body: messages end up in Odoo chatter and logs.
"""


class ShopifyError(Exception):
    """Base of every error raised by the Shopify layer."""


class ConfigurationError(ShopifyError, ValueError):
    """The client was set up with values it must not use (e.g. plain http to a remote host)."""


class RedirectRefused(ConfigurationError):
    """The API answered with a redirect. It is never followed: the request carried a
    token or a client secret, which would then travel to wherever the redirect points
    (another host, plain http). Nothing is retried: the address itself is wrong."""

    def __init__(self, url, status, target):
        self.url, self.status = url, status
        self.target = target if len(target) <= 200 else target[:200] + "…"
        super().__init__(
            f"{url} answered HTTP {status}, a redirect to {self.target}, which was not followed: "
            "an access token or a client secret is never sent after a redirect. Set the store's "
            "shop domain (my-shop.myshopify.com) and clear or correct its API base URL."
        )


class AuthenticationError(ShopifyError):
    def __init__(self, shop, detail="Shopify refused the access token (HTTP 401)"):
        super().__init__(
            f"{detail} for {shop}: check the access token / app credentials. The token may have "
            "been revoked or the app uninstalled: an administrator enters a valid Admin API access "
            "token (or client ID and secret) on the store, then clicks Test connection."
        )


class AccessDenied(ShopifyError):
    def __init__(self, shop, detail):
        super().__init__(
            f"Shopify denied access for {shop}: {detail}. "
            "Grant the app the missing scope (e.g. read_orders, write_orders, read_all_orders) "
            "and reinstall it."
        )


class ApiVersionError(ShopifyError):
    def __init__(self, shop, version):
        super().__init__(
            f"{shop} does not serve Admin API version {version!r} (HTTP 404): "
            "choose a supported version in the store settings and check the shop domain."
        )


class InvalidDocument(ShopifyError):
    """Shopify rejected the GraphQL document itself; nothing was executed."""

    def __init__(self, operation, messages):
        self.messages = list(messages)
        listed = "; ".join(self.messages) or "no detail given"
        super().__init__(
            f"Shopify rejected the GraphQL document {operation}: {listed}. "
            "Fix the document, or the API version it is sent to."
        )


class QueryError(ShopifyError):
    """The document ran but Shopify reported errors (e.g. a missing object)."""

    def __init__(self, operation, errors, data=None):
        self.errors = list(errors)
        self.data = data
        listed = "; ".join(e.get("message", "?") for e in self.errors)
        super().__init__(f"Shopify reported errors for {operation}: {listed}.")


class MaxCostExceeded(ShopifyError):
    """Never retried: the same document would cost the same again."""

    def __init__(self, operation, cost, max_cost):
        self.cost, self.max_cost = cost, max_cost
        super().__init__(
            f"{operation} would cost {cost} points, above Shopify's single-query limit of "
            f"{max_cost}: request fewer objects per page."
        )


class Throttled(ShopifyError):
    def __init__(self, operation, waited):
        super().__init__(
            f"Shopify kept throttling {operation} for {waited:.0f} s, beyond the retry budget: "
            "the shop's rate limit is shared with other apps; try again later or raise the budget."
        )


class ShopifyUnavailable(ShopifyError):
    def __init__(self, operation, cause, waited=None, maybe_applied=False):
        tail = (
            " It may or may not have been applied: check in Shopify before sending it again."
            if maybe_applied
            else " Try again later; if it persists, check https://www.shopifystatus.com."
        )
        spent = f" after retrying for {waited:.0f} s" if waited is not None else ""
        super().__init__(f"Shopify did not answer {operation}{spent} ({cause}).{tail}")


class ShopUnreachable(ShopifyUnavailable):
    """The request never reached the server: refused, no answer to connect, unknown host.
    Usually a wrong address, sometimes a network outage: a job retries it later."""

    def __init__(self, address, cause, waited=None):
        self.address = address
        spent = f" (tried for {waited:.0f} s)" if waited is not None else ""
        ShopifyError.__init__(
            self,
            f"Could not connect to {address}: {cause}{spent}. Check the store's shop domain and API "
            f"base URL, and that this Odoo server can reach {address}.",
        )


class UserErrors(ShopifyError):
    """A mutation answered with userErrors: Shopify applied nothing from the failing call.

    ``user_errors`` keeps Shopify's dicts (``field``, ``message``, ``code``,
    ``elementIndex``) so callers can map each one back to its input.
    """

    def __init__(self, operation, user_errors, data=None):
        self.user_errors = list(user_errors)
        self.data = data
        listed = "; ".join(_describe(e) for e in self.user_errors)
        super().__init__(f"Shopify refused {operation}: {listed}.")


class BulkOperationFailed(ShopifyError):
    def __init__(self, what, hint=""):
        super().__init__(f"{what}. {hint}".rstrip())


def _describe(user_error):
    where = ".".join(str(part) for part in (user_error.get("field") or []))
    code = user_error.get("code")
    text = user_error.get("message", "?")
    return " ".join(p for p in (f"[{code}]" if code else "", f"{where}:" if where else "", text) if p)
