"""presignlab.examples holds exactly the inputs of AWS's published SigV4 presigned-URL example."""

from __future__ import annotations

from presignlab import examples, presign_v4

PUBLISHED_SIGNATURE = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"


def test_every_exported_name_exists() -> None:
    assert all(hasattr(examples, name) for name in examples.__all__)
    assert examples.__all__ == sorted(examples.__all__)


def test_the_constants_reproduce_the_published_signature() -> None:
    url = presign_v4(
        "GET",
        f"https://{examples.EXAMPLE_BUCKET}.s3.amazonaws.com/{examples.EXAMPLE_KEY}",
        access_key=examples.EXAMPLE_ACCESS_KEY_ID,
        secret_key=examples.EXAMPLE_SECRET_ACCESS_KEY,
        region=examples.EXAMPLE_REGION,
        now=examples.EXAMPLE_DATE,
        expires=examples.EXAMPLE_EXPIRES,
    )
    assert url.endswith(f"&X-Amz-Signature={PUBLISHED_SIGNATURE}")


def test_the_instant_is_aware_utc() -> None:
    assert examples.EXAMPLE_DATE.utcoffset() is not None
    assert examples.EXAMPLE_DATE.isoformat() == "2013-05-24T00:00:00+00:00"
