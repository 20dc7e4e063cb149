"""The object checksums S3 accepts, as incremental digests: CRC32, CRC32C, CRC64NVME, SHA1, SHA256.

S3's additional checksums (the ``x-amz-checksum-<algorithm>`` headers) are the base64 of the
big-endian digest. CRC32 is ``zlib.crc32``; SHA1 and SHA256 come from ``hashlib``.

CRC32C (Castagnoli, reflected polynomial ``0x82F63B78``) and CRC64NVME (reflected polynomial
``0x9A6C9329AC4BC9B5``) are computed here with a 256-entry table, because neither ``awscrt`` nor
``crc32c`` is installed in our environment. Both start from all ones and are inverted at the end
(check values for ``b"123456789"``: ``0xE3069283`` and ``0xAE8B14860A799888``). The table code
is plain Python, so these two run at a few MB/s: fine for a teaching server, slow for big files.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from typing import Protocol

__all__ = ["ALGORITHMS", "DIGEST_SIZES", "Digest", "b64_digest", "new_digest"]

#: Digest size in bytes for each algorithm S3 supports (names as in the header, upper-cased).
DIGEST_SIZES = {"CRC32": 4, "CRC32C": 4, "CRC64NVME": 8, "SHA1": 20, "SHA256": 32}
ALGORITHMS = tuple(DIGEST_SIZES)


def _table(polynomial: int) -> tuple[int, ...]:
    rows = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ polynomial if crc & 1 else crc >> 1
        rows.append(crc)
    return tuple(rows)


_CRC32C_TABLE = _table(0x82F63B78)
_CRC64NVME_TABLE = _table(0x9A6C9329AC4BC9B5)


class Digest(Protocol):
    """An incremental digest: ``update`` with bytes, then ``digest`` (big-endian bytes)."""

    def update(self, data: bytes) -> None: ...

    def digest(self) -> bytes: ...


class _Crc32:
    def __init__(self) -> None:
        self._crc = 0

    def update(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)

    def digest(self) -> bytes:
        return self._crc.to_bytes(4, "big")


class _TableCrc:
    """A reflected CRC with all-ones start and final inversion, driven by a byte table."""

    def __init__(self, table: tuple[int, ...], width: int) -> None:
        self._table = table
        self._width = width
        self._mask = (1 << (8 * width)) - 1
        self._crc = self._mask

    def update(self, data: bytes) -> None:
        crc, table = self._crc, self._table
        for byte in data:
            crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
        self._crc = crc

    def digest(self) -> bytes:
        return (self._crc ^ self._mask).to_bytes(self._width, "big")


class _Hash:
    def __init__(self, name: str) -> None:
        self._hash = hashlib.new(name)

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def digest(self) -> bytes:
        return self._hash.digest()


def new_digest(algorithm: str) -> Digest:
    """A fresh digest for ``algorithm`` (any case: ``crc32``, ``CRC32C``, ``sha256``, …)."""
    name = algorithm.upper()
    if name == "CRC32":
        return _Crc32()
    if name == "CRC32C":
        return _TableCrc(_CRC32C_TABLE, 4)
    if name == "CRC64NVME":
        return _TableCrc(_CRC64NVME_TABLE, 8)
    if name in ("SHA1", "SHA256"):
        return _Hash(name.lower())
    raise ValueError(f"unsupported checksum algorithm: {algorithm}")


def b64_digest(algorithm: str, data: bytes) -> str:
    """The base64 checksum of ``data`` as S3 writes it in ``x-amz-checksum-<algorithm>``."""
    digest = new_digest(algorithm)
    digest.update(data)
    return base64.b64encode(digest.digest()).decode("ascii")
