"""Who may call the signing API, and how often: a bearer-token authorizer and a rate limit.

The local API Gateway runs both before the signing function, as a REST API with a Lambda
``TOKEN`` authorizer and throttling would (docs/aws-behaviour.md GW-01 to GW-03, CHOICE-142,
CHOICE-143):

* no usable ``Authorization: Bearer <token>`` header: 401 ``{"message":"Unauthorized"}`` (API
  Gateway answers so without calling the authorizer, GW-01);
* a token the authorizer does not know: 403 ``{"message":"User is not authorized to access
  this resource with an explicit deny"}`` (the authorizer returns a Deny policy, GW-02);
* a caller over its rate: 429 ``{"message":"Too Many Requests"}`` (GW-03), from a token bucket
  per caller (the authorizer's ``principalId``) whose clock is injectable.

Tokens are secrets: :class:`CallerToken` never shows its value in a repr, and nothing here logs
a header or a token.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_BURST",
    "DEFAULT_RATE",
    "FORBIDDEN",
    "THROTTLED",
    "UNAUTHORIZED",
    "CallerToken",
    "RateLimiter",
    "Refusal",
    "TokenAuthorizer",
    "new_token",
]

#: Steady requests per second per caller, and the burst a caller may send at once (CHOICE-143).
DEFAULT_RATE = 5.0
DEFAULT_BURST = 20


@dataclass(frozen=True)
class Refusal:
    """An answer API Gateway gives before the function runs: status and JSON body."""

    status: int
    message: str

    @property
    def body(self) -> dict[str, str]:
        """The JSON body, ``{"message": ...}`` as API Gateway's default gateway responses."""
        return {"message": self.message}


UNAUTHORIZED = Refusal(401, "Unauthorized")
FORBIDDEN = Refusal(403, "User is not authorized to access this resource with an explicit deny")
THROTTLED = Refusal(429, "Too Many Requests")


@dataclass(frozen=True)
class CallerToken:
    """A caller's name and bearer token; the repr never shows the token."""

    caller: str
    value: str = field(repr=False)

    def __repr__(self) -> str:
        return f"CallerToken(caller={self.caller!r}, value=<hidden>)"

    @property
    def header(self) -> dict[str, str]:
        """``{"Authorization": "Bearer <token>"}``, to send (never to print)."""
        return {"Authorization": f"Bearer {self.value}"}


def new_token(caller: str) -> CallerToken:
    """A fresh random token (256 bits, URL-safe) for ``caller``."""
    return CallerToken(caller, secrets.token_urlsafe(32))


class TokenAuthorizer:
    """Checks ``Authorization: Bearer <token>`` against the tokens it was given."""

    def __init__(self, tokens: Iterable[CallerToken]) -> None:
        self._tokens = tuple(tokens)

    def __repr__(self) -> str:
        return f"TokenAuthorizer(callers={[t.caller for t in self._tokens]!r})"

    def caller(self, authorization: str | None) -> str | Refusal:
        """The caller the header authenticates, or the refusal API Gateway would answer."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return UNAUTHORIZED
        for known in self._tokens:
            if hmac.compare_digest(known.value.encode(), token.encode()):
                return known.caller
        return FORBIDDEN


class RateLimiter:
    """A token bucket per caller: ``rate`` tokens a second, at most ``burst`` saved up.

    ``now`` gives seconds (any origin; default :func:`time.monotonic`), so a test or a
    notebook can drive it with a controllable clock. A refused request takes no token.
    """

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        burst: int = DEFAULT_BURST,
        *,
        now: Callable[[], float] | None = None,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._now = now or time.monotonic
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, caller: str) -> bool:
        """Whether ``caller`` may make one more request now (and count it if so)."""
        with self._lock:
            now = self._now()
            tokens, last = self._buckets.get(caller, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + max(0.0, now - last) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[caller] = (tokens - 1.0 if allowed else tokens, now)
            return allowed
