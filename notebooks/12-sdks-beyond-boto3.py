# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # SDKs beyond boto3: presigned URLs from the JavaScript SDKs
#
# Most signing APIs are not written in Python. The seed article signs with the AWS SDK for
# JavaScript v2 (`aws-sdk`), and new code uses v3 (`@aws-sdk/client-s3` with
# `@aws-sdk/s3-request-presigner`). Each SDK builds a presigned `PUT` URL differently: what it
# signs, what it moves into the query, what it adds on its own. Those differences decide which
# headers the browser must send, and which edits break the URL. This notebook takes URLs made
# by the real SDKs, uploads with them to the kit's strict local S3, and diagnoses each
# failure.
#
# ## Overview
#
# 1. Where the URLs come from
# 2. JS SDK v3: the default checksum and `x-id`
# 3. JS SDK v3: `Content-Type` is never signed, unless asked
# 4. JS SDK v3: `x-amz-*` headers move into the query, unless unhoistable
# 5. JS SDK v2, the seed's SDK: SigV2 by default, headers copied into the query
# 6. Side by side

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb) | Necessary | The query parameters of a SigV4 URL |
# | [06-signature-does-not-match](06-signature-does-not-match.ipynb) | Helpful | What breaks a signature |
# | [08-debugging-your-own-url](08-debugging-your-own-url.ipynb) | Helpful | `diagnose` and its finding codes |
#
# - **AWS account:** not needed, and not used: the URLs are signed with AWS's documented
#   example keys, which only the local S3 accepts. **node** is not needed either.
# - **Time to learn:** 20 minutes.

# %% [markdown]
# ## Imports

# %%
from urllib.parse import parse_qsl, urlsplit

from presignlab import diagnose
from presignlab.examples import EXAMPLE_SECRET_ACCESS_KEY
from presignlab.lab import js_sdk_fixture, js_sdk_fixtures, open_lab, send, show_error

# %% [markdown]
# ## Where the URLs come from
#
# The URLs below were not typed in. `tools/js-sdk-urls/generate.mjs` runs the real SDKs from
# npm, at the exact versions its `package.json` pins, with AWS's example keys, a fixed
# signing time (the lab's clock, 2026-03-01 12:00 UTC) and the endpoint
# `http://127.0.0.1:4566` (path-style, us-east-1). `make js-sdk-urls` rewrites
# `helpers/presignlab/lab/data/js_sdk_urls.json`, which the kit reads, so this notebook runs
# without node; a test regenerates the file with node and compares it byte for byte.
#
# Each case records the SDK call, its configuration and input, the URL, the headers the SDK
# signed (the uploader must send them) and the headers of the SDK's own request that it did
# not sign:

# %%
for case in js_sdk_fixtures():
    if case.method == "PUT":
        print(f"{case.id:26} {case.sdk} {case.version}")

# %% [markdown]
# The lab opens the strict local S3 with its clock pinned at the signing time, and creates
# the bucket the URLs name. Every URL is signed for the host `127.0.0.1:4566`, so `upload`
# connects to the lab's port but sends that `Host`, then diagnoses the answer with the
# example secret key (public, and the key that signed). A `PUT` carries a small PNG.

# %%
lab = open_lab("12-sdks-beyond-boto3")
if lab.target != "local":
    raise RuntimeError("This notebook needs the local S3: the URLs are signed with example keys.")
BUCKET = lab.create_bucket("uploads")
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
BUCKET


# %%
def upload(case, headers=None, edit=None):
    """PUT PHOTO with the case's URL (changed by ``edit``) and headers (the SDK's, unless given)."""
    edit = edit or (lambda url: url)
    sent = {**case.headers, **case.unsigned_headers} if headers is None else headers
    signed_url, target = edit(case.url), edit(case.url_on(lab.endpoint_url))
    answer = send("PUT", target, headers={"Host": case.signed_host, **sent}, data=PHOTO)
    found = diagnose(
        signed_url, "PUT", sent, secret_key=EXAMPLE_SECRET_ACCESS_KEY,
        error_xml=answer.body if answer.error else None, now=lab.clock.now(),
        body_size=len(PHOTO),
    )  # fmt: skip
    return answer, found


def query(case):
    """The URL's query parameters, signature left out."""
    pairs = parse_qsl(urlsplit(case.url).query, keep_blank_values=True)
    return {name: value for name, value in pairs if name not in ("X-Amz-Signature", "Signature")}


# %% [markdown]
# ## JS SDK v3: the default checksum and `x-id`
#
# The plainest v3 call, `getSignedUrl(client, new PutObjectCommand({Bucket, Key}))`, gives
# this query:

# %%
V3 = js_sdk_fixture("v3-put-default")
print(V3.call)
query(V3)

# %% [markdown]
# Three parameters do not come from SigV4:
#
# - `x-amz-sdk-checksum-algorithm=CRC32` and `x-amz-checksum-crc32=AAAAAA==`. Since
#   `@aws-sdk/client-s3` 3.729.0 (January 2025) the client's `requestChecksumCalculation`
#   defaults to `WHEN_SUPPORTED`: it adds a CRC32 checksum to every upload that supports one.
#   When presigning there is no body yet, so the SDK computes the CRC32 of an empty body,
#   `AAAAAA==`, and puts both into the query (they are signed as query parameters;
#   `X-Amz-SignedHeaders` is still only `host`).
# - `x-id=PutObject`: v3 is generated from S3's Smithy model, whose URI for the operation
#   carries this literal; boto3's model does not, so boto3's URLs never have it.
#
# The upload with this URL succeeds: Amazon S3 does not check a checksum that arrives as a
# query parameter of a presigned URL, and stores the file (AUTH-Q-12, recorded). The
# diagnosis still names the pinned empty-body checksum, because S3-compatible stores do check
# it (Cloudflare R2 answers 501, Garage 400 `InvalidDigest`):

# %%
answer, found = upload(V3)
assert answer.status == 200 and found.codes == ["checksum-mismatch"]
print(answer.status, found.findings[0].fix)

# %% [markdown]
# With `requestChecksumCalculation: "WHEN_REQUIRED"` in the client's configuration (or
# `AWS_REQUEST_CHECKSUM_CALCULATION=when_required` in its environment), v3 adds a checksum
# only where the operation requires one, which `PutObject` does not. The checksum parameters
# are gone; `x-id` stays:

# %%
WHEN_REQUIRED = js_sdk_fixture("v3-put-when-required")
print(WHEN_REQUIRED.config)
answer, found = upload(WHEN_REQUIRED)
assert answer.status == 200 and found.verdict == "ok"
sorted(set(query(V3)) - set(query(WHEN_REQUIRED)))

# %% [markdown]
# Every parameter of the query is signed, `x-id` and the checksums included. Code that
# "cleans" a URL by dropping parameters it does not know, or a proxy that does it, breaks
# the signature. The diagnosis reproduces the signature with `x-id` put back, so it names
# the removal as the cause:

# %%
answer, found = upload(V3, edit=lambda url: url.replace("&x-id=PutObject", ""))
show_error(answer)
assert (answer.status, answer.code) == (403, "SignatureDoesNotMatch")
assert found.codes[0] == "query-tampered"
print(found.findings[0].message)

# %% [markdown]
# ## JS SDK v3: `Content-Type` is never signed, unless asked
#
# boto3 signs `Content-Type` when `ContentType` is in the parameters. v3's presigner does
# not: it adds `content-type` to the headers it never signs. The URL with
# `ContentType: "image/png"` in the input is byte for byte the URL without it, so the
# browser may send any type, or none:

# %%
TYPED = js_sdk_fixture("v3-put-content-type")
assert TYPED.url == V3.url
print(TYPED.headers, TYPED.unsigned_headers)

# %% [markdown]
# The option `signableHeaders: new Set(["content-type"])` of `getSignedUrl` overrides that.
# Now `content-type` is in `X-Amz-SignedHeaders`, and an uploader that sends another type
# gets `SignatureDoesNotMatch`, which the diagnosis reproduces:

# %%
SIGNED_TYPE = js_sdk_fixture("v3-put-content-type-signed")
print(SIGNED_TYPE.options["signableHeaders"], query(SIGNED_TYPE)["X-Amz-SignedHeaders"])
answer, found = upload(SIGNED_TYPE, headers={"content-type": "image/jpeg"})
assert (answer.status, answer.code) == (403, "SignatureDoesNotMatch")
assert found.codes[0] == "signed-header-value-mismatch"
print(found.findings[0].message)

# %% [markdown]
# Sent as signed, it uploads, and the object gets the signed type:

# %%
answer, _ = upload(SIGNED_TYPE)
assert answer.status == 200
lab.s3.head_object(Bucket=BUCKET, Key="uploads/photo.png")["ContentType"]

# %% [markdown]
# ## JS SDK v3: `x-amz-*` headers move into the query, unless unhoistable
#
# Metadata (`Metadata: {"uploaded-by": "presign-lab"}`) becomes the header
# `x-amz-meta-uploaded-by` in the SDK's request. v3's signer *hoists* it: it moves the header
# into the query and removes it from the request, so it is signed as a query parameter and
# the uploader sends no header at all. S3 applies it as the header (AUTH-Q-12):

# %%
HOISTED = js_sdk_fixture("v3-put-metadata")
print(query(HOISTED)["x-amz-meta-uploaded-by"], HOISTED.headers)
answer, _ = upload(HOISTED)
assert answer.status == 200
lab.s3.head_object(Bucket=BUCKET, Key="uploads/photo.png")["Metadata"]

# %% [markdown]
# The option `unhoistableHeaders: new Set(["x-amz-meta-uploaded-by"])` keeps it a header:
# then it is in `X-Amz-SignedHeaders`, and the browser must send it with exactly that value
# (and the bucket's CORS rule must allow it). An uploader that forgets it:

# %%
KEPT = js_sdk_fixture("v3-put-metadata-unhoisted")
print(query(KEPT)["X-Amz-SignedHeaders"], KEPT.headers)
answer, found = upload(KEPT, headers={})
assert (answer.status, answer.code) == (403, "SignatureDoesNotMatch")
assert found.codes[0] == "signed-header-missing"
print(found.findings[0].message)

# %% [markdown]
# An ACL is an `x-amz-*` header too, so v3 hoists `x-amz-acl=public-read` the same way. The
# signature holds, and the bucket refuses it: new buckets have ACLs disabled (notebook 04):

# %%
answer, found = upload(js_sdk_fixture("v3-put-acl"))
assert (answer.status, answer.code) == (400, "AccessControlListNotSupported")
assert found.codes[0] == "acl-not-supported"
show_error(answer)

# %% [markdown]
# ## JS SDK v2, the seed's SDK: SigV2 by default, headers copied into the query
#
# The seed's signing function calls v2's `s3.getSignedUrl("putObject", params)` with the
# default client. In us-east-1, v2 then signs with the legacy Signature Version 2:
# `AWSAccessKeyId`, `Expires` and `Signature`, no `X-Amz-*` parameter at all. It also copies
# the `ContentType` into the query:

# %%
V2_TYPED = js_sdk_fixture("v2-put-content-type")
print(V2_TYPED.call)
print(query(V2_TYPED), V2_TYPED.headers)

# %% [markdown]
# SigV2 signs `Content-Type` (and `Content-MD5` and `x-amz-*` headers) and nothing else. The
# upload works in us-east-1, whose buckets still accept SigV2 (AUTH-V2-01); a region that
# takes only SigV4 would refuse it (AUTH-V2-05). The diagnosis says so:

# %%
answer, found = upload(V2_TYPED)
assert answer.status == 200 and found.codes == ["sigv2-url"]
print(found.findings[0].message)

# %% [markdown]
# With `signatureVersion: "v4"` in the client's configuration, v2 signs with SigV4, with no
# checksum parameters and no `x-id`. It still copies the headers into the query, but unlike
# v3 it *also* signs the `x-amz-*` ones as headers. Here with metadata and an ACL:

# %%
V2_V4 = js_sdk_fixture("v2-put-v4-metadata-acl")
print(V2_V4.config)
print(query(V2_V4)["X-Amz-SignedHeaders"], V2_V4.headers)
answer, found = upload(V2_V4)
assert (answer.status, answer.code) == (400, "AccessControlListNotSupported")
assert found.codes == ["acl-not-supported"]

# %% [markdown]
# Without the ACL the same call uploads. v2's `Content-Type` is copied into the query but not
# signed (with SigV4), like v3's:

# %%
V2_V4_TYPED = js_sdk_fixture("v2-put-v4-content-type")
print(query(V2_V4_TYPED)["Content-Type"], query(V2_V4_TYPED)["X-Amz-SignedHeaders"])
answer, found = upload(V2_V4_TYPED)
assert answer.status == 200 and found.verdict == "ok"

# %% [markdown]
# ## Side by side
#
# | | boto3 (SigV4) | JS SDK v3 (default) | JS SDK v2 (default, us-east-1) | JS SDK v2 (`signatureVersion: "v4"`) |
# |---|---|---|---|---|
# | Signature | SigV4 | SigV4 | SigV2 | SigV4 |
# | Checksum parameters | none | `x-amz-checksum-crc32=AAAAAA==` (empty body) unless `WHEN_REQUIRED` | none | none |
# | `x-id` | no | `x-id=PutObject` | no | no |
# | `ContentType` | signed header: must be sent | never signed, unless `signableHeaders` | signed, and copied into the query | copied into the query, not signed |
# | `x-amz-*` (metadata, ACL) | signed headers: must be sent | moved into the query, unless `unhoistableHeaders` | signed, and copied into the query | signed headers, and copied into the query |
#
# The two questions to ask of any SDK's URL: which headers does `X-Amz-SignedHeaders` (or,
# for SigV2, the string to sign) hold, which the uploader must send exactly; and which
# parameters did the SDK add, which nobody may remove.

# %% [markdown]
# ## Summary
#
# - JS SDK v3 (since 3.729.0) puts the CRC32 of an empty body and `x-amz-sdk-checksum-algorithm`
#   into presigned `PUT` URLs; Amazon S3 ignores them, S3-compatible stores may refuse the
#   upload. `requestChecksumCalculation: "WHEN_REQUIRED"` leaves them out.
# - v3 adds `x-id=PutObject`; like every query parameter it is signed and must stay.
# - v3 never signs `Content-Type` unless `signableHeaders` says so, and hoists `x-amz-*`
#   headers into the query unless `unhoistableHeaders` keeps them.
# - v2, the seed's SDK, signs with SigV2 by default in us-east-1 and copies headers into the
#   query; with `signatureVersion: "v4"` it signs `x-amz-*` headers as headers too.
# - `diagnose` reads every one of these URLs: `checksum-mismatch`, `query-tampered`,
#   `signed-header-value-mismatch`, `signed-header-missing`, `acl-not-supported`, `sigv2-url`.
#
# ## What's next
#
# Back to [00-overview](00-overview.ipynb) for the map of the kit, or to
# [11-debugging-from-the-browser](11-debugging-from-the-browser.ipynb) to collect the same
# evidence from a browser.

# %% [markdown]
# ## References
#
# - AWS SDKs and Tools Reference Guide, [Data integrity protections for Amazon S3](https://docs.aws.amazon.com/sdkref/latest/guide/feature-dataintegrity.html) (`request_checksum_calculation`, `when_supported` / `when_required`)
# - Amazon S3 User Guide, [Checking object integrity in Amazon S3](https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html)
# - AWS SDK for JavaScript v3, [@aws-sdk/s3-request-presigner](https://www.npmjs.com/package/@aws-sdk/s3-request-presigner) (README: `expiresIn` defaults to 900; `unhoistableHeaders`) and its [presigner source](https://github.com/aws/aws-sdk-js-v3/blob/main/packages/s3-request-presigner/src/presigner.ts) (`content-type` added to the unsignable headers)
# - localstack/localstack issue [#12169](https://github.com/localstack/localstack/issues/12169): the JS SDK v3 CRC32 in presigned URLs is ignored by AWS
# - seaweedfs/seaweedfs issue [#10216](https://github.com/seaweedfs/seaweedfs/issues/10216): an S3-compatible store refusing `x-amz-checksum-crc32=AAAAAA==`
# - AWS SDK for JavaScript v2 API Reference, [AWS.S3](https://docs.aws.amazon.com/AWSJavaScriptSDK/latest/AWS/S3.html) (`getSignedUrl`, `signatureVersion`)
# - Amazon S3 API Reference, [Authenticating Requests: Using Query Parameters (AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
# - The kit's rules AUTH-Q-12, AUTH-V2-01 and AUTH-V2-05 in `docs/aws-behaviour.md`

# %%
lab.cleanup()
