"""The same broken requests sent to the strict local S3: diagnosing its error body names the cause.

Each case presigns against a running :class:`~presignlab.locals3.server.LocalS3` at a fixed
instant, sends a broken request with ``requests``, and checks that ``diagnose`` given S3's
error body (and, where the cause is only visible in what was signed, the secret key) puts
the expected finding code first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from presignlab import presign_v2, presign_v4
from presignlab.diagnosis import diagnose
from presignlab.locals3.server import LocalS3

T = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PNG = {"Content-Type": "image/png"}


@pytest.fixture(scope="module")
def s3() -> Iterator[LocalS3]:
    with LocalS3(socket_timeout=3) as server:
        server.client().create_bucket(Bucket="demo")
        yield server


@pytest.fixture(autouse=True)
def clock(s3: LocalS3) -> None:
    s3.clock.set(T + timedelta(minutes=1))


def url_for(
    s3: LocalS3,
    key: str = "demo/a.txt",
    *,
    headers: dict[str, str] | None = None,
    secret: str | None = None,
    access_key: str | None = None,
    **kwargs: object,
) -> str:
    return presign_v4(
        "PUT",
        f"{s3.endpoint_url}/{key}",
        access_key=access_key or s3.access_key_id,
        secret_key=secret or s3.secret_access_key,
        region="us-east-1",
        now=T,
        headers=headers or {},
        **kwargs,
    )  # type: ignore[arg-type]


def send(method: str, url: str, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.request(
        method,
        url,
        data=b"hello" if method in ("PUT", "POST") else None,
        headers=headers or {},
        timeout=10,
    )
    assert response.status_code >= 400, response.status_code
    return response


def cause(
    url: str,
    response: requests.Response,
    *,
    method: str = "PUT",
    headers: dict[str, str] | None = None,
    secret: str | None = None,
) -> list[str]:
    result = diagnose(
        url, method, headers or {}, secret_key=secret, error_xml=response.content, now=T
    )
    assert result.verdict == "problems", result.to_dict()
    json.dumps(result.to_dict())
    return result.codes


def test_content_type_changed(s3: LocalS3) -> None:
    url = url_for(s3, headers=PNG)
    response = send("PUT", url, {"Content-Type": "text/plain"})
    assert (
        cause(url, response, headers=PNG)[0] == "signed-header-value-mismatch"
    )  # S3's CanonicalRequest shows it
    sent = {"Content-Type": "text/plain"}
    assert (
        cause(url, response, headers=sent, secret=s3.secret_access_key)[0]
        == "signed-header-value-mismatch"
    )


def test_method_changed(s3: LocalS3) -> None:
    url = url_for(s3)
    response = send("GET", url)
    assert cause(url, response, method="PUT")[0] == "method-mismatch"
    assert cause(url, response, method="GET", secret=s3.secret_access_key)[0] == "method-mismatch"


def test_signed_header_not_sent(s3: LocalS3) -> None:
    url = url_for(s3, headers={"x-amz-meta-foo": "bar"})
    assert cause(url, send("PUT", url))[0] == "signed-header-missing"


def test_unsigned_amz_header(s3: LocalS3) -> None:
    url = url_for(s3)
    headers = {"x-amz-meta-wrong": "1"}
    assert cause(url, send("PUT", url, headers), headers=headers)[0] == "unsigned-amz-header"


def test_query_parameter_added(s3: LocalS3) -> None:
    url = url_for(s3) + "&x-id=PutObject"
    assert cause(url, send("PUT", url), secret=s3.secret_access_key)[0] == "query-tampered"


def test_path_changed(s3: LocalS3) -> None:
    """A literal "+" signed as %2B but sent raw: S3 reads the raw "+" as a space (ADDR-06)."""
    url = url_for(s3, "demo/a%2Bb.txt")
    sent = url.replace("a%2Bb.txt", "a+b.txt")
    assert cause(sent, send("PUT", sent), secret=s3.secret_access_key)[0] == "path-mismatch"


def test_host_changed(s3: LocalS3) -> None:
    url = url_for(s3)
    response = send("PUT", url.replace("127.0.0.1", "localhost"))  # e.g. a proxy rewrote Host
    assert cause(url, response)[0] == "host-mismatch"
    assert cause(url, response, secret=s3.secret_access_key)[0] == "host-mismatch"


def test_wrong_secret(s3: LocalS3) -> None:
    url = url_for(s3, secret="not-the-secret-of-this-access-key-000000")
    assert cause(url, send("PUT", url), secret="not-the-secret-of-this-access-key-000000") == [
        "wrong-secret-key"
    ]


def test_expired_and_not_yet_valid(s3: LocalS3) -> None:
    url = url_for(s3, expires=60)
    s3.clock.set(T + timedelta(hours=1))
    assert cause(url, send("PUT", url))[0] == "expired"
    s3.clock.set(T - timedelta(hours=1))
    assert cause(url, send("PUT", url))[0] == "not-yet-valid"


def test_expires_too_long(s3: LocalS3) -> None:
    url = url_for(s3, expires=604801)
    assert cause(url, send("PUT", url))[0] == "expires-too-long"


def test_missing_and_malformed_parameters(s3: LocalS3) -> None:
    url = url_for(s3)
    missing = "&".join(p for p in url.split("&") if not p.startswith("X-Amz-Date="))
    assert cause(missing, send("PUT", missing))[0] == "missing-auth-parameter"
    double = url.replace("%2F", "%252F")
    assert cause(double, send("PUT", double))[0] == "malformed-credential"


def test_unknown_access_key(s3: LocalS3) -> None:
    url = url_for(s3, access_key="AKIAUNKNOWNEXAMPLE00")
    assert cause(url, send("PUT", url))[0] == "unknown-access-key"


def test_sigv2_content_type_changed(s3: LocalS3) -> None:
    url = presign_v2(
        "PUT",
        f"{s3.endpoint_url}/demo/v2.txt",
        access_key=s3.access_key_id,
        secret_key=s3.secret_access_key,
        expires_at=T + timedelta(hours=1),
        headers=PNG,
    )
    response = send("PUT", url, {"Content-Type": "text/plain"})
    codes = cause(
        url, response, headers={"Content-Type": "text/plain"}, secret=s3.secret_access_key
    )
    assert codes[0] == "signed-header-value-mismatch" and "sigv2-url" in codes


def _real_now_url(s3: LocalS3, **kwargs: object) -> str:
    """Presigned at the real current time (STS and IAM answers are stamped with real time)."""
    s3.clock.resume()
    return presign_v4(
        "PUT",
        f"{s3.endpoint_url}/demo/b.txt",
        region="us-east-1",
        now=datetime.now(UTC),
        **{"access_key": s3.access_key_id, "secret_key": s3.secret_access_key, **kwargs},
    )  # type: ignore[arg-type]


def _diagnose_now(url: str, response: requests.Response, **kwargs: object) -> list[str]:
    result = diagnose(url, error_xml=response.content, **kwargs)  # type: ignore[arg-type]
    assert result.verdict == "problems", result.to_dict()
    return result.codes


def test_session_token_expired_or_invalid(s3: LocalS3) -> None:
    s3.clock.resume()
    creds = s3.client("sts").get_session_token(DurationSeconds=900)["Credentials"]
    keys = {"access_key": creds["AccessKeyId"], "secret_key": creds["SecretAccessKey"]}
    url = _real_now_url(s3, session_token=creds["SessionToken"], **keys)
    s3.clock.set(datetime.now(UTC) + timedelta(minutes=20))
    assert _diagnose_now(url, send("PUT", url), now=datetime.now(UTC))[0] == "token-expired"
    s3.clock.resume()
    mangled = _real_now_url(s3, session_token=creds["SessionToken"][:-8] + "AAAAAAAA", **keys)
    assert _diagnose_now(mangled, send("PUT", mangled))[0] == "invalid-token"


def test_acl_on_a_bucket_without_acls(s3: LocalS3) -> None:
    acl = {"x-amz-acl": "public-read"}
    url = _real_now_url(s3, headers=acl)
    assert _diagnose_now(url, send("PUT", url, acl), headers=acl) == ["acl-not-supported"]


def test_signer_without_permission(s3: LocalS3) -> None:
    s3.clock.resume()
    iam = s3.client("iam")
    iam.create_user(UserName="no-rights")
    key = iam.create_access_key(UserName="no-rights")["AccessKey"]
    url = _real_now_url(s3, access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"])
    codes = _diagnose_now(url, send("PUT", url), secret_key=key["SecretAccessKey"])
    assert codes == ["access-denied-policy"]


def test_region_in_the_credential_scope(s3: LocalS3) -> None:
    url = url_for(s3).replace("us-east-1", "eu-central-1")
    response = send(
        "PUT",
        presign_v4(
            "PUT",
            f"{s3.endpoint_url}/demo/a.txt",
            access_key=s3.access_key_id,
            secret_key=s3.secret_access_key,
            region="eu-central-1",
            now=T,
        ),
    )
    assert cause(url, response)[0] == "region-mismatch"


def test_cors_preflight_without_cors_configuration(s3: LocalS3) -> None:
    url = url_for(s3)
    response = send(
        "OPTIONS",
        url.split("?")[0],
        {"Origin": "https://app.example", "Access-Control-Request-Method": "PUT"},
    )
    assert cause(url, response, method="OPTIONS")[0] == "cors-preflight-denied"


def test_presigned_post_policy_expired(s3: LocalS3) -> None:
    s3.clock.resume()
    post = s3.client().generate_presigned_post("demo", "form.txt", ExpiresIn=60)
    s3.clock.set(datetime.now(UTC) + timedelta(hours=1))
    response = requests.post(
        post["url"], data=post["fields"], files={"file": ("form.txt", b"x")}, timeout=10
    )
    assert response.status_code == 403
    result = diagnose(post["url"], method="POST", error_xml=response.content)
    assert result.codes == ["post-policy-violation"] and result.url is None
