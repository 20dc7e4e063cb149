"""The signing API's bearer-token authorizer and per-caller rate limit (GW-01 to GW-03)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
import requests
from werkzeug.test import Client

from presignlab.seed import GatewayApp, Stack
from presignlab.seed.authorizer import (
    FORBIDDEN,
    THROTTLED,
    UNAUTHORIZED,
    CallerToken,
    RateLimiter,
    TokenAuthorizer,
    new_token,
)

QUERY = {"filekey": "a.png", "contentType": "image/png"}


class FakeSeconds:
    """A clock in seconds that moves only when told."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


class Recorder:
    """A Lambda handler that remembers the events it was given."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.events.append(event)
        return {"statusCode": 200, "body": json.dumps({"ok": True})}


# -- the authorizer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", [None, "", "   ", "Bearer", "Bearer   ", "Basic dXNlcjpwdw==", "tok"]
)
def test_a_missing_or_unusable_header_is_401(header: str | None) -> None:
    authorizer = TokenAuthorizer([CallerToken("page", "tok")])
    assert authorizer.caller(header) == UNAUTHORIZED
    assert UNAUTHORIZED.status == 401 and UNAUTHORIZED.body == {"message": "Unauthorized"}


def test_an_unknown_token_is_403_with_the_explicit_deny_message() -> None:
    authorizer = TokenAuthorizer([CallerToken("page", "tok")])
    assert authorizer.caller("Bearer tok2") == FORBIDDEN
    assert authorizer.caller("Bearer to") == FORBIDDEN
    assert FORBIDDEN.status == 403
    assert FORBIDDEN.body == {
        "message": "User is not authorized to access this resource with an explicit deny"
    }


def test_a_known_token_names_its_caller() -> None:
    authorizer = TokenAuthorizer([CallerToken("page", "tok"), CallerToken("admin", "other")])
    assert authorizer.caller("Bearer tok") == "page"
    assert authorizer.caller("bearer  other ") == "admin"


def test_tokens_are_random_and_never_in_a_repr() -> None:
    first, second = new_token("page"), new_token("page")
    assert first.value != second.value and re.fullmatch(r"[A-Za-z0-9_-]{43}", first.value)
    for text in (repr(first), str(first), repr(TokenAuthorizer([first]))):
        assert first.value not in text
    assert first.header == {"Authorization": f"Bearer {first.value}"}


# -- the rate limit ---------------------------------------------------------------------------


def test_token_bucket_allows_the_burst_then_refills_at_the_rate() -> None:
    clock = FakeSeconds()
    limiter = RateLimiter(rate=5, burst=3, now=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    clock.value += 0.1  # half a token
    assert not limiter.allow("a")
    clock.value += 0.1  # a whole one (refused requests took none)
    assert limiter.allow("a") and not limiter.allow("a")
    clock.value += 60  # never more than the burst
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]


def test_each_caller_has_its_own_bucket() -> None:
    clock = FakeSeconds()
    limiter = RateLimiter(rate=1, burst=1, now=clock)
    assert limiter.allow("a") and not limiter.allow("a")
    assert limiter.allow("b")


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (-1, 1), (1, 0)])
def test_a_limit_that_allows_nothing_is_refused(rate: float, burst: int) -> None:
    with pytest.raises(ValueError):
        RateLimiter(rate=rate, burst=burst)


# -- the gateway ------------------------------------------------------------------------------


def _gateway(burst: int = 2) -> tuple[Client, Recorder, FakeSeconds, CallerToken]:
    token, clock, handler = new_token("page"), FakeSeconds(), Recorder()
    app = GatewayApp(
        handler,
        authorizer=TokenAuthorizer([token]),
        limiter=RateLimiter(rate=1, burst=burst, now=clock),
        page_token=token,
    )
    return Client(app), handler, clock, token


def test_gateway_answers_401_403_without_calling_the_function() -> None:
    client, handler, _, token = _gateway()
    missing = client.get("/presign", query_string=QUERY)
    assert missing.status_code == 401 and missing.json == {"message": "Unauthorized"}
    assert missing.mimetype == "application/json"
    wrong = client.get("/presign", query_string=QUERY, headers={"Authorization": "Bearer x"})
    assert wrong.status_code == 403 and wrong.json == FORBIDDEN.body
    assert handler.events == []
    ok = client.get("/presign", query_string=QUERY, headers=token.header)
    assert ok.status_code == 200
    assert handler.events[0]["requestContext"]["authorizer"] == {"principalId": "page"}


def test_gateway_answers_429_over_the_callers_rate() -> None:
    client, handler, clock, token = _gateway(burst=2)
    codes = [client.get("/presign", headers=token.header).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    throttled = client.get("/presign", headers=token.header)
    assert throttled.json == {"message": "Too Many Requests"} == THROTTLED.body
    assert len(handler.events) == 2
    clock.value += 1
    assert client.get("/presign", headers=token.header).status_code == 200
    # who comes before how often: a stranger is told 401/403, not 429
    assert client.get("/presign").status_code == 401


def test_preflight_needs_no_token_and_the_page_carries_it() -> None:
    client, handler, _, token = _gateway()
    assert client.options("/presign").status_code == 200
    page = client.get("/").get_data(as_text=True)
    assert f'<meta name="presign-token" content="{token.value}">' in page
    open_app = Client(GatewayApp(handler))  # no authorizer: the seed's open API
    assert open_app.get("/presign").status_code == 200
    assert '<meta name="presign-token" content="">' in open_app.get("/").get_data(as_text=True)


def test_the_token_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    token = new_token("page")

    def broken(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("the function failed")

    client = Client(GatewayApp(broken, authorizer=TokenAuthorizer([token])))
    with caplog.at_level(logging.DEBUG):
        assert client.get("/presign", headers=token.header).status_code == 502
        assert client.get("/presign", headers={"Authorization": "Bearer nope"}).status_code == 403
    assert "the signing handler raised" in caplog.text
    assert token.value not in caplog.text and "nope" not in caplog.text


# -- the stack, over HTTP ---------------------------------------------------------------------


def test_stack_signing_api_needs_the_token_and_throttles_per_caller() -> None:
    clock = FakeSeconds()
    with Stack(burst=3, rate=1, throttle_clock=clock) as stack:
        anonymous = requests.get(stack.presign_url, params=QUERY, timeout=10)
        assert anonymous.status_code == 401 and anonymous.json() == {"message": "Unauthorized"}
        forged = requests.get(
            stack.presign_url,
            params=QUERY,
            headers={"Authorization": f"Bearer {new_token('x').value}"},
            timeout=10,
        )
        assert forged.status_code == 403 and forged.json() == FORBIDDEN.body
        codes = [
            requests.get(
                stack.presign_url, params=QUERY, headers=stack.token.header, timeout=10
            ).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        clock.value += 1
        again = requests.get(
            stack.presign_url, params=QUERY, headers=stack.token.header, timeout=10
        )
        assert again.status_code == 200 and again.json()["method"] == "PUT"
        assert stack.token.value not in "\n".join([repr(stack), *stack.lines()])
