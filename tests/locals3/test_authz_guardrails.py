"""Bucket-policy guardrails on presigned uploads, enforced by the running local S3.

Each guardrail is a ``Deny`` statement in the bucket policy on one condition key
(``s3:signatureAge`` AUTHZ-08, ``s3:authType`` AUTHZ-09, ``s3:signatureversion`` AUTHZ-10,
``aws:SourceIp`` AUTHZ-11). A request the condition matches gets AUTHZ-12's 403; a request it
does not match is uploaded. Time is the LocalS3's controllable clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from werkzeug.test import Client

from presignlab import presign_v2, presign_v4
from presignlab.lab.botocore_clock import follow_clock, unfollow_clock
from presignlab.locals3.app import StrictS3App
from presignlab.locals3.server import LocalS3
from support.locals3 import error_code

BUCKET = "guardrail-bucket"
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Signer:
    """An IAM user allowed s3:PutObject on the bucket, and its keys."""

    def __init__(self, server: LocalS3) -> None:
        iam = server.client("iam")
        iam.create_user(UserName="signer")
        iam.put_user_policy(
            UserName="signer",
            PolicyName="put",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "s3:PutObject",
                            "Resource": f"arn:aws:s3:::{BUCKET}/*",
                        }
                    ],
                }
            ),
        )
        key = iam.create_access_key(UserName="signer")["AccessKey"]
        self.server = server
        self.access_key = key["AccessKeyId"]
        self.secret_key = key["SecretAccessKey"]

    def url(self, key: str) -> str:
        return f"{self.server.endpoint_url}/{BUCKET}/{key}"

    def presign(self, key: str, expires: int = 3600) -> str:
        """A SigV4 presigned PUT signed at the server's clock."""
        return presign_v4(
            "PUT",
            self.url(key),
            access_key=self.access_key,
            secret_key=self.secret_key,
            region="us-east-1",
            now=self.server.clock.now(),
            expires=expires,
        )

    def presign_sigv2(self, key: str) -> str:
        return presign_v2(
            "PUT",
            self.url(key),
            access_key=self.access_key,
            secret_key=self.secret_key,
            expires_at=self.server.clock.now() + timedelta(hours=1),
        )


@pytest.fixture
def s3(local_s3: LocalS3) -> Iterator[LocalS3]:
    """The local S3 with its clock pinned at START and botocore following it."""
    local_s3.clock.set(START)
    follow_clock(local_s3.clock)
    try:
        local_s3.client().create_bucket(Bucket=BUCKET)
        yield local_s3
    finally:
        unfollow_clock()


@pytest.fixture
def signer(s3: LocalS3) -> Signer:
    return Signer(s3)


def deny_put_when(server: LocalS3, condition: dict[str, Any]) -> None:
    """A bucket policy with one statement: deny s3:PutObject to everyone when ``condition``."""
    statement = {
        "Sid": "Guardrail",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
        "Condition": condition,
    }
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    server.client().put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))


def put(url: str) -> requests.Response:
    return requests.put(url, data=b"photo", timeout=10)


def assert_explicit_deny(answer: requests.Response, key: str) -> None:
    """AUTHZ-12: 403 AccessDenied naming the signer, the action, the object and the policy type."""
    assert answer.status_code == 403, answer.text
    assert error_code(answer.content) == "AccessDenied"
    message = (
        "<Message>User: arn:aws:iam::123456789012:user/signer is not authorized to perform: "
        f's3:PutObject on resource: "arn:aws:s3:::{BUCKET}/{key}" with an explicit deny in a '
        "resource-based policy</Message>"
    )
    assert message.encode() in answer.content


# -- s3:signatureAge (AUTHZ-08) -----------------------------------------------------------------


def test_signature_age_guardrail_refuses_an_old_signature(s3: LocalS3, signer: Signer) -> None:
    deny_put_when(s3, {"NumericGreaterThan": {"s3:signatureAge": "600000"}})
    url = signer.presign("uploads/old.jpg", expires=3600)
    s3.clock.advance(minutes=10, seconds=1)  # valid for 50 more minutes, but 600001 ms old
    assert_explicit_deny(put(url), "uploads/old.jpg")


def test_signature_age_guardrail_admits_a_signature_up_to_the_limit(
    s3: LocalS3, signer: Signer
) -> None:
    deny_put_when(s3, {"NumericGreaterThan": {"s3:signatureAge": "600000"}})
    url = signer.presign("uploads/fresh.jpg")
    s3.clock.advance(minutes=10)  # exactly 600000 ms: not greater
    assert put(url).status_code == 200
    assert put(signer.presign("uploads/new.jpg")).status_code == 200


def test_signature_age_is_zero_for_sigv2(s3: LocalS3, signer: Signer) -> None:
    deny_put_when(s3, {"NumericGreaterThan": {"s3:signatureAge": "0"}})
    url = signer.presign_sigv2("uploads/v2.jpg")
    s3.clock.advance(minutes=30)
    assert put(url).status_code == 200  # AUTHZ-08: always 0 with SigV2
    v4 = signer.presign("uploads/v4.jpg")
    s3.clock.advance(seconds=1)
    assert_explicit_deny(put(v4), "uploads/v4.jpg")


def test_signature_age_of_a_boto3_url_follows_the_lab_clock(s3: LocalS3, signer: Signer) -> None:
    deny_put_when(s3, {"NumericGreaterThan": {"s3:signatureAge": "60000"}})
    client = boto3.client(
        "s3",
        endpoint_url=s3.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=signer.access_key,
        aws_secret_access_key=signer.secret_key,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    url = client.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "uploads/b.jpg"}, ExpiresIn=900
    )
    assert "X-Amz-Date=20260301T120000Z" in url
    assert put(url).status_code == 200
    s3.clock.advance(minutes=2)
    assert_explicit_deny(put(url), "uploads/b.jpg")


# -- s3:authType (AUTHZ-09) ---------------------------------------------------------------------


def test_auth_type_guardrail_refuses_presigned_urls(s3: LocalS3, signer: Signer) -> None:
    deny_put_when(s3, {"StringEquals": {"s3:authType": "REST-QUERY-STRING"}})
    assert_explicit_deny(put(signer.presign("uploads/q.jpg")), "uploads/q.jpg")


def test_auth_type_guardrail_admits_other_methods(s3: LocalS3, signer: Signer) -> None:
    deny_put_when(s3, {"StringEquals": {"s3:authType": "REST-HEADER"}})
    assert put(signer.presign("uploads/q.jpg")).status_code == 200
    client = s3.client(aws_access_key_id=signer.access_key, aws_secret_access_key=signer.secret_key)
    with pytest.raises(ClientError) as info:
        client.put_object(Bucket=BUCKET, Key="uploads/h.jpg", Body=b"x")
    error = info.value.response["Error"]
    assert (
        error["Code"] == "AccessDenied"
        and "explicit deny in a resource-based" in (error["Message"])
    )


# -- s3:signatureversion (AUTHZ-10) -------------------------------------------------------------


def test_signature_version_guardrail_refuses_sigv2(s3: LocalS3, signer: Signer) -> None:
    deny_put_when(s3, {"StringNotEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}})
    assert_explicit_deny(put(signer.presign_sigv2("uploads/v2.jpg")), "uploads/v2.jpg")
    assert put(signer.presign("uploads/v4.jpg")).status_code == 200


def test_signature_version_guardrail_on_sigv4(s3: LocalS3, signer: Signer) -> None:
    deny_put_when(s3, {"StringEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}})
    assert_explicit_deny(put(signer.presign("uploads/v4.jpg")), "uploads/v4.jpg")
    assert put(signer.presign_sigv2("uploads/v2.jpg")).status_code == 200


# -- aws:SourceIp (AUTHZ-11) --------------------------------------------------------------------


def test_source_ip_guardrail_refuses_requests_from_outside_the_range(
    s3: LocalS3, signer: Signer
) -> None:
    deny_put_when(s3, {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.7"]}})
    url = signer.presign("uploads/ip.jpg")
    assert_explicit_deny(put(url), "uploads/ip.jpg")
    spoofed = requests.put(url, data=b"x", headers={"X-Forwarded-For": "192.0.2.10"}, timeout=10)
    assert_explicit_deny(spoofed, "uploads/ip.jpg")  # a header never changes the address


def test_source_ip_guardrail_admits_requests_from_inside_the_range(
    s3: LocalS3, signer: Signer
) -> None:
    deny_put_when(s3, {"NotIpAddress": {"aws:SourceIp": "127.0.0.0/8"}})
    assert put(signer.presign("uploads/ip.jpg")).status_code == 200
    deny_put_when(s3, {"IpAddress": {"aws:SourceIp": "127.0.0.1/32"}})
    assert_explicit_deny(put(signer.presign("uploads/ip.jpg")), "uploads/ip.jpg")


def test_the_source_ip_is_the_connections_peer(s3: LocalS3, signer: Signer) -> None:
    """The app reads the peer address (REMOTE_ADDR), whatever it is, and no header."""
    deny_put_when(s3, {"NotIpAddress": {"aws:SourceIp": "198.51.100.0/24"}})
    app = StrictS3App(s3.store, s3.clock, s3.account_id)
    url = signer.presign("uploads/peer.jpg")
    path = url.split(s3.endpoint_url, 1)[1]
    host = s3.endpoint_url.split("//", 1)[1]
    inside = Client(app).put(
        path, data=b"x", headers={"Host": host}, environ_base={"REMOTE_ADDR": "198.51.100.4"}
    )
    assert inside.status_code == 200, inside.data
    outside = Client(app).put(
        path,
        data=b"x",
        headers={"Host": host, "X-Forwarded-For": "198.51.100.4"},
        environ_base={"REMOTE_ADDR": "192.0.2.9"},
    )
    assert outside.status_code == 403 and error_code(outside.data) == "AccessDenied"


# -- presigned POST forms: the form's date and the POST auth type (AUTHZ-08, AUTHZ-09) ---------


def _post_form(server: LocalS3, signer: Signer, key: str) -> dict[str, Any]:
    client = server.client(
        aws_access_key_id=signer.access_key, aws_secret_access_key=signer.secret_key
    )
    return client.generate_presigned_post(BUCKET, key, ExpiresIn=3600)  # type: ignore[no-any-return]


def _send_form(form: dict[str, Any]) -> requests.Response:
    return requests.post(
        form["url"], data=form["fields"], files={"file": ("a.png", b"png")}, timeout=10
    )


def test_signature_age_of_a_post_form_is_counted_from_its_date(s3: LocalS3, signer: Signer) -> None:
    deny_put_when(s3, {"NumericGreaterThan": {"s3:signatureAge": "600000"}})
    form = _post_form(s3, signer, "uploads/form.png")
    assert _send_form(form).status_code == 204
    s3.clock.advance(minutes=11)
    late = _send_form(form)
    assert late.status_code == 403 and error_code(late.content) == "AccessDenied"


def test_auth_type_post_refuses_forms_only(s3: LocalS3, signer: Signer) -> None:
    deny_put_when(s3, {"StringEquals": {"s3:authType": "POST"}})
    refused = _send_form(_post_form(s3, signer, "uploads/form.png"))
    assert refused.status_code == 403 and error_code(refused.content) == "AccessDenied"
    assert put(signer.presign("uploads/url.png")).status_code == 200
