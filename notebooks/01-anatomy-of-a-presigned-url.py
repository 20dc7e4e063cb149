# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Anatomy of a presigned URL
#
# A presigned URL is an ordinary HTTPS URL whose query string carries a signature and
# everything Amazon S3 needs to check it. This notebook takes one apart, parameter by
# parameter, with the kit's parser, and shows what the URL does *not* contain: the values
# of the headers the uploader must send. It ends with a trap in boto3, which still presigns
# with the legacy Signature Version 2 by default in `us-east-1` and seven other regions.
#
# ## Overview
#
# 1. A URL to take apart
# 2. Every query parameter
# 3. The headers the uploader must send
# 4. Path-style and virtual-hosted URLs
# 5. boto3 and the SigV2 default
# 6. What SigV2 leaves unsigned

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [00-overview](00-overview.ipynb) | Necessary | The system and the vocabulary |
# | URL structure | Helpful | Host, path, query string, percent-encoding |
# | boto3 | Helpful | `client.generate_presigned_url` |
#
# - **AWS account:** not needed. Presigning is local; nothing here touches the network.
# - **Time to learn:** 15 minutes.

# %% [markdown]
# ## Imports

# %%
from datetime import UTC, datetime

import boto3
from botocore.config import Config
from IPython.display import Markdown

from presignlab import (
    SentRequest,
    parse_presigned_url,
    presign_v2,
    presign_v4,
    sigv2_string_to_sign,
)
from presignlab.examples import EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY

# %% [markdown]
# The set-up cell fixes the signer (AWS's documented example key pair), the object and the
# signing instant, so every URL below is the same on every run.

# %%
SIGNER = {"access_key": EXAMPLE_ACCESS_KEY_ID, "secret_key": EXAMPLE_SECRET_ACCESS_KEY}
BUCKET, KEY, REGION = "examplebucket", "uploads/photo.jpg", "eu-west-1"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

# %% [markdown]
# ## A URL to take apart
#
# The URL allows a `PUT` of `uploads/photo.jpg` into `examplebucket` in `eu-west-1`,
# for ten minutes. It is signed with two headers besides `Host`: a `Content-Type` and a piece
# of user metadata, as a signing service would sign them to pin down what gets stored.

# %%
url = presign_v4(
    "PUT",
    f"https://{BUCKET}.s3.{REGION}.amazonaws.com/{KEY}",
    region=REGION,
    now=NOW,
    expires=600,
    headers={"Content-Type": "image/jpeg", "x-amz-meta-uploaded-by": "alice"},
    **SIGNER,
)
print(url)

# %% [markdown]
# `parse_presigned_url` reads it into a typed object.

# %%
parsed = parse_presigned_url(url)
parsed.version, parsed.bucket, parsed.key, parsed.region

# %% [markdown]
# Input that cannot be a presigned URL raises one exception type, `PresignedUrlError`,
# with a message that says what to do. A URL cut short while copying, for instance:

# %% tags=["raises-exception"]
parse_presigned_url(url[:-10])

# %% [markdown]
# ## Every query parameter
#
# A SigV4 presigned URL carries six authentication parameters (seven with temporary
# credentials). The small function below renders them as a table with the decoded value
# and what Amazon S3 does with it.

# %%
MEANING = {
    "X-Amz-Algorithm": "The signing algorithm. Always `AWS4-HMAC-SHA256` for SigV4.",
    "X-Amz-Credential": "Access key id / date / region / service / `aws4_request`: who signed, "
    "and the scope the signing key was derived for.",
    "X-Amz-Date": "When it was signed (UTC, `YYYYMMDDTHHMMSSZ`). The validity window starts here.",
    "X-Amz-Expires": "Seconds the URL stays valid after X-Amz-Date: 1 to 604800 (one week).",
    "X-Amz-Security-Token": "The session token, present only with temporary credentials.",
    "X-Amz-SignedHeaders": "Lower-case names of the headers that were signed; the request "
    "must carry each of them with the signed value.",
    "X-Amz-Signature": "64 hex digits: HMAC-SHA256 of the string to sign. Not part of what is signed.",
}


def parameter_table(parsed):
    """A Markdown table: parameter, decoded value, meaning."""
    rows = ["| Parameter | Value | Meaning |", "|---|---|---|"]
    rows += [
        f"| `{n}` | `{v}` | {MEANING.get(n, 'Not an authentication parameter.')} |"
        for n, v in parsed.query
    ]
    return Markdown("\n".join(rows))


# %%
parameter_table(parsed)

# %% [markdown]
# The credential value is five fields joined by `/`. In the URL each `/` is written `%2F`,
# because every query value is percent-encoded, slash included. The parser splits it:

# %%
print(parsed.access_key_id, parsed.credential_date, parsed.region, parsed.service, sep=" | ")
print("valid from", parsed.signed_at, "until", parsed.expires_at)

# %% [markdown]
# The URL holds no secret: the secret access key never appears in it. What it holds is
# power: whoever has the URL can send the signed request until `expires_at`.
#
# ## The headers the uploader must send
#
# `X-Amz-SignedHeaders` lists header *names* only. The values that were signed are not in
# the URL, so the uploader cannot learn them from it: the signing service must hand them
# over together with the URL. `required_headers` maps each signed header other than `Host`
# to the value the URL carries for it, `None` here: the URL does not carry them.

# %%
parsed.signed_headers

# %%
parsed.required_headers

# %% [markdown]
# Amazon S3 rebuilds the canonical request from the headers it receives. A client that
# leaves out `x-amz-meta-uploaded-by` or sends a different `Content-Type` produces a
# different canonical request, hence a different signature, and gets
# `SignatureDoesNotMatch`; notebook 06 shows that failure. An `x-amz-*` header that was
# *not* signed is refused too, with `AccessDenied` ("There were headers present in the
# request which were not signed").
#
# Some SDKs also put a header's value into the query string. The JavaScript SDK v2's
# presigner *copies* `Content-Type`, `Content-MD5`, `Cache-Control` and every `x-amz-*`
# header into the query and still signs the `x-amz-*` ones as headers (its
# `updateForPresigned`). The JavaScript SDK v3 *moves* every `x-amz-*` header into the
# query (it calls this hoisting): the value becomes a signed query parameter, the header
# leaves the request and is not in `X-Amz-SignedHeaders` (its `moveHeadersToQuery`;
# `unhoistableHeaders` keeps a header a header). Amazon S3 applies such a query parameter
# as the header (docs/aws-behaviour.md, AUTH-Q-12), so a header whose value is in the query
# need not be sent. Here `x-amz-server-side-encryption` is signed and copied into the
# query, as v2 does, so only `content-type` is left for the uploader to send:

# %%
hoisted = presign_v4(
    "PUT",
    f"https://{BUCKET}.s3.{REGION}.amazonaws.com/{KEY}?x-amz-server-side-encryption=AES256",
    region=REGION,
    now=NOW,
    expires=600,
    **SIGNER,
    headers={"Content-Type": "image/jpeg", "x-amz-server-side-encryption": "AES256"},
)
h = parse_presigned_url(hoisted)
print(h.signed_headers)
print(h.required_headers)

# %% [markdown]
# ## Path-style and virtual-hosted URLs
#
# Amazon S3 accepts two ways of naming the bucket. **Virtual-hosted** URLs put it in the
# host name (`examplebucket.s3.eu-west-1.amazonaws.com/uploads/photo.jpg`); **path-style**
# URLs put it as the first path segment (`s3.eu-west-1.amazonaws.com/examplebucket/...`).
# Local S3 servers, including the kit's, use path-style with a host and port.

# %%
STYLES = {
    "virtual-hosted": f"https://{BUCKET}.s3.{REGION}.amazonaws.com/{KEY}",
    "path-style": f"https://s3.{REGION}.amazonaws.com/{BUCKET}/{KEY}",
    "local, path-style": f"http://127.0.0.1:9000/{BUCKET}/{KEY}",
}
for style, base in STYLES.items():
    p = parse_presigned_url(presign_v4("PUT", base, region=REGION, now=NOW, **SIGNER))
    print(
        f"{style:18} addressing={p.addressing:7} host={p.host:36} bucket={p.bucket} path={p.path}"
    )

# %% [markdown]
# Both the host and the path are signed: the host as the `host` header, the path as the
# canonical URI, which includes `/examplebucket` only in the path-style form. The same object
# therefore has different signatures in the two styles, and a URL cannot be switched from
# one style to the other, or sent through a proxy that rewrites the host or port, after it
# was signed.

# %%
signatures = {
    style: parse_presigned_url(presign_v4("PUT", base, region=REGION, now=NOW, **SIGNER)).signature
    for style, base in STYLES.items()
}
assert len(set(signatures.values())) == 3

# %% [markdown]
# ## boto3 and the SigV2 default
#
# What AWS says and what it does about SigV2 (`AWSAccessKeyId`, `Expires`, `Signature`)
# are not the same, and both matter:
#
# - **Announced.** AWS's revised plan of 2019 said that buckets created after June 24, 2020
#   would no longer accept SigV2; the S3 documentation says SigV2 "is being turned off".
# - **Observed.** Answers recorded from Amazon S3 on 2026-02-21 show SigV2 presigned URLs
#   still accepted on `us-east-1` buckets created that same day (docs/aws-behaviour.md,
#   AUTH-V2-01).
# - **SigV4-only regions.** Regions launched after January 2014 (`eu-central-1`,
#   `us-east-2`, `eu-west-2`, ...) never accepted SigV2. A SigV2 request there gets
#   `400 InvalidRequest` "The authorization mechanism you have provided is not supported.
#   Please use AWS4-HMAC-SHA256." (AUTH-V2-05).
#
# And boto3 still presigns with SigV2 **by default**: botocore 1.44 picks SigV2 for a
# presigned URL (and a presigned POST) when the client has no `signature_version` set and
# its region's entry in botocore's `endpoints.json` lists the `s3` signature, which is the
# case for `us-east-1`, `us-west-1`, `us-west-2`, `eu-west-1`, `ap-northeast-1`,
# `ap-southeast-1`, `ap-southeast-2`, `sa-east-1` and the two GovCloud regions
# (`_set_s3_presign_signature_version` in `botocore/client.py`). Everywhere else it
# presigns SigV4. `Config(signature_version="s3v4")` makes it SigV4 everywhere. The cell
# below asks boto3 for a `put_object` URL in three regions, with and without that setting.
#
# No network is involved: `generate_presigned_url` only computes. To keep the output the
# same on every run it prints the version and the parameter names, not the URL (whose
# expiry depends on the current time). An `s3` section with `signature_version` in your
# AWS config file (`~/.aws/config`) would change what boto3 picks; the kit's CI has none.

# %%
session = boto3.session.Session(
    aws_access_key_id=EXAMPLE_ACCESS_KEY_ID,
    aws_secret_access_key=EXAMPLE_SECRET_ACCESS_KEY,
)


def boto3_presign(region, config=None, **params):
    client = session.client("s3", region_name=region, config=config)
    return client.generate_presigned_url(
        "put_object",
        Params={"Bucket": BUCKET, "Key": KEY, **params},
        ExpiresIn=600,
    )


# %%
lines = []
for region in ("us-east-1", "eu-west-1", "eu-central-1"):
    for config in (None, Config(signature_version="s3v4")):
        p = parse_presigned_url(boto3_presign(region, config))
        setting = "s3v4" if config else "default"
        lines.append(f"{region:12} {setting:7} -> {p.version}: {', '.join(n for n, _ in p.query)}")
print("\n".join(lines))

# %% [markdown]
# The version is chosen when the URL is made, silently: nothing warns that `us-east-1` got
# SigV2. Two consequences follow. A SigV2 URL has no `X-Amz-Expires`, so the one-week
# limit does not apply to it; and it signs far less of the request, as the next section
# shows. Always create the presigning client with `Config(signature_version="s3v4")` and
# the bucket's region.
#
# ## What SigV2 leaves unsigned
#
# The SigV2 string to sign has a fixed shape: the method, `Content-MD5`, `Content-Type`,
# the `Expires` instant, the `x-amz-*` headers and the resource `/bucket/key`. Any other
# header is outside the signature. boto3 shows it at once: asked to sign `IfNoneMatch="*"`
# (upload only if no object exists yet), the SigV4 URL lists `if-none-match` as a signed
# header, while the SigV2 URL drops it without a word.

# %%
params = {"ContentType": "image/jpeg", "IfNoneMatch": "*"}
sigv4_url = parse_presigned_url(
    boto3_presign("us-east-1", Config(signature_version="s3v4"), **params)
)
sigv2_url = parse_presigned_url(boto3_presign("us-east-1", **params))
print("SigV4 signed headers:", sigv4_url.signed_headers)
print("SigV2 query names:   ", [n for n, _ in sigv2_url.query])

# %% [markdown]
# The SigV2 URL carries `content-type` in its query string, so the uploader must send that
# header with that value; `If-None-Match` is gone entirely.
#
# With the kit's `presign_v2` (which takes a fixed expiry instant) the string to sign can be
# printed. Two different requests to the same URL, one plain and one adding
# `If-None-Match: *`, `Content-Encoding: gzip` and a `Range`, give the same string to sign,
# so Amazon S3 accepts both with one signature.

# %%
v2 = presign_v2(
    "PUT",
    f"https://s3.amazonaws.com/{BUCKET}/{KEY}",
    expires_at=NOW,
    headers={"Content-Type": "image/jpeg"},
    **SIGNER,
)
plain = SentRequest.to_url(v2, "PUT", {"Content-Type": "image/jpeg"})
print(sigv2_string_to_sign(plain, f"/{BUCKET}/{KEY}", "1714564800"))

# %%
extra = {
    "Content-Type": "image/jpeg",
    "If-None-Match": "*",
    "Content-Encoding": "gzip",
    "Range": "bytes=0-9",
}
changed = SentRequest.to_url(v2, "PUT", extra)
assert sigv2_string_to_sign(changed, f"/{BUCKET}/{KEY}", "1714564800") == sigv2_string_to_sign(
    plain, f"/{BUCKET}/{KEY}", "1714564800"
)

# %% [markdown]
# Under SigV4, every header listed in `X-Amz-SignedHeaders` is part of the canonical
# request, so a signed `If-None-Match: *` must be sent exactly, and Amazon S3 refuses,
# with `412 PreconditionFailed`, to overwrite an existing object through such a URL.
#
# ## Summary
#
# - Six query parameters authenticate a SigV4 presigned URL: algorithm, credential (who
#   and which scope), date, expiry, signed header names and the signature.
# - The URL names the signed headers but not their values: the signing service must give
#   the uploader the exact headers to send (`required_headers`).
# - Host and path are signed, so path-style and virtual-hosted URLs of one object have
#   different signatures and cannot be converted after signing.
# - boto3 silently presigns with SigV2 in `us-east-1` and seven other regions launched
#   before 2014 unless `Config(signature_version="s3v4")` is set. AWS announced the end of
#   SigV2 for buckets created after 2020-06-24, yet new `us-east-1` buckets still accepted
#   it in 2026; SigV4-only regions answer `400 InvalidRequest`. SigV2 leaves conditional,
#   encoding and range headers unsigned.
#
# ## What's next
#
# [02-signing-by-hand](02-signing-by-hand.ipynb) computes the signature of a presigned URL
# step by step and reproduces AWS's published example.

# %% [markdown]
# ## References
#
# - Amazon S3 API Reference, [Authenticating Requests: Using Query Parameters (AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
# - Amazon S3 User Guide, [Download and upload objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html)
# - Amazon S3 User Guide, [Virtual hosting of general purpose buckets](https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html)
# - Amazon S3 API Reference, [Signing and authenticating REST requests (AWS signature version 2)](https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAuthentication.html)
# - AWS re:Post announcement, [AWS Signature Version 4 to replace AWS Signature Version 2 for signing S3 API requests](https://repost.aws/questions/QU5OKPZ-HnS1SHXX6dUbGi2w) (revised plan of 2019-06-14: new buckets after 2020-06-24)
# - Amazon S3 API Reference, [Specifying the Signature Version in request authentication](https://docs.aws.amazon.com/AmazonS3/latest/API/specify-signature-version.html)
# - The kit's rules from recorded AWS answers, [docs/aws-behaviour.md](../docs/aws-behaviour.md): AUTH-Q-12 (hoisted headers), AUTH-V2-01 (SigV2 accepted on new `us-east-1` buckets, recorded 2026-02-21), AUTH-V2-05 (the SigV4-only regions' answer)
# - botocore source, [`botocore/client.py`](https://github.com/boto/botocore/blob/develop/botocore/client.py) (`_set_s3_presign_signature_version`) and [`botocore/data/endpoints.json`](https://github.com/boto/botocore/blob/develop/botocore/data/endpoints.json) (the S3 regions whose `signatureVersions` include `s3`)
# - AWS SDK for JavaScript v2 source, [`lib/signers/v4.js`](https://github.com/aws/aws-sdk-js/blob/master/lib/signers/v4.js) (`updateForPresigned` copies headers into the query)
# - AWS SDK for JavaScript v3 signer (Smithy), [`packages/signature-v4/src/moveHeadersToQuery.ts`](https://github.com/smithy-lang/smithy-typescript/blob/main/packages/signature-v4/src/moveHeadersToQuery.ts) (moves `x-amz-*` headers into the query unless `unhoistableHeaders` lists them)
# - Boto3 documentation, [Presigned URLs](https://boto3.amazonaws.com/v1/documentation/api/latest/guide/s3-presigned-urls.html)
# - Amazon S3 User Guide, [Add preconditions to S3 operations with conditional requests](https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html)
