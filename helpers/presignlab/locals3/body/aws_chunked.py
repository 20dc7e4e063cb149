"""Decoding ``aws-chunked`` upload bodies (SigV4 streaming), verifying chunk signatures.

Forms (``x-amz-content-sha256``): ``STREAMING-AWS4-HMAC-SHA256-PAYLOAD`` (every chunk signed),
``STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`` (signed chunks plus a signed trailer) and
``STREAMING-UNSIGNED-PAYLOAD-TRAILER`` (plain chunks plus a trailer, e.g. a checksum). A chunk
is ``hex-size[;chunk-signature=SIG]\\r\\n DATA \\r\\n``; the last has size 0 and is followed by the
trailer lines and an empty line. A chunk's signature is the HMAC (signing key of the request)
of ``AWS4-HMAC-SHA256-PAYLOAD\\n DATE\\n SCOPE\\n PREVIOUS-SIG\\n sha256("")\\n sha256(DATA)``,
the first "previous" being the Authorization header's signature; the trailer's is over
``AWS4-HMAC-SHA256-TRAILER\\n DATE\\n SCOPE\\n PREVIOUS-SIG\\n sha256(trailer lines)``.
(AWS S3 API reference, "Signature calculations for the Authorization header: transferring
payload in multiple chunks" and "... including trailing headers".)

UNCONFIRMED: a malformed chunk framing answers 400 ``IncompleteBody``; a wrong chunk or trailer
signature answers 403 ``SignatureDoesNotMatch`` with the standard message and no extra elements.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from ..wire.catalogue import chunk_signature_mismatch, incomplete_body

__all__ = ["STREAMING_FORMS", "ChunkSigner", "decode_aws_chunked"]

STREAMING_FORMS = (
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
)
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_MAX_LINE = 4096


@dataclass
class ChunkSigner:
    """What chunk signatures are computed from: the request's signing key, date, scope, seed."""

    signing_key: bytes
    amz_date: str
    scope: str
    previous: str

    def __repr__(self) -> str:
        return f"ChunkSigner(amz_date={self.amz_date!r}, scope={self.scope!r}, signing_key='***')"

    def _next(self, kind: str, digest: str) -> str:
        text = f"{kind}\n{self.amz_date}\n{self.scope}\n{self.previous}\n{digest}"
        self.previous = hmac.new(self.signing_key, text.encode("utf-8"), hashlib.sha256).hexdigest()
        return self.previous

    def chunk(self, data: bytes) -> str:
        """The signature the next chunk must carry."""
        return self._next(
            "AWS4-HMAC-SHA256-PAYLOAD", f"{_EMPTY_SHA256}\n{hashlib.sha256(data).hexdigest()}"
        )

    def trailer(self, lines: bytes) -> str:
        """The signature the trailer must carry."""
        return self._next("AWS4-HMAC-SHA256-TRAILER", hashlib.sha256(lines).hexdigest())


def _line(readline: Callable[[int], bytes]) -> bytes:
    line = readline(_MAX_LINE)
    if not line.endswith(b"\r\n"):
        raise incomplete_body()
    return line[:-2]


def decode_aws_chunked(
    readline: Callable[[int], bytes],
    read: Callable[[int], bytes],
    write: Callable[[bytes], object],
    signer: ChunkSigner | None,
) -> list[tuple[str, str]]:
    """Decode an aws-chunked body into ``write``; return the trailer headers (lower-case names).

    ``signer`` is None for the unsigned form; then chunk signatures are not expected.
    """
    while True:
        header = _line(readline)
        size_text, _, ext = header.partition(b";")
        try:
            size = int(size_text.strip(), 16)
        except ValueError:
            raise incomplete_body() from None
        if size < 0:
            raise incomplete_body()
        data = read(size) if size else b""
        if len(data) != size:
            raise incomplete_body()
        if signer is not None:
            sent = ext.partition(b"chunk-signature=")[2].strip().decode("ascii", "replace")
            if not hmac.compare_digest(sent, signer.chunk(data)):
                raise chunk_signature_mismatch()
        if size == 0:
            break
        write(data)
        if read(2) != b"\r\n":
            raise incomplete_body()
    return _trailers(readline, signer)


def _trailers(
    readline: Callable[[int], bytes], signer: ChunkSigner | None
) -> list[tuple[str, str]]:
    trailers: list[tuple[str, str]] = []
    signed_text = b""
    sent_signature: str | None = None
    while True:
        line = readline(_MAX_LINE)
        if line in (b"", b"\r\n", b"\n"):
            break
        text = line.rstrip(b"\r\n")
        name, sep, value = text.partition(b":")
        if not sep:
            raise incomplete_body()
        lname = name.strip().decode("ascii", "replace").lower()
        if lname == "x-amz-trailer-signature":
            sent_signature = value.strip().decode("ascii", "replace")
            continue
        signed_text += text + b"\n"
        trailers.append((lname, value.strip().decode("ascii", "replace")))
    signed_trailer = signer is not None and (trailers or sent_signature is not None)
    if (
        signed_trailer
        and signer is not None
        and (
            sent_signature is None
            or not hmac.compare_digest(sent_signature, signer.trailer(signed_text))
        )
    ):
        raise chunk_signature_mismatch()
    return trailers
