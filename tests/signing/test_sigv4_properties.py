"""Property tests: our SigV4 query signing agrees with botocore's own presigner.

For random object keys (unicode, spaces, ``+ = & % ~ ; '``, ``//``, a leading ``/``), random
extra signed headers (inner runs of white space included), hosts (AWS, custom endpoints with
ports, IPv6, userinfo, an explicit default port), regions, expiries (1..604800 s), operation
query parameters and session tokens, botocore's ``S3SigV4QueryAuth`` signs an ``AWSRequest``
at a frozen instant. Then:

* the canonical request S3 would compute for the URL botocore made, with the headers the
  uploader sends (:func:`presignlab.signing.sent_request.sigv4_canonical_request`), is botocore's;
* :func:`presignlab.signing.sent_request.presign_v4` given the same inputs makes the same URL, byte for
  byte (parameters, order, encoding and signature).

A second property goes through ``generate_presigned_url`` on a real (offline) boto3 client,
path-style and virtual-hosted, so the keys are serialised by botocore itself.

Examples are chosen by the hypothesis profile in ``conftest.py`` (derandomized, no database).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from unittest import mock

import boto3
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.utils import percent_encode, percent_encode_sequence
from hypothesis import given, settings
from hypothesis import strategies as st

from presignlab.signing.presign import presign_v4
from presignlab.signing.presigned_url import parse_presigned_url
from presignlab.signing.sent_request import SentRequest, sigv4_canonical_request

EXAMPLES = 2000

# --- strategies -------------------------------------------------------------------------------

#: Characters that are special somewhere in a URL, a query string or a SigV4 canonical form.
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
    st.builds(lambda a, b: f"{a}/{b}", _KEY_TEXT, _KEY_TEXT),
)
_LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
# (simple alphabets and builds, not from_regex: generation is most of the run time)
buckets = st.builds(
    lambda a, mid, z: f"{a}{mid}{z}",
    st.sampled_from(_LOWER_ALNUM),
    st.text(_LOWER_ALNUM + ".-", min_size=1, max_size=18),
    st.sampled_from(_LOWER_ALNUM),
).filter(lambda b: ".." not in b and ".-" not in b and "-." not in b)
regions = st.one_of(
    st.sampled_from(
        [
            "us-east-1",
            "us-west-2",
            "eu-central-1",
            "eu-west-1",
            "ap-southeast-2",
            "sa-east-1",
            "cn-north-1",
            "us-gov-west-1",
            "il-central-1",
        ]
    ),
    st.builds(
        lambda a, b, n: f"{a}-{b}-{n}",
        st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=2),
        st.text("abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=9),
        st.integers(1, 9),
    ),
)
expiries = st.integers(min_value=1, max_value=604800)
instants = st.datetimes(min_value=dt.datetime(1999, 1, 1), max_value=dt.datetime(2099, 12, 31))
access_keys = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(["AKIA", "ASIA"]),
    st.text(_UPPER_ALNUM, min_size=16, max_size=16),
)
secrets = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40)
tokens = st.one_of(
    st.none(),
    st.text(st.sampled_from("ABCDEFabcdef0123456789+/="), min_size=1, max_size=80),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20),
)
methods = st.sampled_from(["GET", "PUT", "HEAD", "DELETE", "POST"])

#: Headers botocore never signs, or handles specially in a way a presigned URL does not use.
_UNSIGNABLE = {
    "host",
    "authorization",
    "expect",
    "transfer-encoding",
    "user-agent",
    "x-amzn-trace-id",
    "x-amz-content-sha256",
}
_COMMON_HEADERS = [
    "Content-Type",
    "Content-MD5",
    "Content-Length",
    "Content-Disposition",
    "Content-Encoding",
    "Cache-Control",
    "If-None-Match",
    "If-Match",
    "x-amz-acl",
    "x-amz-checksum-sha256",
    "x-amz-server-side-encryption",
    "x-amz-storage-class",
    "x-amz-meta-foo",
    "X-Amz-Meta-Bar",
    "x-amz-tagging",
    "x-amz-request-payer",
]
header_names = st.one_of(
    st.sampled_from(_COMMON_HEADERS),
    st.builds(
        lambda a, rest: a + rest,
        st.sampled_from("aBcXyZ"),
        st.text(_LOWER_ALNUM + "ABCXYZ!#$%&'*+.^_`|~-", max_size=20),
    ),
    st.builds(
        lambda rest: f"x-amz-meta-{rest}", st.text(_LOWER_ALNUM + "ABC-", min_size=1, max_size=12)
    ),
).filter(lambda name: name.lower() not in _UNSIGNABLE)
_VALUE_CHAR = st.one_of(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
    st.sampled_from([" ", "\t", "é", "ü"]),
)
_WORD = st.text(_VALUE_CHAR, max_size=12)
header_values = st.one_of(
    _WORD,
    # inner runs of spaces and tabs, and leading/trailing white space
    st.builds(
        lambda lead, a, run, b, trail: f"{lead}{a}{run}{b}{trail}",
        st.text(" \t", max_size=3),
        _WORD,
        st.text(" \t", min_size=1, max_size=4),
        _WORD,
        st.text(" \t", max_size=3),
    ),
)
header_sets = st.lists(
    st.tuples(header_names, header_values), max_size=5, unique_by=lambda p: p[0].lower()
).filter(
    lambda pairs: ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8") not in pairs
)
operation_params = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "uploadId",
                "partNumber",
                "versionId",
                "response-content-type",
                "response-content-disposition",
                "x-id",
                "tagging",
                "acl",
                "list-type",
                "prefix",
            ]
        ),
        st.text(_KEY_CHARS, max_size=16),
    ),
    max_size=3,
    unique_by=lambda p: p[0],
)


@st.composite
def endpoints(draw: st.DrawFn) -> tuple[str, str]:
    """``(base URL, object path)``: the URL without query, and the path part S3 sees."""
    bucket, key = draw(buckets), draw(keys)
    region = draw(regions)
    style = draw(
        st.sampled_from(
            [
                "aws-path",
                "aws-virtual",
                "global-path",
                "global-virtual",
                "dualstack",
                "localstack",
                "minio",
                "default-port",
                "ipv6",
                "userinfo",
                "upper-case",
            ]
        )
    )
    encoded_key = percent_encode(key, safe="/~")  # how botocore's serializer writes {Key+}
    base = {
        "aws-path": f"https://s3.{region}.amazonaws.com/{bucket}",
        "aws-virtual": f"https://{bucket}.s3.{region}.amazonaws.com",
        "global-path": f"https://s3.amazonaws.com/{bucket}",
        "global-virtual": f"https://{bucket}.s3.amazonaws.com",
        "dualstack": f"https://{bucket}.s3.dualstack.{region}.amazonaws.com",
        "localstack": f"http://127.0.0.1:4566/{bucket}",
        "minio": f"http://localhost:9000/{bucket}",
        "default-port": f"https://s3.{region}.amazonaws.com:443/{bucket}",
        "ipv6": f"http://[::1]:9000/{bucket}",
        "userinfo": f"https://user:pw@minio.example:9443/{bucket}",
        "upper-case": f"https://S3.Example.COM/{bucket}",
    }[style]
    return f"{base}/{encoded_key}", key


# --- botocore, with a frozen clock -------------------------------------------------------------


class _RecordingSigner(botocore.auth.S3SigV4QueryAuth):
    """botocore's S3 presigner, remembering the canonical request it signed."""

    canonical: str = ""

    def canonical_request(self, request: AWSRequest) -> str:
        self.canonical = super().canonical_request(request)
        return self.canonical


@contextmanager
def _frozen(now: dt.datetime) -> Iterator[None]:
    with mock.patch.object(botocore.auth, "get_current_datetime", lambda: now):
        yield


def _botocore_presign(
    method: str,
    url: str,
    headers: list[tuple[str, str]],
    *,
    access_key: str,
    secret_key: str,
    token: str | None,
    region: str,
    expires: int,
    now: dt.datetime,
) -> tuple[str, str]:
    request = AWSRequest(method=method, url=url, headers=dict(headers))
    signer = _RecordingSigner(Credentials(access_key, secret_key, token), "s3", region, expires)
    with _frozen(now):
        signer.add_auth(request)
    return request.url, signer.canonical


def _with_query(url: str, params: list[tuple[str, str]]) -> str:
    return f"{url}?{percent_encode_sequence(params)}" if params else url


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=EXAMPLES)
@given(
    method=methods,
    endpoint=endpoints(),
    params=operation_params,
    headers=header_sets,
    access_key=access_keys,
    secret_key=secrets,
    token=tokens,
    region=regions,
    expires=expiries,
    now=instants,
)
def test_canonical_request_and_signature_match_botocore(
    method: str,
    endpoint: tuple[str, str],
    params: list[tuple[str, str]],
    headers: list[tuple[str, str]],
    access_key: str,
    secret_key: str,
    token: str | None,
    region: str,
    expires: int,
    now: dt.datetime,
) -> None:
    url = _with_query(endpoint[0], params)
    signing = {
        "access_key": access_key,
        "secret_key": secret_key,
        "region": region,
        "expires": expires,
    }
    theirs, their_canonical = _botocore_presign(
        method, url, headers, token=token, now=now, **signing
    )

    parsed = parse_presigned_url(theirs)
    sent = SentRequest.to_url(theirs, method, headers)
    assert sigv4_canonical_request(sent, parsed.signed_headers) == their_canonical
    # and the parser reads botocore's URL back
    assert (parsed.key, parsed.region, parsed.expires_in) == (endpoint[1], region, expires)
    assert parsed.session_token_present == (token is not None) and parsed.defects == ()
    assert set(parsed.required_headers) == {n.lower() for n, _ in headers}

    ours = presign_v4(
        method, url, headers=headers, session_token=token, now=now.replace(tzinfo=dt.UTC), **signing
    )
    assert ours == theirs  # same parameters, same order, same encoding, same signature


@cache
def _client(region: str, style: str):  # type: ignore[no-untyped-def]
    config = Config(signature_version="s3v4", s3={"addressing_style": style})
    return boto3.session.Session().client(
        "s3",
        region_name=region,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        config=config,
    )


_CLIENT_REGIONS = ["us-east-1", "us-west-2", "eu-central-1", "ap-northeast-1"]
put_params = st.fixed_dictionaries(
    {},
    optional={
        "ContentType": st.sampled_from(
            ["image/jpeg", "text/plain; charset=utf-8", "application/json"]
        ),
        "ACL": st.sampled_from(["private", "public-read", "bucket-owner-full-control"]),
        "Metadata": st.dictionaries(
            st.text(_LOWER_ALNUM + "-", min_size=1, max_size=8),
            st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12),
            max_size=2,
        ),
        "ChecksumSHA256": st.just("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
        "ServerSideEncryption": st.just("AES256"),
    },
)


def _put_headers(extra: dict[str, object]) -> list[tuple[str, str]]:
    """The headers an uploader must send for these ``put_object`` parameters."""
    names = {
        "ContentType": "Content-Type",
        "ACL": "x-amz-acl",
        "ChecksumSHA256": "x-amz-checksum-sha256",
        "ServerSideEncryption": "x-amz-server-side-encryption",
    }
    headers = [(names[k], str(v)) for k, v in extra.items() if k in names]
    meta = extra.get("Metadata") or {}
    assert isinstance(meta, dict)
    return headers + [(f"x-amz-meta-{k}", v) for k, v in meta.items()]


@settings(max_examples=EXAMPLES)
@given(
    bucket=buckets.filter(lambda b: "." not in b),
    key=keys,
    region=st.sampled_from(_CLIENT_REGIONS),
    style=st.sampled_from(["path", "virtual"]),
    extra=put_params,
    expires=expiries,
    now=instants,
)
def test_boto3_generate_presigned_url_put_matches_our_canonical_request(
    bucket: str,
    key: str,
    region: str,
    style: str,
    extra: dict[str, object],
    expires: int,
    now: dt.datetime,
) -> None:
    recorded: list[str] = []
    original = botocore.auth.S3SigV4QueryAuth.canonical_request

    def record(self: botocore.auth.S3SigV4QueryAuth, request: AWSRequest) -> str:
        recorded.append(original(self, request))
        return recorded[-1]

    with (
        _frozen(now),
        mock.patch.object(botocore.auth.S3SigV4QueryAuth, "canonical_request", record),
    ):
        url = _client(region, style).generate_presigned_url(
            "put_object",
            Params={"Bucket": bucket, "Key": key, **extra},
            ExpiresIn=expires,
        )
    parsed = parse_presigned_url(url)
    assert (parsed.bucket, parsed.key, parsed.addressing) == (bucket, key, style)
    assert (parsed.region, parsed.expires_in) == (region, expires)
    headers = _put_headers(extra)
    assert set(parsed.required_headers) == {n.lower() for n, _ in headers}
    sent = SentRequest.to_url(url, "PUT", headers)
    assert sigv4_canonical_request(sent, parsed.signed_headers) == recorded[-1]
