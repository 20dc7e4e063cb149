"""The endpoint a probe runs against: its kind, region, credentials, clients and URLs.

``kind`` is ``aws`` for a ``*.amazonaws.com`` host (the probe then prints a cost note first),
``local`` for a loopback address, ``other`` for any other S3-compatible store. Requests use
path-style URLs (``ENDPOINT/BUCKET/KEY``) on every kind, so one URL shape is compared
everywhere. The secret key is kept here and never rendered (``repr`` leaves it out).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ..clock import Clock
from ..errors import PresignLabError
from ..signing import sigv4

__all__ = ["ProbeError", "Target", "endpoint_kind"]


class ProbeError(PresignLabError):
    """The probe cannot start: a bad endpoint, no credentials, real AWS not confirmed."""


def endpoint_kind(endpoint: str) -> str:
    """``aws``, ``local`` or ``other`` for an ``http(s)://HOST[:PORT]`` endpoint."""
    host = (urlsplit(endpoint).hostname or "").lower()
    if host == "amazonaws.com" or host.endswith(".amazonaws.com"):
        return "aws"
    if host == "localhost" or host.endswith(".localhost"):
        return "local"
    try:
        return "local" if ipaddress.ip_address(host).is_loopback else "other"
    except ValueError:
        return "other"


def _checked_endpoint(endpoint: str) -> str:
    parts = urlsplit(endpoint.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProbeError(
            f"{endpoint[:80]!r} is not an endpoint such as https://s3.eu-west-1.amazonaws.com "
            "or http://127.0.0.1:4566."
        )
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ProbeError(
            f"{endpoint[:80]!r}: give the endpoint only (scheme, host, port), no bucket or path."
        )
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Target:
    """Where and as whom the probe sends its requests."""

    endpoint: str
    region: str
    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)
    #: The endpoint's own clock when the probe may move it (the kit's local S3), else None.
    server_clock: Clock | None = field(default=None, repr=False)

    @classmethod
    def make(
        cls,
        endpoint: str,
        *,
        region: str,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        session_token: str | None = None,
        server_clock: Clock | None = None,
    ) -> Target:
        """A target; without keys, boto3's usual credential chain is asked."""
        url = _checked_endpoint(endpoint)
        if not region or "/" in region or len(region) > 40:
            raise ProbeError(f"{region[:40]!r} is not a region name such as eu-west-1.")
        if access_key_id is None or secret_access_key is None:
            if access_key_id is not None or secret_access_key is not None:
                raise ProbeError("Give both the access key id and its secret key, or neither.")
            import boto3

            found = boto3.session.Session().get_credentials()
            if found is None:
                raise ProbeError(
                    "No credentials: give --access-key-id with --secret-key-env NAME (or a "
                    "secret on standard input), or configure boto3's usual credential chain."
                )
            frozen = found.get_frozen_credentials()
            access_key_id, secret_access_key = frozen.access_key, frozen.secret_key
            session_token = frozen.token
        return cls(url, region, access_key_id, secret_access_key, session_token, server_clock)

    @property
    def kind(self) -> str:
        """``aws``, ``local`` or ``other``."""
        return endpoint_kind(self.endpoint)

    def now(self) -> datetime:
        """The instant requests are signed at: the server's clock when known, else real time."""
        return self.server_clock.now() if self.server_clock is not None else datetime.now(UTC)

    def object_url(self, bucket: str, key: str = "") -> str:
        """The path-style URL of ``key`` in ``bucket`` (the bucket itself when ``key`` is empty)."""
        return f"{self.endpoint}/{bucket}/{sigv4.uri_encode(key, encode_slash=False)}"

    def client(self, service: str, **overrides: Any) -> Any:
        """A boto3 client for ``service`` (no retries); IAM and STS on AWS use AWS's endpoints."""
        import boto3
        from botocore.config import Config

        options: dict[str, Any] = {
            "region_name": self.region,
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
            "aws_session_token": self.session_token,
            "config": Config(
                signature_version="s3v4" if service == "s3" else None,
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1, "mode": "standard"},
                connect_timeout=10,
                read_timeout=30,
            ),
        }
        if service == "s3" or self.kind != "aws":
            options["endpoint_url"] = self.endpoint
        options.update(overrides)
        return boto3.session.Session().client(service, **options)
