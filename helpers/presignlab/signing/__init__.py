"""Signing: how a presigned URL is built and read, and what Amazon S3 computes for a request.

- :mod:`.sigv4` and :mod:`.sigv2`: the signing steps as pure functions;
- :mod:`.uri`: strict percent-decoding of paths and queries;
- :mod:`.sent_request`: a request as S3 receives it, and the canonical request / string to
  sign S3 computes for it;
- :mod:`.presign`: presigned URLs with an explicit clock;
- :mod:`.presigned_url`: reading a presigned URL, defects kept.
"""
