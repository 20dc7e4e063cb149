"""The header set of an answer the backend composed: AWS's, not moto's (RESP-02, RESP-03).

moto's answers echo request-only headers and lack S3's request ids; those are removed or added
where moto's answer comes back (:mod:`~presignlab.locals3.backend.moto_app` removes what S3
never sends). :func:`s3_answer_headers` adds what S3 always sends:

* ``x-amz-request-id`` and ``x-amz-id-2`` on every answer (RESP-03);
* ``x-amz-server-side-encryption: AES256`` on the answers of object writes and reads when no
  other server-side encryption applies: every object is encrypted with SSE-S3 since
  2023-01-05 (RESP-02, CHOICE-104);
* no ``Content-Type`` on an empty answer that is not an object's (the web framework's default
  ``text/html`` is not S3's: a PutObject answer has none, HEADERS-PUT-OP).
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import new_request_ids

__all__ = ["SSE_OPERATIONS", "s3_answer_headers"]

#: Operations whose successful answer names the object's server-side encryption (RESP-02).
SSE_OPERATIONS = frozenset(
    {
        "PutObject",
        "PostObject",
        "CopyObject",
        "GetObject",
        "HeadObject",
        "CreateMultipartUpload",
        "UploadPart",
        "UploadPartCopy",
        "CompleteMultipartUpload",
    }
)
_OBJECT_BODIES = frozenset({"GetObject", "HeadObject"})
_SSE = "x-amz-server-side-encryption"
_SSE_C = "x-amz-server-side-encryption-customer-algorithm"


def s3_answer_headers(
    operation: str | None, status: int, headers: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """``headers`` completed to the set S3 sends for ``operation`` answering ``status``."""
    names = {name.lower(): value for name, value in headers}
    out = list(headers)
    if operation not in _OBJECT_BODIES and names.get("content-length") == "0":
        out = [(n, v) for n, v in out if n.lower() != "content-type"]
    encrypted_otherwise = _SSE in names or _SSE_C in names
    if operation in SSE_OPERATIONS and 200 <= status < 300 and not encrypted_otherwise:
        out.append((_SSE, "AES256"))
    if "x-amz-request-id" not in names:
        request_id, host_id = new_request_ids()
        out += [("x-amz-request-id", request_id), ("x-amz-id-2", host_id)]
    return out
