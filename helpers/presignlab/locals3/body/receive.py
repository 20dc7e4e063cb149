"""Receiving a request body before moto sees it: length rules, digests, aws-chunked, spooling.

When a digest must be verified (a hex ``x-amz-content-sha256``, Content-MD5, a checksum, an
aws-chunked body), :func:`receive_body` reads the body once, in blocks, into a temporary file
that stays in memory up to :data:`SPOOL_IN_MEMORY` bytes and goes to disk beyond, while the
digests are computed; only when everything matches is the spooled body handed to moto, so a
failing request stores nothing. Otherwise (e.g. a presigned PUT with ``UNSIGNED-PAYLOAD``)
:class:`PassThroughBody` streams the socket to moto unchanged and raises ``IncompleteBody``
inside moto's read if the body ends early: moto reads a whole body before it stores anything,
so nothing is stored then either. We never hold a whole-body copy in memory.

Rules (BODY-01 to BODY-04): a PUT without Content-Length that is not chunked
is 411 ``MissingContentLength``; a body shorter than Content-Length is 400 ``IncompleteBody``; a
hex ``x-amz-content-sha256`` that does not match is 400 ``XAmzContentSHA256Mismatch`` with
``ClientComputedContentSHA256`` and ``S3ComputedContentSHA256``.

UNCONFIRMED: a client idle for longer than the server's socket timeout mid-body gets 400
``RequestTimeout`` ``Your socket connection to the server was not read from or written to within
the timeout period. Idle connections will be closed.`` (AWS's error-code list).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from typing import IO, Any

from ...signing import sigv4
from ..wire.catalogue import incomplete_body, request_timeout, xml_sha256_mismatch
from ..wire.errors import S3Error
from .aws_chunked import ChunkSigner, decode_aws_chunked

__all__ = [
    "BLOCK",
    "SPOOL_IN_MEMORY",
    "BodyReader",
    "PassThroughBody",
    "receive_body",
]

BLOCK = 1024 * 1024
SPOOL_IN_MEMORY = 1024 * 1024

Observer = Callable[[bytes], object]


class BodyReader:
    """Reads at most ``limit`` bytes (all when None); a body that ends early is IncompleteBody."""

    def __init__(self, stream: Any, limit: int | None) -> None:
        self._stream = stream
        self._left = limit

    def _guard(self, call: Callable[[], bytes], wanted: int) -> bytes:
        try:
            data = call()
        except TimeoutError:
            raise request_timeout() from None
        except (ConnectionError, OSError, ValueError) as exc:
            raise incomplete_body() from exc
        if self._left is not None:
            if not data and wanted > 0:
                raise incomplete_body()
            self._left -= len(data)
        return data

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes (fewer only at the end of the body)."""
        if self._left is not None:
            size = min(size, self._left)
        if size <= 0:
            return b""
        first = self._guard(partial(self._stream.read, size), size)
        if len(first) == size or not first:
            return first
        out = bytearray(first)
        while len(out) < size:
            wanted = size - len(out)
            chunk = self._guard(partial(self._stream.read, wanted), wanted)
            if not chunk:
                break
            out += chunk
        return bytes(out)

    def readline(self, limit: int) -> bytes:
        """One line of at most ``limit`` bytes."""
        if self._left is not None:
            limit = min(limit, self._left)
        if limit <= 0:
            return b""
        return self._guard(partial(self._stream.readline, limit), 1)

    def drain(self) -> None:
        """Read and drop what is left, so the connection can be reused."""
        try:
            while self.read(BLOCK):
                pass
        except S3Error:
            pass


class PassThroughBody:
    """``wsgi.input`` for moto: the client's body as it arrives, IncompleteBody if it ends early."""

    def __init__(self, stream: Any, length: int, observers: Sequence[Observer] = ()) -> None:
        self._reader = BodyReader(stream, length)
        self._length = length
        self._observers = tuple(observers)

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes (all that is left when ``size`` is None or negative)."""
        data = self._reader.read(self._length if size is None or size < 0 else size)
        for observe in self._observers:
            observe(data)
        return data

    def readline(self, limit: int | None = -1) -> bytes:
        """One line (moto does not read bodies by line; provided for WSGI completeness)."""
        return self._reader.readline(self._length if limit is None or limit < 0 else limit)

    def __iter__(self) -> Any:
        return iter(lambda: self.read(BLOCK), b"")


def receive_body(
    stream: Any,
    content_length: int | None,
    *,
    declared_sha256: str | None,
    observers: Sequence[Observer] = (),
    chunk_signer: ChunkSigner | None = None,
    aws_chunked: bool = False,
    max_size: int | None = None,
    too_large: Callable[[int], S3Error] | None = None,
) -> tuple[IO[bytes], int, list[tuple[str, str]]]:
    """Spool the body; return ``(file at offset 0, decoded length, aws-chunked trailers)``.

    ``declared_sha256`` is checked when it is a 64-hex digest. With ``aws_chunked`` the body is
    decoded (chunk signatures verified with ``chunk_signer`` when given) and the observers and
    the digest see the decoded bytes.
    """
    reader = BodyReader(stream, content_length)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned open
    digest = hashlib.sha256() if sigv4.is_sha256_hex(declared_sha256) else None
    total = 0

    def write(data: bytes) -> None:
        nonlocal total
        total += len(data)
        if max_size is not None and total > max_size and too_large is not None:
            raise too_large(total)
        if digest is not None:
            digest.update(data)
        for observe in observers:
            observe(data)
        spool.write(data)

    trailers: list[tuple[str, str]] = []
    try:
        if aws_chunked:
            trailers = decode_aws_chunked(reader.readline, reader.read, write, chunk_signer)
            reader.drain()
        else:
            while block := reader.read(BLOCK):
                write(block)
            if content_length is not None and total != content_length:
                raise incomplete_body()
    except BaseException:
        spool.close()
        raise
    if (
        digest is not None
        and declared_sha256 is not None
        and digest.hexdigest() != declared_sha256.lower()
    ):
        spool.close()
        raise xml_sha256_mismatch(declared_sha256, digest.hexdigest())
    spool.seek(0)
    return spool, total, trailers
