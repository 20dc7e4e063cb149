"""A thin local "API Gateway" in front of a Lambda handler, plus the upload page and ``/diagnose``.

Amazon API Gateway's Lambda proxy integration hands the function one event describing the
HTTP request (method, path, query and headers, body) and turns the function's answer
(``statusCode``, ``headers``, ``multiValueHeaders``, ``body``, ``isBase64Encoded``) back into
the HTTP response. :class:`GatewayApp` does the same on this machine, with the event built by
:func:`presignlab.seed.signing_function.api_gateway_event`, so the handler a user would deploy to
Lambda runs unchanged. Like API Gateway, a handler that raises or answers something that is
not a proxy response gives 502 ``{"message": "Internal server error"}``.

Routes (one origin, so the page calls the API without CORS):

* ``GET /``: the upload page (``presignlab/seed/static/upload.html``), its script and style;
* ``/presign`` (any method): the Lambda handler, behind a bearer-token authorizer and a
  per-caller rate limit when the gateway has them (:mod:`.authorizer`; 401, 403 and 429 as API
  Gateway answers, GW-01 to GW-03). ``OPTIONS`` is not authorized (a preflight carries no
  credentials). The upload page gets its token in a ``<meta name="presign-token">`` element;
* ``POST /diagnose``: what the page saw of a failed upload in, the diagnosis out
  (:mod:`.diagnose_api`). The server diagnoses with the signer's secret, which never leaves
  it, and with the bucket's CORS rules, at the local S3's clock.

Reference: API Gateway Developer Guide, "Set up Lambda proxy integrations in API Gateway"
(input and output formats of a Lambda function for proxy integration).
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import socket
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from importlib import resources
from types import SimpleNamespace
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

from werkzeug.wrappers import Request, Response

from .authorizer import THROTTLED, CallerToken, RateLimiter, Refusal, TokenAuthorizer
from .diagnose_api import (
    MAX_DIAGNOSE_BODY,
    BodyTooLarge,
    BodyUnreadable,
    CorsRules,
    SecretFor,
    diagnose_request,
    read_json,
)
from .signing_function import api_gateway_event

__all__ = [
    "DIAGNOSE_PATH",
    "MAX_DIAGNOSE_BODY",
    "PRESIGN_PATH",
    "STATIC_FILES",
    "GatewayApp",
    "diagnose_request",
    "proxy_event",
    "proxy_response",
]

Handler = Callable[[dict[str, Any], Any], Any]

PRESIGN_PATH = "/presign"
DIAGNOSE_PATH = "/diagnose"
#: Path -> (file under ``presignlab/seed/static``, Content-Type).
STATIC_FILES = {
    "/": ("upload.html", "text/html; charset=utf-8"),
    "/upload.js": ("upload.js", "text/javascript; charset=utf-8"),
    "/upload.css": ("upload.css", "text/css; charset=utf-8"),
}
_INTERNAL_ERROR = {"message": "Internal server error"}
_log = logging.getLogger("presignlab.seed")
_log.addHandler(logging.NullHandler())


def proxy_event(request: Request) -> dict[str, Any]:
    """The API Gateway REST (v1) proxy event for ``request``.

    Repeated query parameters and headers keep their last value in ``queryStringParameters``
    and ``headers`` and every value in the ``multiValue*`` fields, as API Gateway does.
    """
    query = {name: values[-1] for name, values in request.args.lists()}
    headers = dict(request.headers.items())
    body = request.get_data(as_text=True) or None
    event = api_gateway_event(
        method=request.method,
        path=request.path,
        query=query or None,
        headers=headers or None,
        body=body,
    )
    event["multiValueQueryStringParameters"] = dict(request.args.lists()) or None
    multi_headers: dict[str, list[str]] = {}
    for name, value in request.headers.items():
        multi_headers.setdefault(name, []).append(value)
    event["multiValueHeaders"] = multi_headers or None
    return event


def _json(status: int, payload: object, headers: Iterable[tuple[str, str]] = ()) -> Response:
    response = Response(json.dumps(payload), status, mimetype="application/json")
    for name, value in headers:
        response.headers[name] = value
    return response


def proxy_response(result: object) -> Response:
    """The HTTP response for a Lambda proxy answer (502, as API Gateway, if it is malformed)."""
    if not isinstance(result, Mapping) or not isinstance(result.get("statusCode"), int):
        return _json(502, _INTERNAL_ERROR)
    body = result.get("body") or ""
    if not isinstance(body, str):
        return _json(502, _INTERNAL_ERROR)
    data = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode()
    response = Response(data, int(result["statusCode"]))
    response.headers.pop("Content-Type", None)
    for name, value in (result.get("headers") or {}).items():
        response.headers[str(name)] = str(value)
    for name, values in (result.get("multiValueHeaders") or {}).items():
        response.headers.remove(str(name))
        for value in values:
            response.headers.add(str(name), str(value))
    if "Content-Type" not in response.headers:
        response.headers["Content-Type"] = "application/json"
    return response


def _stop_reading(request: Request) -> None:
    """Read no more of this request: werkzeug's server would otherwise drain the rest of the body
    (up to 10 GB) before closing, so that the client sees the 413."""
    sock = request.environ.get("werkzeug.socket")
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RD)


_TOKEN_SLOT = b'<meta name="presign-token" content="">'


def _static(name: str, content_type: str, csp: str, token: CallerToken | None = None) -> Response:
    data = resources.files("presignlab").joinpath("seed", "static", name).read_bytes()
    if token is not None and name.endswith(".html"):
        filled = f'<meta name="presign-token" content="{token.value}">'.encode()
        data = data.replace(_TOKEN_SLOT, filled)
    response = Response(data, 200, content_type=content_type)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = csp
    return response


class GatewayApp:
    """WSGI application: the upload page, the signing API (a Lambda handler) and ``/diagnose``.

    ``connect_to`` lists the origins the page may send requests to besides its own (the S3
    endpoint), for the page's Content-Security-Policy; ``now`` is the clock ``/diagnose``
    judges expiry by (the local S3's); ``secret_for`` gives the signer's secret for an access
    key id it signs with (None otherwise), ``cors_rules`` the bucket's current CORS rules.
    ``authorizer`` and ``limiter`` guard ``/presign`` (none: open, as the seed's API was);
    ``page_token`` is the token the upload page is served with.
    """

    def __init__(
        self,
        handler: Handler,
        *,
        connect_to: Iterable[str] = (),
        now: Callable[[], datetime] | None = None,
        secret_for: SecretFor | None = None,
        cors_rules: CorsRules | None = None,
        authorizer: TokenAuthorizer | None = None,
        limiter: RateLimiter | None = None,
        page_token: CallerToken | None = None,
    ) -> None:
        self.handler = handler
        self.authorizer = authorizer
        self.limiter = limiter
        self.page_token = page_token
        self.now = now
        self.secret_for = secret_for
        self.cors_rules = cors_rules
        sources = " ".join(["'self'", *connect_to])
        self.csp = (
            f"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src {sources}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        request = Request(environ)
        try:
            response = self.dispatch(request)
        except Exception:  # noqa: BLE001 - a local server answers, logs, and keeps running
            _log.exception(
                "internal error in the local API Gateway (%s %s)", request.method, request.path
            )
            response = _json(500, _INTERNAL_ERROR)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        """The response for one request."""
        if request.path == PRESIGN_PATH:
            event = proxy_event(request)
            if request.method != "OPTIONS":
                caller = self.admit(request.headers.get("Authorization"))
                if isinstance(caller, Refusal):
                    return _json(caller.status, caller.body)
                if caller is not None:
                    event["requestContext"]["authorizer"] = {"principalId": caller}
            return self.invoke(event)
        if request.path == DIAGNOSE_PATH:
            if request.method != "POST":
                return _json(405, {"message": "Use POST with a JSON body."}, [("Allow", "POST")])
            return self.diagnose(request)
        if request.path in STATIC_FILES and request.method in ("GET", "HEAD"):
            name, content_type = STATIC_FILES[request.path]
            return _static(name, content_type, self.csp, self.page_token)
        return _json(404, {"message": "Not Found"})

    def admit(self, authorization: str | None) -> str | Refusal | None:
        """The authorizer's caller (None without an authorizer), or the refusal to answer.

        GW-01/GW-02 first (who), then GW-03 (how often, per caller).
        """
        if self.authorizer is None:
            return None
        caller = self.authorizer.caller(authorization)
        if isinstance(caller, Refusal):
            return caller
        if self.limiter is not None and not self.limiter.allow(caller):
            return THROTTLED
        return caller

    def invoke(self, event: dict[str, Any]) -> Response:
        """Call the handler with ``event`` as Lambda would, and answer as API Gateway would."""
        context = SimpleNamespace(
            function_name="presign",
            aws_request_id=str(uuid.uuid4()),
            memory_limit_in_mb=128,
            get_remaining_time_in_millis=lambda: 3000,
        )
        try:
            result = self.handler(event, context)
        except Exception:  # noqa: BLE001 - API Gateway answers 502 when the function fails
            _log.exception("the signing handler raised")
            return _json(502, _INTERNAL_ERROR)
        return proxy_response(result)

    def diagnose(self, request: Request) -> Response:
        """``POST /diagnose``: the kit's diagnosis of a failed upload, as JSON."""
        close = [("Connection", "close")]
        try:
            payload = read_json(request.stream, request.content_length)
        except BodyTooLarge:
            _stop_reading(request)
            return _json(413, {"message": "Request body is too large."}, close)
        except BodyUnreadable as exc:
            return _json(400, {"message": str(exc)})
        now = self.now() if self.now is not None else None
        origin = request.headers.get("Origin")
        answer = diagnose_request(
            payload, now, secret_for=self.secret_for, cors_rules=self.cors_rules, origin=origin
        )
        return _json(200, answer)
