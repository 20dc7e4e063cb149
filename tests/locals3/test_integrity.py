"""PutObject preconditions and digests (reference rows 23–24d) and the checksum algorithms."""

from __future__ import annotations

import base64
import hashlib
import zlib

import pytest

from presignlab.locals3.body.checksums import ALGORITHMS, b64_digest, new_digest
from presignlab.locals3.body.integrity import (
    BodyVerifier,
    DigestSpec,
    check_preconditions,
    check_put_headers,
)
from presignlab.locals3.wire.errors import S3Error

BODY = b"hello, presigned world"
MD5 = base64.b64encode(hashlib.md5(BODY).digest()).decode()
PRECONDITION = "At least one of the pre-conditions you specified did not hold"


def shape(err: S3Error) -> tuple[int, str, str, tuple[tuple[str, str], ...]]:
    return err.status, err.code, err.message, tuple(err.extra)


def refused(call: object, *args: object, **kwargs: object) -> S3Error:
    with pytest.raises(S3Error) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    return info.value


def verify(
    spec: DigestSpec, body: bytes = BODY, trailers: tuple[tuple[str, str], ...] = ()
) -> dict[str, str]:
    verifier = BodyVerifier(spec)
    for start in range(0, len(body), 5):
        verifier(body[start : start + 5])
    return verifier.finish(trailers)


# -- checksum algorithms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("algorithm", "check"),
    [
        ("CRC32", "cbf43926"),
        ("CRC32C", "e3069283"),
        ("CRC64NVME", "ae8b14860a799888"),
        ("SHA1", hashlib.sha1(b"123456789").hexdigest()),
        ("SHA256", hashlib.sha256(b"123456789").hexdigest()),
    ],
)
@pytest.mark.parametrize("use_crt", [True, False], ids=["crt", "pure-python"])
def test_check_values(algorithm: str, check: str, use_crt: bool) -> None:
    digest = new_digest(algorithm.lower(), use_crt=use_crt)
    digest.update(b"1234")
    digest.update(b"56789")
    assert digest.digest().hex() == check


@pytest.mark.parametrize("algorithm", ["CRC32C", "CRC64NVME"])
def test_the_crt_and_the_fallback_agree(algorithm: str) -> None:
    """botocore's crt extra is installed with the kit; the pure-Python CRCs stay its twin."""
    from presignlab.locals3.body import checksums

    assert checksums._CRT is not None, "awscrt (botocore[crt]) should be installed"
    data = bytes(range(256)) * 41 + b"tail"
    fast, slow = new_digest(algorithm), new_digest(algorithm, use_crt=False)
    for start in range(0, len(data), 1000):
        fast.update(data[start : start + 1000])
        slow.update(data[start : start + 1000])
    assert fast.digest() == slow.digest()


def test_crc32_is_zlib() -> None:
    assert (
        b64_digest("CRC32", BODY) == base64.b64encode(zlib.crc32(BODY).to_bytes(4, "big")).decode()
    )


# -- header checks (before the body) ---------------------------------------------------------


def test_if_none_match_other_than_star_is_not_implemented() -> None:
    assert shape(refused(check_put_headers, [("If-None-Match", '"abc"')])) == (
        501,
        "NotImplemented",
        "A header you provided implies functionality that is not implemented",
        (
            ("Header", "If-None-Match"),
            (
                "additionalMessage",
                "We don't accept the provided value of If-None-Match header for this API",
            ),
        ),
    )


@pytest.mark.parametrize(
    "value", ["not-base64!", base64.b64encode(b"short").decode(), "MTIzNDU2Nzg5MDEyMzQ1Ng"]
)
def test_malformed_content_md5(value: str) -> None:
    assert shape(refused(check_put_headers, [("Content-MD5", value)])) == (
        400,
        "InvalidDigest",
        "The Content-MD5 you specified was invalid.",
        (("Content-MD5", value),),
    )


@pytest.mark.parametrize("algorithm", [a.lower() for a in ALGORITHMS])
@pytest.mark.parametrize("value", ["@@@", "AAAA", base64.b64encode(b"x" * 40).decode()])
def test_malformed_checksum(algorithm: str, value: str) -> None:
    err = refused(check_put_headers, [(f"x-amz-checksum-{algorithm}", value)])
    assert shape(err) == (
        400,
        "InvalidRequest",
        f"Value for x-amz-checksum-{algorithm} header is invalid.",
        (),
    )


def test_two_checksum_headers() -> None:
    headers = [
        ("x-amz-checksum-crc32", b64_digest("CRC32", BODY)),
        ("x-amz-checksum-sha1", b64_digest("SHA1", BODY)),
    ]
    assert shape(refused(check_put_headers, headers)) == (
        400,
        "InvalidRequest",
        "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
        (),
    )


def test_valid_headers_give_a_spec() -> None:
    value = b64_digest("CRC32C", BODY)
    headers = [("Content-MD5", MD5), ("X-Amz-Checksum-CRC32C", value), ("If-None-Match", "*")]
    assert check_put_headers(headers) == DigestSpec(MD5, "CRC32C", value)
    assert check_put_headers([("x-amz-checksum-type", "FULL_OBJECT")]) == DigestSpec()


def test_checksum_hoisted_to_the_query() -> None:
    value = b64_digest("CRC32", BODY)
    assert check_put_headers([], hoisted=[("x-amz-checksum-crc32", value)]) == DigestSpec(
        None, "CRC32", value
    )


# -- preconditions against the current object ------------------------------------------------


def test_if_none_match_star_and_object_exists() -> None:
    err = refused(check_preconditions, [("If-None-Match", "*")], key="k", current_etag='"abc"')
    assert shape(err) == (
        412,
        "PreconditionFailed",
        PRECONDITION,
        (("Condition", "If-None-Match"),),
    )
    check_preconditions([("If-None-Match", "*")], key="k", current_etag=None)


def test_if_match_mismatch() -> None:
    err = refused(check_preconditions, [("If-Match", '"other"')], key="k", current_etag='"abc"')
    assert shape(err) == (412, "PreconditionFailed", PRECONDITION, (("Condition", "If-Match"),))
    check_preconditions([("If-Match", '"abc"')], key="k", current_etag='"abc"')
    check_preconditions([("If-Match", "abc")], key="k", current_etag='"abc"')


def test_if_match_on_missing_key_is_no_such_key() -> None:
    err = refused(
        check_preconditions, [("If-Match", '"abc"')], key="photos/a.jpg", current_etag=None
    )
    assert shape(err) == (
        404,
        "NoSuchKey",
        "The specified key does not exist.",
        (("Key", "photos/a.jpg"),),
    )


# -- streaming verification ------------------------------------------------------------------


def test_matching_digests_pass() -> None:
    value = b64_digest("SHA256", BODY)
    assert verify(DigestSpec(MD5, "SHA256", value)) == {
        "content-md5": MD5,
        "x-amz-checksum-sha256": value,
    }


def test_content_md5_mismatch() -> None:
    sent = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    err = refused(verify, DigestSpec(sent))
    assert shape(err) == (
        400,
        "BadDigest",
        "The Content-MD5 you specified did not match what we received.",
        (("ExpectedDigest", hashlib.md5(b"other").hexdigest()), ("CalculatedDigest", MD5)),
    )


def test_content_md5_mismatch_upload_part_echoes_base64() -> None:
    sent = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    verifier = BodyVerifier(DigestSpec(sent), md5_expected_as_sent=True)
    verifier.update(BODY)
    assert dict(refused(verifier.finish).extra)["ExpectedDigest"] == sent


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_checksum_mismatch(algorithm: str) -> None:
    err = refused(verify, DigestSpec(None, algorithm, b64_digest(algorithm, b"other")))
    assert shape(err) == (
        400,
        "BadDigest",
        f"The {algorithm} you specified did not match the calculated checksum.",
        (),
    )


def test_trailer_checksum() -> None:
    spec = check_put_headers([("x-amz-trailer", "x-amz-checksum-crc32")])
    assert spec == DigestSpec(None, "CRC32", None)
    verify(spec, trailers=(("x-amz-checksum-crc32", b64_digest("CRC32", BODY)),))
    assert (
        refused(verify, spec, trailers=(("x-amz-checksum-crc32", b64_digest("CRC32", b"x")),)).code
        == "BadDigest"
    )


def test_current_etag_from_moto() -> None:
    import boto3
    from moto import mock_aws

    from presignlab.locals3.backend.state import object_etag as current_etag

    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="etags")
        etag = client.put_object(Bucket="etags", Key="k", Body=BODY)["ETag"]
        assert current_etag("123456789012", "etags", "k") == etag
        assert current_etag("123456789012", "etags", "missing") is None
        assert current_etag("123456789012", "no-bucket", "k") is None
        client.put_bucket_versioning(Bucket="etags", VersioningConfiguration={"Status": "Enabled"})
        client.delete_object(Bucket="etags", Key="k")
        assert current_etag("123456789012", "etags", "k") is None
