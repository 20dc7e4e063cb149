"""The seed article's signing Lambda, ported to Python, and its hardened version.

Both are plain Lambda handlers, ``handler(event, context) -> dict``, for an API Gateway REST
(v1) proxy integration: they read ``queryStringParameters`` and ``headers`` and return
``{"statusCode", "headers", "body"}``. :func:`api_gateway_event` builds the event API Gateway
would pass for a request, so a notebook or a test calls a handler exactly as Lambda would.

The naive handler keeps every flaw of the original (shown in notebook 04):

1. the object key is the client's ``filekey`` as given (``../``, any prefix, overwrites);
2. the HTTP status is the client's ``httpStatus`` parameter;
3. it logs ``filename``, a parameter nobody sends, instead of the key it signs;
4. it signs ``ACL: public-read``, which an ACL-disabled bucket refuses
   (``AccessControlListNotSupported``) and which, where ACLs work, publishes the object;
5. no content-type control: whatever ``contentType`` the client names is signed, or none;
6. the expiry is whatever the client asks (``expires``, in seconds).

The hardened handler chooses the key (:mod:`presignlab.seed.object_keys`), signs an allowlisted
content type, caps the expiry, ignores ``httpStatus``, answers 400 with a JSON error for bad
input, and sends CORS headers only for the origins it is given. Neither handler ever logs a URL
(its signature) or credentials.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .object_keys import object_key, uuid4_hex

__all__ = [
    "ALLOWED_CONTENT_TYPES",
    "DEFAULT_NAIVE_EXPIRES",
    "Handler",
    "api_gateway_event",
    "make_hardened_handler",
    "make_naive_handler",
    "uuid4_hex",
]

#: What the hardened handler signs: images and PDF. Never text/html or SVG (both run script
#: when served from a domain a browser trusts).
ALLOWED_CONTENT_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf")
#: The naive handler's expiry when the client names none (seconds).
DEFAULT_NAIVE_EXPIRES = 3600

Handler = Callable[[Mapping[str, Any], Any], dict[str, Any]]

_DEFAULT_LOGGER = logging.getLogger("presignlab.seed.signing_function")
_REQUEST_ID = "c0ffee00-0000-4000-8000-000000000000"


def api_gateway_event(
    method: str = "GET",
    path: str = "/presign",
    query: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    body: str | None = None,
) -> dict[str, Any]:
    """The API Gateway REST (v1) proxy event for a request (absent parts are None, as AWS sends)."""
    query_map = dict(query) if query else None
    header_map = dict(headers) if headers else None
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": header_map,
        "multiValueHeaders": {k: [v] for k, v in header_map.items()} if header_map else None,
        "queryStringParameters": query_map,
        "multiValueQueryStringParameters": (
            {k: [v] for k, v in query_map.items()} if query_map else None
        ),
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": method,
            "path": f"/prod{path}",
            "stage": "prod",
            "requestId": _REQUEST_ID,
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": body,
        "isBase64Encoded": False,
    }


def _json_response(
    status: Any, payload: Mapping[str, Any], headers: Mapping[str, str]
) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **headers},
        "body": json.dumps(payload),
    }


def make_naive_handler(
    s3_client: Any, bucket: str, *, logger: logging.Logger | None = None
) -> Handler:
    """The seed's handler, flaws included (see the module docstring). Do not deploy it.

    Like the original it does not validate anything: a missing ``filekey`` makes boto3 raise
    (Lambda reports an error and API Gateway answers 502), and a ``httpStatus`` that is not a
    number is returned as is (API Gateway answers 502 "Malformed Lambda proxy response").
    """
    log = logger or _DEFAULT_LOGGER

    def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        params = event.get("queryStringParameters") or {}
        log.info("Getting a signed URL for %s", params.get("filename"))
        key = params.get("filekey")
        request: dict[str, Any] = {"Bucket": bucket, "Key": key, "ACL": "public-read"}
        if params.get("contentType"):
            request["ContentType"] = params["contentType"]
        expires = int(params.get("expires") or DEFAULT_NAIVE_EXPIRES)
        url = s3_client.generate_presigned_url("put_object", Params=request, ExpiresIn=expires)
        raw_status = params.get("httpStatus")
        status = int(raw_status) if raw_status and raw_status.isdigit() else raw_status
        return _json_response(
            status, {"signed_url": url, "key": key}, {"Access-Control-Allow-Origin": "*"}
        )

    return handler


def _header(event: Mapping[str, Any], name: str) -> str | None:
    headers = event.get("headers") or {}
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


def _check_sigv4(s3_client: Any) -> None:
    version = getattr(
        getattr(getattr(s3_client, "meta", None), "config", None), "signature_version", None
    )
    if version not in (None, "s3v4", "v4"):
        raise ValueError(
            f"The hardened handler signs with SigV4 only; this client uses {version!r}. "
            "Create it with botocore.config.Config(signature_version='s3v4')."
        )


def _expiry(raw: str | None, max_expires: int) -> int | None:
    """The client's expiry capped at ``max_expires``; None when it is not a positive integer."""
    if raw is None or raw == "":
        return max_expires
    if not raw.isdigit() or int(raw) < 1:
        return None
    return min(int(raw), max_expires)


def make_hardened_handler(
    s3_client: Any,
    bucket: str,
    *,
    prefix: str = "uploads/",
    allowed_types: Iterable[str] = ALLOWED_CONTENT_TYPES,
    max_expires: int = 900,
    id_factory: Callable[[], str] = uuid4_hex,
    logger: logging.Logger | None = None,
    allowed_origins: Iterable[str] = (),
) -> Handler:
    """A signing handler that decides the key, content type and expiry itself.

    Query parameters: ``filekey`` (only a display name is kept from it), ``contentType``
    (required, one of ``allowed_types``), ``expires`` (optional, capped at ``max_expires``
    seconds, at most 900). ``httpStatus`` and anything else are ignored. ``allowed_origins``
    are the browser origins that get ``Access-Control-Allow-Origin``; every answer has
    ``Vary: Origin``. ``s3_client`` must sign with SigV4 (checked here).
    """
    _check_sigv4(s3_client)
    if not 1 <= max_expires <= 900:
        raise ValueError("max_expires must be between 1 and 900 seconds (15 minutes)")
    types = tuple(allowed_types)
    origins = frozenset(allowed_origins)
    log = logger or _DEFAULT_LOGGER

    def cors(event: Mapping[str, Any]) -> dict[str, str]:
        origin = _header(event, "Origin")
        headers = {"Vary": "Origin"}
        if origin is not None and origin in origins:
            headers["Access-Control-Allow-Origin"] = origin
        return headers

    def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        headers = cors(event)
        if event.get("httpMethod") == "OPTIONS":
            allow = {
                "Access-Control-Allow-Methods": "GET, OPTIONS",
                "Access-Control-Max-Age": "600",
            }
            return {"statusCode": 204, "headers": {**headers, **allow}, "body": ""}
        params = event.get("queryStringParameters") or {}
        content_type = params.get("contentType")
        if not content_type:
            message = f"contentType is required: one of {', '.join(types)}"
            return _json_response(400, {"error": message}, headers)
        if content_type not in types:
            log.info("Refused a content type that is not allowed")
            message = f"contentType is not allowed: use one of {', '.join(types)}"
            return _json_response(400, {"error": message}, headers)
        expires = _expiry(params.get("expires"), max_expires)
        if expires is None:
            message = f"expires must be a whole number of seconds (at most {max_expires})"
            return _json_response(400, {"error": message}, headers)
        key = object_key(prefix, params.get("filekey"), id_factory)
        request = {"Bucket": bucket, "Key": key, "ContentType": content_type}
        url = s3_client.generate_presigned_url("put_object", Params=request, ExpiresIn=expires)
        if "X-Amz-Signature=" not in url:
            raise RuntimeError("The S3 client did not presign with SigV4")
        log.info("Signed a PUT for %s (%s, %d s)", key, content_type, expires)
        payload = {
            "signed_url": url,
            "method": "PUT",
            "headers": {"Content-Type": content_type},
            "key": key,
            "expires_in": expires,
        }
        return _json_response(200, payload, headers)

    return handler
