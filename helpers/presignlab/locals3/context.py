"""The per-request context the pipeline stages share (kept apart to avoid import cycles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .authn.credentials import MotoCredentialStore

__all__ = ["S3Context"]


@dataclass(frozen=True)
class S3Context:
    """The credential store, the LocalS3 clock's ``now`` for this request, the account, and the
    client's address (``aws:SourceIp``: the peer of the TCP connection, never a header)."""

    store: MotoCredentialStore
    now: datetime
    account_id: str
    source_ip: str = "127.0.0.1"
