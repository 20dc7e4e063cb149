"""The pipeline stages wired together: CORS, presigned POST, bucket defaults, authz, integrity."""

from __future__ import annotations

import base64
import hashlib

import requests

from presignlab.locals3.server import LocalS3
from support.locals3 import error_code

BUCKET = "presign-lab-int"
ORIGIN = "http://localhost:8888"


def _bucket_with_cors(server: LocalS3) -> None:
    s3 = server.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_cors(
        Bucket=BUCKET,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedMethods": ["PUT"],
                    "AllowedOrigins": [ORIGIN],
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag"],
                }
            ]
        },
    )


def test_cors_preflight_and_actual_headers(local_s3: LocalS3) -> None:
    _bucket_with_cors(local_s3)
    url = f"{local_s3.endpoint_url}/{BUCKET}/k.txt"
    ok = requests.options(
        url, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "PUT"}, timeout=10
    )
    assert ok.status_code == 200 and ok.headers["Access-Control-Allow-Origin"] == ORIGIN
    denied = requests.options(
        url,
        headers={"Origin": "http://evil.test", "Access-Control-Request-Method": "PUT"},
        timeout=10,
    )
    assert denied.status_code == 403 and error_code(denied.content) == "AccessForbidden"
    no_origin = requests.options(url, timeout=10)
    assert no_origin.status_code == 400 and error_code(no_origin.content) == "BadRequest"
    put_url = local_s3.client().generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "k.txt"}
    )
    answer = requests.put(put_url, data=b"x", headers={"Origin": ORIGIN}, timeout=10)
    assert answer.status_code == 200 and answer.headers["Access-Control-Allow-Origin"] == ORIGIN
    get_url = local_s3.client().generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": "k.txt"}
    )
    answer = requests.get(get_url, headers={"Origin": ORIGIN}, timeout=10)
    assert answer.status_code == 200 and not any(
        h.startswith("Access-Control") for h in answer.headers
    )


def test_presigned_post_upload(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    post = s3.generate_presigned_post(
        BUCKET, "form/${filename}", Conditions=[["content-length-range", 1, 100]]
    )
    answer = requests.post(
        post["url"], data=post["fields"], files={"file": ("a.txt", b"from a form")}, timeout=10
    )
    assert answer.status_code == 204, answer.text
    assert s3.get_object(Bucket=BUCKET, Key="form/a.txt")["Body"].read() == b"from a form"
    too_big = requests.post(
        post["url"], data=post["fields"], files={"file": ("b.txt", b"x" * 200)}, timeout=10
    )
    assert too_big.status_code == 400 and error_code(too_big.content) == "EntityTooLarge"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == ["form/a.txt"]


def test_new_bucket_gets_aws_defaults(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    rules = s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "p.txt", "ACL": "public-read"}
    )
    answer = requests.put(url, data=b"x", headers={"x-amz-acl": "public-read"}, timeout=10)
    assert (
        answer.status_code == 400 and error_code(answer.content) == "AccessControlListNotSupported"
    )


def test_iam_user_without_permission_is_denied(local_s3: LocalS3) -> None:
    local_s3.client().create_bucket(Bucket=BUCKET)
    iam = local_s3.client("iam")
    iam.create_user(UserName="bob")
    key = iam.create_access_key(UserName="bob")["AccessKey"]
    bob = local_s3.client(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]
    )
    url = bob.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "bob.txt"})
    answer = requests.put(url, data=b"x", timeout=10)
    assert answer.status_code == 403 and error_code(answer.content) == "AccessDenied"
    iam.put_user_policy(
        UserName="bob",
        PolicyName="put",
        PolicyDocument=(
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject",'
            f'"Resource":"arn:aws:s3:::{BUCKET}/*"}}]}}'
        ),
    )
    assert requests.put(url, data=b"x", timeout=10).status_code == 200


def test_content_md5_mismatch_stores_nothing(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    wrong_md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "m.txt", "ContentMD5": wrong_md5}
    )
    answer = requests.put(url, data=b"body", headers={"Content-MD5": wrong_md5}, timeout=10)
    assert answer.status_code == 400 and error_code(answer.content) == "BadDigest"
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_if_none_match_on_existing_object(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="once.txt", Body=b"first")
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "once.txt", "IfNoneMatch": "*"}
    )
    answer = requests.put(url, data=b"second", headers={"If-None-Match": "*"}, timeout=10)
    assert answer.status_code == 412 and error_code(answer.content) == "PreconditionFailed"
    assert s3.get_object(Bucket=BUCKET, Key="once.txt")["Body"].read() == b"first"


def test_malformed_bucket_policy_is_refused(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    try:
        s3.put_bucket_policy(Bucket=BUCKET, Policy="not a policy")
    except s3.exceptions.ClientError as exc:
        assert exc.response["Error"]["Code"] == "MalformedPolicy"
    else:  # pragma: no cover - the assertion below explains the failure
        raise AssertionError("a malformed bucket policy was accepted")


def test_repeated_create_bucket_keeps_the_owners_changes(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.delete_public_access_block(Bucket=BUCKET)
    s3.create_bucket(Bucket=BUCKET)  # us-east-1 answers 200 to its owner
    try:
        s3.get_public_access_block(Bucket=BUCKET)
    except s3.exceptions.ClientError as exc:
        assert exc.response["Error"]["Code"] == "NoSuchPublicAccessBlockConfiguration"
    else:  # pragma: no cover
        raise AssertionError("the second CreateBucket restored Block Public Access")


def test_presigned_post_acl_field_is_authorized_like_a_header(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    post = s3.generate_presigned_post(
        BUCKET, "form/a.txt", Fields={"acl": "public-read"}, Conditions=[{"acl": "public-read"}]
    )
    answer = requests.post(
        post["url"], data=post["fields"], files={"file": ("a.txt", b"x")}, timeout=10
    )
    assert answer.status_code == 400
    assert error_code(answer.content) == "AccessControlListNotSupported"
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


def test_presigned_post_201_gives_an_absolute_location(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    post = s3.generate_presigned_post(
        BUCKET, "form/b.txt", Fields={"success_action_status": "201"},
        Conditions=[{"success_action_status": "201"}],
    )  # fmt: skip
    answer = requests.post(
        post["url"], data=post["fields"], files={"file": ("b.txt", b"x")}, timeout=10
    )
    assert answer.status_code == 201
    assert answer.headers["Location"] == f"{local_s3.endpoint_url}/{BUCKET}/form/b.txt"


def test_a_form_typed_put_body_is_stored_as_sent(local_s3: LocalS3) -> None:
    """BODY-08: a FormData body sent to a presigned PUT is stored whole, envelope included."""
    client = local_s3.client()
    client.create_bucket(Bucket="forms")
    url = client.generate_presigned_url("put_object", Params={"Bucket": "forms", "Key": "a.jpg"})
    envelope = (
        b"------WebKitFormBoundaryX\r\n"
        b'Content-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
        b"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n------WebKitFormBoundaryX--\r\n"
    )
    form_type = "multipart/form-data; boundary=----WebKitFormBoundaryX"
    for body, content_type in [
        (envelope, form_type),
        (b"a=1&b=2", "application/x-www-form-urlencoded"),
    ]:
        answer = requests.put(url, data=body, headers={"Content-Type": content_type}, timeout=10)
        assert answer.status_code == 200, answer.text
        stored = client.get_object(Bucket="forms", Key="a.jpg")
        assert (stored["ContentType"], stored["Body"].read()) == (content_type, body)
