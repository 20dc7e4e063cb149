"""Send a request to a presigned URL with ``requests`` and show S3's answer.

``send`` makes one attempt (no retries, a timeout) and returns a :class:`Response` whose
``error`` is S3's XML error body already parsed by
:func:`presignlab.diagnosis.parse_error_body` (None on success). ``show_error`` prints what a
person needs from a failure: the status, ``Code``, ``Message`` and S3's extra elements, but
never ``RequestId`` or ``HostId`` (they change on every request).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..diagnosis import parse_error_body
from ..diagnosis.error_body import S3ErrorBody
from ..errors import ErrorBodyError

__all__ = ["DEFAULT_TIMEOUT", "Response", "as_response", "send", "show_error"]

#: Seconds ``send`` waits to connect and for each read.
DEFAULT_TIMEOUT = 30.0

_ID_ELEMENTS = frozenset({"RequestId", "HostId"})


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, headers (case-insensitive keys are not kept), body, parsed error."""

    status: int
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)
    error: S3ErrorBody | None = None

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status < 300

    @property
    def code(self) -> str | None:
        """S3's error ``Code``, or None on success."""
        return self.error.code if self.error is not None else None

    def header(self, name: str) -> str | None:
        """A response header by case-insensitive name."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


def _parse_error(status: int, body: bytes) -> S3ErrorBody | None:
    if 200 <= status < 300 or not body:
        return None
    try:
        return parse_error_body(body)
    except ErrorBodyError:
        return None


def send(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    data: bytes | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Response:
    """Send one request (no retries, no redirects followed) and return a :class:`Response`.

    ``headers`` are sent as given; ``requests`` adds only ``Content-Length`` for a body and its
    usual ``User-Agent``/``Accept`` headers, none of which a presigned URL signs.
    """
    import requests

    with requests.Session() as session:
        answer = session.request(
            method,
            url,
            headers=dict(headers or {}),
            data=data,
            timeout=timeout,
            allow_redirects=False,
        )
    body = answer.content
    status = answer.status_code
    return Response(status, dict(answer.headers), body, _parse_error(status, body))


def as_response(answer: Any) -> Response:
    """A :class:`Response` from ours or from a ``requests.Response`` (anything with
    ``status_code``, ``headers`` and ``content``)."""
    if isinstance(answer, Response):
        return answer
    status, body = int(answer.status_code), bytes(answer.content)
    return Response(status, dict(answer.headers), body, _parse_error(status, body))


def show_error(response: Response | Any) -> None:
    """Print the status, Code, Message and S3's extra elements (never RequestId or HostId).

    The ``...Bytes`` elements (hex copies of StringToSign and CanonicalRequest) are left out;
    their text forms are printed, multi-line values indented under their name. A
    ``requests.Response`` is accepted too.
    """
    response = as_response(response)
    print(f"Status: {response.status}")
    error = response.error
    if error is None:
        if not response.ok and response.body:
            print("(the body is not an S3 XML error)")
        return
    print(f"Code: {error.code}")
    print(f"Message: {error.message}")
    for name, value in error.fields:
        if name in _ID_ELEMENTS or name.endswith("Bytes"):
            continue
        if "\n" in value:
            print(f"{name}:")
            for line in value.split("\n"):
                print(f"    {line}")
        else:
            print(f"{name}: {value}")
