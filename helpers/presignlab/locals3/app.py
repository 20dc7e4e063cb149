"""The strict local S3 as one WSGI application: our checks in front of moto.

:class:`StrictS3App` parses each request (:mod:`.routing`), then runs the S3 pipeline
(:mod:`.s3_flow`) or, for IAM and STS calls on the same endpoint, authenticates them and lets
moto answer (GetSessionToken and GetCallerIdentity excepted, see :mod:`.sts_session`).
Every failure is an
:class:`~presignlab.locals3.s3_error.S3Error` rendered in AWS's shape; an unexpected exception in
our layer is logged to the ``presignlab.locals3`` logger (never stdout) and answered as a 500
``InternalError``, as a last resort.

Choice: IAM and STS calls are authenticated but not authorized (any valid key may call them);
anonymous IAM/STS calls answer 403 ``MissingAuthenticationToken`` ``Request is missing
Authentication Token``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any

from ..clock import Clock
from . import adapters
from .authn import authenticate
from .body.receive import receive_body
from .context import S3Context
from .authn.credentials import MotoCredentialStore
from .backend.app import call_moto, hand_body_to_moto
from .wire.render import internal_error, send_query_api_error, send_s3_error, status_line
from .wire.request import IncomingRequest, parse_environ
from .wire.errors import S3Error
from .pipeline import handle_s3
from .iam_sts.sts import action_of, get_caller_identity, get_session_token, redate_assumed_role

__all__ = ["LOGGER_NAME", "StrictS3App"]

LOGGER_NAME = "presignlab.locals3"
_log = logging.getLogger(LOGGER_NAME)
_log.addHandler(logging.NullHandler())

#: IAM and STS query-API bodies are small; larger ones are refused.
MAX_QUERY_API_BODY = 1024 * 1024

StartResponse = Callable[..., Any]


class StrictS3App:
    """WSGI application: AWS-exact authentication, authorization and integrity in front of moto."""

    def __init__(self, store: MotoCredentialStore, clock: Clock, account_id: str) -> None:
        self.store = store
        self.clock = clock
        self.account_id = account_id

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        service = "s3"
        req: IncomingRequest | None = None
        try:
            req = parse_environ(environ)
            service = req.service
            ctx = S3Context(self.store, self.clock.now(), self.account_id)
            if service == "s3":
                return handle_s3(environ, req, ctx, start_response)
            return self._query_api(environ, req, ctx, start_response)
        except S3Error as error:
            if service == "s3":
                return send_s3_error(error, start_response, method, self._error_cors(req))
            return send_query_api_error(error, service, start_response)
        except Exception:  # noqa: BLE001 - the documented last resort: log, answer 500
            _log.exception("internal error in the strict local S3 layer (%s request)", method)
            if service == "s3":
                return send_s3_error(internal_error(), start_response, method)
            return send_query_api_error(internal_error(), service, start_response)

    def _error_cors(self, req: IncomingRequest | None) -> list[tuple[str, str]]:
        """The CORS headers of an S3 error answer: those of the matching rule, as on success.

        S3 applies the bucket's CORS rule to error answers of actual (non-OPTIONS) requests
        too, so a page can read the error body; a refused preflight has none. UNCONFIRMED: not
        in the reference's CORS section; inferred from browser SDKs reading S3 error codes
        cross-origin (e.g. ``RequestTimeTooSkewed`` to correct their clock).
        """
        if req is None or req.sent.method == "OPTIONS":
            return []
        try:
            ctx = S3Context(self.store, self.clock.now(), self.account_id)
            return adapters.cors_response_headers(req, ctx)
        except Exception:  # noqa: BLE001 - an error answer is sent whatever happens here
            _log.exception("could not compute the CORS headers of an error answer")
            return []

    def _query_api(
        self,
        environ: dict[str, Any],
        req: IncomingRequest,
        ctx: S3Context,
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        """IAM or STS: authenticate over the body's SHA-256, then answer (moto, or us)."""
        if req.content_length is not None and req.content_length > MAX_QUERY_API_BODY:
            raise S3Error(413, "RequestEntityTooLarge", "Request body is too large.")
        length_limit = (
            req.content_length if req.content_length is not None or req.chunked_transfer else 0
        )
        spool, length, _ = receive_body(environ["wsgi.input"], length_limit, declared_sha256=None)
        if length > MAX_QUERY_API_BODY:
            spool.close()
            raise S3Error(413, "RequestEntityTooLarge", "Request body is too large.")
        try:
            body = spool.read()
            spool.seek(0)
            auth = authenticate(
                req.sent, bucket_region=None, store=ctx.store, now=ctx.now, service=req.service,
                body_sha256=hashlib.sha256(body).hexdigest(),
            )  # fmt: skip
            if auth.credential is None:
                raise S3Error(
                    403, "MissingAuthenticationToken", "Request is missing Authentication Token"
                )
            action, params = action_of(body, req.sent.query)
            if req.service == "sts" and action in ("GetSessionToken", "GetCallerIdentity"):
                principal = auth.credential.principal
                status, headers, answer = (
                    get_session_token(ctx.store, auth.credential, params, ctx.now)
                    if action == "GetSessionToken"
                    else get_caller_identity(principal, auth.credential.access_key_id)
                )
                start_response(status_line(status), headers)
                return [answer]
            hand_body_to_moto(environ, spool, length)
            result = call_moto(req.service, environ)
            body_parts = list(result.body)
        finally:
            spool.close()
        headers = result.headers
        if req.service == "sts" and action == "AssumeRole" and result.code == 200:
            body_parts = [redate_assumed_role(self.store, b"".join(body_parts), ctx.now)]
            headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body_parts[0]))))
        start_response(result.status, headers)
        return body_parts
