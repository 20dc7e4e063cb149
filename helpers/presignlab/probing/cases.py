"""The failure matrix: each case performs one request against the endpoint.

A :class:`Case` has an id (stable: recordings and ``expected.py`` use it), a title, its group,
what it needs beyond a bucket (``clock``: an endpoint clock the probe can move; ``iam``, ``sts``,
``cors``, ``ownership``: set-up the endpoint may refuse), and ``perform``, which sends the
request and returns what the endpoint answered. Every case signs with the kit's own SigV4
presigner at an explicit instant (:mod:`presignlab.signing.presign`), so expired and
not-yet-valid URLs need no waiting: they are dated in the past or the future.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .context import BODY, NotApplicable, Observed, ProbeContext, refusal
from .post_form import signed_post_fields

__all__ = ["CASES", "Case", "case_ids", "wrong_region"]

#: A signing secret that belongs to no key (the wrong-secret case).
_WRONG_SECRET = "a-rotated-secret-that-no-longer-matches0"
#: An access key id no account has (the unknown-key case): AWS's example id with one letter changed.
_UNKNOWN_KEY = "AKIAIOSFODNN7EXAMPLF"
#: The CORS rule's origin, and one it does not allow.
ORIGIN = "https://app.example.com"
OTHER_ORIGIN = "https://elsewhere.example.net"


@dataclass(frozen=True)
class Case:
    """One request of the matrix."""

    id: str
    title: str
    group: str
    perform: Callable[[ProbeContext], Observed]
    needs: tuple[str, ...] = ()


def wrong_region(region: str) -> str:
    """A region that is not ``region`` (the wrong-region case signs for it)."""
    return "us-west-2" if region != "us-west-2" else "us-east-2"


def _put(ctx: ProbeContext, key: str, **presign: Any) -> str:
    return ctx.presign("PUT", key, **presign)


# -- the upload and the signature breaks of notebook 06 ---------------------------------------


def good_put(ctx: ProbeContext) -> Observed:
    return ctx.send("PUT", _put(ctx, "probe/good.txt"))


def content_type_differs(ctx: ProbeContext) -> Observed:
    url = _put(ctx, "probe/cat.png", headers={"Content-Type": "image/png"})
    return ctx.send("PUT", url, {"Content-Type": "application/octet-stream"})


def get_on_put_url(ctx: ProbeContext) -> Observed:
    return ctx.send("GET", _put(ctx, "probe/good.txt"), data=None)


def signed_header_not_sent(ctx: ProbeContext) -> Observed:
    url = _put(ctx, "probe/owned.txt", headers={"x-amz-meta-owner": "alice"})
    return ctx.send("PUT", url)


def unsigned_amz_header(ctx: ProbeContext) -> Observed:
    return ctx.send("PUT", _put(ctx, "probe/extra.txt"), {"x-amz-meta-owner": "alice"})


def expires_edited(ctx: ProbeContext) -> Observed:
    url = _put(ctx, "probe/longer.txt")
    return ctx.send("PUT", url.replace("X-Amz-Expires=600", "X-Amz-Expires=3600"))


def parameter_added(ctx: ProbeContext) -> Observed:
    return ctx.send("PUT", _put(ctx, "probe/added.txt") + "&x-id=PutObject")


def literal_plus(ctx: ProbeContext) -> Observed:
    url = _put(ctx, "probe/1+2.txt")
    path, _, query = url.partition("?")
    return ctx.send("PUT", path.replace("%2B", "+") + "?" + query)


def wrong_secret(ctx: ProbeContext) -> Observed:
    url = ctx.presign(
        "PUT",
        "probe/stale.txt",
        access_key=ctx.target.access_key_id,
        secret_key=_WRONG_SECRET,
        session_token=ctx.target.session_token,
    )
    return ctx.send("PUT", url)


def region_wrong(ctx: ProbeContext) -> Observed:
    url = _put(ctx, "probe/region.txt", region=wrong_region(ctx.target.region))
    return ctx.send("PUT", url)


# -- expiry -------------------------------------------------------------------------------------


def expired(ctx: ProbeContext) -> Observed:
    url = _put(ctx, "probe/late.txt", now=ctx.now() - timedelta(hours=2), expires=60)
    return ctx.send("PUT", url)


def not_yet_valid(ctx: ProbeContext) -> Observed:
    return ctx.send("PUT", _put(ctx, "probe/early.txt", now=ctx.now() + timedelta(days=1)))


def over_a_week(ctx: ProbeContext) -> Observed:
    return ctx.send("PUT", _put(ctx, "probe/week.txt", expires=604801))


def expires_while_held(ctx: ProbeContext) -> Observed:
    clock = ctx.target.server_clock
    assert clock is not None  # the runner skips this case without a controllable clock
    url = _put(ctx, "probe/held.txt", expires=60)
    first = ctx.send("PUT", url)
    if first.status != 200:
        return first
    clock.advance(seconds=120)
    try:
        return ctx.send("PUT", url)
    finally:
        clock.advance(seconds=-120)  # the endpoint's clock is left as the probe found it


# -- access keys and session tokens --------------------------------------------------------------


def unknown_key(ctx: ProbeContext) -> Observed:
    url = ctx.presign(
        "PUT", "probe/unknown-key.txt", access_key=_UNKNOWN_KEY, secret_key=_WRONG_SECRET
    )
    return ctx.send("PUT", url)


def deleted_key(ctx: ProbeContext) -> Observed:
    user = ctx.add_user("deleted-key")
    iam = ctx.client("iam")
    try:
        key = iam.create_access_key(UserName=user)["AccessKey"]
        iam.delete_access_key(UserName=user, AccessKeyId=key["AccessKeyId"])
    except (BotoCoreError, ClientError) as exc:
        raise NotApplicable(f"needs IAM access keys ({refusal(exc)})") from exc
    url = ctx.presign(
        "PUT",
        "probe/deleted-key.txt",
        access_key=key["AccessKeyId"],
        secret_key=key["SecretAccessKey"],
    )
    return ctx.send("PUT", url)


@dataclass(frozen=True)
class _Session:
    access_key: str
    secret_key: str
    token: str

    def presign(self, ctx: ProbeContext, key: str, token: str | None = None) -> str:
        return ctx.presign(
            "PUT",
            key,
            access_key=self.access_key,
            secret_key=self.secret_key,
            session_token=token or self.token,
        )


def _session(ctx: ProbeContext, seconds: int = 900) -> _Session:
    try:
        found = ctx.client("sts").get_session_token(DurationSeconds=seconds)["Credentials"]
    except (BotoCoreError, ClientError) as exc:
        raise NotApplicable(f"needs STS GetSessionToken ({refusal(exc)})") from exc
    return _Session(found["AccessKeyId"], found["SecretAccessKey"], found["SessionToken"])


def session_good(ctx: ProbeContext) -> Observed:
    ctx.bucket()
    return ctx.send("PUT", _session(ctx).presign(ctx, "probe/session.txt"))


def session_malformed(ctx: ProbeContext) -> Observed:
    ctx.bucket()
    url = _session(ctx).presign(ctx, "probe/bad-token.txt", token="not-a-session-token")
    return ctx.send("PUT", url)


def session_expired(ctx: ProbeContext) -> Observed:
    clock = ctx.target.server_clock
    assert clock is not None
    ctx.bucket()
    session = _session(ctx, 900)
    clock.advance(seconds=1000)
    try:
        return ctx.send("PUT", session.presign(ctx, "probe/old-token.txt"))
    finally:
        clock.advance(seconds=-1000)


# -- browser POST forms ------------------------------------------------------------------------

_POST_CONDITIONS = [["starts-with", "$key", "uploads/"], ["content-length-range", 1, 64]]


def _post(
    ctx: ProbeContext,
    key: str = "uploads/form.txt",
    body: bytes = BODY,
    *,
    expires_in: int = 600,
    extra: tuple[tuple[str, str], ...] = (),
) -> Observed:
    bucket = ctx.bucket()
    target = ctx.target
    fields = signed_post_fields(
        bucket=bucket,
        key=key,
        conditions=list(_POST_CONDITIONS),
        access_key=target.access_key_id,
        secret_key=target.secret_access_key,
        region=target.region,
        now=ctx.now(),
        expires_in=expires_in,
        session_token=target.session_token,
        extra_fields=extra,
    )
    return ctx.post_form(target.object_url(bucket).rstrip("/"), fields, body)


def post_good(ctx: ProbeContext) -> Observed:
    return _post(ctx)


def post_too_large(ctx: ProbeContext) -> Observed:
    return _post(ctx, body=b"x" * 65)


def post_condition_failed(ctx: ProbeContext) -> Observed:
    return _post(ctx, key="elsewhere/form.txt")


def post_expired(ctx: ProbeContext) -> Observed:
    return _post(ctx, expires_in=-3600)


def post_extra_field(ctx: ProbeContext) -> Observed:
    return _post(ctx, extra=(("x-amz-meta-note", "unlisted"),))


# -- CORS preflights ------------------------------------------------------------------------------


def _preflight(ctx: ProbeContext, bucket: str, origin: str) -> Observed:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "content-type",
    }
    url = ctx.target.object_url(bucket, "uploads/photo.png")
    return ctx.send("OPTIONS", url, headers, data=None)


def _cors_bucket(ctx: ProbeContext) -> str:
    bucket = ctx.bucket("cors")
    rule = {
        "AllowedOrigins": [ORIGIN],
        "AllowedMethods": ["PUT"],
        "AllowedHeaders": ["content-type"],
    }
    try:
        ctx.client("s3").put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [rule]})
    except (BotoCoreError, ClientError) as exc:
        raise NotApplicable(f"needs PutBucketCors ({refusal(exc)})") from exc
    return bucket


def cors_no_config(ctx: ProbeContext) -> Observed:
    return _preflight(ctx, ctx.bucket(), ORIGIN)


def cors_allowed(ctx: ProbeContext) -> Observed:
    return _preflight(ctx, _cors_bucket(ctx), ORIGIN)


def cors_denied(ctx: ProbeContext) -> Observed:
    return _preflight(ctx, _cors_bucket(ctx), OTHER_ORIGIN)


# -- conditional writes, checksums, ACLs -----------------------------------------------------------


def if_none_match_new(ctx: ProbeContext) -> Observed:
    url = _put(ctx, "probe/once-new.txt", headers={"If-None-Match": "*"})
    return ctx.send("PUT", url, {"If-None-Match": "*"})


def if_none_match_exists(ctx: ProbeContext) -> Observed:
    first = ctx.send("PUT", _put(ctx, "probe/once.txt"))
    if first.status != 200:
        return first
    url = _put(ctx, "probe/once.txt", headers={"If-None-Match": "*"})
    return ctx.send("PUT", url, {"If-None-Match": "*"})


def _crc32(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def checksum_good(ctx: ProbeContext) -> Observed:
    header = {"x-amz-checksum-crc32": _crc32(BODY)}
    return ctx.send("PUT", _put(ctx, "probe/crc-good.txt", headers=header), header)


def checksum_wrong(ctx: ProbeContext) -> Observed:
    header = {"x-amz-checksum-crc32": _crc32(b"another body")}
    return ctx.send("PUT", _put(ctx, "probe/crc-wrong.txt", headers=header), header)


def checksum_hoisted_empty(ctx: ProbeContext) -> Observed:
    # What the JS SDK v3 (3.729.0 and later) presigns by default: the empty body's CRC32
    # hoisted into the query (lab/data/js_sdk_urls.json, case v3-put-default).
    query = "x-amz-checksum-crc32=AAAAAA%3D%3D&x-amz-sdk-checksum-algorithm=CRC32"
    return ctx.send("PUT", _put(ctx, "probe/js-v3.txt", query=query))


def content_md5_wrong(ctx: ProbeContext) -> Observed:
    digest = base64.b64encode(hashlib.md5(b"another body").digest()).decode()
    header = {"Content-MD5": digest}
    return ctx.send("PUT", _put(ctx, "probe/md5.txt", headers=header), header)


def acl_on_enforced_bucket(ctx: ProbeContext) -> Observed:
    bucket = ctx.bucket("acl")
    controls = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    try:
        ctx.client("s3").put_bucket_ownership_controls(Bucket=bucket, OwnershipControls=controls)
    except (BotoCoreError, ClientError) as exc:
        raise NotApplicable(f"needs PutBucketOwnershipControls ({refusal(exc)})") from exc
    header = {"x-amz-acl": "public-read"}
    return ctx.send("PUT", _put(ctx, "probe/public.txt", bucket=bucket, headers=header), header)


CASES: tuple[Case, ...] = (
    Case("put-good", "the presigned PUT that works", "upload", good_put),
    Case("put-content-type-differs", "Content-Type differs from the signed one", "signature", content_type_differs),
    Case("put-get-on-put-url", "GET with a URL signed for PUT", "signature", get_on_put_url),
    Case("put-signed-header-not-sent", "a signed x-amz-meta-* header not sent", "signature", signed_header_not_sent),
    Case("put-unsigned-amz-header", "an x-amz-meta-* header sent but not signed", "signature", unsigned_amz_header),
    Case("put-expires-edited", "X-Amz-Expires edited after signing", "signature", expires_edited),
    Case("put-parameter-added", "a query parameter added after signing", "signature", parameter_added),
    Case("put-literal-plus", "a + in the key sent raw instead of %2B", "signature", literal_plus),
    Case("put-wrong-secret", "signed with a wrong secret key", "signature", wrong_secret),
    Case("put-wrong-region", "signed for another region than the bucket's", "signature", region_wrong),
    Case("url-expired", "X-Amz-Date two hours ago, X-Amz-Expires 60", "expiry", expired),
    Case("url-not-yet-valid", "X-Amz-Date one day ahead", "expiry", not_yet_valid),
    Case("url-expires-over-a-week", "X-Amz-Expires 604801 (over the week limit)", "expiry", over_a_week),
    Case("url-expires-while-held", "a working URL used again after it expired", "expiry", expires_while_held, ("clock",)),
    Case("key-unknown", "an access key id the endpoint does not know", "keys", unknown_key),
    Case("key-deleted", "the key of an IAM user, deleted before use", "keys", deleted_key, ("iam",)),
    Case("session-good", "GetSessionToken credentials with their token", "keys", session_good, ("sts",)),
    Case("session-token-malformed", "a session key with a token that is not one", "keys", session_malformed, ("sts",)),
    Case("session-token-expired", "a session token used after it expired", "keys", session_expired, ("sts", "clock")),
    Case("post-good", "a POST form within its policy", "post", post_good),
    Case("post-too-large", "a POST file over content-length-range", "post", post_too_large),
    Case("post-condition-failed", "a POST key outside starts-with", "post", post_condition_failed),
    Case("post-policy-expired", "a POST policy whose expiration has passed", "post", post_expired),
    Case("post-extra-field", "a POST field no condition names", "post", post_extra_field),
    Case("cors-no-configuration", "a preflight to a bucket without CORS", "cors", cors_no_config),
    Case("cors-allowed", "a preflight the bucket's CORS rule allows", "cors", cors_allowed, ("cors",)),
    Case("cors-origin-denied", "a preflight from an origin no rule allows", "cors", cors_denied, ("cors",)),
    Case("put-if-none-match-new", "If-None-Match: * on a new key", "conditional", if_none_match_new),
    Case("put-if-none-match-exists", "If-None-Match: * on an existing key", "conditional", if_none_match_exists),
    Case("put-checksum-crc32", "a signed x-amz-checksum-crc32 of the body", "checksum", checksum_good),
    Case("put-checksum-crc32-wrong", "a signed x-amz-checksum-crc32 of another body", "checksum", checksum_wrong),
    Case("put-checksum-hoisted-empty", "JS SDK v3's hoisted empty-body CRC32, body not empty", "checksum", checksum_hoisted_empty),
    Case("put-content-md5-wrong", "a signed Content-MD5 of another body", "checksum", content_md5_wrong),
    Case("put-acl-owner-enforced", "x-amz-acl: public-read on a BucketOwnerEnforced bucket", "acl", acl_on_enforced_bucket, ("ownership",)),
)  # fmt: skip


def case_ids() -> list[str]:
    """Every case id, in the order the probe runs them."""
    return [case.id for case in CASES]
