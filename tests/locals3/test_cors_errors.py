"""S3 error answers carry the CORS headers of the matching rule, so a page can read them.

A browser hides the body of a cross-origin answer without ``Access-Control-Allow-Origin``;
S3 applies the bucket's CORS rule to error answers of actual requests as it does to
successes (the upload page shows ``SignatureDoesNotMatch`` thanks to it). Refused preflights,
requests without ``Origin`` and origins no rule admits get no CORS headers.
"""

from __future__ import annotations

from typing import Any

import requests

from presignlab.locals3.server import LocalS3
from support.locals3 import error_code

BUCKET = "cors-errors"
ORIGIN = "http://127.0.0.1:8000"


def _bucket(local_s3: LocalS3) -> Any:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    rule = {
        "AllowedOrigins": [ORIGIN],
        "AllowedMethods": ["PUT", "GET"],
        "AllowedHeaders": ["content-type"],
        "ExposeHeaders": ["ETag"],
    }
    s3.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [rule]})
    return s3


def _signed_put(s3: Any, content_type: str = "image/png") -> str:
    params = {"Bucket": BUCKET, "Key": "a.png", "ContentType": content_type}
    return str(s3.generate_presigned_url("put_object", Params=params, ExpiresIn=60))


def test_signature_mismatch_answer_has_the_rules_cors_headers(local_s3: LocalS3) -> None:
    url = _signed_put(_bucket(local_s3))
    answer = requests.put(
        url, data=b"x", headers={"Content-Type": "image/jpeg", "Origin": ORIGIN}, timeout=10
    )
    assert answer.status_code == 403
    assert error_code(answer.content) == "SignatureDoesNotMatch"
    assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert answer.headers["Access-Control-Expose-Headers"] == "ETag"
    assert answer.headers["Access-Control-Allow-Credentials"] == "true"


def test_other_origin_or_no_origin_gets_no_cors_headers(local_s3: LocalS3) -> None:
    url = _signed_put(_bucket(local_s3))
    for headers in ({"Origin": "http://evil.example"}, {}):
        answer = requests.put(
            url, data=b"x", headers={"Content-Type": "image/jpeg", **headers}, timeout=10
        )
        assert answer.status_code == 403
        assert not [h for h in answer.headers if h.lower().startswith("access-control-")]


def test_refused_preflight_and_missing_bucket_get_no_cors_headers(local_s3: LocalS3) -> None:
    _bucket(local_s3)
    preflight = requests.options(
        f"{local_s3.endpoint_url}/{BUCKET}/a.png",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "DELETE"},
        timeout=10,
    )
    assert preflight.status_code == 403 and error_code(preflight.content) == "AccessForbidden"
    assert "Access-Control-Allow-Origin" not in preflight.headers
    missing = requests.get(f"{local_s3.endpoint_url}/no-such-bucket/a", headers={"Origin": ORIGIN})
    assert missing.status_code in (403, 404)
    assert "Access-Control-Allow-Origin" not in missing.headers
