"""The strict local S3 as one WSGI application: every request read once, then its pipeline.

:class:`StrictS3App` reads each request into the one request model
(:func:`~presignlab.locals3.wire.request.parse_environ`) and runs the S3 pipeline
(:mod:`.pipeline`) or, for IAM and STS calls on the same endpoint, :mod:`.iam_sts`. Every
failure is a catalogue :class:`~presignlab.locals3.wire.errors.S3Error` rendered in AWS's
shape (S3's ``<Error>``, or the query API's ``<ErrorResponse>`` for IAM and STS); an unexpected
exception in our layer is logged to the ``presignlab.locals3`` logger (never stdout) and
answered as a 500 ``InternalError``, as a last resort.

An error answer to an actual (non-OPTIONS) S3 request carries the matching CORS rule's headers,
as a success does, so a page can read S3's Code and Message (CHOICE-17).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

from ..clock import Clock
from . import cors
from .authn.credentials import MotoCredentialStore
from .context import S3Context
from .iam_sts import handle_query_api
from .pipeline import handle_s3
from .wire.catalogue import internal_error
from .wire.errors import S3Error
from .wire.render import send_query_api_error, send_s3_error
from .wire.request import S3Request, parse_environ

__all__ = ["LOGGER_NAME", "StrictS3App"]

LOGGER_NAME = "presignlab.locals3"
_log = logging.getLogger(LOGGER_NAME)
_log.addHandler(logging.NullHandler())


class StrictS3App:
    """WSGI application: AWS-exact authentication, authorization and integrity in front of moto."""

    def __init__(self, store: MotoCredentialStore, clock: Clock, account_id: str) -> None:
        self.store = store
        self.clock = clock
        self.account_id = account_id

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        stream = environ.get("wsgi.input")
        answer = start_response

        def checked(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            """Every answer can be sent (RESP-07): headers HTTP can carry, or InternalError."""
            for name, value in headers:
                value.encode("latin-1")
                if "\r" in value or "\n" in value or not name.isascii():
                    raise ValueError(f"a header HTTP cannot carry: {name!r}")
            return answer(status, headers, exc_info)

        start_response = checked
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        service = "s3"
        req: S3Request | None = None
        try:
            req = parse_environ(environ)
            service = req.service
            peer = str(environ.get("REMOTE_ADDR") or "127.0.0.1")
            ctx = S3Context(self.store, self.clock.now(), self.account_id, peer)
            if service == "s3":
                return handle_s3(req, ctx, stream, start_response)
            return handle_query_api(req, ctx, stream, start_response)
        except S3Error as error:
            if service == "s3":
                return send_s3_error(error, start_response, method, self._error_cors(req))
            return send_query_api_error(error, service, start_response)
        except Exception:  # noqa: BLE001 - the documented last resort: log, answer 500
            _log.exception("internal error in the strict local S3 layer (%s request)", method)
            if service == "s3":
                return send_s3_error(internal_error(), start_response, method)
            return send_query_api_error(internal_error(), service, start_response)

    def _error_cors(self, req: S3Request | None) -> list[tuple[str, str]]:
        """The CORS headers of an S3 error answer: those of the matching rule, as on success."""
        if req is None:
            return []
        try:
            return cors.request_headers(req, self.account_id)
        except Exception:  # noqa: BLE001 - an error answer is sent whatever happens here
            _log.exception("could not compute the CORS headers of an error answer")
            return []
