"""The object checksums S3 accepts, as incremental digests: CRC32, CRC32C, CRC64NVME, SHA1, SHA256.

S3's additional checksums (the ``x-amz-checksum-<algorithm>`` headers) are the base64 of the
big-endian digest. CRC32 is ``zlib.crc32``; SHA1 and SHA256 come from ``hashlib``.

CRC32C (Castagnoli, reflected polynomial ``0x82F63B78``) and CRC64NVME (reflected polynomial
``0x9A6C9329AC4BC9B5``) come from the AWS Common Runtime (``awscrt.checksums``, installed with
botocore's ``crt`` extra), which computes them at GB/s. When it is not installed, a 256-entry
table in plain Python computes the same digests at a few MB/s (the tested fallback). Both start
from all ones and are inverted at the end (check values for ``b"123456789"``: ``0xE3069283`` and
``0xAE8B14860A799888``).
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["ALGORITHMS", "DEFAULT_CHECKSUM", "DIGEST_SIZES", "Digest", "b64_digest", "new_digest"]

#: The checksum S3 gives an object uploaded with none (INTEG-10, since 2025).
DEFAULT_CHECKSUM = "CRC64NVME"
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


class _CrtCrc:
    """CRC32C or CRC64NVME from the AWS Common Runtime (same digests as :class:`_TableCrc`)."""

    def __init__(self, function: Callable[[bytes, int], int], width: int) -> None:
        self._function = function
        self._width = width
        self._crc = 0

    def update(self, data: bytes) -> None:
        self._crc = self._function(data, self._crc)

    def digest(self) -> bytes:
        return self._crc.to_bytes(self._width, "big")


def _crt() -> Any:
    try:
        from awscrt import checksums
    except ImportError:
        return None
    return checksums


_CRT = _crt()


class _Hash:
    def __init__(self, name: str) -> None:
        self._hash = hashlib.new(name)

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def digest(self) -> bytes:
        return self._hash.digest()


def new_digest(algorithm: str, *, use_crt: bool = True) -> Digest:
    """A fresh digest for ``algorithm`` (any case: ``crc32``, ``CRC32C``, ``sha256``, …).

    ``use_crt=False`` forces the pure-Python CRCs (the fallback, kept tested).
    """
    name = algorithm.upper()
    crt = _CRT if use_crt else None
    if name == "CRC32":
        return _Crc32()
    if name == "CRC32C":
        return _CrtCrc(crt.crc32c, 4) if crt else _TableCrc(_CRC32C_TABLE, 4)
    if name == "CRC64NVME":
        return _CrtCrc(crt.crc64nvme, 8) if crt else _TableCrc(_CRC64NVME_TABLE, 8)
    if name in ("SHA1", "SHA256"):
        return _Hash(name.lower())
    raise ValueError(f"unsupported checksum algorithm: {algorithm}")


def b64_digest(algorithm: str, data: bytes) -> str:
    """The base64 checksum of ``data`` as S3 writes it in ``x-amz-checksum-<algorithm>``."""
    digest = new_digest(algorithm)
    digest.update(data)
    return base64.b64encode(digest.digest()).decode("ascii")
