"""Presigned URLs made by the real JavaScript SDKs, recorded so that notebooks need no node.

``tools/js-sdk-urls/generate.mjs`` runs JS SDK v3 (``@aws-sdk/client-s3`` with
``@aws-sdk/s3-request-presigner``) and JS SDK v2 (``aws-sdk``, the seed article's SDK), at the
exact versions its ``package.json`` pins, with AWS's documented example keys, the notebooks'
clock (:data:`presignlab.lab.LAB_EPOCH`) and the endpoint ``http://127.0.0.1:4566``
(path-style, us-east-1). It writes ``presignlab/lab/data/js_sdk_urls.json``, which this module
reads; ``make js-sdk-urls`` regenerates it, and a test compares a fresh run with it.

Example::

    case = js_sdk_fixture("v3-put-default")
    case.url                 # exactly what getSignedUrl returned
    case.headers             # the headers the SDK signed: send them with these values
    case.unsigned_headers    # the rest of the SDK's own request (S3 does not check them)

Every URL is signed for ``Host: 127.0.0.1:4566`` (:attr:`SdkPresignedUrl.signed_host`); to send
one to a local S3 on another port, connect to ``case.url_on(endpoint)`` and send that Host header.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import FixtureError

__all__ = [
    "FIXTURE_FILE",
    "SCHEMA",
    "SdkPresignedUrl",
    "js_sdk_fixture",
    "js_sdk_fixtures",
    "parse_js_sdk_fixtures",
]

#: The fixture file, inside the package.
FIXTURE_FILE = "lab/data/js_sdk_urls.json"
#: The version of the file's layout this module reads.
SCHEMA = 1


@dataclass(frozen=True)
class SdkPresignedUrl:
    """One presigned URL as an SDK made it, with everything needed to reproduce the call."""

    id: str
    sdk: str  # "JS SDK v3" or "JS SDK v2"
    packages: Mapping[str, str]  # npm package -> exact version
    call: str  # the JavaScript call, with config/input/options standing for the fields below
    config: Mapping[str, Any]  # the client's configuration (credentials left out)
    input: Mapping[str, Any]  # the command's input (v3) or the operation's params (v2)
    options: Mapping[str, Any]  # getSignedUrl's options (v3; sets as sorted lists)
    method: str
    url: str
    headers: Mapping[str, str]  # signed by the SDK: the uploader must send them
    unsigned_headers: Mapping[str, str]  # on the SDK's request but not signed
    signed_at: datetime  # the SDK's (faked) clock when it signed
    note: str

    @property
    def version(self) -> str:
        """The exact version of the SDK's main package (client-s3 for v3, aws-sdk for v2)."""
        return next(iter(self.packages.values()))

    def __str__(self) -> str:
        return f"{self.id}: {self.sdk} {self.version}, {self.method} {self.url}"

    @property
    def signed_host(self) -> str:
        """The Host the URL was signed for (``127.0.0.1:4566``): send it as the Host header."""
        return urlsplit(self.url).netloc

    def url_on(self, endpoint_url: str) -> str:
        """The URL with its scheme and host:port replaced by ``endpoint_url``'s, path and query
        byte for byte (the signature still names :attr:`signed_host`)."""
        endpoint = urlsplit(endpoint_url)
        if not endpoint.scheme or not endpoint.netloc:
            raise ValueError(
                f"{endpoint_url!r} is not an endpoint URL such as http://127.0.0.1:4566"
            )
        return urlunsplit(
            urlsplit(self.url)._replace(scheme=endpoint.scheme, netloc=endpoint.netloc)
        )


def _field(case: Mapping[str, Any], name: str, kind: type, where: str) -> Any:
    if name not in case:
        raise FixtureError(f"{where}: missing field {name!r}")
    value = case[name]
    if not isinstance(value, kind):
        raise FixtureError(f"{where}: field {name!r} must be {kind.__name__}, not {value!r}")
    return value


def _strings(case: Mapping[str, Any], name: str, where: str) -> dict[str, str]:
    value: dict[str, Any] = _field(case, name, dict, where)
    for key, text in value.items():
        if not isinstance(text, str):
            raise FixtureError(f"{where}: {name}[{key!r}] must be text, not {text!r}")
    return dict(value)


def _case(raw: Any, position: int) -> SdkPresignedUrl:
    where = f"case {position}"
    if not isinstance(raw, dict):
        raise FixtureError(f"{where} must be an object, not {raw!r}")
    where = f"case {position} ({raw.get('id')!r})"
    text = {name: _field(raw, name, str, where) for name in ("id", "sdk", "call", "method", "url")}
    signed_at_text: str = _field(raw, "signed_at", str, where)
    try:
        signed_at = datetime.fromisoformat(signed_at_text)
    except ValueError as exc:
        raise FixtureError(
            f"{where}: signed_at is not an ISO 8601 instant: {signed_at_text!r}"
        ) from exc
    if signed_at.tzinfo is None:
        raise FixtureError(f"{where}: signed_at has no time zone: {signed_at_text!r}")
    packages = _strings(raw, "packages", where)
    if not packages:
        raise FixtureError(f"{where}: packages is empty")
    return SdkPresignedUrl(
        id=text["id"],
        sdk=text["sdk"],
        packages=packages,
        call=text["call"],
        config=dict(_field(raw, "config", dict, where)),
        input=dict(_field(raw, "input", dict, where)),
        options=dict(_field(raw, "options", dict, where)),
        method=text["method"],
        url=text["url"],
        headers=_strings(raw, "headers", where),
        unsigned_headers=_strings(raw, "unsigned_headers", where),
        signed_at=signed_at,
        note=_field(raw, "note", str, where),
    )


def parse_js_sdk_fixtures(text: str) -> tuple[SdkPresignedUrl, ...]:
    """The cases of a fixture file's text, in file order.

    Raises :class:`~presignlab.errors.FixtureError` (a ValueError) naming the case and field when the text is not a fixture file of
    schema :data:`SCHEMA`, or when two cases share an id.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FixtureError(f"the JS SDK fixture file is not JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        found = document.get("schema") if isinstance(document, dict) else None
        raise FixtureError(f"the JS SDK fixture file must have schema {SCHEMA}, not {found!r}")
    raw_cases = document.get("cases")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise FixtureError("the JS SDK fixture file has no cases")
    cases = tuple(_case(raw, position) for position, raw in enumerate(raw_cases))
    ids = [case.id for case in cases]
    duplicated = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
    if duplicated:
        raise FixtureError(f"the JS SDK fixture file repeats case ids: {', '.join(duplicated)}")
    return cases


def js_sdk_fixtures() -> tuple[SdkPresignedUrl, ...]:
    """Every recorded case (JS SDK v3 first, then v2), read from the package's fixture file."""
    text = resources.files("presignlab").joinpath(FIXTURE_FILE).read_text(encoding="utf-8")
    return parse_js_sdk_fixtures(text)


def js_sdk_fixture(case_id: str) -> SdkPresignedUrl:
    """The recorded case ``case_id`` (such as ``"v3-put-default"``); KeyError lists the ids."""
    cases = js_sdk_fixtures()
    for case in cases:
        if case.id == case_id:
            return case
    known = ", ".join(case.id for case in cases)
    raise KeyError(f"no JS SDK fixture {case_id!r}; the recorded ones are: {known}")
