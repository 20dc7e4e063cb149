# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Hardening presigned uploads
#
# A presigned URL hands its holder the signer's permission to write one object, for as long
# as the URL lives. Whatever the signer did not pin down, the holder chooses: how often to
# upload, what the object's content type is, how large it is, what bytes it holds. This
# notebook proves each of those gaps against the strict local S3, then closes it with
# something Amazon S3 itself enforces: conditional writes, short expiries, server-chosen
# keys, signed headers, POST policy conditions and checksums.
#
# ## Overview
#
# 1. A URL works until it expires
# 2. Single-use uploads with `If-None-Match: *`
# 3. Short expiries
# 4. Server-chosen keys
# 5. Content-type allowlists
# 6. Size limits
# 7. Checksums

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [05-uploading](05-uploading.ipynb) | Necessary | PUT with signed headers, presigned POST |
# | [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb) | Helpful | Signed headers, SigV2 vs SigV4 |
# | HTTP conditional requests | Helpful | `If-None-Match`, `412 Precondition Failed` |
#
# - **AWS account:** not needed; the notebook runs against the kit's local S3. With
#   `PRESIGNLAB_TARGET=aws` it runs against real Amazon S3 (its own bucket) and skips the
#   cells that need the local clock.
# - **Time to learn:** 25 minutes.

# %% [markdown]
# ## Imports

# %%
import base64
import hashlib
import itertools
import json

import requests
from botocore.config import Config

from presignlab import parse_presigned_url
from presignlab.diagnosis import diagnose
from presignlab.examples import EXAMPLE_SECRET_ACCESS_KEY
from presignlab.lab import open_lab, send, show_error
from presignlab.seed.signing_function import api_gateway_event, make_hardened_handler

# %% [markdown]
# `open_lab` starts the strict local S3 with a pinned clock; `create_bucket` makes the
# bucket. `lab.s3` plays the signing service: it presigns, and the cells that `send` play
# the uploader, who holds nothing but the URL and the headers it was told to send.

# %%
lab = open_lab("09-hardening-uploads")
bucket = lab.create_bucket("uploads")


def presign_put(key, expires=300, **params):
    return lab.s3.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": key, **params}, ExpiresIn=expires
    )


def stored(key):
    return lab.s3.get_object(Bucket=bucket, Key=key)["Body"].read()


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

# %% [markdown]
# ## A URL works until it expires
#
# A presigned URL is not a one-time token. Amazon S3 checks its signature and expiry on
# every request and keeps no record of earlier uses; the AWS documentation says so: the
# URL can be used multiple times, up to its expiration. The same URL, used twice:

# %%
url = presign_put("reports/q1.pdf")
first = send("PUT", url, data=b"%PDF the quarterly report")
second = send("PUT", url, data=b"%PDF something else entirely")
assert first.status == second.status == 200
first.status, second.status

# %% [markdown]
# The second upload silently replaced the first:

# %%
assert stored("reports/q1.pdf") == b"%PDF something else entirely"
stored("reports/q1.pdf")

# %% [markdown]
# Anyone who sees the URL (a log line, browser history, a proxy, a chat message) can do
# the same until it expires. The sections below shrink that window and pin down what the
# URL can write.
#
# ## Single-use uploads with `If-None-Match: *`
#
# Since August 2024 Amazon S3 supports conditional writes: a `PUT` with the header
# `If-None-Match: *` succeeds only if no object exists under the key. Signed into the URL,
# it makes the URL write at most once. boto3 signs it when the `IfNoneMatch` parameter is
# given (with SigV4):

# %%
once_url = presign_put("reports/q2.pdf", IfNoneMatch="*")
parse_presigned_url(once_url).required_headers

# %% [markdown]
# The uploader must send the header. The first `PUT` creates the object:

# %%
created = send("PUT", once_url, data=b"%PDF the real report", headers={"If-None-Match": "*"})
assert created.status == 200
created.status

# %% [markdown]
# The second is refused with `412 PreconditionFailed`, and the object is unchanged:

# %%
replay = send("PUT", once_url, data=b"%PDF a forgery", headers={"If-None-Match": "*"})
show_error(replay)
assert replay.status == 412 and replay.code == "PreconditionFailed"
assert (
    replay.error.get("Condition") == "If-None-Match"
    and stored("reports/q2.pdf") == b"%PDF the real report"
)

# %% [markdown]
# Leaving the header out does not help the uploader either: it is signed, so without it
# the signature no longer matches.

# %%
dropped = send("PUT", once_url, data=b"%PDF a forgery")
assert dropped.code == "SignatureDoesNotMatch"
print(dropped.status, dropped.code)

# %% [markdown]
# "At most once" holds only while the object exists: after a delete, the URL writes again.
# A unique key per URL (section 4) and a short expiry (section 3) close that too.

# %%
lab.s3.delete_object(Bucket=bucket, Key="reports/q2.pdf")
again = send("PUT", once_url, data=b"%PDF written again", headers={"If-None-Match": "*"})
again.status

# %% [markdown]
# The header protects only when it is signed. boto3 signing with the legacy Signature
# Version 2 (its default in some older regions, see
# [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb)) does not put
# `If-None-Match` into the signature at all, so the uploader can simply leave it out and
# overwrite. Amazon S3 refuses SigV2 for buckets created after June 2020, so this cell runs
# only locally.

# %%
if lab.local_only("a SigV2 URL (Amazon S3 refuses SigV2 on new buckets)"):
    v2_url = lab.client("s3", config=Config(signature_version="s3")).generate_presigned_url(
        "put_object",
        Params={"Bucket": bucket, "Key": "reports/q2.pdf", "IfNoneMatch": "*"},
        ExpiresIn=300,
    )
    v2 = parse_presigned_url(v2_url)
    overwrite = send("PUT", v2_url, data=b"%PDF overwritten without the header")
    assert v2.version == "sigv2" and v2.required_headers == {} and overwrite.status == 200
    print(v2.version, v2.required_headers, overwrite.status)

# %% [markdown]
# ## Short expiries
#
# A URL is valid for `X-Amz-Expires` seconds after `X-Amz-Date`. The signing service should
# choose minutes, not days: long enough for the client to start the upload, short enough
# that a leaked URL is soon useless.

# %%
short_url = presign_put("reports/q3.pdf", expires=60)
parsed = parse_presigned_url(short_url)
print(parsed.expires_in, parsed.signed_at, parsed.expires_at)

# %% [markdown]
# Within the minute it works:

# %%
in_time = send("PUT", short_url, data=b"%PDF on time")
assert in_time.status == 200
in_time.status

# %% [markdown]
# Moving the lab's clock 61 seconds forward (only possible locally) shows what the
# uploader gets after that: `403 AccessDenied`, `Request has expired`, with the expiry
# instant and the server's time.

# %%
if lab.local_only("moving the clock past the expiry"):
    lab.clock.advance(seconds=61)
    late = send("PUT", short_url, data=b"%PDF too late")
    show_error(late)
    assert (
        late.status == 403
        and late.code == "AccessDenied"
        and late.error.message == "Request has expired"
    )

# %% [markdown]
# A URL signed with temporary credentials also dies when its session does, whatever
# `X-Amz-Expires` says; [07-access-denied](07-access-denied.ipynb) shows that case.
#
# ## Server-chosen keys
#
# The key is signed too, so the uploader cannot change it; the danger is a signing service
# that signs whatever key the client asks for. A client that asks for `index.html`, for
# another user's `avatars/alice.png` or for `uploads/../config.json` then overwrites it with
# a perfectly valid URL ([04-the-signing-service](04-the-signing-service.ipynb) shows the
# seed article's handler doing exactly that).
#
# `make_hardened_handler` is notebook 04's hardened signing Lambda. It makes the key
# itself: a fixed prefix, a random id, and only a sanitised display name from the client's
# `filekey`. In production the id is a random UUID; here a counter stands in for it, so the
# output is the same on every run. `ask` calls the handler with the event API Gateway would
# pass for `GET /presign?...`.

# %%
serial = itertools.count(1)
handler = make_hardened_handler(lab.s3, bucket, id_factory=lambda: f"{next(serial):032x}")


def ask(**query):
    answer = handler(api_gateway_event(query=query), None)
    return answer["statusCode"], json.loads(answer["body"])


# %% [markdown]
# A client asking for `../../index.html` gets a key under `uploads/`, with `..` and the
# directories gone, the type it must send, and an expiry capped at 15 minutes:

# %%
status, grant = ask(filekey="../../index.html", contentType="image/png")
status, grant["key"], grant["headers"], grant["expires_in"]

# %% [markdown]
# The same request again gets a different key, so two uploads never collide, and a URL
# with `If-None-Match: *` under a fresh key really writes only once:

# %%
_, second_grant = ask(filekey="../../index.html", contentType="image/png")
assert second_grant["key"] != grant["key"]
second_grant["key"]

# %% [markdown]
# The uploader sends what the grant says, and the object lands under the server's key:

# %%
upload = send(grant["method"], grant["signed_url"], data=PNG, headers=grant["headers"])
assert upload.status == 200 and stored(grant["key"]) == PNG
upload.status

# %% [markdown]
# ## Content-type allowlists
#
# The `Content-Type` an object is stored with is the one Amazon S3 later serves it with.
# If the URL does not sign it, the uploader chooses it, and an "image" uploaded as
# `text/html` is a web page: served from your domain, its scripts run there (stored XSS).

# %%
unsigned = presign_put("avatars/alice.png")
page = send(
    "PUT", unsigned, data=b"<script>alert(1)</script>", headers={"Content-Type": "text/html"}
)
content_type = lab.s3.head_object(Bucket=bucket, Key="avatars/alice.png")["ContentType"]
assert page.status == 200 and content_type == "text/html"
page.status, content_type

# %% [markdown]
# The fix has two halves. The signing service accepts only types from an allowlist (the
# hardened handler's is images and PDF, never `text/html` or `image/svg+xml`):

# %%
status, refusal = ask(filekey="page.html", contentType="text/html")
assert status == 400
status, refusal["error"]

# %% [markdown]
# and it *signs* the type it allows (`ContentType`), so `content-type` is a signed header
# of the URL:

# %%
_, grant = ask(filekey="bob.png", contentType="image/png")
image_url = grant["signed_url"]
parse_presigned_url(image_url).required_headers

# %% [markdown]
# Sending `text/html` to the image URL now fails the signature check:

# %%
spoofed = send(
    "PUT", image_url, data=b"<script>alert(1)</script>", headers={"Content-Type": "text/html"}
)
assert spoofed.status == 403 and spoofed.code == "SignatureDoesNotMatch"
print(spoofed.status, spoofed.code)

# %% [markdown]
# `diagnose`, given the URL, the request, S3's error body and the signing secret, finds the
# one change that explains the mismatch. Locally the signer is the lab's root user, whose
# keys are AWS's documented example pair, so the secret is known here:

# %%
if lab.local_only("diagnosing with the signer's secret key"):
    found = diagnose(
        image_url,
        "PUT",
        {"Content-Type": "text/html"},
        secret_key=EXAMPLE_SECRET_ACCESS_KEY,
        error_xml=spoofed.body,
        now=lab.clock.now(),
    ).findings[0]
    assert found.code == "signed-header-value-mismatch"
    print(found.code, found.message, sep="\n")

# %% [markdown]
# and the signed type succeeds:

# %%
image = send("PUT", image_url, data=PNG, headers=grant["headers"])
assert image.status == 200
image.status

# %% [markdown]
# A presigned `POST` does the same with a policy condition, `["starts-with",
# "$Content-Type", "image/"]` (section 6 builds one). Serving uploads from a separate
# domain, with `Content-Disposition: attachment` and `X-Content-Type-Options: nosniff`,
# adds a second line of defence.
#
# ## Size limits
#
# A presigned `PUT` that signs only the host accepts a body of any size. There are two ways
# to limit it.
#
# **Presigned POST with `content-length-range`.** The policy states a minimum and a maximum,
# both inclusive, and Amazon S3 checks the file against them. The helper sends a form as
# in [05-uploading](05-uploading.ipynb): the fields first, the file last.

# %%
post = lab.s3.generate_presigned_post(
    bucket,
    "avatars/carol.png",
    Fields={"Content-Type": "image/png"},
    ExpiresIn=300,
    Conditions=[["starts-with", "$Content-Type", "image/"], ["content-length-range", 100, 100_000]],
)


def post_file(post, content, fields=None):
    form = requests.Request(
        "POST",
        post["url"],
        data={**post["fields"], **(fields or {})},
        files={"file": ("upload.png", content)},
    ).prepare()
    return send(
        "POST", post["url"], data=form.body, headers={"Content-Type": form.headers["Content-Type"]}
    )


# %% [markdown]
# Too small:

# %%
tiny = post_file(post, PNG[:10])
show_error(tiny)
assert tiny.status == 400 and tiny.code == "EntityTooSmall"

# %% [markdown]
# Too large:

# %%
huge = post_file(post, PNG * 100)
show_error(huge)
assert huge.status == 400 and huge.code == "EntityTooLarge"

# %% [markdown]
# The policy also holds the type: the uploader can edit the `Content-Type` field of the
# form, but not the policy, so `text/html` fails its condition.

# %%
html = post_file(post, PNG, fields={"Content-Type": "text/html"})
show_error(html)
assert html.status == 403 and html.code == "AccessDenied"

# %% [markdown]
# Within the limits, and with an image type, the upload succeeds:

# %%
fits = post_file(post, PNG)
assert fits.status == 204
fits.status

# %% [markdown]
# **A signed `Content-Length` on a PUT.** When the client announces the size first, the
# signing service can sign exactly that size with `ContentLength`. `Content-Length` then is
# a signed header, and a body of any other size gives a different canonical request:

# %%
sized_url = presign_put("avatars/dave.png", ContentLength=len(PNG))
print(parse_presigned_url(sized_url).required_headers)
bigger = send("PUT", sized_url, data=PNG + b"more")
assert bigger.status == 403 and bigger.code == "SignatureDoesNotMatch"
print(bigger.status, bigger.code)

# %% [markdown]
# `requests` sets `Content-Length` from the body, so the announced size simply works:

# %%
exact = send("PUT", sized_url, data=PNG)
assert exact.status == 200
exact.status

# %% [markdown]
# ## Checksums
#
# Size and type say nothing about the bytes. If the client computes a checksum of its
# file first and the signing service signs it (`ChecksumSHA256`, base64 of the SHA-256
# digest), Amazon S3 computes the checksum of what arrives and stores the object only if the
# two agree. The uploader must send the `x-amz-checksum-sha256` header:

# %%
digest = base64.b64encode(hashlib.sha256(PNG).digest()).decode()
sum_url = presign_put("avatars/erin.png", ChecksumSHA256=digest)
parse_presigned_url(sum_url).required_headers

# %% [markdown]
# Other bytes with the signed checksum are refused with `BadDigest`, and nothing is stored:

# %%
corrupted = send("PUT", sum_url, data=PNG[:-1] + b"!", headers={"x-amz-checksum-sha256": digest})
show_error(corrupted)
assert corrupted.status == 400 and corrupted.code == "BadDigest"
assert lab.s3.list_objects_v2(Bucket=bucket, Prefix="avatars/erin.png")["KeyCount"] == 0

# %% [markdown]
# The bytes that were announced are accepted:

# %%
intact = send("PUT", sum_url, data=PNG, headers={"x-amz-checksum-sha256": digest})
assert intact.status == 200 and stored("avatars/erin.png") == PNG
intact.status

# %% [markdown]
# The older `Content-MD5` header works the same way (`ContentMD5`, base64 of the MD5
# digest); its `BadDigest` names both digests:

# %%
md5 = base64.b64encode(hashlib.md5(PNG).digest()).decode()
md5_url = presign_put("avatars/frank.png", ContentMD5=md5)
bad_md5 = send("PUT", md5_url, data=PNG[:-1] + b"!", headers={"Content-MD5": md5})
show_error(bad_md5)
assert bad_md5.status == 400 and bad_md5.code == "BadDigest"

# %%
good_md5 = send("PUT", md5_url, data=PNG, headers={"Content-MD5": md5})
assert good_md5.status == 200
good_md5.status

# %% [markdown]
# ## Summary
#
# | Gap | Control | What Amazon S3 answers otherwise |
# |---|---|---|
# | A URL uploads any number of times | `IfNoneMatch="*"` signed (SigV4) | `412 PreconditionFailed` |
# | A leaked URL stays usable | Expiry in minutes | `403 AccessDenied`, `Request has expired` |
# | The client picks the key | The server makes it: prefix, random id, sanitised name | (nothing to refuse: the client names no key) |
# | The client picks the content type | Allowlist, then `ContentType` signed | `403 SignatureDoesNotMatch` |
# | The client picks the size | POST `content-length-range`, or `ContentLength` signed | `400 EntityTooSmall` / `EntityTooLarge`, `403 SignatureDoesNotMatch` |
# | The bytes are not the announced ones | `ChecksumSHA256` (or `ContentMD5`) signed | `400 BadDigest` |
#
# Every control is a header or a policy condition that the *server* signs; the uploader
# must send it and cannot change it. Anything left unsigned is the uploader's choice.
#
# ## What's next
#
# [10-cors-and-the-browser](10-cors-and-the-browser.ipynb) uploads from a web page: the
# bucket's CORS rule, the browser's preflight, and the whole system running in a real
# browser.

# %% [markdown]
# ## References
#
# - Amazon S3 User Guide, [Download and upload objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html)
# - Amazon S3 User Guide, [How to prevent object overwrites with conditional writes](https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html)
# - Amazon S3 User Guide, [Add preconditions to S3 operations with conditional requests](https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html)
# - Amazon S3 API Reference, [Creating a POST Policy](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html)
# - Amazon S3 User Guide, [Checking object integrity](https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html)
# - Amazon S3 API Reference, [PutObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html)
# - Amazon S3 User Guide, [Uploading objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html)

# %% [markdown]
# The last cell deletes everything the lab created.

# %%
lab.cleanup()
