"""Cell builders shared by every notebook source in this folder."""

from __future__ import annotations

from textwrap import dedent

Cell = tuple[str, str, tuple[str, ...]]


def md(text: str) -> Cell:
    return ("markdown", dedent(text).strip("\n"), ())


def code(text: str, *tags: str) -> Cell:
    return ("code", dedent(text).strip("\n"), tuple(tags))


REFERENCES = {
    "presigned": "- Amazon S3 User Guide, [Download and upload objects with presigned URLs]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html)",
    "upload": "- Amazon S3 User Guide, [Uploading objects with presigned URLs]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html)",
    "query-auth": "- Amazon S3 API Reference, [Authenticating Requests: Using Query Parameters "
    "(AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)",
    "header-auth": "- Amazon S3 API Reference, [Signature Calculations for the Authorization Header]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html)",
    "sigv4": "- Amazon S3 API Reference, [Authenticating Requests (AWS Signature Version 4)]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html)",
    "iam-sigv4": "- IAM User Guide, [Create a signed AWS API request]"
    "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)",
    "sigv2": "- Amazon S3 API Reference, [Signing and authenticating REST requests (AWS signature "
    "version 2)](https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html)",
    "errors": "- Amazon S3 API Reference, [Error responses]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)",
    "vhost": "- Amazon S3 User Guide, [Virtual hosting of general purpose buckets]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html)",
    "cors": "- Amazon S3 User Guide, [Using cross-origin resource sharing (CORS)]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html)",
    "conditional": "- Amazon S3 User Guide, [Add preconditions to S3 operations with conditional requests]"
    "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html)",
    "boto3": "- Boto3 documentation, [Presigned URLs]"
    "(https://boto3.amazonaws.com/v1/documentation/api/latest/guide/s3-presigned-urls.html)",
    "botocore-auth": "- botocore source, [`botocore/auth.py`]"
    "(https://github.com/boto/botocore/blob/develop/botocore/auth.py) (`S3SigV4QueryAuth`, "
    "`HmacV1QueryAuth`)",
}


def references(*names: str) -> Cell:
    return md("## References\n\n" + "\n".join(REFERENCES[n] for n in names))
