"""Helpers for the probe tests: run it against the strict local S3 or a raw moto server."""

from __future__ import annotations

from typing import Any

from presignlab.examples import EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY
from presignlab.locals3.server import LocalS3
from presignlab.probing import ProbeReport, probe

__all__ = ["MOTO_KEYS", "bucket_names", "probe_local", "probe_moto"]

#: Any key pair works on a raw moto server; AWS's documented example pair.
MOTO_KEYS = {"access_key_id": EXAMPLE_ACCESS_KEY_ID, "secret_access_key": EXAMPLE_SECRET_ACCESS_KEY}


def probe_local(server: LocalS3, **options: Any) -> ProbeReport:
    """The probe against the strict local S3, with its clock (the clock cases run)."""
    options.setdefault("progress", False)
    return probe(
        server.endpoint_url,
        access_key_id=server.access_key_id,
        secret_access_key=server.secret_access_key,
        server_clock=server.clock,
        **options,
    )


def probe_moto(endpoint: str, **options: Any) -> ProbeReport:
    """The probe against a raw moto server (no clock: the clock cases are skipped)."""
    options.setdefault("progress", False)
    return probe(endpoint, **MOTO_KEYS, **options)


def bucket_names(client: Any) -> list[str]:
    """Every bucket the endpoint lists."""
    return [b["Name"] for b in client.list_buckets().get("Buckets", [])]
