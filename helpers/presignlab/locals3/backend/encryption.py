"""Bucket default encryption as S3 has it since 2023: SSE-S3 when nothing else is configured.

Every bucket is encrypted with SSE-S3 (AES256) by default, and GetBucketEncryption on a bucket
with no configuration of its own (never set, or deleted) answers that default rule, with
``BucketKeyEnabled`` false (RESP-09). moto answers 404
ServerSideEncryptionConfigurationNotFoundError instead; :func:`is_missing_configuration` spots
that answer and :data:`DEFAULT_CONFIGURATION` is what S3 answers.
"""

from __future__ import annotations

from .errors import read_backend_error

__all__ = ["DEFAULT_CONFIGURATION", "is_missing_configuration"]

DEFAULT_CONFIGURATION = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    b"<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
    b"</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule>"
    b"</ServerSideEncryptionConfiguration>"
)


def is_missing_configuration(status: int, body: bytes) -> bool:
    """Whether moto's answer says the bucket has no encryption configuration of its own."""
    error = read_backend_error(status, body)
    return error.code == "ServerSideEncryptionConfigurationNotFoundError"
