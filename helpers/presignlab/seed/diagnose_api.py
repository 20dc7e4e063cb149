"""``POST /diagnose`` of the upload page: the server diagnoses a failed upload with the signer's secret.

The page sends what it knows: ``{"url", "method", "headers", "error_body", "status",
"network_error"}``. The server adds what the page must never hold: the signing secret (asked
of ``secret_for`` by the URL's access key id, so only URLs this service signed get it) and the
bucket's current CORS rules. A network error (status 0: the browser let the page read no
answer) is diagnosed as the preflight the browser sent, from the page's own ``Origin``, so a
page opened at the wrong origin is named a CORS failure; when the rules admit the preflight,
the upload itself is diagnosed. The answer is the diagnosis as JSON plus ``comparison_html``
(the side-by-side table, with classes instead of inline styles), with the secret masked.

Bodies are read with a bound that holds for ``Transfer-Encoding: chunked`` too, and JSON
nested too deeply is a clear 400, never a RecursionError.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from ..diagnosis import diagnose
from ..diagnosis.checks.cors_rules import browser_preflight
from ..diagnosis.redact import redact
from ..diagnosis.render import as_html
from ..errors import PresignedUrlError
from ..signing.presigned_url import parse_presigned_url

__all__ = ["MAX_DIAGNOSE_BODY", "BodyTooLarge", "BodyUnreadable", "diagnose_request", "read_json"]

#: Request bodies ``/diagnose`` accepts, at most (an S3 error body is a few KiB).
MAX_DIAGNOSE_BODY = 256 * 1024
_CHUNK = 64 * 1024
SecretFor = Callable[[str], str | None]
CorsRules = Callable[[], Sequence[Mapping[str, Any]] | None]


class BodyTooLarge(Exception):
    """The body is over :data:`MAX_DIAGNOSE_BODY` (declared or read)."""


class BodyUnreadable(Exception):
    """The body is not JSON, or is nested too deeply to read."""


def read_json(stream: Any, declared: int | None) -> object:
    """The JSON of a request body, reading at most one byte over the limit (chunked bodies too)."""
    if declared is not None and declared > MAX_DIAGNOSE_BODY:
        raise BodyTooLarge
    data = bytearray()
    while len(data) <= MAX_DIAGNOSE_BODY:
        chunk = stream.read(min(_CHUNK, MAX_DIAGNOSE_BODY + 1 - len(data)))
        if not chunk:
            break
        data += chunk
    if len(data) > MAX_DIAGNOSE_BODY:
        raise BodyTooLarge
    try:
        return json.loads(bytes(data))
    except RecursionError as exc:
        raise BodyUnreadable("The JSON is nested too deeply.") from exc
    except ValueError as exc:
        raise BodyUnreadable("The body must be JSON.") from exc


def _header_pairs(headers: object) -> list[tuple[str, str]]:
    if isinstance(headers, Mapping):
        return [(str(k), str(v)) for k, v in headers.items() if isinstance(v, (str, int, float))]
    if isinstance(headers, list):
        pairs = [p for p in headers if isinstance(p, (list, tuple)) and len(p) == 2]
        return [(str(n), str(v)) for n, v in pairs if isinstance(v, (str, int, float))]
    return []


def _secret(url: str, secret_for: SecretFor | None) -> str | None:
    if secret_for is None:
        return None
    try:
        key = parse_presigned_url(url).access_key_id
    except PresignedUrlError:
        return None
    return secret_for(key) if key else None


def _answer(result: Any, secret: str | None) -> dict[str, object]:
    data: dict[str, object] = result.to_dict()
    if result.comparison is not None:
        data["comparison_html"] = redact(
            as_html(result.comparison, inline_style=False), tokens=result._tokens()
        )
    return redact(data, secret=secret)  # type: ignore[no-any-return]


def diagnose_request(
    payload: object,
    now: datetime | None,
    *,
    secret_for: SecretFor | None = None,
    cors_rules: CorsRules | None = None,
    origin: str | None = None,
) -> dict[str, object]:
    """The diagnosis (as JSON) of what the page sent and what S3 answered; never raises."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("url"), str):
        return {"verdict": "invalid-input", "error": "expected a JSON object with a url"}
    url, method = payload["url"], payload.get("method")
    method = method if isinstance(method, str) else "PUT"
    headers = [(n, v) for n, v in _header_pairs(payload.get("headers")) if n.lower() != "origin"]
    error_body = payload.get("error_body")
    status = payload.get("status")
    secret = _secret(url, secret_for)
    rules = cors_rules() if cors_rules is not None else None
    page = origin or (payload.get("origin") if isinstance(payload.get("origin"), str) else None)
    if payload.get("network_error") is True or status == 0:
        _, requested = browser_preflight(method, headers)
        asked = [("Access-Control-Request-Method", method)]
        asked += [("Access-Control-Request-Headers", ",".join(requested))] if requested else []
        asked += [("Origin", page)] if page else []
        preflight = diagnose(
            url, "OPTIONS", asked, now=now, cors=list(rules) if rules is not None else None
        )
        if preflight.verdict != "ok" or rules is None:
            return _answer(preflight, secret)
    result = diagnose(
        url, method, tuple(headers), secret_key=secret, now=now,
        error_xml=error_body if isinstance(error_body, str) and error_body else None,
        status=status if isinstance(status, int) and not isinstance(status, bool) and status > 0 else None,
    )  # fmt: skip
    return _answer(result, secret)
