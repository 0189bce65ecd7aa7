"""How the client gets the access token it sends in ``X-Shopify-Access-Token``.

Both kinds answer ``current(grant)`` (the token to send now) and
``renew(grant, rejected)`` (called after a 401; True when a fresh token may help).
``grant(form)`` is supplied by the client: it POSTs the form to
``/admin/oauth/access_token`` and returns the JSON answer, so the credentials
never hold a session or a URL. Secrets are never shown by ``repr``.
"""
import threading
import time

# Renew this long before expiry, or 10 % of the lifetime when that is shorter,
# so a token never expires between the check and the request.
RENEW_MARGIN_SECONDS = 300
RENEW_MARGIN_FRACTION = 0.1


class StaticToken:
    """An admin API access token that never changes (custom app, shpat_...)."""

    def __init__(self, token):
        if not token:
            raise ValueError("StaticToken needs a non-empty access token.")
        self._token = token

    def current(self, grant):
        return self._token

    def renew(self, grant, rejected):
        return False

    def __repr__(self):
        return "StaticToken(<hidden>)"


class ClientCredentials:
    """A Dev Dashboard app's id and secret, exchanged for ~24 h tokens (client-credentials grant).

    ``token``/``expires_at`` restore a token persisted earlier; ``expires_at`` is a
    POSIX timestamp (seconds, UTC) or None when unknown. ``on_token(token,
    expires_at)`` is called after every new token so the caller can persist it.
    """

    def __init__(self, client_id, client_secret, token=None, expires_at=None, on_token=None,
                 *, clock=time.time):
        if not client_id or not client_secret:
            raise ValueError("ClientCredentials needs both the client id and the client secret.")
        self.client_id = client_id
        self._secret = client_secret
        self._token = token
        self._expires_at = expires_at
        self._lifetime = None
        self._on_token = on_token
        self._clock = clock
        self._lock = threading.Lock()

    @property
    def expires_at(self):
        return self._expires_at

    def current(self, grant):
        with self._lock:
            if self._token is None or self._expiring():
                self._fetch(grant)
            return self._token

    def renew(self, grant, rejected):
        with self._lock:
            # Another thread may already have replaced the rejected token.
            if self._token == rejected:
                self._fetch(grant)
        return True

    def _expiring(self):
        if self._expires_at is None:
            return False
        margin = RENEW_MARGIN_SECONDS
        if self._lifetime is not None:
            margin = min(margin, self._lifetime * RENEW_MARGIN_FRACTION)
        return self._clock() >= self._expires_at - margin

    def _fetch(self, grant):
        now = self._clock()
        answer = grant({
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self._secret,
        })
        expires_in = answer.get("expires_in")
        self._token = answer["access_token"]
        self._lifetime = float(expires_in) if expires_in else None
        self._expires_at = now + self._lifetime if self._lifetime else None
        if self._on_token:
            self._on_token(self._token, self._expires_at)

    def __repr__(self):
        return f"ClientCredentials(client_id={self.client_id!r}, client_secret=<hidden>)"
