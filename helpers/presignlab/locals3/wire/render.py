"""Writing error answers: S3's ``<Error>`` envelope and the IAM/STS query-API ``<ErrorResponse>``.

Every answer gets a fresh ``(RequestId, HostId)`` pair from
:func:`~presignlab.locals3.s3_error.new_request_ids`; the ``x-amz-request-id`` / ``x-amz-id-2``
headers match the body.

Choice (documented, UNCONFIRMED in detail): IAM and STS requests that fail authentication are
answered in the query-API shape ``<ErrorResponse><Error><Type>Sender</Type><Code/><Message/>
</Error><RequestId/></ErrorResponse>``. S3 codes are mapped to the codes those services use:
``InvalidAccessKeyId`` and ``InvalidToken`` become 403 ``InvalidClientTokenId`` ("The security
token included in the request is invalid."), ``ExpiredToken`` becomes 403 ``ExpiredToken``
("The security token included in the request is expired"), ``SignatureDoesNotMatch`` stays but
is 403 with the IAM/STS wording; other codes keep their status, code and message.
"""

from __future__ import annotations

from collections.abc import Iterable
from wsgiref.types import StartResponse
from xml.sax.saxutils import escape

from .catalogue import query_api_variant
from .errors import S3Error, new_request_ids
from .response_headers import s3_answer_headers

__all__ = ["answer", "send_query_api_error", "send_s3_error", "status_line"]

_NAMESPACES = {
    "iam": "https://iam.amazonaws.com/doc/2010-05-08/",
    "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
}
_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    411: "Length Required",
    412: "Precondition Failed",
    413: "Payload Too Large",
    416: "Range Not Satisfiable",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}


def status_line(status: int) -> str:
    """``"403 Forbidden"`` for 403."""
    return f"{status} {_REASONS.get(status, 'Error')}"


def send_s3_error(
    error: S3Error,
    start_response: StartResponse,
    method: str = "GET",
    extra_headers: Iterable[tuple[str, str]] = (),
) -> Iterable[bytes]:
    """Answer ``error`` in S3's XML envelope (no body for HEAD, like S3).

    ``extra_headers`` follow the error's own (the CORS headers of a matching rule).
    """
    request_id, host_id = new_request_ids()
    body = error.to_xml(request_id, host_id)
    headers = [*error.response_headers(request_id, host_id, body), *extra_headers]
    start_response(status_line(error.status), headers)
    return [] if method == "HEAD" else [body]


def send_query_api_error(
    error: S3Error, service: str, start_response: StartResponse
) -> Iterable[bytes]:
    """Answer ``error`` in the IAM/STS ``<ErrorResponse>`` shape."""
    mapped = query_api_variant(error)
    request_id, _ = new_request_ids()
    xmlns = _NAMESPACES.get(service, _NAMESPACES["sts"])
    body = (
        f'<ErrorResponse xmlns="{xmlns}"><Error><Type>Sender</Type>'
        f"<Code>{escape(mapped.code)}</Code><Message>{escape(mapped.message)}</Message></Error>"
        f"<RequestId>{request_id}</RequestId></ErrorResponse>"
    ).encode()
    start_response(
        status_line(mapped.status),
        [
            ("Content-Type", "text/xml"),
            ("Content-Length", str(len(body))),
            ("x-amzn-RequestId", request_id),
        ],
    )
    return [body]


def answer(
    start_response: StartResponse,
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    operation: str | None = None,
) -> Iterable[bytes]:
    """Answer a success the layer composed itself, with fresh request ids and, for an object
    ``operation``, the default encryption header (RESP-02, RESP-03)."""
    start_response(status_line(status), s3_answer_headers(operation, status, headers))
    return [body] if body else []
