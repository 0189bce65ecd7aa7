"""HTTP + GraphQL access to one shop's Admin API: auth, cost-aware throttling, retries, paging.

It knows nothing about orders (see orders_api.py). Retries are bounded in time by
``max_retry_seconds``: once a further wait would cross that budget, the typed
error is raised. The first attempt is not a retry, so the worst case is one
request timeout plus the budget.
"""
import ipaddress
import logging
import random
import re
import threading
import time
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NewConnectionError

from . import operation as operations
from .auth import ClientCredentials, StaticToken  # noqa: F401  re-exported: callers build clients from here
from .errors import (
    AccessDenied,
    ApiVersionError,
    AuthenticationError,
    ConfigurationError,
    InvalidDocument,
    MaxCostExceeded,
    QueryError,
    RedirectRefused,
    ShopifyError,
    ShopifyUnavailable,
    ShopUnreachable,
    Throttled,
    UserErrors,
)
from .throttle import CostBucket

BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 16.0
USER_AGENT = "synco-shopify (Odoo addon)"
STATUS_HINTS = {
    400: "the request was malformed; this is a bug in the addon, please report it",
    402: "the shop is frozen for an unpaid Shopify bill; the merchant must settle it",
    423: "the shop is locked by Shopify; the merchant must contact Shopify support",
}
# A shop's Admin API lives on its myshopify host name, nowhere else: one DNS label
# (letters, digits, inner hyphens) under myshopify.com.
SHOP_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.myshopify\.com")


@dataclass
class Counters:
    """What the client did; the benchmark reads these. Costs are of executed queries."""

    requests: int = 0
    retries: int = 0
    throttle_waits: int = 0
    throttle_wait_seconds: float = 0.0
    backoff_seconds: float = 0.0
    requested_cost: int = 0
    actual_cost: int = 0

    def as_dict(self):
        return asdict(self)


class _Retry(Exception):
    """One attempt failed in a way that may succeed later."""

    def __init__(self, cause, *, throttled=False, delay=None, maybe_applied=False, unreachable=False):
        super().__init__(cause)
        self.cause = cause
        self.throttled = throttled
        self.delay = delay
        self.maybe_applied = maybe_applied
        # The request never reached the server (refused, no answer to connect, unknown
        # host): the address is the likelier culprit, not Shopify.
        self.unreachable = unreachable


class _Rejected(Exception):
    """HTTP 401 for this token."""

    def __init__(self, token):
        super().__init__("HTTP 401")
        self.token = token


class ShopifyClient:
    def __init__(self, shop_domain, api_version, credentials, *, base_url=None, timeout=(5, 30),
                 max_retry_seconds=60, session=None, sleep=time.sleep, clock=time.monotonic,
                 logger=None, bucket=None):
        shop_domain = checked_shop_domain(shop_domain)
        self.shop_domain = shop_domain
        self.api_version = api_version
        self.credentials = credentials
        self.base_url = checked_url(base_url or f"https://{shop_domain}")
        # host[:port] of where requests go, named by the errors that concern the address.
        self.address = urlsplit(self.base_url).netloc
        self.graphql_url = f"{self.base_url}/admin/api/{api_version}/graphql.json"
        self.timeout = timeout
        self.max_retry_seconds = max_retry_seconds
        self._own_session = session is None
        self.session = session or requests.Session()
        self.sleep = sleep
        self.clock = clock
        self.log = logger or logging.getLogger(__name__)
        # One client's view of Shopify's bucket, unless the caller shares one between the
        # clients of the shop (SharedCostBucket: several workers, one rate limit).
        self.bucket = bucket or CostBucket(clock)
        self.counters = Counters()
        self._lock = threading.Lock()
        self._random = random.Random()
        self._version_warned = False

    def __repr__(self):
        return f"ShopifyClient({self.shop_domain!r}, {self.api_version!r}, {self.credentials!r})"

    def close(self):
        if self._own_session:
            self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- public API ---------------------------------------------------------------------------

    def execute(self, document, variables=None, operation_name=None):
        """Run one document (a name under documents/ or GraphQL text) and return its ``data``."""
        op = operations.resolve(document, operation_name)
        body = {"query": op.text, "variables": variables or {}}
        if operation_name:
            body["operationName"] = operation_name
        return self._send(op, body, _cost_key(op, variables))

    def paginate(self, document, variables=None, path=("orders",), page_size=None):
        """Yield the nodes of the connection at ``path``, page after page by ``endCursor``."""
        variables = dict(variables or {})
        if page_size is not None:
            variables["first"] = page_size
        while True:
            connection = self.execute(document, variables)
            for step in path:
                connection = connection.get(step) if connection else None
            if not connection:
                return
            if "nodes" in connection:
                yield from connection["nodes"]
            else:
                yield from (edge["node"] for edge in connection.get("edges", ()))
            page = connection.get("pageInfo") or {}
            if not page.get("hasNextPage"):
                return
            variables["after"] = page["endCursor"]

    # -- one request, retried -----------------------------------------------------------------

    def _send(self, op, body, key):
        started = self.clock()
        deadline = started + self.max_retry_seconds
        attempt, renewed, rejected_token = 0, False, None
        while True:
            try:
                if rejected_token is not None:
                    if not self.credentials.renew(self._grant, rejected_token):
                        raise AuthenticationError(self.shop_domain)
                    rejected_token = None
                return self._attempt(op, body, key, deadline if attempt else None, deadline)
            except _Rejected as rejected:
                # One renewal per call: a second 401 means the credentials themselves are wrong.
                if renewed:
                    raise AuthenticationError(self.shop_domain) from None
                renewed, rejected_token = True, rejected.token
                continue
            except _Retry as retry:
                if retry.maybe_applied and not op.retry_blindly:
                    raise ShopifyUnavailable(op.name, retry.cause, maybe_applied=True) from None
                delay = retry.delay if retry.delay is not None else self._backoff(attempt)
                waited = self.clock() - started
                if self.clock() + delay > deadline:
                    if retry.throttled:
                        raise Throttled(op.name, waited) from None
                    if retry.unreachable:
                        raise ShopUnreachable(self.address, retry.cause, waited=waited if attempt else None) from None
                    raise ShopifyUnavailable(op.name, retry.cause, waited=waited) from None
                self.log.warning("Shopify %s on %s: %s; retrying in %.1f s",
                                 self.shop_domain, op.name, retry.cause, delay)
                self._count(retries=1)
                if retry.throttled:
                    self._count(throttle_waits=1, throttle_wait_seconds=delay)
                else:
                    self._count(backoff_seconds=delay)
                self.sleep(delay)
                attempt += 1

    def _attempt(self, op, body, key, deadline, budget_deadline):
        booked = self._wait_for_bucket(key, op, budget_deadline)
        try:
            token = self.credentials.current(self._grant)
        except BaseException:
            self.bucket.settle(key, None, booked)  # nothing was sent: the points go back
            raise
        self._count(requests=1)
        self.bucket.sending(booked)
        try:
            response = self.session.post(
                self.graphql_url,
                json=body,
                headers={
                    "X-Shopify-Access-Token": token,
                    "Accept": "application/json",
                    "User-Agent": USER_AGENT,
                },
                timeout=self._timeout_until(deadline),
                # The token goes to this URL and nowhere else: a redirect (to plain http,
                # another host) would carry it there. A redirect is a configuration error.
                allow_redirects=False,
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            # A refused connection never reached Shopify; anything later might have run.
            # Either way no cost came back: the points booked go back to the ledger.
            self.bucket.settle(key, None, booked)
            unreachable = _not_reached(exc)
            if unreachable:
                raise _Retry(unreachable, unreachable=True) from None
            raise _Retry(f"connection failed: {type(exc).__name__}", maybe_applied=True) from None
        self._refuse_redirect(response, self.graphql_url)
        data = self._read(op, key, response, token, booked)
        if op.is_mutation:
            _check_user_errors(op, data)
        return data

    def _read(self, op, key, response, token, booked=0):
        status = response.status_code
        if status != 200:
            self.bucket.settle(key, None, booked)  # an answer with no cost: nothing was charged
        if status == 401:
            raise _Rejected(token)
        if status == 403:
            raise AccessDenied(self.shop_domain, "HTTP 403")
        if status == 404:
            raise ApiVersionError(self.shop_domain, self.api_version)
        if status == 429:
            raise _Retry("HTTP 429", throttled=True, delay=self._retry_after(response))
        if status >= 500:
            raise _Retry(f"HTTP {status}", maybe_applied=True)
        if status != 200:
            hint = STATUS_HINTS.get(status, "see https://shopify.dev/docs/api/usage/response-codes")
            raise ShopifyError(f"Shopify answered HTTP {status} to {op.name} on {self.shop_domain}: {hint}.")
        self._check_served_version(response)
        try:
            payload = response.json()
        except ValueError:
            self.bucket.settle(key, None, booked)
            raise _Retry("answer is not JSON", maybe_applied=True) from None
        requested = self._account_cost(key, payload, booked)
        errors = payload.get("errors")
        if not errors:
            return payload["data"]
        if isinstance(errors, str):  # REST-style {"errors": "..."} from Shopify's edge
            errors = [{"message": errors}]
        codes = {(e.get("extensions") or {}).get("code") for e in errors}
        if "THROTTLED" in codes:
            delay = self.bucket.wait_after_throttle(requested or 0)
            raise _Retry("THROTTLED", throttled=True, delay=delay + self._jitter(delay))
        if "MAX_COST_EXCEEDED" in codes:
            ext = next(x for x in (e.get("extensions") or {} for e in errors)
                       if x.get("code") == "MAX_COST_EXCEEDED")
            raise MaxCostExceeded(op.name, ext.get("cost"), ext.get("maxCost"))
        if "ACCESS_DENIED" in codes:
            raise AccessDenied(self.shop_domain, "; ".join(e.get("message", "") for e in errors))
        if "INTERNAL_SERVER_ERROR" in codes:
            raise _Retry("INTERNAL_SERVER_ERROR", maybe_applied=True)
        if "data" not in payload:
            # Per the GraphQL spec a document that fails validation yields no data at all.
            raise InvalidDocument(op.name, [_located(e) for e in errors])
        raise QueryError(op.name, errors, payload.get("data"))

    # -- helpers ------------------------------------------------------------------------------

    def _grant(self, form):
        """POST the client-credentials grant; used by auth.ClientCredentials."""
        url = f"{self.base_url}/admin/oauth/access_token"
        try:
            response = self.session.post(
                url,
                data=form,
                headers={"Accept": "application/json", "User-Agent": USER_AGENT},
                timeout=self.timeout,
                allow_redirects=False,  # the form carries the client secret
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            unreachable = _not_reached(exc)
            if unreachable:
                raise _Retry(unreachable, unreachable=True) from None
            raise _Retry(f"access-token request failed: {type(exc).__name__}") from None
        self._refuse_redirect(response, url)
        if response.status_code in (400, 401, 403):
            raise AuthenticationError(
                self.shop_domain,
                f"Shopify refused the app credentials (HTTP {response.status_code})",
            )
        if response.status_code != 200:
            raise _Retry(f"access-token request answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if not answer.get("access_token"):
            raise AuthenticationError(self.shop_domain, "Shopify returned no access token")
        return answer

    def _refuse_redirect(self, response, url):
        """A 3xx is never followed: what was sent (a token, a client secret) would be sent
        again to wherever the answer points. Nothing retries it: the address is wrong."""
        if 300 <= response.status_code < 400:
            target = response.headers.get("Location") or "(no Location header)"
            raise RedirectRefused(url, response.status_code, target)

    def _wait_for_bucket(self, key, op, deadline):
        """Waits until the bucket holds what this query cost last time; the points booked.
        A wait longer than the call's retry budget (a shared bucket in debt to other workers,
        a page someone waits for) is not slept: the call is Throttled now."""
        wait, booked = self.bucket.book(key)
        if wait > 0 and self.clock() + wait > deadline:
            self.bucket.settle(key, None, booked)
            raise Throttled(op.name, 0.0)
        if wait > 0:
            self._count(throttle_waits=1, throttle_wait_seconds=wait)
            self.sleep(wait)
        return booked

    def _account_cost(self, key, payload, booked=0):
        cost = (payload.get("extensions") or {}).get("cost")
        self.bucket.settle(key, cost, booked)
        if not cost:
            return None
        requested = cost.get("requestedQueryCost")
        if cost.get("actualQueryCost") is not None:
            self._count(requested_cost=requested or 0, actual_cost=cost["actualQueryCost"])
        return requested

    def _retry_after(self, response):
        try:
            delay = float(response.headers.get("Retry-After", ""))
        except ValueError:
            return None
        return delay + self._jitter(delay)

    def _backoff(self, attempt):
        ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** attempt)
        return ceiling / 2 + self._random.uniform(0, ceiling / 2)

    def _jitter(self, delay):
        # Spreads clients that were throttled together so they do not return together.
        return self._random.uniform(0, min(1.0, 0.2 * max(delay, 1.0)))

    def _timeout_until(self, deadline):
        if deadline is None:
            return self.timeout
        left = max(1.0, deadline - self.clock())
        if isinstance(self.timeout, (int, float)):
            # One number stays one number: Odoo's test harness compares it with 10.
            return min(self.timeout, left)
        connect, read = self.timeout
        return (min(connect, left), min(read, left))

    def _check_served_version(self, response):
        served = response.headers.get("X-Shopify-API-Version")
        if served and served != self.api_version and not self._version_warned:
            self._version_warned = True
            self.log.warning("Shopify %s serves API version %s instead of %s (fell forward): "
                             "update the store's API version.", self.shop_domain, served,
                             self.api_version)

    def _count(self, **amounts):
        with self._lock:
            for name, amount in amounts.items():
                setattr(self.counters, name, getattr(self.counters, name) + amount)


def _cost_key(op, variables):
    # Requested cost depends on the document and its page sizes, not on cursors or queries.
    sizes = tuple(sorted((k, v) for k, v in (variables or {}).items() if isinstance(v, int)))
    return (op.text, op.name, sizes)


def _check_user_errors(op, data):
    found = []
    for field in op.root_fields:
        payload = (data or {}).get(field)
        if isinstance(payload, dict):
            found.extend(payload.get("userErrors") or ())
    if not found:
        return
    # INTERNAL_ERROR alone is Shopify failing, not the input: an atomic mutation that
    # is safe to repeat (metafieldsSet) is sent again like after a 5xx.
    if op.retry_blindly and all(e.get("code") == "INTERNAL_ERROR" for e in found):
        raise _Retry("userErrors INTERNAL_ERROR")
    raise UserErrors(op.name, found, data)


def _located(error):
    where = error.get("locations") or ()
    at = ", ".join(f"line {loc.get('line')} col {loc.get('column')}" for loc in where)
    return f"{error.get('message', '?')}" + (f" ({at})" if at else "")


def _not_reached(exc):
    """Why a request that failed never reached the server (a short phrase), or None when
    it may have: a timeout to connect, a refused connection, a host name that does not
    resolve."""
    if isinstance(exc, requests.ConnectTimeout):
        return "no answer to the connection"
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if not isinstance(reason, NewConnectionError):
        return None
    text = str(reason)
    if "Name or service not known" in text or "getaddrinfo" in text or "nodename nor servname" in text \
            or "Temporary failure in name resolution" in text:
        return "host name not found"
    if "refused" in text.lower():
        return "connection refused"
    return "could not connect"


def checked_shop_domain(domain):
    """``domain`` lowercased and stripped, if it is a shop's host name
    (``my-shop.myshopify.com``): nothing else (a path, a port, ``user@host``, spaces,
    another domain) ever becomes part of the URL the token is sent to."""
    cleaned = domain.strip().lower() if isinstance(domain, str) else ""
    if len(cleaned) <= 253 and SHOP_DOMAIN.fullmatch(cleaned):
        return cleaned
    shown = repr(domain if not isinstance(domain, str) or len(domain) <= 80 else domain[:80] + "…")
    raise ConfigurationError(
        f"Shop domain {shown} is not a Shopify host name such as my-shop.myshopify.com "
        "(letters, digits and hyphens, then .myshopify.com; no scheme, path, port or spaces)."
    )


def checked_url(url):
    """``url`` without its trailing slash, if the token or data may travel there."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018  a port that is not a number raises ValueError
    except ValueError:
        raise ConfigurationError(f"Refusing {_shown(url)}: it is not a URL.") from None
    if (parts.username is not None or parts.password is not None or parts.query or parts.fragment
            or not host or any(c.isspace() or c == "\\" for c in url)):
        raise ConfigurationError(
            f"Refusing {_shown(url)}: an API URL is a scheme, a host, an optional port and path, "
            "with no user name, query, fragment, spaces or backslashes."
        )
    if parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(host)):
        return url.rstrip("/")
    raise ConfigurationError(
        f"Refusing {parts.scheme}://{host}: the access token may only travel over https "
        "(plain http is accepted for loopback test servers only)."
    )


def _shown(text, limit=80):
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
