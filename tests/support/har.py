"""Build HAR files shaped like Chromium's "Save all as HAR" for the diagnosis tests."""

from __future__ import annotations

import json
from typing import Any

PAGE = "http://localhost:3000"
BROWSER = {
    "Accept": "*/*",
    "Accept-Language": "en-GB,en;q=0.9",
    "Sec-Fetch-Dest": "empty",
    "Sec-Fetch-Mode": "cors",
    "Sec-Fetch-Site": "cross-site",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
}


def _pairs(headers: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": n, "value": v} for n, v in headers.items()]


def entry(
    method: str,
    url: str,
    headers: dict[str, str],
    status: int,
    *,
    body: str = "",
    response_headers: dict[str, str] | None = None,
    body_size: int = 0,
    started: str = "2026-03-01T12:01:00.000Z",
    error: str | None = None,
) -> dict[str, Any]:
    """One HAR entry as Chromium records it (pseudo-headers of HTTP/2 included)."""
    host = url.split("//", 1)[1].split("/", 1)[0]
    item: dict[str, Any] = {
        "startedDateTime": started,
        "time": 120.5,
        "request": {
            "method": method,
            "url": url,
            "httpVersion": "http/2.0",
            "headers": _pairs(
                {":authority": host, ":method": method, ":scheme": "https", **BROWSER, **headers}
            ),
            "queryString": [],
            "cookies": [],
            "headersSize": -1,
            "bodySize": body_size,
        },
        "response": {
            "status": status,
            "statusText": "",
            "httpVersion": "http/2.0",
            "headers": _pairs(
                response_headers
                or (
                    {"x-amz-request-id": "4442587FB7D0A2F9", "server": "AmazonS3"} if status else {}
                )
            ),
            "cookies": [],
            "content": {
                "size": len(body),
                "mimeType": "application/xml" if body else "x-unknown",
                "text": body,
            },
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": len(body),
        },
        "cache": {},
        "timings": {"send": 0.1, "wait": 100.0, "receive": 0.5},
        "_resourceType": "fetch" if method != "OPTIONS" else "preflight",
    }
    if error is not None:
        item["_error"] = error
    return item


def har(*entries: dict[str, Any]) -> str:
    """The HAR document's JSON text."""
    return json.dumps(
        {
            "log": {
                "version": "1.2",
                "creator": {"name": "WebInspector", "version": "537.36"},
                "pages": [],
                "entries": list(entries),
            }
        }
    )
