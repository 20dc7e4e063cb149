"""The two shapes of the signature search: what it starts from, and one change it tries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ....signing.presigned_url import PresignedUrl
from ....signing.sent_request import SentRequest

__all__ = ["Candidate", "SearchInput", "with_header"]


@dataclass(frozen=True)
class SearchInput:
    """What the search starts from: the URL, the request as S3 received it, and side facts.

    ``declared`` holds header values the description gave that S3 cannot have received (the
    Content-Length the client declared, when the body's real size is known); ``raw_path`` is
    the path exactly as the URL writes it.
    """

    url: PresignedUrl
    request: SentRequest
    declared: Mapping[str, str] = field(default_factory=dict)
    raw_path: str = "/"


@dataclass(frozen=True)
class Candidate:
    """One change: ``request`` (with ``region`` and canonical ``uri``) is what the signer may have signed."""

    code: str
    subject: str
    description: str
    request: SentRequest
    region: str | None = None
    uri: str | None = None


def with_header(request: SentRequest, name: str, value: str | None) -> SentRequest:
    """``request`` with header ``name`` (lower-case) set to ``value``, or removed when None."""
    kept = tuple((n, v) for n, v in request.headers if n.lower() != name)
    return replace(request, headers=kept if value is None else (*kept, (name, value)))
