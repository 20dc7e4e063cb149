"""The strict local S3 answers as AWS recorded it (issue 11's items; docs/aws-behaviour.md ids).

Where a response recorded from AWS exists, the test compares with it
(``tests/data/aws_recorded``, through :func:`assert_recorded`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

import pytest
import requests
from awscrt.checksums import crc64nvme
from botocore.config import Config
from botocore.exceptions import ClientError

from presignlab import presign_v2, presign_v4
from presignlab.locals3.server import LocalS3
from support.locals3 import (
    assert_recorded,
    error_code,
    recorded_case,
    sign_v4_headers,
)

BUCKET = "fidelity-bucket"
#: CRC64NVME of b"hello world" (awscrt.checksums.crc64nvme, base64 of the big-endian digest).
HELLO_CRC64NVME = base64.b64encode(crc64nvme(b"hello world").to_bytes(8, "big")).decode()


@pytest.fixture
def s3(local_s3: LocalS3) -> LocalS3:
    local_s3.client().create_bucket(Bucket=BUCKET)
    return local_s3


def _url(server: LocalS3, key: str) -> str:
    return f"{server.endpoint_url}/{BUCKET}/{key}"


def _presign(server: LocalS3, method: str, key: str, **kwargs: object) -> str:
    return presign_v4(
        method,
        _url(server, key),
        access_key=server.access_key_id,
        secret_key=server.secret_access_key,
        region="us-east-1",
        now=datetime.now(UTC),
        **kwargs,  # type: ignore[arg-type]
    )


# -- item 1: response-* overrides ISO-8859-1 cannot carry (RESP-05) ------------------------------


def test_a_response_override_iso_8859_1_cannot_carry_is_invalid_argument(s3: LocalS3) -> None:
    value = "non-ascii-%E2%80%94_\u2014_\u00e9_"
    client = s3.client()
    client.put_object(Bucket=BUCKET, Key="k.txt", Body=b"x")
    url = client.generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": "k.txt", "ResponseCacheControl": value}
    )
    answer = requests.get(url, timeout=10)
    assert_recorded("SIGV2Q-RESPONSE-OVERRIDE-NOT-LATIN1", answer.status_code, answer.content)


# -- item 2: non-ASCII metadata in RFC 2047 form (RESP-04) ---------------------------------------


def test_non_ascii_metadata_is_stored_and_returned_in_rfc_2047_form(s3: LocalS3) -> None:
    value = "non-ascii-%E2%80%94_\u2014_\u00e9_"
    url = _presign(s3, "PUT", "meta.txt", headers={"x-amz-meta-foo": value})
    answer = requests.put(url, data=b"", headers={"x-amz-meta-foo": value.encode()}, timeout=10)
    assert answer.status_code == 200, answer.text
    expected = recorded_case("SIGV2Q-UNICODE-META-IN-QUERY")["response"]["result"]["Metadata"]  # type: ignore[index]
    head = requests.head(_presign(s3, "HEAD", "meta.txt"), timeout=10)
    assert head.status_code == 200
    assert head.headers["x-amz-meta-foo"] == expected["foo"]
    got = s3.client().get_object(Bucket=BUCKET, Key="meta.txt")["Metadata"]
    assert got == expected


def test_metadata_already_in_rfc_2047_form_is_decoded_first(s3: LocalS3) -> None:
    sent = {"fake-encoded": "=?UTF-8?Q?actually-ascii?=", "b": "=?UTF-8?B?YWJj?="}
    s3.client().put_object(Bucket=BUCKET, Key="m2", Body=b"", Metadata=sent)
    got = s3.client().head_object(Bucket=BUCKET, Key="m2")["Metadata"]
    assert got == {"fake-encoded": "actually-ascii", "b": "abc"}


def test_a_utf8_system_header_comes_back_as_the_bytes_sent(s3: LocalS3) -> None:
    """RESP-04: Cache-Control is not RFC 2047 encoded: an ISO-8859-1 reader sees mojibake."""
    value = "\u00c4M\u00c4Z\u00d5\u00d1 S3"
    s3.client().put_object(Bucket=BUCKET, Key="sys", Body=b"", CacheControl=value)
    head = requests.head(_presign(s3, "HEAD", "sys"), timeout=10)
    assert head.headers["Cache-Control"] == value.encode().decode("latin-1")


# -- item 3: headers hoisted into the query are applied (AUTH-Q-12) ------------------------------


def _hoisted(s3: LocalS3, key: str, params: str) -> str:
    return presign_v4(
        "PUT",
        f"{_url(s3, key)}?{params}",
        access_key=s3.access_key_id,
        secret_key=s3.secret_access_key,
        region="us-east-1",
        now=datetime.now(UTC),
    )


def test_if_none_match_in_the_query_is_a_precondition(s3: LocalS3) -> None:
    s3.client().put_object(Bucket=BUCKET, Key="taken", Body=b"first")
    answer = requests.put(_hoisted(s3, "taken", "If-None-Match=%2A"), data=b"second", timeout=10)
    assert answer.status_code == 412 and error_code(answer.content) == "PreconditionFailed"
    assert b"<Condition>If-None-Match</Condition>" in answer.content
    body = s3.client().get_object(Bucket=BUCKET, Key="taken")["Body"].read()
    assert body == b"first"


def test_tagging_metadata_and_storage_class_in_the_query_are_applied(s3: LocalS3) -> None:
    params = "x-amz-tagging=team%3Dlab&x-amz-meta-owner=alice&x-amz-storage-class=STANDARD_IA"
    assert requests.put(_hoisted(s3, "t.txt", params), data=b"x", timeout=10).status_code == 200
    client = s3.client()
    assert client.get_object_tagging(Bucket=BUCKET, Key="t.txt")["TagSet"] == [
        {"Key": "team", "Value": "lab"}
    ]
    head = client.head_object(Bucket=BUCKET, Key="t.txt")
    assert head["Metadata"] == {"owner": "alice"} and head["StorageClass"] == "STANDARD_IA"


def test_an_acl_in_the_query_is_checked_like_the_header(s3: LocalS3) -> None:
    answer = requests.put(_hoisted(s3, "a.txt", "x-amz-acl=public-read"), data=b"x", timeout=10)
    assert answer.status_code == 400
    assert error_code(answer.content) == "AccessControlListNotSupported"


# -- item 4: presigned POST tagging and ${filename} (POST-07, POST-09) ---------------------------


def _post(s3: LocalS3, key: str, extra: dict[str, str], files: object) -> requests.Response:
    fields = s3.client().generate_presigned_post(
        BUCKET,
        key,
        Fields=extra,
        Conditions=[{k: v} for k, v in extra.items()],
    )
    return requests.post(fields["url"], data=fields["fields"], files=files, timeout=10)


def test_the_tagging_field_tags_the_object(s3: LocalS3) -> None:
    tagging = "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>"
    answer = _post(s3, "tagged.txt", {"tagging": tagging}, {"file": ("f.txt", b"x")})
    assert answer.status_code == 204, answer.text
    tags = s3.client().get_object_tagging(Bucket=BUCKET, Key="tagged.txt")["TagSet"]
    assert tags == [{"Key": "a", "Value": "b"}]


def test_a_tagging_field_that_is_not_xml_stores_nothing(s3: LocalS3) -> None:
    answer = _post(s3, "bad.txt", {"tagging": "not xml"}, {"file": ("f.txt", b"x")})
    assert_recorded("POST-TAGGING-NOT-XML", answer.status_code, answer.content)
    with pytest.raises(ClientError):
        s3.client().head_object(Bucket=BUCKET, Key="bad.txt")


def test_filename_stays_literal_when_the_file_part_has_none(s3: LocalS3) -> None:
    fields = s3.client().generate_presigned_post(
        BUCKET, "up/${filename}", Conditions=[["starts-with", "$key", "up/"]]
    )
    body = fields["fields"]
    answer = requests.post(fields["url"], data=body, files={"file": (None, b"text")}, timeout=10)
    assert answer.status_code == 204, answer.text
    keys = [o["Key"] for o in s3.client().list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == ["up/${filename}"]


# -- item 5: default checksums (INTEG-10, INTEG-11) ----------------------------------------------


def test_an_upload_without_a_checksum_gets_a_crc64nvme(s3: LocalS3) -> None:
    answer = requests.put(_presign(s3, "PUT", "c.txt"), data=b"hello world", timeout=10)
    assert answer.status_code == 200
    recorded = recorded_case("CHECKSUM-DEFAULT-CRC64NVME-HEAD")["response"]["result"]  # type: ignore[index]
    assert recorded["ChecksumType"] == "FULL_OBJECT" and "ChecksumCRC64NVME" in recorded
    assert answer.headers["x-amz-checksum-crc64nvme"] == HELLO_CRC64NVME
    assert answer.headers["x-amz-checksum-type"] == "FULL_OBJECT"
    head = s3.client().head_object(Bucket=BUCKET, Key="c.txt", ChecksumMode="ENABLED")
    assert (head["ChecksumCRC64NVME"], head["ChecksumType"]) == (HELLO_CRC64NVME, "FULL_OBJECT")


def test_a_post_upload_gets_the_default_checksum_too(s3: LocalS3) -> None:
    answer = _post(s3, "p.txt", {}, {"file": ("p.txt", b"hello world")})
    assert answer.status_code == 204
    assert answer.headers["x-amz-checksum-crc64nvme"] == HELLO_CRC64NVME
    assert answer.headers["x-amz-checksum-type"] == "FULL_OBJECT"


@pytest.mark.parametrize("algorithm", ["SHA256", "TEST"])
def test_a_checksum_algorithm_alone_is_accepted(s3: LocalS3, algorithm: str) -> None:
    url = _url(s3, "alg.txt")
    body = b"hello world"
    headers = sign_v4_headers(
        s3,
        "PUT",
        url,
        payload=hashlib.sha256(body).hexdigest(),
        headers={"x-amz-checksum-algorithm": algorithm},
    )
    answer = requests.put(url, data=body, headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    head = s3.client().head_object(Bucket=BUCKET, Key="alg.txt", ChecksumMode="ENABLED")
    assert head["ChecksumCRC64NVME"] == HELLO_CRC64NVME


# -- item 6: the scope's region on every request (AUTH-H-02) -------------------------------------


def test_a_request_signed_for_aws_global_is_refused(s3: LocalS3) -> None:
    url = f"{s3.endpoint_url}/"
    headers = sign_v4_headers(s3, "GET", url, payload="UNSIGNED-PAYLOAD", region="aws-global")
    answer = requests.get(url, headers=headers, timeout=10)
    assert_recorded("AUTHH-REGION-AWS-GLOBAL", answer.status_code, answer.content)
    assert b"expecting 'us-east-1'</Message><Region>us-east-1</Region>" in answer.content


def test_a_header_signed_for_another_region_is_refused_on_the_bucket(s3: LocalS3) -> None:
    s3.client().put_object(Bucket=BUCKET, Key="r.txt", Body=b"x")
    url = _url(s3, "r.txt")
    headers = sign_v4_headers(s3, "GET", url, payload="UNSIGNED-PAYLOAD", region="eu-west-1")
    answer = requests.get(url, headers=headers, timeout=10)
    assert answer.status_code == 400
    assert error_code(answer.content) == "AuthorizationHeaderMalformed"


# -- item 7: conditional headers validated before the key lookup (INTEG-04) ----------------------


@pytest.mark.parametrize(
    ("headers", "case"),
    [
        ({"If-Match": "*"}, "COND-PUT-IF-MATCH-STAR"),
        ({"If-Match": '"abc"', "If-None-Match": "*"}, "COND-PUT-BOTH"),
    ],
)
def test_conditional_headers_are_validated_before_the_key(
    s3: LocalS3, headers: dict[str, str], case: str
) -> None:
    url = _presign(s3, "PUT", "missing.txt", headers=headers)
    answer = requests.put(url, data=b"x", headers=headers, timeout=10)
    assert_recorded(case, answer.status_code, answer.content)


# -- item 8: preflight headers on an actual request (CORS-07) ------------------------------------


def test_an_actual_request_with_preflight_headers_gets_no_cors_headers(s3: LocalS3) -> None:
    client = s3.client()
    client.put_bucket_cors(
        Bucket=BUCKET,
        CORSConfiguration={
            "CORSRules": [{"AllowedOrigins": ["http://page.test"], "AllowedMethods": ["GET"]}]
        },
    )
    client.put_object(Bucket=BUCKET, Key="c.txt", Body=b"x")
    url = client.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "c.txt"})
    plain = requests.get(url, headers={"Origin": "http://page.test"}, timeout=10)
    assert plain.headers["Access-Control-Allow-Origin"] == "http://page.test"
    with_preflight = requests.get(
        url,
        headers={"Origin": "http://page.test", "Access-Control-Request-Method": "GET"},
        timeout=10,
    )
    assert with_preflight.status_code == 200
    assert not [h for h in with_preflight.headers if h.lower().startswith("access-control")]


# -- item 10: a raw "+" in the path is a space (ADDR-06) ------------------------------------------


def test_a_space_sent_as_plus_names_the_key_with_the_space(s3: LocalS3) -> None:
    url = s3.client().generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "a b.txt"}
    )
    assert "a%20b.txt" in url
    answer = requests.put(url.replace("a%20b.txt", "a+b.txt"), data=b"x", timeout=10)
    assert answer.status_code == 200, answer.text
    assert [o["Key"] for o in s3.client().list_objects_v2(Bucket=BUCKET)["Contents"]] == ["a b.txt"]


def test_a_literal_plus_must_be_sent_as_percent_2b(s3: LocalS3) -> None:
    url = s3.client().generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "a+b.txt"}
    )
    assert "a%2Bb.txt" in url
    answer = requests.put(url.replace("a%2Bb.txt", "a+b.txt"), data=b"x", timeout=10)
    assert answer.status_code == 403 and error_code(answer.content) == "SignatureDoesNotMatch"
    assert f"PUT\n/{BUCKET}/a%20b.txt\n".encode() in answer.content


# -- item 11: SigV2 as AWS answers it today (AUTH-V2-01, AUTH-V2-05, AUTH-V2-06) -----------------


def test_sigv2_header_auth_works_on_bucket_level_requests(s3: LocalS3) -> None:
    client = s3.client(config=Config(signature_version="s3"))
    client.put_object(Bucket=BUCKET, Key="v2.txt", Body=b"x")
    assert [o["Key"] for o in client.list_objects(Bucket=BUCKET)["Contents"]] == ["v2.txt"]


def test_sigv2_is_refused_in_a_region_that_takes_only_sigv4(s3: LocalS3) -> None:
    s3.client().create_bucket(
        Bucket="frankfurt-bucket",
        CreateBucketConfiguration={"LocationConstraint": "eu-central-1"},
    )
    url = presign_v2(
        "GET",
        f"{s3.endpoint_url}/frankfurt-bucket/k.txt",
        access_key=s3.access_key_id,
        secret_key=s3.secret_access_key,
        expires_at=datetime.now(UTC).replace(microsecond=0).replace(year=2099),
    )
    answer = requests.get(url, timeout=10)
    assert_recorded("SIGV2-SIGV4-ONLY-REGION", answer.status_code, answer.content)


# -- item 12: AccessDenied with context (AUTHZ-02, AUTHZ-03) -------------------------------------


def test_a_same_account_refusal_names_the_action_resource_and_policy_type(s3: LocalS3) -> None:
    iam = s3.client("iam")
    iam.create_user(UserName="plain")
    key = iam.create_access_key(UserName="plain")["AccessKey"]
    user = s3.client(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]
    )
    with pytest.raises(ClientError) as info:
        user.put_object(Bucket=BUCKET, Key="x.txt", Body=b"x")
    assert info.value.response["Error"]["Message"] == (
        "User: arn:aws:iam::123456789012:user/plain is not authorized to perform: s3:PutObject "
        f'on resource: "arn:aws:s3:::{BUCKET}/x.txt" because no identity-based policy allows '
        "the s3:PutObject action"
    )
    anonymous = requests.put(_url(s3, "x.txt"), data=b"x", timeout=10)
    assert anonymous.status_code == 403 and b"<Message>Access Denied</Message>" in anonymous.content


def test_an_explicit_deny_in_the_bucket_policy_is_named(s3: LocalS3) -> None:
    s3.client().put_bucket_policy(
        Bucket=BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:DeleteBucketPolicy",
                        "Resource": f"arn:aws:s3:::{BUCKET}",
                    },
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:DeleteObject",
                        "Resource": f"arn:aws:s3:::{BUCKET}/*",
                    },
                ],
            }
        ),
    )
    with pytest.raises(ClientError) as info:
        s3.client().delete_object(Bucket=BUCKET, Key="x.txt")
    assert info.value.response["Error"]["Message"] == (
        "User: arn:aws:iam::123456789012:root is not authorized to perform: s3:DeleteObject on "
        f'resource: "arn:aws:s3:::{BUCKET}/x.txt" with an explicit deny in a resource-based policy'
    )
