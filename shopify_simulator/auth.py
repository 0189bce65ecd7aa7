"""Access tokens: the static one, and short-lived ones from the client-credentials grant."""
import secrets
import threading
import time

SCOPES = ",".join((
    "read_orders", "write_orders", "read_all_orders", "read_customers", "read_products",
    "read_locations", "read_merchant_managed_fulfillment_orders",
))
INVALID_TOKEN = {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}


class GrantError(Exception):
    def __init__(self, status, error, description):
        super().__init__(description)
        self.status = status
        self.body = {"error": error, "error_description": description}


class Auth:
    def __init__(self, token, client_id=None, client_secret=None, token_ttl=86400, clock=time.monotonic):
        self.static_token = token
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_ttl = token_ttl
        self._clock = clock
        self._issued = {}  # token -> expiry (monotonic seconds)
        self._lock = threading.Lock()

    def valid(self, token):
        if not token:
            return False
        if self.static_token and secrets.compare_digest(token, self.static_token):
            return True
        with self._lock:
            expiry = self._issued.get(token)
            if expiry is not None and expiry <= self._clock():
                del self._issued[token]
                expiry = None
        return expiry is not None

    def grant(self, params):
        """The client-credentials grant: ``params`` from a form or JSON body."""
        if params.get("grant_type") != "client_credentials":
            raise GrantError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.")
        client_id, client_secret = params.get("client_id") or "", params.get("client_secret") or ""
        if not (
            self.client_id
            and secrets.compare_digest(str(client_id), self.client_id)
            and secrets.compare_digest(str(client_secret), self.client_secret or "")
        ):
            raise GrantError(400, "invalid_client", "Client authentication failed: unknown client_id or wrong client_secret.")
        token = "shpat_" + secrets.token_hex(16)
        with self._lock:
            self._issued[token] = self._clock() + self.token_ttl
        return {"access_token": token, "scope": SCOPES, "expires_in": self.token_ttl}
