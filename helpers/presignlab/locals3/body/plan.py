"""How one request's body reaches moto: streamed, or spooled and verified first.

:class:`BodyPlan` decides once, from the decided request and its authentication:

* an aws-chunked body is decoded only when the signature says so (``x-amz-content-sha256`` is a
  ``STREAMING-*`` value, AUTH-CK-01); a ``Content-Encoding: aws-chunked`` header alone changes
  nothing: the body is then hashed as sent, and a mismatch with a signed SHA-256 is 400
  XAmzContentSHA256Mismatch (BODY-04);
* a body with something to verify (a hex ``x-amz-content-sha256``, Content-MD5, a checksum, an
  aws-chunked body) is spooled while its digests are computed, and moto gets it only when all
  match, so a failing request stores nothing;
* a plain upload with ``UNSIGNED-PAYLOAD`` streams to moto unchanged
  (:class:`~presignlab.locals3.body.receive.PassThroughBody`);
* the body of an operation that is not an upload is bounded
  (:data:`~presignlab.locals3.wire.limits.MAX_CONFIG_BODY`) and, unless it is a bucket policy
  (JSON), must be plain well-formed XML (:mod:`.xml_guard`);
* an upload is bounded by S3's 5 GiB limit (400 EntityTooLarge), chunked or not.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

from ...signing import sigv4
from ..authn import AuthResult
from ..backend import objects, state
from ..backend.moto_app import MotoAnswer, Readable
from ..wire.catalogue import entity_too_large, incomplete_body, request_entity_too_large
from ..wire.errors import S3Error
from ..wire.limits import MAX_CONFIG_BODY, MAX_OBJECT_SIZE
from ..wire.request import S3Request
from . import integrity, large_put
from .aws_chunked import STREAMING_FORMS, ChunkSigner
from .checksums import DEFAULT_CHECKSUM, Digest, new_digest
from .integrity import DigestSpec
from .receive import PassThroughBody, receive_body
from .xml_guard import check_xml_body

__all__ = ["BodyPlan", "check_before_body"]

_UPLOADS = frozenset({"PutObject", "UploadPart"})
_JSON_BODIES = frozenset({"PutBucketPolicy"})


def check_before_body(
    req: S3Request, account_id: str, signed_headers: Iterable[str]
) -> DigestSpec | None:
    """Digest-header shapes and conditional-write preconditions, before the body is read.

    Applies to PutObject and UploadPart (and the conditional-write part to CopyObject). A signed header that a presigned URL carries as a
    query parameter counts as sent (``hoisted``).
    """
    if req.operation_name == "CopyObject" and req.bucket and req.key:
        integrity.check_conditional_headers(req.headers)
        integrity.check_preconditions(
            req.headers,
            key=req.key,
            current_etag=state.object_etag(account_id, req.bucket, req.key),
        )
        return None
    if req.operation_name not in _UPLOADS:
        return None
    signed = {name.lower() for name in signed_headers}
    hoisted = [(n, v) for n, v in req.sent.query if n.lower() in signed]
    spec = integrity.check_put_headers(req.headers, hoisted=hoisted)
    if req.operation_name == "PutObject" and req.bucket and req.key:
        integrity.check_preconditions(
            req.headers,
            key=req.key,
            current_etag=state.object_etag(account_id, req.bucket, req.key),
        )
    return spec


class BodyPlan:
    """The body of one request on its way to moto; :meth:`close` it when moto is done."""

    def __init__(self, req: S3Request, auth: AuthResult, stream: Any) -> None:
        self.req = req
        self.auth = auth
        self.stream = stream
        self.body: Readable = io.BytesIO(b"")
        self.length = 0
        self._spool: IO[bytes] | None = None
        self._changes: list[tuple[str, str | None]] = []
        self._large = False
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._default_checksum: Digest | None = None

    @property
    def aws_chunked(self) -> bool:
        """Whether the signature declares an aws-chunked body (AUTH-CK-01)."""
        return (self.req.header("x-amz-content-sha256") or "") in STREAMING_FORMS

    def _has_body(self) -> bool:
        return bool(self.req.content_length) or self.req.chunked_transfer

    def _limit(self) -> int:
        return MAX_OBJECT_SIZE if self.req.operation_name in _UPLOADS else MAX_CONFIG_BODY

    def _too_large(self, size: int) -> S3Error:
        if self.req.operation_name in _UPLOADS:
            return entity_too_large(size, self._limit())
        return request_entity_too_large()

    def _check_declared_size(self) -> None:
        declared = self.req.content_length
        if self.aws_chunked:
            decoded = (self.req.header("x-amz-decoded-content-length") or "").strip()
            declared = int(decoded) if decoded.isdigit() else declared
        if declared is not None and declared > self._limit():
            raise self._too_large(declared)

    def _chunk_signer(self) -> ChunkSigner | None:
        declared = self.req.header("x-amz-content-sha256") or ""
        auth = self.auth
        if not declared.startswith("STREAMING-AWS4-HMAC-SHA256") or auth.credential is None:
            return None
        if auth.region is None or auth.amz_date is None or auth.signature is None:
            return None
        return ChunkSigner(
            signing_key=sigv4.signing_key(auth.credential.secret_key, auth.amz_date, auth.region),
            amz_date=auth.amz_date,
            scope=sigv4.credential_scope(auth.amz_date, auth.region),
            previous=auth.signature,
        )

    def _spool_body(self, spec: DigestSpec | None, also: Sequence[Any] = ()) -> None:
        verifier = _verifier(self.req, spec)
        chunked = self.aws_chunked
        spool, length, trailers = receive_body(
            self.stream,
            self.req.content_length,
            declared_sha256=None if chunked else self.auth.payload_hash,
            observers=[*([verifier.update] if verifier is not None else []), *also],
            chunk_signer=self._chunk_signer() if chunked else None,
            aws_chunked=chunked,
            max_size=self._limit(),
            too_large=self._too_large,
        )
        self._spool = spool
        if chunked:
            decoded = self.req.header("x-amz-decoded-content-length")
            if decoded is not None and decoded.strip() != str(length):
                raise incomplete_body()
            self._changes = _chunked_header_changes(self.req, trailers)
        if verifier is not None:
            verifier.finish(trailers)
        self.body, self.length = spool, length

    def read_small(self) -> bytes:
        """Spool a configuration body (bounded) and return it, for authorization to read."""
        self._check_declared_size()
        if self._has_body():
            self._spool_body(None)
        data = self.body.read(self.length)
        if self._spool is not None:
            self._spool.seek(0)
        else:
            self.body = io.BytesIO(data)
        self._check_document(data)
        return data

    def document(self) -> bytes:
        """The spooled body of an operation that is not an upload (its XML document), or b""."""
        if self._spool is None or self.req.operation_name in _UPLOADS:
            return b""
        self._spool.seek(0)
        data = self._spool.read(self.length)
        self._spool.seek(0)
        return data

    def _check_document(self, data: bytes) -> None:
        if self.req.operation_name not in _UPLOADS | _JSON_BODIES:
            check_xml_body(data)

    def receive(self, spec: DigestSpec | None, *, large: bool) -> None:
        """Stream or spool the body (``large``: a big PutObject, spooled and given to moto)."""
        self._check_declared_size()
        if not self._has_body():
            return
        verify = (
            self.aws_chunked
            or _verifier(self.req, spec) is not None
            or sigv4.is_sha256_hex(self.auth.payload_hash)
            or self.req.content_length is None
        )
        if self.req.operation_name not in _UPLOADS:
            self._spool_body(spec)
            data = self.body.read(self.length)
            self.body.seek(0)  # type: ignore[attr-defined]  # the spool
            self._check_document(data)
            return
        also: list[Any] = []
        if _gets_default_checksum(self.req, spec):
            self._default_checksum = new_digest(DEFAULT_CHECKSUM)
            also.append(self._default_checksum.update)
        if large or verify:
            self._large = large
            self._spool_body(spec, also=[*also, *([self._md5.update] if large else [])])
            if large:
                self._large_length = self.length
                self.body, self.length = io.BytesIO(b""), 0
            return
        length = self.req.content_length or 0
        self.body, self.length = PassThroughBody(self.stream, length, also), length

    def adjust(self, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The headers moto gets, after what decoding an aws-chunked body changed."""
        if not self._changes:
            return headers
        changed = {name for name, _ in self._changes}
        out = [(n, v) for n, v in headers if n not in changed]
        out += [(n, v) for n, v in self._changes if v is not None]
        return out

    def hand_over(self, account_id: str, req: S3Request, result: MotoAnswer) -> None:
        """Give a large upload's spooled body to the object moto just stored."""
        if (
            self._large
            and self._spool is not None
            and large_put.adopt_spooled_body(
                account_id, req, result, self._spool, self._large_length, self._md5.hexdigest()
            )
        ):
            self._spool = None  # moto's object owns the file now

    def default_checksum(self, account_id: str, req: S3Request, result: MotoAnswer) -> None:
        """INTEG-10: an upload sent with no checksum gets a full-object CRC64NVME."""
        if self._default_checksum is None or result.code != 200 or not req.bucket or not req.key:
            return
        value = base64.b64encode(self._default_checksum.digest()).decode("ascii")
        version = next((v for n, v in result.headers if n.lower() == "x-amz-version-id"), None)
        if objects.set_checksum(account_id, req.bucket, req.key, version, DEFAULT_CHECKSUM, value):
            result.headers = [
                (n, v) for n, v in result.headers if not n.lower().startswith("x-amz-checksum-")
            ]
            result.headers += [
                (f"x-amz-checksum-{DEFAULT_CHECKSUM.lower()}", value),
                ("x-amz-checksum-type", "FULL_OBJECT"),
            ]

    def close(self) -> None:
        """Close the spool, if moto did not take it."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None


def _gets_default_checksum(req: S3Request, spec: DigestSpec | None) -> bool:
    """A PutObject that names no checksum (value, trailer or SDK algorithm) gets the default."""
    if req.operation_name != "PutObject":
        return False
    if spec is not None and spec.checksum_algorithm is not None:
        return False
    return req.header("x-amz-sdk-checksum-algorithm") is None


def _verifier(req: S3Request, spec: DigestSpec | None) -> integrity.BodyVerifier | None:
    if spec is None or (spec.content_md5 is None and spec.checksum_algorithm is None):
        return None
    return integrity.BodyVerifier(spec, md5_expected_as_sent=req.operation_name == "UploadPart")


def _chunked_header_changes(
    req: S3Request, trailers: list[tuple[str, str]]
) -> list[tuple[str, str | None]]:
    encodings = [e.strip() for e in (req.header("content-encoding") or "").split(",")]
    kept = ",".join(e for e in encodings if e and e.lower() != "aws-chunked")
    changes: list[tuple[str, str | None]] = [("content-encoding", kept or None)]
    changes += [(name, value) for name, value in trailers if name.startswith("x-amz-checksum-")]
    return changes
