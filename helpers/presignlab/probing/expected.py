"""What Amazon S3 answers to each probe case, with the rules of docs/aws-behaviour.md.

A message may hold ``{region}`` (the probe's region) and ``{wrong_region}`` (the region the
wrong-region case signs for); :meth:`Expected.for_region` fills them in. ``message=None``
means the case expects a success, whose body is not compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["EXPECTED", "Expected"]

_SIGNATURE = "The request signature we calculated does not match the signature you provided. Check your key and signing method."
_NOT_SIGNED = "There were headers present in the request which were not signed"
_PRECONDITION = "At least one of the pre-conditions you specified did not hold"
_CORS_DENIED = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."  # sic
_INVALID_KEY = "The AWS Access Key Id you provided does not exist in our records."


@dataclass(frozen=True)
class Expected:
    """AWS's answer to one case: status, Code, Message, and the rule ids it rests on."""

    status: int
    code: str | None = None
    message: str | None = None
    rules: tuple[str, ...] = ()

    def for_region(self, region: str, wrong_region: str) -> Expected:
        """This answer with the region placeholders of its message filled in."""
        if self.message is None:
            return self
        text = self.message.format(region=region, wrong_region=wrong_region)
        return Expected(self.status, self.code, text, self.rules)

    def to_dict(self) -> dict[str, Any]:
        """``{"status", "code", "message", "rules"}``."""
        return {
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "rules": list(self.rules),
        }

    @property
    def label(self) -> str:
        """``403 SignatureDoesNotMatch``, or the bare status of a success."""
        return f"{self.status} {self.code}" if self.code else str(self.status)


def _sig(*rules: str) -> Expected:
    return Expected(403, "SignatureDoesNotMatch", _SIGNATURE, ("AUTH-Q-10", *rules))


EXPECTED: dict[str, Expected] = {
    "put-good": Expected(200, rules=("AUTH-Q-13", "PROBE-02")),
    "put-content-type-differs": _sig(),
    "put-get-on-put-url": _sig(),
    "put-signed-header-not-sent": _sig(),
    "put-unsigned-amz-header": Expected(403, "AccessDenied", _NOT_SIGNED, ("AUTH-Q-08",)),
    "put-expires-edited": _sig(),
    "put-parameter-added": _sig(),
    "put-literal-plus": _sig("ADDR-06"),
    "put-wrong-secret": _sig(),
    "put-wrong-region": Expected(
        400,
        "AuthorizationQueryParametersError",
        "Error parsing the X-Amz-Credential parameter; the region '{wrong_region}' is wrong; expecting '{region}'",
        ("AUTH-Q-04",),
    ),
    "url-expired": Expected(403, "AccessDenied", "Request has expired", ("AUTH-Q-05", "AUTH-Q-11")),
    "url-not-yet-valid": Expected(403, "AccessDenied", "Request is not yet valid", ("AUTH-Q-06",)),
    "url-expires-over-a-week": Expected(
        400,
        "AuthorizationQueryParametersError",
        "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
        ("AUTH-Q-03",),
    ),
    "url-expires-while-held": Expected(403, "AccessDenied", "Request has expired", ("AUTH-Q-05",)),
    "key-unknown": Expected(403, "InvalidAccessKeyId", _INVALID_KEY, ("AUTH-KEY-01",)),
    "key-deleted": Expected(403, "InvalidAccessKeyId", _INVALID_KEY, ("AUTH-KEY-01", "PROBE-03")),
    "session-good": Expected(200, rules=("AUTH-KEY-03", "IAM-04")),
    "session-token-malformed": Expected(
        400, "InvalidToken", "The provided token is malformed or otherwise invalid.", ("AUTH-KEY-02",)
    ),
    "session-token-expired": Expected(
        400, "ExpiredToken", "The provided token has expired.", ("AUTH-KEY-04",)
    ),
    "post-good": Expected(204, rules=("POST-11",)),
    "post-too-large": Expected(
        400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", ("POST-06",)
    ),
    "post-condition-failed": Expected(
        403,
        "AccessDenied",
        'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"]',
        ("POST-06",),
    ),
    "post-policy-expired": Expected(
        403, "AccessDenied", "Invalid according to Policy: Policy expired.", ("POST-05",)
    ),
    "post-extra-field": Expected(
        403,
        "AccessDenied",
        "Invalid according to Policy: Extra input fields: x-amz-meta-note",
        ("POST-06",),
    ),
    "cors-no-configuration": Expected(
        403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.", ("CORS-02",)
    ),
    "cors-allowed": Expected(200, rules=("CORS-05",)),
    "cors-origin-denied": Expected(403, "AccessForbidden", _CORS_DENIED, ("CORS-04",)),
    "put-if-none-match-new": Expected(200, rules=("INTEG-01",)),
    "put-if-none-match-exists": Expected(412, "PreconditionFailed", _PRECONDITION, ("INTEG-01",)),
    "put-checksum-crc32": Expected(200, rules=("INTEG-09",)),
    "put-checksum-crc32-wrong": Expected(
        400,
        "BadDigest",
        "The CRC32 you specified did not match the calculated checksum.",
        ("INTEG-09",),
    ),
    "put-checksum-hoisted-empty": Expected(200, rules=("AUTH-Q-12",)),
    "put-content-md5-wrong": Expected(
        400,
        "BadDigest",
        "The Content-MD5 you specified did not match what we received.",
        ("INTEG-07",),
    ),
    "put-acl-owner-enforced": Expected(
        400, "AccessControlListNotSupported", "The bucket does not allow ACLs", ("AUTHZ-04", "AUTHZ-07")
    ),
}  # fmt: skip
