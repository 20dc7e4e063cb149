"""The endpoint's kind, and the checks on endpoint, region and credentials."""

from __future__ import annotations

import pytest

from presignlab.probing import ProbeError, Target, endpoint_kind


@pytest.mark.parametrize(
    ("endpoint", "kind"),
    [
        ("https://s3.eu-west-1.amazonaws.com", "aws"),
        ("https://s3.amazonaws.com", "aws"),
        ("https://bucket.s3.us-east-1.amazonaws.com:443", "aws"),
        ("https://notamazonaws.com", "other"),
        ("http://127.0.0.1:4566", "local"),
        ("http://[::1]:9000", "local"),
        ("http://localhost:9000", "local"),
        ("https://abc.r2.cloudflarestorage.com", "other"),
    ],
)
def test_kind(endpoint, kind) -> None:
    assert endpoint_kind(endpoint) == kind


def test_the_secret_is_not_in_the_repr() -> None:
    target = Target.make("http://127.0.0.1:1", region="us-east-1", access_key_id="AKIA", secret_access_key="hush")  # fmt: skip
    assert "hush" not in repr(target) and target.endpoint == "http://127.0.0.1:1"


def test_half_a_key_pair_is_refused() -> None:
    with pytest.raises(ProbeError, match="both"):
        Target.make("http://127.0.0.1:1", region="us-east-1", access_key_id="AKIA")


def test_no_credentials_at_all_is_a_clear_error(monkeypatch, tmp_path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(ProbeError, match="No credentials"):
        Target.make("http://127.0.0.1:1", region="us-east-1")
