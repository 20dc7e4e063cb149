"""The catalogue: every error the strict local S3 answers, worded exactly as Amazon S3 words it.

Each function builds one :class:`~presignlab.locals3.wire.errors.S3Error` (status, Code, Message
and the extra elements in AWS's order); RequestId and HostId are added when it is rendered.
No other module constructs an ``S3Error`` (a test checks this), so the wording of an answer is
decided here, once. The source of each text and whether it is recorded from AWS, documented or
our choice is in docs/aws-behaviour.md, under the rule id each docstring gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from .errors import S3Error

__all__ = [
    "ACCELERATE_WITH_PERIODS",
    "ACCESS_DENIED_MESSAGE",
    "ACL_AND_GRANTS",
    "AWS_PREFIXED_TAG_KEY",
    "COPY_TO_ITSELF",
    "DUPLICATE_TAG_KEYS",
    "LOCK_NEEDS_VERSIONING",
    "MISSING_CONFIGURATION_CODES",
    "NO_OBJECT_LOCK",
    "PRECONDITION_MESSAGE",
    "REPLICATION_NEEDS_VERSIONING",
    "SIGNATURE_MISMATCH_MESSAGE",
    "SYSTEM_TAGS",
    "access_denied",
    "access_denied_in_context",
    "access_forbidden",
    "acl_not_supported",
    "backend_unworded",
    "bad_digest",
    "bad_request",
    "bucket_acl_with_ownership",
    "bucket_already_exists",
    "bucket_already_owned",
    "bucket_not_empty",
    "checksum_value_invalid",
    "chunk_signature_mismatch",
    "content_length_invalid",
    "entity_too_large",
    "entity_too_small",
    "expired_token",
    "head_refusal",
    "header_not_iso_8859_1",
    "header_section_too_large",
    "headers_not_signed",
    "hex_bytes",
    "illegal_location_constraint",
    "incomplete_body",
    "incorrect_number_of_files",
    "internal_error",
    "invalid_access_key",
    "invalid_argument",
    "invalid_bucket_name",
    "invalid_bucket_state",
    "invalid_digest",
    "invalid_location_constraint",
    "invalid_logging_target",
    "invalid_object_state",
    "invalid_part",
    "invalid_part_order",
    "invalid_policy_document",
    "invalid_range",
    "invalid_request",
    "invalid_storage_class",
    "invalid_tag",
    "invalid_token",
    "invalid_uri",
    "invalid_version_id",
    "iso_z",
    "key_too_long",
    "malformed_acl",
    "malformed_policy",
    "malformed_policy_document",
    "malformed_post",
    "malformed_xml",
    "max_post_pre_data",
    "method_not_allowed",
    "missing_authentication_token",
    "missing_configuration",
    "missing_content_length",
    "missing_date",
    "missing_request_body",
    "no_parts_specified",
    "no_such_bucket",
    "no_such_configuration",
    "no_such_key",
    "no_such_upload",
    "no_such_version",
    "not_implemented_header",
    "object_locked",
    "object_not_in_active_tier",
    "operation_not_implemented",
    "part_number_invalid",
    "part_too_small",
    "policy_too_large",
    "post_enclosure_type",
    "precondition_failed",
    "query_api_variant",
    "request_entity_too_large",
    "request_expired",
    "request_not_yet_valid",
    "request_timeout",
    "scope_error",
    "signature_mismatch",
    "sigv4_required",
    "slow_down",
    "time_too_skewed",
    "too_many_object_tags",
    "unsupported_cors_method",
    "validation_error",
    "xml_sha256_mismatch",
]

SIGNATURE_MISMATCH_MESSAGE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your key and signing method."
)
ACCESS_DENIED_MESSAGE = "Access Denied"
PRECONDITION_MESSAGE = "At least one of the pre-conditions you specified did not hold"
_NOT_IMPLEMENTED = "A header you provided implies functionality that is not implemented"


def iso_z(instant: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` (UTC, whole seconds), S3's format for Expires and ServerTime."""
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def hex_bytes(text: str) -> str:
    """The bytes of ``text`` (UTF-8; surrogate escapes as their raw byte) as ``41 57 53 …``."""
    return text.encode("utf-8", "surrogateescape").hex(" ")


# -- the wire: request line, headers, addressing (WIRE-*) ----------------------------------------


def invalid_uri() -> S3Error:
    """400 InvalidURI: a path or query S3 cannot parse (WIRE-02)."""
    return S3Error(400, "InvalidURI", "Couldn't parse the specified URI.")


def bad_request(message: str = "An error occurred when parsing the HTTP request.") -> S3Error:
    """400 BadRequest (WIRE-03, CORS-01)."""
    return S3Error(400, "BadRequest", message)


def header_section_too_large() -> S3Error:
    """400 RequestHeaderSectionTooLarge (WIRE-01)."""
    return S3Error(
        400,
        "RequestHeaderSectionTooLarge",
        "Your request header section exceeds the maximum allowed size.",
    )


def header_not_iso_8859_1(name: str, shown: str) -> S3Error:
    """400 InvalidArgument for a header value S3 cannot represent (WIRE-04, RESP-05)."""
    return invalid_argument("Header value cannot be represented using ISO-8859-1.", name, shown)


def content_length_invalid(sent: str) -> S3Error:
    """400 InvalidArgument for a Content-Length that is not a non-negative integer (WIRE-03)."""
    return invalid_argument(
        "Content-Length must be a non-negative integer.", "Content-Length", sent[:64]
    )


def invalid_bucket_name(bucket: str) -> S3Error:
    """400 InvalidBucketName (ADDR-04)."""
    return S3Error(
        400, "InvalidBucketName", "The specified bucket is not valid.", (("BucketName", bucket),)
    )


def key_too_long(key: str, size: int) -> S3Error:
    """400 KeyTooLongError: a key over 1024 bytes (ADDR-09)."""
    return S3Error(
        400,
        "KeyTooLongError",
        "Your key is too long",
        (("Size", str(size)), ("MaxSizeAllowed", "1024")),
    )


def no_such_bucket(bucket: str) -> S3Error:
    """404 NoSuchBucket (ADDR-05)."""
    return S3Error(
        404, "NoSuchBucket", "The specified bucket does not exist", (("BucketName", bucket),)
    )


def no_such_key(key: str) -> S3Error:
    """404 NoSuchKey (INTEG-03)."""
    return S3Error(404, "NoSuchKey", "The specified key does not exist.", (("Key", key),))


def method_not_allowed(method: str, resource_type: str) -> S3Error:
    """405 MethodNotAllowed: no S3 operation has this method on this resource (OPS-02)."""
    return S3Error(
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        (("Method", method), ("ResourceType", resource_type)),
    )


def operation_not_implemented(operation: str) -> S3Error:
    """501 NotImplemented: an S3 operation the local S3 does not emulate (OPS-03)."""
    return S3Error(
        501,
        "NotImplemented",
        f"The local S3 does not implement the {operation} operation.",
    )


def invalid_request(message: str) -> S3Error:
    """400 InvalidRequest with ``message``."""
    return S3Error(400, "InvalidRequest", message)


def invalid_argument(message: str, name: str, value: str) -> S3Error:
    """400 InvalidArgument naming the argument and its value."""
    return S3Error(
        400, "InvalidArgument", message, (("ArgumentName", name), ("ArgumentValue", value))
    )


def request_timeout() -> S3Error:
    """400 RequestTimeout: a client too slow to send its request (BODY-04, LIMIT-04)."""
    return S3Error(
        400,
        "RequestTimeout",
        "Your socket connection to the server was not read from or written to within the timeout "
        "period. Idle connections will be closed.",
    )


def slow_down() -> S3Error:
    """503 SlowDown: more connections than the server takes at once (LIMIT-03)."""
    return S3Error(503, "SlowDown", "Please reduce your request rate.")


_INVALID_TOKEN = "The security token included in the request is invalid."
_QUERY_API_CODES: dict[str, tuple[int, str, str]] = {
    "InvalidAccessKeyId": (403, "InvalidClientTokenId", _INVALID_TOKEN),
    "InvalidToken": (403, "InvalidClientTokenId", _INVALID_TOKEN),
    "ExpiredToken": (403, "ExpiredToken", "The security token included in the request is expired"),
    "SignatureDoesNotMatch": (
        403,
        "SignatureDoesNotMatch",
        (
            "The request signature we calculated does not match the signature you provided. Check "
            "your AWS Secret Access Key and signing method. Consult the service documentation "
            "for details."
        ),
    ),
}


def query_api_variant(error: S3Error) -> S3Error:
    """``error`` as IAM and STS word it (CHOICE-81): their codes for bad and expired
    credentials and for a signature mismatch; other errors keep status, code and message."""
    status, code, message = _QUERY_API_CODES.get(
        error.code, (error.status, error.code, error.message)
    )
    return S3Error(status, code, message, error.extra)


def internal_error() -> S3Error:
    """500 InternalError: the last resort for a bug in our layer (RESP-07)."""
    return S3Error(500, "InternalError", "We encountered an internal error. Please try again.")


# -- CORS (CORS-*) ---------------------------------------------------------------------------------


def access_forbidden(message: str, method: str, resource_type: str) -> S3Error:
    """403 AccessForbidden, S3's refused-preflight answer (CORS-02 to CORS-04)."""
    return S3Error(
        403, "AccessForbidden", message, (("Method", method), ("ResourceType", resource_type))
    )


# -- authentication (AUTH-*) ----------------------------------------------------------------------


def scope_error(message: str, *, header: bool, extra: Sequence[tuple[str, str]] = ()) -> S3Error:
    """400 AuthorizationHeaderMalformed (header auth) or AuthorizationQueryParametersError
    (AUTH-Q-02 to AUTH-Q-04, AUTH-H-01, AUTH-H-02)."""
    code = "AuthorizationHeaderMalformed" if header else "AuthorizationQueryParametersError"
    return S3Error(400, code, message, tuple(extra))


def access_denied(
    message: str = ACCESS_DENIED_MESSAGE, extra: Iterable[tuple[str, str]] = ()
) -> S3Error:
    """403 AccessDenied with ``message``, ``Access Denied`` by default (AUTHZ-02, AUTHZ-03)."""
    return S3Error(403, "AccessDenied", message, tuple(extra))


def access_denied_in_context(caller_arn: str, action: str, resource: str, why: str) -> S3Error:
    """403 AccessDenied naming caller, action, resource and the reason (AUTHZ-02, CHOICE-67)."""
    return access_denied(
        f'User: {caller_arn} is not authorized to perform: {action} on resource: "{resource}" {why}'
    )


def request_expired(expires_at: datetime, now: datetime, x_amz_expires: str | None) -> S3Error:
    """403 Request has expired: SigV4 with ``X-Amz-Expires``, SigV2 without (AUTH-Q-05, AUTH-V2-03)."""
    extra = [] if x_amz_expires is None else [("X-Amz-Expires", x_amz_expires)]
    extra += [("Expires", iso_z(expires_at)), ("ServerTime", iso_z(now))]
    return access_denied("Request has expired", extra)


def request_not_yet_valid(signed_at: datetime, expires_at: datetime, now: datetime) -> S3Error:
    """403 Request is not yet valid: X-Amz-Date in epoch ms, Expires, ServerTime (AUTH-Q-06)."""
    millis = str(int(signed_at.timestamp()) * 1000)
    return access_denied(
        "Request is not yet valid",
        [("X-Amz-Date", millis), ("Expires", iso_z(expires_at)), ("ServerTime", iso_z(now))],
    )


def invalid_access_key(access_key_id: str) -> S3Error:
    """403 InvalidAccessKeyId: a key S3 does not know, or an inactive one (AUTH-KEY-01)."""
    return S3Error(
        403,
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
        (("AWSAccessKeyId", access_key_id),),
    )


def invalid_token(echo: str | None) -> S3Error:
    """400 InvalidToken; ``echo`` goes in ``<Token-0>``, only ever an unknown token (AUTH-KEY-02)."""
    extra = () if echo is None else (("Token-0", echo),)
    return S3Error(
        400, "InvalidToken", "The provided token is malformed or otherwise invalid.", extra
    )


def expired_token() -> S3Error:
    """400 ExpiredToken, without ``<Token-0>``: it was a real secret once (AUTH-KEY-04)."""
    return S3Error(400, "ExpiredToken", "The provided token has expired.")


def headers_not_signed(names: Iterable[str]) -> S3Error:
    """403 AccessDenied naming unsigned headers (as sent), or ``host`` (AUTH-Q-07, AUTH-Q-08)."""
    return access_denied(
        "There were headers present in the request which were not signed",
        [("HeadersNotSigned", ", ".join(names))],
    )


def signature_mismatch(
    access_key_id: str, string_to_sign: str, provided: str, canonical_request: str | None = None
) -> S3Error:
    """403 SignatureDoesNotMatch; SigV2 and POST pass ``canonical_request=None``
    (AUTH-Q-10, AUTH-V2-04, POST-04)."""
    extra = [
        ("AWSAccessKeyId", access_key_id),
        ("StringToSign", string_to_sign),
        ("SignatureProvided", provided),
        ("StringToSignBytes", hex_bytes(string_to_sign)),
    ]
    if canonical_request is not None:
        extra += [
            ("CanonicalRequest", canonical_request),
            ("CanonicalRequestBytes", hex_bytes(canonical_request)),
        ]
    return S3Error(403, "SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE, tuple(extra))


def sigv4_required() -> S3Error:
    """400 InvalidRequest: SigV2 in a region that takes only SigV4 (AUTH-V2-05)."""
    return invalid_request(
        "The authorization mechanism you have provided is not supported. "
        "Please use AWS4-HMAC-SHA256."
    )


def chunk_signature_mismatch() -> S3Error:
    """403 SignatureDoesNotMatch for an aws-chunked chunk or trailer (AUTH-CK-03)."""
    return S3Error(403, "SignatureDoesNotMatch", SIGNATURE_MISMATCH_MESSAGE)


def time_too_skewed(request_time: str, now: datetime) -> S3Error:
    """403 RequestTimeTooSkewed: a header-auth date over 15 minutes off (AUTH-H-03)."""
    return S3Error(
        403,
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
        (
            ("RequestTime", request_time),
            ("ServerTime", iso_z(now)),
            ("MaxAllowedSkewMilliseconds", "900000"),
        ),
    )


def missing_date() -> S3Error:
    """403 AccessDenied: header auth with no readable ``x-amz-date`` or ``Date`` (AUTH-H-03)."""
    return access_denied("AWS authentication requires a valid Date or x-amz-date header")


def missing_authentication_token() -> S3Error:
    """403 MissingAuthenticationToken: an anonymous IAM or STS call (CHOICE-80)."""
    return S3Error(403, "MissingAuthenticationToken", "Request is missing Authentication Token")


# -- authorization (AUTHZ-*) ----------------------------------------------------------------------


def acl_not_supported() -> S3Error:
    """400 AccessControlListNotSupported: an ACL on an ACL-disabled bucket (AUTHZ-04)."""
    return S3Error(400, "AccessControlListNotSupported", "The bucket does not allow ACLs")


def bucket_acl_with_ownership() -> S3Error:
    """400 InvalidBucketAclWithObjectOwnership: CreateBucket with an ACL (CHOICE-69)."""
    return S3Error(
        400,
        "InvalidBucketAclWithObjectOwnership",
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    )


def malformed_policy(message: str) -> S3Error:
    """400 MalformedPolicy with the reason (LIMIT-01)."""
    return S3Error(400, "MalformedPolicy", message)


def policy_too_large() -> S3Error:
    """400 MalformedPolicy for a bucket policy over 20 KB (LIMIT-01, CHOICE-96)."""
    return S3Error(400, "MalformedPolicy", "Policy exceeds the maximum allowed document size.")


def malformed_policy_document() -> S3Error:
    """400 MalformedPolicyDocument: an IAM policy document IAM cannot read (CHOICE-97)."""
    return S3Error(400, "MalformedPolicyDocument", "Syntax errors in policy.")


def validation_error(message: str) -> S3Error:
    """400 ValidationError: an IAM or STS parameter out of bounds (IAM-05, IAM-06)."""
    return S3Error(400, "ValidationError", message)


# -- presigned POST (POST-*) -----------------------------------------------------------------------


def post_enclosure_type() -> S3Error:
    """412 PreconditionFailed: the POST is not ``multipart/form-data`` (POST-01)."""
    return precondition_failed("Bucket POST must be of the enclosure-type multipart/form-data")


def malformed_post() -> S3Error:
    """400 MalformedPOSTRequest: a body that is not well-formed multipart (CHOICE-23)."""
    return S3Error(
        400,
        "MalformedPOSTRequest",
        "The body of your POST request is not well-formed multipart/form-data.",
    )


def incorrect_number_of_files() -> S3Error:
    """400 IncorrectNumberOfFilesInPostRequest: not exactly one file (POST-12)."""
    return S3Error(
        400,
        "IncorrectNumberOfFilesInPostRequest",
        "POST requires exactly one file upload per request.",
    )


def max_post_pre_data() -> S3Error:
    """400 MaxPostPreDataLengthExceededError: fields before the file too large (POST-12)."""
    return S3Error(
        400,
        "MaxPostPreDataLengthExceededError",
        "Your POST request fields preceding the upload file were too large.",
    )


def invalid_policy_document(message: str) -> S3Error:
    """400 InvalidPolicyDocument: a signed POST policy that cannot be read (POST-05)."""
    return S3Error(400, "InvalidPolicyDocument", message)


def invalid_storage_class(requested: str) -> S3Error:
    """400 InvalidStorageClass: a storage class S3 does not know (POST-08)."""
    return S3Error(
        400,
        "InvalidStorageClass",
        "The storage class you specified is not valid",
        (("StorageClassRequested", requested),),
    )


def entity_too_large(size: int, maximum: int) -> S3Error:
    """400 EntityTooLarge: over content-length-range or the largest upload (POST-06, CHOICE-109)."""
    return S3Error(
        400,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size",
        (("ProposedSize", str(size)), ("MaxSizeAllowed", str(maximum))),
    )


def entity_too_small(size: int, minimum: int) -> S3Error:
    """400 EntityTooSmall: under content-length-range (POST-06, MPU-02)."""
    return S3Error(
        400,
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed size",
        (("ProposedSize", str(size)), ("MinSizeAllowed", str(minimum))),
    )


def malformed_xml() -> S3Error:
    """400 MalformedXML: XML S3 cannot read or that breaks its schema (LIMIT-02, POST-09)."""
    return S3Error(
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema",
    )


# -- integrity and the body (INTEG-*, BODY-*) -------------------------------------------------------


def precondition_failed(condition: str) -> S3Error:
    """412 PreconditionFailed naming the condition (INTEG-01, INTEG-02, POST-01)."""
    return S3Error(412, "PreconditionFailed", PRECONDITION_MESSAGE, (("Condition", condition),))


def not_implemented_header(header: str, additional: str | None = None) -> S3Error:
    """501 NotImplemented naming a header (INTEG-04, INTEG-05, BODY-05)."""
    extra = [("Header", header)]
    if additional is not None:
        extra.append(("additionalMessage", additional))
    return S3Error(501, "NotImplemented", _NOT_IMPLEMENTED, tuple(extra))


def invalid_digest(content_md5: str) -> S3Error:
    """400 InvalidDigest: a Content-MD5 that is not base64 of 16 bytes (INTEG-06)."""
    return S3Error(
        400,
        "InvalidDigest",
        "The Content-MD5 you specified was invalid.",
        (("Content-MD5", content_md5),),
    )


def checksum_value_invalid(name: str, *, trailing: bool = False) -> S3Error:
    """400 InvalidRequest: a checksum value not base64 of its size (INTEG-08)."""
    where = "trailing header" if trailing else "header"
    return invalid_request(f"Value for {name} {where} is invalid.")


def bad_digest(algorithm: str | None, expected: str = "", calculated: str = "") -> S3Error:
    """400 BadDigest: Content-MD5 (``algorithm`` None, INTEG-06) or a checksum (INTEG-07, INTEG-09)."""
    if algorithm is None:
        return S3Error(
            400,
            "BadDigest",
            "The Content-MD5 you specified did not match what we received.",
            (("ExpectedDigest", expected), ("CalculatedDigest", calculated)),
        )
    return S3Error(
        400, "BadDigest", f"The {algorithm} you specified did not match the calculated checksum."
    )


def xml_sha256_mismatch(client: str, server: str) -> S3Error:
    """400 XAmzContentSHA256Mismatch: the body is not the signed SHA-256 (AUTH-CK-01, BODY-03)."""
    return S3Error(
        400,
        "XAmzContentSHA256Mismatch",
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        (("ClientComputedContentSHA256", client), ("S3ComputedContentSHA256", server)),
    )


def incomplete_body() -> S3Error:
    """400 IncompleteBody: shorter than Content-Length, or broken aws-chunked (BODY-02)."""
    return S3Error(
        400,
        "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header.",
    )


def missing_content_length() -> S3Error:
    """411 MissingContentLength: a PUT with no length and no chunked body (BODY-01)."""
    return S3Error(411, "MissingContentLength", "You must provide the Content-Length HTTP header.")


def request_entity_too_large() -> S3Error:
    """413 RequestEntityTooLarge: a non-upload body over its bound (CHOICE-109)."""
    return S3Error(413, "RequestEntityTooLarge", "Request body is too large.")


# -- what the backend refuses: multipart, versions, ranges, bucket configuration (MPU-*) ------------

_INVALID_PART = (
    "One or more of the specified parts could not be found.  The part may not have been uploaded, "
    "or the specified entity tag may not match the part's entity tag."
)
#: MPU-07: a bucket configuration that is not set: Code -> AWS's message (all 404, BucketName).
_MISSING_CONFIGURATION = {
    "NoSuchBucketPolicy": "The bucket policy does not exist",
    "NoSuchCORSConfiguration": "The CORS configuration does not exist",
    "NoSuchTagSet": "The TagSet does not exist",
    "NoSuchWebsiteConfiguration": "The specified bucket does not have a website configuration",
    "NoSuchLifecycleConfiguration": "The lifecycle configuration does not exist",
    "ReplicationConfigurationNotFoundError": "The replication configuration was not found",
    "ObjectLockConfigurationNotFoundError": (
        "Object Lock configuration does not exist for this bucket"
    ),
    "OwnershipControlsNotFoundError": "The bucket ownership controls were not found",
    "NoSuchPublicAccessBlockConfiguration": "The public access block configuration was not found",
}
MISSING_CONFIGURATION_CODES = frozenset(_MISSING_CONFIGURATION)
#: MPU-08: InvalidRequest texts AWS was recorded giving for what the backend refuses.
ACL_AND_GRANTS = "Specifying both Canned ACLs and Header Grants is not allowed"
NO_OBJECT_LOCK = "Bucket is missing Object Lock Configuration"
COPY_TO_ITSELF = (
    "This copy request is illegal because it is trying to copy an object to itself without "
    "changing the object's metadata, storage class, website redirect location or encryption "
    "attributes."
)
REPLICATION_NEEDS_VERSIONING = (
    "Versioning must be 'Enabled' on the bucket to apply a replication configuration"
)
ACCELERATE_WITH_PERIODS = (
    "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names"
)
LOCK_NEEDS_VERSIONING = (
    "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration"
)
#: MPU-08: InvalidTag texts (each with TagKey).
DUPLICATE_TAG_KEYS = "Cannot provide multiple Tags with the same key"
AWS_PREFIXED_TAG_KEY = "Your TagKey cannot be prefixed with aws:"
SYSTEM_TAGS = "System tags cannot be added/updated by requester"


def unsupported_cors_method(method: str) -> S3Error:
    """400 InvalidRequest: a CORS rule naming a method S3 does not know (MPU-08)."""
    return invalid_request(
        f"Found unsupported HTTP method in CORS config. Unsupported method is {method}"
    )


def invalid_part(upload_id: str, part_number: str, etag: str) -> S3Error:
    """400 InvalidPart: a listed part not uploaded, or its ETag differs (MPU-01)."""
    return S3Error(
        400,
        "InvalidPart",
        _INVALID_PART,
        (("UploadId", upload_id), ("PartNumber", part_number), ("ETag", etag)),
    )


def invalid_part_order(upload_id: str) -> S3Error:
    """400 InvalidPartOrder: the parts are not in ascending order (MPU-05)."""
    return S3Error(
        400,
        "InvalidPartOrder",
        "The list of parts was not in ascending order. Parts must be ordered by part number.",
        (("UploadId", upload_id),),
    )


def no_such_upload(upload_id: str) -> S3Error:
    """404 NoSuchUpload: an upload id S3 does not know for this key (MPU-03)."""
    return S3Error(
        404,
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have "
        "been aborted or completed.",
        (("UploadId", upload_id),),
    )


def no_parts_specified() -> S3Error:
    """400 InvalidRequest: CompleteMultipartUpload listing no part (MPU-04)."""
    return invalid_request("You must specify at least one part")


def part_too_small(size: int, part_number: str, etag: str) -> S3Error:
    """400 EntityTooSmall: a part other than the last under 5 MiB (MPU-02, CHOICE-105)."""
    return S3Error(
        400,
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed size",
        (
            ("ProposedSize", str(size)),
            ("MinSizeAllowed", "5242880"),
            ("PartNumber", part_number),
            ("ETag", etag),
        ),
    )


def part_number_invalid(value: str) -> S3Error:
    """400 InvalidArgument: a part number outside 1 to 10000 (MPU-08)."""
    return invalid_argument(
        "Part number must be an integer between 1 and 10000, inclusive", "partNumber", value
    )


def no_such_version(key: str, version_id: str) -> S3Error:
    """404 NoSuchVersion with Key and VersionId (MPU-08)."""
    return S3Error(
        404,
        "NoSuchVersion",
        "The specified version does not exist.",
        (("Key", key), ("VersionId", version_id)),
    )


def invalid_version_id(version_id: str) -> S3Error:
    """400 InvalidArgument: a version id that cannot be one (MPU-08)."""
    return invalid_argument("Invalid version id specified", "versionId", version_id)


def invalid_range(requested: str, actual_size: str) -> S3Error:
    """416 InvalidRange: RangeRequested, then ActualObjectSize (MPU-08)."""
    return S3Error(
        416,
        "InvalidRange",
        "The requested range is not satisfiable",
        (("RangeRequested", requested), ("ActualObjectSize", actual_size)),
    )


def missing_configuration(code: str, bucket: str) -> S3Error:
    """404 for a bucket configuration that is not set, ``code`` one of
    :data:`MISSING_CONFIGURATION_CODES` (MPU-07)."""
    return S3Error(404, code, _MISSING_CONFIGURATION[code], (("BucketName", bucket),))


def no_such_configuration() -> S3Error:
    """404 NoSuchConfiguration: an inventory configuration id not set (MPU-07)."""
    return S3Error(404, "NoSuchConfiguration", "The specified configuration does not exist.")


def bucket_not_empty(bucket: str, *, versioned: bool) -> S3Error:
    """409 BucketNotEmpty; a versioned bucket's text names versions (MPU-08)."""
    message = "The bucket you tried to delete is not empty"
    if versioned:
        message += ". You must delete all versions in the bucket."
    return S3Error(409, "BucketNotEmpty", message, (("BucketName", bucket),))


def bucket_already_owned(bucket: str) -> S3Error:
    """409 BucketAlreadyOwnedByYou (MPU-08)."""
    return S3Error(
        409,
        "BucketAlreadyOwnedByYou",
        "Your previous request to create the named bucket succeeded and you already own it.",
        (("BucketName", bucket),),
    )


def bucket_already_exists(bucket: str) -> S3Error:
    """409 BucketAlreadyExists: the name belongs to another account (MPU-08)."""
    return S3Error(
        409,
        "BucketAlreadyExists",
        "The requested bucket name is not available. The bucket namespace is shared by all users "
        "of the system. Please select a different name and try again.",
        (("BucketName", bucket),),
    )


def invalid_location_constraint(value: str) -> S3Error:
    """400 InvalidLocationConstraint with LocationConstraint (MPU-08)."""
    return S3Error(
        400,
        "InvalidLocationConstraint",
        "The specified location-constraint is not valid",
        (("LocationConstraint", value),),
    )


def illegal_location_constraint(location: str | None) -> S3Error:
    """400 IllegalLocationConstraintException; ``None``: no constraint was given (MPU-08)."""
    named = "unspecified" if location is None else location
    return S3Error(
        400,
        "IllegalLocationConstraintException",
        f"The {named} location constraint is incompatible for the region specific endpoint this "
        "request was sent to.",
    )


def invalid_object_state(storage_class: str) -> S3Error:
    """403 InvalidObjectState: an archived object read before it is restored (MPU-08)."""
    return S3Error(
        403,
        "InvalidObjectState",
        "The operation is not valid for the object's storage class",
        (("StorageClass", storage_class),),
    )


def object_not_in_active_tier() -> S3Error:
    """403 ObjectNotInActiveTierError: copying an archived object (MPU-08)."""
    return S3Error(
        403,
        "ObjectNotInActiveTierError",
        "The source object of the COPY operation is not in the active tier and is only stored in "
        "Amazon Glacier.",
    )


def malformed_acl() -> S3Error:
    """400 MalformedACLError (MPU-08)."""
    return S3Error(
        400,
        "MalformedACLError",
        "The XML you provided was not well-formed or did not validate against our published schema",
    )


def invalid_tag(message: str, tag_key: str | None) -> S3Error:
    """400 InvalidTag with the recorded ``message`` and the offending TagKey (MPU-08)."""
    extra = () if tag_key is None else (("TagKey", tag_key),)
    return S3Error(400, "InvalidTag", message, extra)


def too_many_object_tags() -> S3Error:
    """400 BadRequest: more than 10 tags on an object (MPU-08)."""
    return bad_request("Object tags cannot be greater than 10")


def invalid_bucket_state(message: str) -> S3Error:
    """409 InvalidBucketState with a recorded ``message`` (MPU-08)."""
    return S3Error(409, "InvalidBucketState", message)


def invalid_logging_target(bucket: str) -> S3Error:
    """400 InvalidTargetBucketForLogging: the target bucket does not exist (MPU-08)."""
    return S3Error(
        400,
        "InvalidTargetBucketForLogging",
        "The target bucket for logging does not exist",
        (("TargetBucket", bucket),),
    )


def object_locked() -> S3Error:
    """403 AccessDenied: deleting a version Object Lock protects (MPU-08)."""
    return access_denied("Access Denied because object protected by object lock.")


def missing_request_body() -> S3Error:
    """400 MissingRequestBodyError: a configuration request without a body (MPU-08)."""
    return S3Error(400, "MissingRequestBodyError", "Request Body is empty")


def backend_unworded(status: int, code: str) -> S3Error:
    """A refusal AWS was never recorded giving: ``status`` and ``code`` kept, the kit's words,
    no extra elements (CHOICE-95)."""
    return S3Error(
        status,
        code,
        "The local S3 refused this request; Amazon S3's wording for this case is not recorded.",
    )


def head_refusal(status: int) -> S3Error:
    """A failed HEAD: S3 sends the status and no body (RESP-01); the code names the status."""
    codes = {
        400: "BadRequest",
        403: "AccessDenied",
        404: "NotFound",
        405: "MethodNotAllowed",
        409: "Conflict",
        412: "PreconditionFailed",
        416: "InvalidRange",
    }
    return S3Error(status, codes.get(status, "BadRequest"), "")
