"""Read a HAR file (the browser's "Save all as HAR") and find the S3 requests that failed.

HAR 1.2 (W3C draft "HTTP Archive (HAR) format"): ``log.entries[]``, each with ``request``
(``method``, ``url``, ``headers[]``, ``bodySize``) and ``response`` (``status``,
``headers[]``, ``content.text``, possibly base64). A request counts as S3's when its URL is
presigned or on an S3 host, or S3 answered it (``x-amz-request-id``); it failed when the
status is 0 (the browser blocked it, usually CORS; playwright's recorder writes -1) or 300 and
above. A CORS preflight
(OPTIONS) is paired with the request it preceded (same URL, Access-Control-Request-Method).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .errors import InputError

__all__ = ["MAX_HAR", "HarCase", "HarExchange", "failed_s3_cases", "parse_har"]

#: The largest HAR file read, in bytes.
MAX_HAR = 64 * 1024 * 1024
_S3_HOST = re.compile(r"(^|\.)s3[.-]([a-z0-9-]+\.)*amazonaws\.com(\.cn)?$")
_SIGNED = re.compile(r"[?&](X-Amz-Signature|X-Amz-Credential|AWSAccessKeyId|Signature)=")


@dataclass(frozen=True)
class HarExchange:
    """One request and its answer, as the HAR recorded them."""

    index: int
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body_size: int | None
    status: int
    response_headers: dict[str, str]
    response_body: str | None
    started: datetime | None = None
    error: str | None = None  # the browser's network error (Chromium's ``_error``), if any

    def header(self, name: str) -> str | None:
        """A request header's value (any case), or None."""
        return next((v for n, v in self.headers if n.lower() == name.lower()), None)


@dataclass(frozen=True)
class HarCase:
    """A failed S3 request, with its preflight when the browser sent one."""

    request: HarExchange | None
    preflight: HarExchange | None

    @property
    def first(self) -> HarExchange:
        """The exchange that failed first: the preflight when it failed, else the request."""
        if self.preflight is not None and (self.request is None or _failed(self.preflight)):
            return self.preflight
        assert self.request is not None
        return self.request


def _pairs(raw: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list):
        return ()
    out = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        name, value = item.get("name"), item.get("value")
        if (
            isinstance(name, str)
            and isinstance(value, str)
            and not name.startswith(":")
            and name.lower() != "cookie"
        ):
            out.append((name, value))
    return tuple(out)


def _body(content: object) -> str | None:
    if not isinstance(content, dict) or not isinstance(content.get("text"), str):
        return None
    text: str = content["text"]
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text, validate=False).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            return None
    return text


def _started(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _exchange(index: int, entry: Any) -> HarExchange | None:
    request, response = entry.get("request"), entry.get("response")
    if not isinstance(request, dict) or not isinstance(response, dict):
        return None
    method, url, status = request.get("method"), request.get("url"), response.get("status")
    if not isinstance(method, str) or not isinstance(url, str) or not isinstance(status, int):
        return None
    size = request.get("bodySize")
    status = max(status, 0)  # a blocked request: DevTools writes 0, playwright's recorder -1
    return HarExchange(
        index, method.upper(), url, _pairs(request.get("headers")),
        size if isinstance(size, int) and size >= 0 else None, status,
        {n.lower(): v for n, v in _pairs(response.get("headers"))}, _body(response.get("content")),
        _started(entry.get("startedDateTime")),
        entry["_error"][:200] if isinstance(entry.get("_error"), str) else None,
    )  # fmt: skip


def parse_har(data: str | bytes) -> list[HarExchange]:
    """Every readable exchange of a HAR file, in recorded order."""
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
    if len(raw) > MAX_HAR:
        raise InputError(f"This HAR file is {len(raw)} bytes; at most {MAX_HAR} are read.")
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise InputError(
            'This is not a HAR file (JSON from the browser\'s "Save all as HAR").'
        ) from exc
    entries = document.get("log", {}).get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise InputError("This JSON has no log.entries: it is not a HAR file.")
    found = [_exchange(i, e) for i, e in enumerate(entries) if isinstance(e, dict)]
    return [x for x in found if x is not None]


def _is_s3(exchange: HarExchange) -> bool:
    host = exchange.url.split("//", 1)[-1].split("/", 1)[0].split(":")[0].lower()
    return bool(
        _S3_HOST.search(host)
        or _SIGNED.search(exchange.url)
        or "x-amz-request-id" in exchange.response_headers
    )


def _failed(exchange: HarExchange) -> bool:
    return exchange.status == 0 or (exchange.status >= 300 and exchange.status != 304)


def _same(a: HarExchange, b: HarExchange) -> bool:
    return a.url.split("#")[0] == b.url.split("#")[0]


def failed_s3_cases(exchanges: list[HarExchange]) -> list[HarCase]:
    """The failed S3 requests in order, each paired with the preflight that preceded it."""
    cases: list[HarCase] = []
    used: set[int] = set()
    for i, exchange in enumerate(exchanges):
        if exchange.method != "OPTIONS" or not _is_s3(exchange):
            continue
        wanted = (exchange.header("access-control-request-method") or "").upper()
        follower = next(
            (
                x
                for x in exchanges[i + 1 :]
                if x.method == wanted and _same(x, exchange) and x.index not in used
            ),
            None,
        )
        if follower is not None:
            used.add(follower.index)
        if _failed(exchange) or (follower is not None and _failed(follower)):
            cases.append(HarCase(follower, exchange))
        used.add(exchange.index)
    for exchange in exchanges:
        if (
            exchange.index not in used
            and exchange.method != "OPTIONS"
            and _is_s3(exchange)
            and _failed(exchange)
        ):
            cases.append(HarCase(exchange, None))
    return sorted(cases, key=lambda c: c.first.index)
