"""Property tests: our SigV2 query signing agrees with botocore's ``HmacV1QueryAuth``.

For random keys, buckets (path-style and virtual-hosted, where the string to sign still names
``/bucket/key``), sub-resources, signed headers (``Content-Type``, ``Content-MD5``,
``x-amz-*``) and unsigned ones, expiries and session tokens, botocore presigns an
``AWSRequest`` at a frozen instant and hoists its signed headers into the query. Then:

* the string to sign S3 computes for that URL, with the headers the uploader sends
  (:func:`presignlab.signing.sent_request.sigv2_string_to_sign`), is botocore's;
* :func:`presignlab.signing.sent_request.presign_v2` with the same inputs makes the same ``Signature``
  and, with ``hoist_headers=True``, the same query parameters.
"""

from __future__ import annotations

import datetime as dt
import types
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode
from hypothesis import given, settings
from hypothesis import strategies as st

from presignlab.signing.presign import presign_v2
from presignlab.signing.presigned_url import parse_presigned_url
from presignlab.signing.sent_request import SentRequest, sigv2_string_to_sign
from presignlab.signing.sigv2 import SUBRESOURCES

EXAMPLES = 2000

_LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_SPECIAL = list(" +=&%~;'/!*()?#:@$,[]\"<>\\^`{|}")
_KEY_CHARS = st.one_of(
    st.sampled_from(_SPECIAL),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)
_KEY_TEXT = st.text(_KEY_CHARS, min_size=1, max_size=24)
keys = st.one_of(
    _KEY_TEXT,
    st.builds(lambda a, b: f"{a}//{b}", _KEY_TEXT, _KEY_TEXT),
    st.builds(lambda a: f"/{a}", _KEY_TEXT),
)
buckets = st.builds(
    lambda a, mid, z: f"{a}{mid}{z}",
    st.sampled_from(_LOWER_ALNUM),
    st.text(_LOWER_ALNUM + "-", min_size=1, max_size=18),
    st.sampled_from(_LOWER_ALNUM),
)
access_keys = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(["AKIA", "ASIA"]),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", min_size=16, max_size=16),
)
secrets = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)
tokens = st.one_of(
    st.none(),
    st.text(st.sampled_from("ABCDEFabcdef0123456789+/="), min_size=1, max_size=80),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20),
)
methods = st.sampled_from(["GET", "PUT", "HEAD", "DELETE", "POST"])
epochs = st.integers(min_value=946684800, max_value=4102444800)  # 2000-01-01 .. 2100-01-01
expiries = st.integers(min_value=1, max_value=604800)

_VALUE_CHAR = st.one_of(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
    st.sampled_from([" ", "\t", "é"]),
)
header_values = st.text(_VALUE_CHAR, max_size=16)
_SIGNED = [
    "Content-Type",
    "content-md5",
    "x-amz-acl",
    "X-Amz-Meta-Foo",
    "x-amz-meta-bar",
    "x-amz-server-side-encryption",
    "x-amz-storage-class",
    "x-amz-tagging",
]
_UNSIGNED = ["Content-Encoding", "Cache-Control", "If-None-Match", "Range", "Content-Disposition"]
header_sets = st.lists(
    st.tuples(st.sampled_from(_SIGNED + _UNSIGNED), header_values),
    max_size=5,
    unique_by=lambda p: p[0].lower(),
)
#: Sub-resources (in the string to sign) and other operation parameters (not in it).
sub_resources = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from(["uploads", "acl", "tagging", "versioning", "torrent"]), st.none()
        ),
        st.tuples(
            st.sampled_from(
                [
                    "uploadId",
                    "partNumber",
                    "versionId",
                    "response-content-type",
                    "response-content-disposition",
                    "x-id",
                    "prefix",
                ]
            ),
            st.text(_KEY_CHARS, min_size=1, max_size=12),
        ),
    ),
    max_size=3,
    unique_by=lambda p: p[0],
)


@st.composite
def endpoints(draw: st.DrawFn) -> tuple[str, str]:
    """``(URL without query, /bucket/key as botocore's auth_path)``."""
    bucket, key = draw(buckets), draw(keys)
    encoded = percent_encode(key, safe="/~")
    style = draw(st.sampled_from(["path", "virtual", "localstack", "minio-port"]))
    base = {
        "path": f"https://s3.amazonaws.com/{bucket}",
        "virtual": f"https://{bucket}.s3.amazonaws.com",
        "localstack": f"http://127.0.0.1:4566/{bucket}",
        "minio-port": f"http://localhost:9000/{bucket}",
    }[style]
    return f"{base}/{encoded}", f"/{bucket}/{encoded}"


class _RecordingSigner(botocore.auth.HmacV1QueryAuth):
    """botocore's SigV2 presigner, remembering the string it signed."""

    string_to_sign: str = ""

    def canonical_string(self, *args: object, **kwargs: object) -> str:
        self.string_to_sign = super().canonical_string(*args, **kwargs)  # type: ignore[arg-type]
        return self.string_to_sign


def _query_text(params: list[tuple[str, str | None]]) -> str:
    return "&".join(n if v is None else f"{n}={percent_encode(v)}" for n, v in params)


@settings(max_examples=EXAMPLES)
@given(
    method=methods,
    endpoint=endpoints(),
    subs=sub_resources,
    headers=header_sets,
    access_key=access_keys,
    secret_key=secrets,
    token=tokens,
    now=epochs,
    expires=expiries,
)
def test_string_to_sign_and_signature_match_botocore(
    method: str,
    endpoint: tuple[str, str],
    subs: list[tuple[str, str | None]],
    headers: list[tuple[str, str]],
    access_key: str,
    secret_key: str,
    token: str | None,
    now: int,
    expires: int,
) -> None:
    base, auth_path = endpoint
    url = f"{base}?{_query_text(subs)}" if subs else base
    virtual = ".s3.amazonaws.com" in base
    request = AWSRequest(method=method, url=url, headers=dict(headers))
    request.auth_path = auth_path if virtual else None
    signer = _RecordingSigner(Credentials(access_key, secret_key, token), expires)
    with mock.patch.object(botocore.auth, "time", types.SimpleNamespace(time=lambda: float(now))):
        signer.add_auth(request)
    theirs = request.url

    # What S3 computes: x-amz-* come from the query, Content-Type/-MD5 from the headers sent.
    sent_headers = [(n, v) for n, v in headers if not n.lower().startswith("x-amz-")]
    sent = SentRequest.to_url(theirs, method, sent_headers)
    resource = SentRequest.to_url(f"http://h{auth_path}").path
    expires_at = str(now + expires)
    assert sigv2_string_to_sign(sent, resource, expires_at) == signer.string_to_sign
    parsed = parse_presigned_url(theirs)
    assert parsed.version == "sigv2"
    assert parsed.session_token_present == (token is not None)
    assert parsed.expires_at == dt.datetime.fromtimestamp(now + expires, dt.UTC)

    ours = presign_v2(
        method,
        url,
        access_key=access_key,
        secret_key=secret_key,
        headers=headers,
        expires_at=dt.datetime.fromtimestamp(now + expires, dt.UTC),
        session_token=token,
        resource_path=resource if virtual else None,
        hoist_headers=True,
    )
    mine = parse_presigned_url(ours)
    assert mine.signature == parsed.signature
    assert sorted(mine.query) == sorted(parsed.query)


def test_sub_resources_are_botocores() -> None:
    assert set(botocore.auth.HmacV1Auth.QSAOfInterest) == SUBRESOURCES
