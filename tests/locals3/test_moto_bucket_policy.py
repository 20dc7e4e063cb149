"""A bucket policy is evaluated once, by our authorizer, with its conditions (not again by moto)."""

from __future__ import annotations

import json

import requests

from presignlab.locals3.server import LocalS3
from support.locals3 import error_code

BUCKET = "presign-lab-sse-deny"
REQUIRE_SSE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
            "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}},
        }
    ],
}


def test_conditional_deny_refuses_only_what_it_names(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(REQUIRE_SSE))
    plain = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "a"})
    refused = requests.put(plain, data=b"x", timeout=10)
    assert (refused.status_code, error_code(refused.content)) == (403, "AccessDenied")
    encrypted = s3.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "a", "ServerSideEncryption": "AES256"}
    )
    answer = requests.put(
        encrypted, data=b"x", headers={"x-amz-server-side-encryption": "AES256"}, timeout=10
    )
    assert answer.status_code == 200, answer.content
