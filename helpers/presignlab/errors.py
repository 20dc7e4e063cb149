"""The exceptions presignlab raises.

Exception tree::

    PresignLabError                 base of everything the kit raises on purpose
    ├── PresignedUrlError           a URL that cannot be read as a presigned S3 URL (ValueError)
    ├── ErrorBodyError              text that is not an S3 XML error body (ValueError)
    ├── TargetError                 the notebooks' target (local or aws) is misconfigured
    ├── FixtureError                a recorded fixture file that cannot be read (ValueError)
    └── S3RequestError              S3 answered a request with an error
        ├── SignatureMismatch       Code SignatureDoesNotMatch
        └── AccessDenied            Code AccessDenied (and AccessControlListNotSupported, ...)

Messages say what is wrong and what to do about it; wrapped errors are chained with
``raise ... from exc``. No message ever contains a secret key or a session token.
"""

from __future__ import annotations

__all__ = [
    "AccessDenied",
    "ErrorBodyError",
    "FixtureError",
    "PresignLabError",
    "PresignedUrlError",
    "S3RequestError",
    "SignatureMismatch",
    "TargetError",
]


class PresignLabError(Exception):
    """Base class of every error presignlab raises on purpose."""


class PresignedUrlError(PresignLabError, ValueError):
    """The text is not a presigned S3 URL that can be read (not a URL, truncated, garbled)."""


class ErrorBodyError(PresignLabError, ValueError):
    """The text is not an S3 XML error body."""


class FixtureError(PresignLabError, ValueError):
    """A recorded fixture file (such as the JS SDK presigned URLs) is malformed."""


class TargetError(PresignLabError):
    """The target the notebooks run against (local S3 or real AWS) is misconfigured."""


class S3RequestError(PresignLabError):
    """S3 answered with an error. ``status``, ``code`` and ``message`` come from its response."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class SignatureMismatch(S3RequestError):
    """S3 computed a different signature (Code ``SignatureDoesNotMatch``)."""


class AccessDenied(S3RequestError):
    """S3 refused the request after or instead of checking the signature."""
