"""moto's error answers, rendered as Amazon S3 words them: the one place they are translated.

moto answers a request it refuses with its own envelope (``encoding="utf-8"``, its own RequestId
and a constant HostId) and, for some errors, its own wording or none of the elements S3 sends.
:func:`s3_error_for` reads moto's answer (status, ``<Code>``, ``<Message>``, elements) and
returns the catalogue's :class:`~presignlab.locals3.wire.errors.S3Error` for it, which the
kit renders like every other error: AWS's status, Code, Message and elements in AWS's order,
then the kit's own RequestId and HostId (docs/aws-behaviour.md MPU-06 to MPU-08; the audit
table "moto's errors and AWS's answers" there lists each code).

* A code AWS was recorded giving for the same case is answered with AWS's text; where AWS has
  several texts for one code (InvalidRequest, InvalidArgument, InvalidTag, ...), moto's message
  selects the matching one.
* A code or text AWS was never recorded giving keeps moto's status and code and gets the kit's
  words and no elements (:func:`~presignlab.locals3.wire.catalogue.backend_unworded`,
  CHOICE-95); a 5xx, or an answer without a code, is 500 InternalError.
* A HEAD answer has no body: the status decides (RESP-01).

Only moto's Code and the values of its elements are read, never its Message text as words a
client sees.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from xml.etree import ElementTree

from ..wire import catalogue as cat
from ..wire.errors import S3Error
from . import multipart
from .state import _s3_backend

__all__ = ["BackendError", "ErrorContext", "read_backend_error", "s3_error_for"]


@dataclass(frozen=True)
class BackendError:
    """moto's refusal as read from its answer: status, Code (None if absent), Message, elements."""

    status: int
    code: str | None
    message: str
    elements: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ErrorContext:
    """What the translation needs of the request moto refused."""

    account_id: str
    method: str
    operation: str
    bucket: str | None
    key: str | None
    params: Mapping[str, str] = field(default_factory=dict)
    document: bytes = b""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_backend_error(status: int, body: bytes) -> BackendError:
    """moto's error body (S3's ``<Error>`` shape) read; an unreadable body has no code."""
    try:
        root = ElementTree.fromstring(body) if body.strip() else None
    except ElementTree.ParseError:
        root = None
    if root is None or _local(root.tag) != "Error":
        return BackendError(status, None, "")
    values = {_local(child.tag): (child.text or "") for child in root}
    code = values.pop("Code", None) or None
    message = values.pop("Message", "")
    values.pop("RequestId", None)
    values.pop("HostId", None)
    return BackendError(status, code, message, values)


_Translate = Callable[[BackendError, ErrorContext], S3Error]


def _bucket(ctx: ErrorContext) -> str:
    return ctx.bucket or ""


def _key(ctx: ErrorContext) -> str:
    return ctx.key or ""


def _complete_failure(error: BackendError, ctx: ErrorContext) -> S3Error:
    """The multipart checks say which part failed (MPU-01, MPU-02, MPU-05)."""
    upload_id = ctx.params.get("uploadId", "")
    try:
        multipart.check_complete(ctx.account_id, _bucket(ctx), _key(ctx), upload_id, ctx.document)
    except S3Error as found:
        return found
    if error.code == "InvalidPartOrder":
        return cat.invalid_part_order(upload_id)
    return cat.backend_unworded(error.status, error.code or "InvalidPart")


def _versioned(ctx: ErrorContext) -> bool:
    found = _s3_backend(ctx.account_id).buckets.get(_bucket(ctx))
    return found is not None and found.versioning_status in ("Enabled", "Suspended")


_CORS_METHOD_PREFIX = "Found unsupported HTTP method in CORS config. Unsupported method is "
#: moto's InvalidRequest texts and AWS's answer for each (MPU-08).
_INVALID_REQUEST: dict[str, Callable[[ErrorContext], S3Error]] = {
    "Specifying both Canned ACLs and Header Grants is not allowed": lambda _: cat.invalid_request(
        cat.ACL_AND_GRANTS
    ),
    "Bucket is missing ObjectLockConfiguration": lambda _: cat.invalid_request(cat.NO_OBJECT_LOCK),
    cat.COPY_TO_ITSELF: lambda _: cat.invalid_request(cat.COPY_TO_ITSELF),
    cat.REPLICATION_NEEDS_VERSIONING: lambda _: cat.invalid_request(
        cat.REPLICATION_NEEDS_VERSIONING
    ),
    # moto words its accelerate refusal with its CORS template
    _CORS_METHOD_PREFIX + "PutBucketAccelerateConfiguration": lambda _: cat.invalid_request(
        cat.ACCELERATE_WITH_PERIODS
    ),
}


def _invalid_request(error: BackendError, ctx: ErrorContext) -> S3Error:
    known = _INVALID_REQUEST.get(error.message)
    if known is not None:
        return known(ctx)
    if error.message.startswith(_CORS_METHOD_PREFIX):
        return cat.unsupported_cors_method(error.message[len(_CORS_METHOD_PREFIX) :])
    return cat.backend_unworded(error.status, "InvalidRequest")


def _invalid_argument(error: BackendError, ctx: ErrorContext) -> S3Error:
    name = error.elements.get("ArgumentName", "")
    value = error.elements.get("ArgumentValue", "")
    if name == "partNumber":
        return cat.part_number_invalid(value)
    if name == "versionId":
        return cat.invalid_version_id(value)
    return cat.backend_unworded(error.status, "InvalidArgument")


_TAG_TEXTS = {
    cat.DUPLICATE_TAG_KEYS: cat.DUPLICATE_TAG_KEYS,
    cat.AWS_PREFIXED_TAG_KEY: cat.AWS_PREFIXED_TAG_KEY,
    cat.SYSTEM_TAGS: cat.SYSTEM_TAGS,
}


def _document_tag_keys(ctx: ErrorContext) -> list[str]:
    """The tag keys of the request's Tagging document, in order (moto does not name them)."""
    try:
        root = ElementTree.fromstring(ctx.document)
    except ElementTree.ParseError:
        return []
    return [(e.text or "") for e in root.iter() if _local(e.tag) == "Key"]


def _offending_tag_key(text: str, ctx: ErrorContext) -> str | None:
    keys = _document_tag_keys(ctx)
    if text == cat.DUPLICATE_TAG_KEYS:
        return next((k for i, k in enumerate(keys) if k in keys[:i]), None)
    if text == cat.AWS_PREFIXED_TAG_KEY:
        return next((k for k in keys if k.lower().startswith("aws")), None)
    return None


def _invalid_tag(error: BackendError, ctx: ErrorContext) -> S3Error:
    text = _TAG_TEXTS.get(error.message)
    if text is None:
        return cat.backend_unworded(error.status, "InvalidTag")
    return cat.invalid_tag(text, error.elements.get("TagKey") or _offending_tag_key(text, ctx))


def _invalid_bucket_state(error: BackendError, ctx: ErrorContext) -> S3Error:
    if error.message == cat.LOCK_NEEDS_VERSIONING:
        return cat.invalid_bucket_state(cat.LOCK_NEEDS_VERSIONING)
    return cat.backend_unworded(error.status, "InvalidBucketState")


def _bad_request(error: BackendError, ctx: ErrorContext) -> S3Error:
    if error.message == "Object tags cannot be greater than 10":
        return cat.too_many_object_tags()
    return cat.backend_unworded(error.status, "BadRequest")


def _location(error: BackendError, ctx: ErrorContext) -> S3Error:
    words = error.message.split(" ")
    named = words[1] if len(words) > 1 and words[0] == "The" else "unspecified"
    return cat.illegal_location_constraint(None if named == "unspecified" else named)


def _logging_target(error: BackendError, ctx: ErrorContext) -> S3Error:
    if error.message.startswith("The target bucket for logging does not exist"):
        target = ""
        try:
            root = ElementTree.fromstring(ctx.document)
            target = next(
                (e.text or "" for e in root.iter() if _local(e.tag) == "TargetBucket"), ""
            )
        except ElementTree.ParseError:
            pass
        return cat.invalid_logging_target(target)
    return cat.backend_unworded(error.status, "InvalidTargetBucketForLogging")


def _access_denied(error: BackendError, ctx: ErrorContext) -> S3Error:
    if ctx.operation in ("DeleteObject", "DeleteObjects", "PutObjectRetention"):
        return cat.object_locked()
    return cat.access_denied()


def _method_not_allowed(error: BackendError, ctx: ErrorContext) -> S3Error:
    return cat.method_not_allowed(
        error.elements.get("Method") or ctx.method,
        error.elements.get("ResourceType") or ("OBJECT" if ctx.key is not None else "BUCKET"),
    )


def _missing_configuration(code: str) -> _Translate:
    return lambda error, ctx: cat.missing_configuration(code, _bucket(ctx))


_BY_CODE: dict[str, _Translate] = {
    "NoSuchBucket": lambda e, c: cat.no_such_bucket(_bucket(c)),
    "NoSuchKey": lambda e, c: cat.no_such_key(e.elements.get("Key") or _key(c)),
    "NoSuchVersion": lambda e, c: cat.no_such_version(_key(c), c.params.get("versionId", "")),
    "NoSuchUpload": lambda e, c: cat.no_such_upload(
        e.elements.get("UploadId") or c.params.get("uploadId", "")
    ),
    "InvalidPart": _complete_failure,
    "InvalidPartOrder": _complete_failure,
    "EntityTooSmall": _complete_failure,
    "InvalidRange": lambda e, c: cat.invalid_range(
        e.elements.get("RangeRequested", ""), e.elements.get("ActualObjectSize", "")
    ),
    "PreconditionFailed": lambda e, c: cat.precondition_failed(e.elements.get("Condition", "")),
    "MalformedXML": lambda e, c: cat.malformed_xml(),
    "MalformedACLError": lambda e, c: cat.malformed_acl(),
    "InvalidStorageClass": lambda e, c: cat.invalid_storage_class(
        e.elements.get("StorageClassRequested", "")
    ),
    "InvalidBucketName": lambda e, c: cat.invalid_bucket_name(_bucket(c)),
    "BucketNotEmpty": lambda e, c: cat.bucket_not_empty(_bucket(c), versioned=_versioned(c)),
    "BucketAlreadyOwnedByYou": lambda e, c: cat.bucket_already_owned(_bucket(c)),
    "BucketAlreadyExists": lambda e, c: cat.bucket_already_exists(_bucket(c)),
    "NoSuchInventoryConfig": lambda e, c: cat.no_such_configuration(),
    "InvalidLocationConstraint": lambda e, c: cat.invalid_location_constraint(
        e.elements.get("LocationConstraint", "")
    ),
    "IllegalLocationConstraintException": _location,
    "InvalidObjectState": lambda e, c: cat.invalid_object_state(e.elements.get("StorageClass", "")),
    "ObjectNotInActiveTierError": lambda e, c: cat.object_not_in_active_tier(),
    "MethodNotAllowed": _method_not_allowed,
    "MissingRequestBodyError": lambda e, c: cat.missing_request_body(),
    "InvalidRequest": _invalid_request,
    "InvalidArgument": _invalid_argument,
    "InvalidTag": _invalid_tag,
    "InvalidBucketState": _invalid_bucket_state,
    "InvalidTargetBucketForLogging": _logging_target,
    "BadRequest": _bad_request,
    "AccessDenied": _access_denied,
    **{code: _missing_configuration(code) for code in cat.MISSING_CONFIGURATION_CODES},
}


def s3_error_for(status: int, body: bytes, ctx: ErrorContext) -> S3Error:
    """The catalogue's answer for moto's refusal ``status`` / ``body`` of the request ``ctx``."""
    if status >= 500:
        return cat.internal_error()
    if ctx.method == "HEAD" and not body.strip():
        return cat.head_refusal(status)
    error = read_backend_error(status, body)
    if error.code is None:
        return cat.internal_error()
    translate = _BY_CODE.get(error.code)
    if translate is None:
        return cat.backend_unworded(status, error.code)
    return translate(error, ctx)
