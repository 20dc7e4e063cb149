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
# keys, signed headers, POST policy conditions and checksums. Then the bucket's own
# guardrails, how to find presigned requests in AWS's logs, and a signing API that serves
# only authenticated callers, at a limited rate.
#
# ## Overview
#
# 1. A URL works until it expires
# 2. Single-use uploads with `If-None-Match: *`
# 3. Short expiries
# 4. Server-chosen keys and signed types
# 5. Size limits
# 6. Checksums
# 7. Bucket-policy guardrails
# 8. Finding presigned requests in the logs
# 9. An authenticated, rate-limited signing API

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
# - **Time to learn:** 40 minutes.

# %% [markdown]
# ## Imports

# %%
import base64
import hashlib
import json
import re

import requests
from botocore.config import Config

from presignlab import parse_presigned_url
from presignlab.diagnosis import diagnose
from presignlab.examples import EXAMPLE_SECRET_ACCESS_KEY
from presignlab.lab import open_lab, send, show_error
from presignlab.seed import Stack

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
# The header protects only when it is signed. A URL signed with the legacy Signature
# Version 2 does not put `If-None-Match` into the signature at all, so the uploader can
# simply leave it out and overwrite. boto3 presigns with SigV2 by default in us-east-1 and
# several other regions launched before 2014, unless the client asks for `s3v4`
# ([01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb)). AWS announced that
# buckets created after 24 June 2020 would refuse SigV2, yet answers recorded in 2026 show
# new us-east-1 buckets still accepting it; regions launched after January 2014 answer
# `400 InvalidRequest` (`The authorization mechanism you have provided is not supported.
# Please use AWS4-HMAC-SHA256.`). Section 7 shows how a bucket refuses SigV2 whatever the
# region does. This cell runs only locally.

# %%
if lab.local_only("a SigV2 URL (AWS announced that new buckets refuse SigV2)"):
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
# ## Server-chosen keys and signed types
#
# Two defences belong to the signing service itself, and notebook 04 builds both into its
# hardened handler ([04-the-signing-service](04-the-signing-service.ipynb), "Flaw 1",
# "Flaw 5" and "The hardened handler"): the server chooses the key (a fixed prefix, a random
# id, only a sanitised display name from the client), and it accepts only allowlisted
# content types and *signs* the one it allows. This section adds what 04 does not show: what
# a URL that does not sign the type lets an uploader do, what `diagnose` says when a signed
# type is swapped, and the response headers that keep a stored upload from being rendered.
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
# Signing the type (`ContentType`, as the hardened handler does) makes `content-type` a
# signed header of the URL:

# %%
image_url = presign_put("avatars/bob.png", ContentType="image/png")
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
image = send("PUT", image_url, data=PNG, headers={"Content-Type": "image/png"})
assert image.status == 200
image.status

# %% [markdown]
# A presigned `POST` does the same with a policy condition, `["starts-with",
# "$Content-Type", "image/"]` (section 5 builds one).
#
# Serving uploads from a separate domain adds a second line of defence, and so do two
# response headers, which reach the browser in different ways. `Content-Disposition:
# attachment` (download, never display) is object metadata: the signing service signs it
# (`ContentDisposition`) and Amazon S3 stores it and serves it back. `X-Content-Type-Options:
# nosniff` is not: Amazon S3 stores only its system metadata headers (`Content-Type`,
# `Content-Disposition`, `Cache-Control`, ...) and `x-amz-meta-*`, and silently drops any
# other header an upload sends. An upload that sends both:

# %%
attachment_url = presign_put("avatars/grace.png", ContentDisposition="attachment")
sent = send(
    "PUT",
    attachment_url,
    data=PNG,
    headers={"Content-Disposition": "attachment", "X-Content-Type-Options": "nosniff"},
)
served = send("GET", lab.s3.generate_presigned_url(
    "get_object", Params={"Bucket": bucket, "Key": "avatars/grace.png"}, ExpiresIn=60
))  # fmt: skip
kept = served.header("Content-Disposition"), served.header("X-Content-Type-Options")
assert sent.status == 200 and kept == ("attachment", None)
kept

# %% [markdown]
# `nosniff` therefore comes from whatever serves the objects to browsers: a CDN in front of
# the bucket, for example a CloudFront *response headers policy*, whose security headers
# include `X-Content-Type-Options: nosniff`.
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
# **A signed `Content-Length` on a PUT.** So a presigned `PUT` *can* limit the size, to one
# exact value: when the client announces the size first, the signing service signs it with
# `ContentLength`. `Content-Length` then is a signed header (SigV4 signs any header it is
# given), and a body of any other size gives a different canonical request:

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
# A browser does the same: a page cannot set `Content-Length` (it is a forbidden request
# header for `fetch` and `XMLHttpRequest`), the browser sets it from the body, so a page
# that uploads the file it announced matches the signature. The size a PUT can be is
# bounded anyway: a single `PUT` takes at most 5 GB.

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
# ## Bucket-policy guardrails
#
# Every control so far depends on the signing service doing the right thing. The bucket can
# also refuse presigned requests on its own, whoever signed them: Amazon S3 sets condition
# keys for every signed request, and a `Deny` statement in the bucket policy on one of them
# wins over every `Allow`, the signer's included.
#
# | Key | Its value | A guardrail |
# |---|---|---|
# | `s3:signatureAge` | milliseconds since the signature's date (`X-Amz-Date`); always `0` with SigV2 | `NumericGreaterThan` `600000`: no URL works for more than 10 minutes, whatever `X-Amz-Expires` says |
# | `s3:authType` | `REST-QUERY-STRING` (presigned URL), `REST-HEADER` (`Authorization` header), `POST` (browser form) | `StringEquals` `REST-QUERY-STRING`: no presigned URLs at all |
# | `s3:signatureversion` | `AWS4-HMAC-SHA256` (SigV4) or `AWS` (SigV2) | `StringNotEquals` `AWS4-HMAC-SHA256`: SigV4 only |
# | `aws:SourceIp` | the requester's IP address | `NotIpAddress` with CIDR blocks: a leaked URL is useless off your network |
#
# The signer here is an IAM user allowed `s3:PutObject` on the bucket and nothing else.
# `guardrail` replaces the bucket policy with one `Deny` statement on a condition, and
# `refused` checks S3's answer: `403 AccessDenied`, naming the signer, the action, the object
# and the kind of policy that denied it.

# %%
signer = lab.create_signer(
    "guarded-signer",
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
        ],
    },
)
signer_s3 = signer.client("s3")


def guardrail(condition):
    statement = {
        "Sid": "Guardrail",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
        "Condition": condition,
    }
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    lab.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))


def signer_url(key, client=signer_s3, expires=3600):
    return client.generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=expires
    )


def refused(response):
    show_error(response)
    assert response.status == 403 and response.code == "AccessDenied"
    assert response.error.message.endswith("with an explicit deny in a resource-based policy")


# %% [markdown]
# **`s3:signatureAge`.** A URL valid for an hour, under a guardrail of ten minutes, works
# at first:

# %%
guardrail({"NumericGreaterThan": {"s3:signatureAge": "600000"}})
hour_url = signer_url("guarded/age.png", expires=3600)
at_once = send("PUT", hour_url, data=PNG)
assert at_once.status == 200
parse_presigned_url(hour_url).expires_in, at_once.status

# %% [markdown]
# Ten minutes and one second later it is 600001 ms old: refused, although it has fifty
# minutes left to live (moving the clock only works locally):

# %%
if lab.local_only("moving the clock past the signature age"):
    lab.clock.advance(minutes=10, seconds=1)
    refused(send("PUT", hour_url, data=PNG))

# %% [markdown]
# **`s3:authType`.** Denying `REST-QUERY-STRING` refuses every presigned URL, while the
# signer's own SDK calls (signed in the `Authorization` header) still work. Scoped to a
# prefix, this keeps presigned uploads out of the places they do not belong.

# %%
guardrail({"StringEquals": {"s3:authType": "REST-QUERY-STRING"}})
refused(send("PUT", signer_url("guarded/query.png"), data=PNG))

# %%
direct = signer_s3.put_object(Bucket=bucket, Key="guarded/header.png", Body=PNG)
direct["ResponseMetadata"]["HTTPStatusCode"]

# %% [markdown]
# **`s3:signatureversion`.** Only SigV4 signs the headers a URL pins (section 2), so a
# bucket that takes uploads should refuse SigV2 itself. A SigV4 URL passes:

# %%
guardrail({"StringNotEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}})
v4_put = send("PUT", signer_url("guarded/v4.png"), data=PNG)
assert v4_put.status == 200
v4_put.status

# %% [markdown]
# and the same upload presigned with SigV2 is refused:

# %%
if lab.local_only("a SigV2 URL"):
    v2_signer = signer.client("s3", config=Config(signature_version="s3"))
    refused(send("PUT", signer_url("guarded/v2.png", client=v2_signer), data=PNG))

# %% [markdown]
# **`aws:SourceIp`.** A `Deny` on `NotIpAddress` refuses every request from outside the
# listed CIDR blocks (here two documentation ranges standing for an office network):

# %%
guardrail({"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"]}})
refused(send("PUT", signer_url("guarded/ip.png"), data=PNG))

# %% [markdown]
# Locally the uploader's address is `127.0.0.1`: it is the address of the connection, so no
# header (`X-Forwarded-For`) changes it. A range that contains it admits the upload:

# %%
if lab.local_only("the uploader's address is 127.0.0.1"):
    guardrail({"NotIpAddress": {"aws:SourceIp": ["127.0.0.0/8"]}})
    inside = send(
        "PUT", signer_url("guarded/ip.png"), data=PNG, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert inside.status == 200
    print(inside.status)

# %% [markdown]
# On AWS, a request that reaches S3 through a VPC endpoint carries no public address in
# `aws:SourceIp`; such a guardrail then tests `aws:SourceVpce` or `aws:VpcSourceIp`
# instead. The next sections need no guardrail:

# %%
lab.s3.delete_bucket_policy(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"]

# %% [markdown]
# ## Finding presigned requests in the logs
#
# Before adding a guardrail, find out who uses presigned URLs today. Amazon S3 records
# requests in two places, both off until you enable them:
#
# **CloudTrail data events** (one JSON record per object request):
#
# | Field | For a presigned upload |
# |---|---|
# | `eventName` | `PutObject` |
# | `userIdentity.arn`, `userIdentity.accessKeyId` | the *signer* (whose key signed the URL), not the uploader |
# | `sourceIPAddress` | the uploader's address |
# | `additionalEventData.AuthenticationMethod` | `QueryString` (`AuthHeader` for an SDK call, `HtmlForm` for a POST form) |
# | `additionalEventData.SignatureVersion` | `SigV4` (or `SigV2`) |
# | `requestParameters` | contains `X-Amz-Expires` |
#
# **Server access logs** (one space-delimited line per request): `Remote IP`, `Requester`,
# `Operation` (`REST.PUT.OBJECT`), `Request-URI` (the request line's target, query string
# included: `X-Amz-Expires`, `X-Amz-Credential`, `X-Amz-Signature`), `HTTP status`, `Error
# Code`, `Signature Version` (`SigV4`), `Authentication Type` (`QueryString`) and `Host
# Header`.
#
# `QueryString` alone does not prove a presigned URL (any query-string authentication has
# it); AWS's guidance is to look for `X-Amz-Expires` as well. The local S3 writes neither
# log, so the records below are **synthetic**: written for this notebook in the documented
# formats, with AWS's example account, key, bucket and documentation IP addresses, not
# captured from AWS. One presigned upload and one SDK call in each:

# %%
SYNTHETIC_CLOUDTRAIL = [
    {
        "eventName": "PutObject",
        "userIdentity": {
            "type": "IAMUser",
            "arn": "arn:aws:iam::111122223333:user/upload-signer",
            "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
        },
        "sourceIPAddress": "198.51.100.23",
        "requestParameters": {
            "bucketName": "amzn-s3-demo-bucket",
            "key": "uploads/photo.jpg",
            "X-Amz-Expires": "300",
        },
        "additionalEventData": {"SignatureVersion": "SigV4", "AuthenticationMethod": "QueryString"},
    },
    {
        "eventName": "GetObject",
        "userIdentity": {
            "type": "IAMUser",
            "arn": "arn:aws:iam::111122223333:user/report-job",
            "accessKeyId": "AKIAI44QH8DHBEXAMPLE",
        },
        "sourceIPAddress": "192.0.2.10",
        "requestParameters": {"bucketName": "amzn-s3-demo-bucket", "key": "reports/q1.pdf"},
        "additionalEventData": {"SignatureVersion": "SigV4", "AuthenticationMethod": "AuthHeader"},
    },
]


def presigned_events(records):
    return [
        (r["eventName"], r["userIdentity"]["accessKeyId"], r["sourceIPAddress"])
        for r in records
        if r["additionalEventData"].get("AuthenticationMethod") == "QueryString"
        and "X-Amz-Expires" in r["requestParameters"]
    ]


presigned_events(SYNTHETIC_CLOUDTRAIL)

# %% [markdown]
# The access log fields are read by position; quoted fields and the bracketed time are one
# field each:

# %%
OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
SYNTHETIC_ACCESS_LOG = [
    f"{OWNER} amzn-s3-demo-bucket [01/Mar/2026:12:00:05 +0000] 198.51.100.23 "
    "arn:aws:iam::111122223333:user/upload-signer 3E57427F3EXAMPLE REST.PUT.OBJECT "
    'uploads/photo.jpg "PUT /uploads/photo.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256'
    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260301%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20260301T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host"
    '&X-Amz-Signature=EXAMPLESIGNATURE HTTP/1.1" 200 - - 1024 42 10 "-" "Mozilla/5.0" - '
    "EXAMPLEHOSTID= SigV4 TLS_AES_128_GCM_SHA256 QueryString "
    "amzn-s3-demo-bucket.s3.us-east-1.amazonaws.com TLSv1.3 - -",
    f"{OWNER} amzn-s3-demo-bucket [01/Mar/2026:12:00:09 +0000] 192.0.2.10 "
    "arn:aws:iam::111122223333:user/report-job 891CE47D2EXAMPLE REST.GET.OBJECT "
    'reports/q1.pdf "GET /reports/q1.pdf HTTP/1.1" 200 - 25 25 12 11 "-" "Boto3/1.44" - '
    "EXAMPLEHOSTID= SigV4 TLS_AES_128_GCM_SHA256 AuthHeader "
    "amzn-s3-demo-bucket.s3.us-east-1.amazonaws.com TLSv1.3 - -",
]
FIELD = {"remote_ip": 3, "operation": 6, "request_uri": 8, "status": 9, "signature": 19,
         "auth_type": 21, "host": 22}  # fmt: skip


def access_log_fields(line):
    return re.findall(r'"[^"]*"|\[[^\]]*\]|\S+', line)


def presigned_lines(lines):
    found = []
    for line in lines:
        f = access_log_fields(line)
        if f[FIELD["auth_type"]] == "QueryString" and "X-Amz-Expires=" in f[FIELD["request_uri"]]:
            found.append(
                tuple(f[FIELD[name]] for name in ("operation", "remote_ip", "signature", "host"))
            )
    return found


presigned_lines(SYNTHETIC_ACCESS_LOG)

# %% [markdown]
# Both logs name the *key* that signed each URL, and `sourceIPAddress` / `Remote IP` says
# where it was used from: a signer whose URLs arrive from unexpected networks is the cue for
# an `aws:SourceIp` guardrail. The access log's `Request-URI` holds the whole URL, signature
# included: anyone who can read the logs can replay a URL that has not expired yet, one
# more reason for short expiries and a `s3:signatureAge` guardrail.
#
# ## An authenticated, rate-limited signing API
#
# A URL is only as safe as the service that hands it out. The seed's API signs for anyone
# who asks, as often as they ask: a script can collect thousands of valid upload URLs. The
# kit's local API Gateway (`Stack`, the system that
# [10-cors-and-the-browser](10-cors-and-the-browser.ipynb) runs in a browser) checks
# `Authorization: Bearer <token>` as an API Gateway Lambda authorizer would, and limits each
# caller with a token bucket, as API Gateway's throttling does. It answers before the
# signing function runs:
#
# | Request | API Gateway's answer |
# |---|---|
# | no `Authorization` header | `401 {"message":"Unauthorized"}` |
# | a token the authorizer denies | `403 {"message":"User is not authorized to access this resource with an explicit deny"}` |
# | more than the caller's rate | `429 {"message":"Too Many Requests"}` |
#
# On AWS the token would come from the user's sign-in (for example an Amazon Cognito user
# pool) and the rate from the stage's throttling or a usage plan. Locally the stack makes a
# token for the upload page and serves the page with it; it never prints it. This stack
# allows a burst of 3 requests and 1 more a second, counted by the lab's clock so the output
# is the same on every run:

# %%
stack = None
if lab.local_only("the local API Gateway"):
    stack = Stack(burst=3, rate=1, throttle_clock=lambda: lab.clock.now().timestamp()).start()
    print(stack.token)
query = {"filekey": "cat.png", "contentType": "image/png"}

# %% [markdown]
# Without a token, and with a token the gateway does not know:

# %%
if stack:
    anonymous = requests.get(stack.presign_url, params=query, timeout=10)
    forged = requests.get(
        stack.presign_url, params=query, headers={"Authorization": "Bearer guessed"}, timeout=10
    )
    assert (anonymous.status_code, anonymous.json()) == (401, {"message": "Unauthorized"})
    assert forged.status_code == 403
    print(anonymous.status_code, anonymous.json())
    print(forged.status_code, forged.json())

# %% [markdown]
# With the page's token (`stack.token.header`, sent and never printed), four requests at
# once: the burst of three is signed, the fourth is throttled:

# %%
if stack:
    burst = [
        requests.get(stack.presign_url, params=query, headers=stack.token.header, timeout=10)
        for _ in range(4)
    ]
    codes = [answer.status_code for answer in burst]
    assert codes == [200, 200, 200, 429]
    print(codes, burst[-1].json())

# %% [markdown]
# A second later the bucket holds one more token:

# %%
if stack:
    lab.clock.advance(seconds=1)
    later = requests.get(stack.presign_url, params=query, headers=stack.token.header, timeout=10)
    assert later.status_code == 200
    print(later.status_code, later.json()["method"])

# %% [markdown]
# Stopping the stack stops its API and deletes its bucket and signer:

# %%
len(stack.stop()) if stack else 0

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
# | A URL lives longer than you want, whoever signed it | Bucket policy `Deny` on `s3:signatureAge` | `403 AccessDenied` (explicit deny in a resource-based policy) |
# | Presigned URLs where none belong, or SigV2 | `Deny` on `s3:authType` / `s3:signatureversion` | the same `403 AccessDenied` |
# | A leaked URL used from anywhere | `Deny` on `aws:SourceIp` (`NotIpAddress`) | the same `403 AccessDenied` |
# | Anyone may ask for URLs, as often as they like | A token authorizer and a per-caller rate limit on the signing API | `401`, `403`, `429` from API Gateway |
#
# Every control on the URL is a header or a policy condition that the *server* signs; the
# uploader must send it and cannot change it. Anything left unsigned is the uploader's
# choice. The bucket policy's guardrails hold whatever the signer signed, and CloudTrail
# (`AuthenticationMethod` `QueryString`) or the access logs (`Authentication Type`
# `QueryString`) show who uses presigned URLs before you add them.
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
# - Amazon S3 User Guide, [Working with object metadata](https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html) (the system-defined headers S3 stores)
# - Amazon CloudFront Developer Guide, [Understand response headers policies](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-response-headers-policies.html) (security headers: `X-Content-Type-Options`)
# - Fetch Standard, [Forbidden request-header names](https://fetch.spec.whatwg.org/#forbidden-request-header) (`Content-Length`); Amazon S3 API Reference, [PutObject](https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html) (5 GB in one PUT)
# - AWS re:Post, [AWS Signature Version 4 to replace AWS Signature Version 2 for signing S3 API requests](https://repost.aws/questions/QU5OKPZ-HnS1SHXX6dUbGi2w); Amazon S3 API Reference, [Specifying the Signature Version in request authentication](https://docs.aws.amazon.com/AmazonS3/latest/API/specify-signature-version.html); recorded 2026 answers: docs/aws-behaviour.md AUTH-V2-01, AUTH-V2-05
# - Amazon S3 API Reference, [Amazon S3 Signature Version 4 Authentication Specific Policy Keys](https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html) (`s3:signatureAge`, `s3:authType`, `s3:signatureversion`)
# - Amazon S3 User Guide, [Amazon S3 condition key examples](https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html); [Download and upload objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html) (limiting presigned URL capabilities)
# - IAM User Guide, [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) (`aws:SourceIp`, VPC endpoints) and [Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html) (`NotIpAddress`, `NumericGreaterThan`)
# - AWS Prescriptive Guidance, [Establishing guardrails and monitoring for presigned URLs](https://docs.aws.amazon.com/prescriptive-guidance/latest/presigned-url-best-practices/introduction.html): [Additional guardrails](https://docs.aws.amazon.com/prescriptive-guidance/latest/presigned-url-best-practices/additional-guardrails.html), [Identifying presigned requests](https://docs.aws.amazon.com/prescriptive-guidance/latest/presigned-url-best-practices/identifying-requests.html)
# - Amazon S3 User Guide, [Identifying Amazon S3 requests using CloudTrail](https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-request-identification.html), [Amazon S3 server access log format](https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html)
# - AWS re:Post Knowledge Center, [API Gateway 401 errors with a Lambda authorizer](https://repost.aws/knowledge-center/api-gateway-401-error-lambda-authorizer) and [403 errors with a Lambda authorizer](https://repost.aws/knowledge-center/api-gateway-403-error-lambda-authorizer); API Gateway Developer Guide, [Gateway response types](https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html), [Throttle requests to your REST APIs](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html)
# - Rules as the local S3 and gateway implement them: docs/aws-behaviour.md AUTHZ-08 to AUTHZ-12, GW-01 to GW-03

# %% [markdown]
# The last cell deletes everything the lab created.

# %%
lab.cleanup()
