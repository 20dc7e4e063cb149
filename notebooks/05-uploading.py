# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Uploading with a presigned URL
#
# A presigned URL lets a client that holds no AWS credentials write one object into
# Amazon S3. This notebook uploads from Python with `requests` in the four ways a real
# client does: a plain `PUT` that sends exactly the headers that were signed, a large file
# streamed from disk with a progress display, a browser-style presigned `POST` form whose
# policy limits type and size, and a multipart upload whose parts each have their own
# presigned URL. Every upload goes to the kit's strict local S3, which checks signatures,
# policies and sizes as Amazon S3 does.
#
# ## Overview
#
# 1. A PUT that sends exactly the signed headers
# 2. A large file, streamed with a progress display
# 3. A presigned POST form with conditions
# 4. A multipart upload with presigned part URLs

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb) | Necessary | Signed headers and `required_headers` |
# | [02-signing-by-hand](02-signing-by-hand.ipynb) | Helpful | Why a changed header breaks the signature |
# | `requests` | Helpful | `requests.put`, `requests.post` with `files=` |
#
# - **AWS account:** not needed; the notebook runs against the kit's local S3. With
#   `PRESIGNLAB_TARGET=aws` it runs against real Amazon S3 and needs `s3:CreateBucket`,
#   `s3:PutObject`, `s3:GetObject` and `s3:DeleteObject` on its own bucket.
# - **Time to learn:** 25 minutes.

# %% [markdown]
# ## Imports

# %%
import base64
import hashlib
import json
import re
import tempfile
from pathlib import Path

import requests
from IPython.display import Markdown
from tqdm import tqdm
from urllib3 import encode_multipart_formdata

from presignlab import parse_presigned_url
from presignlab.diagnosis import diagnose
from presignlab.examples import EXAMPLE_SECRET_ACCESS_KEY
from presignlab.lab import open_lab, send, show_error

# %% [markdown]
# `open_lab` starts the strict local S3 (or connects to real AWS when
# `PRESIGNLAB_TARGET=aws`), pins the clock so that every URL below is the same on every
# run, and `create_bucket` makes the bucket this notebook uploads into. `lab.s3` is the
# signer's boto3 client: in an application it lives on the server, never in the client.

# %%
lab = open_lab("05-uploading")
bucket = lab.create_bucket("uploads")
print(lab.target, bucket)

# %% [markdown]
# ## A PUT that sends exactly the signed headers
#
# The server signs a `PUT` of `photos/cat.png` with two headers besides `Host`: the content
# type it wants stored and a piece of user metadata. boto3 signs every header that a
# `put_object` parameter turns into (`ContentType`, `Metadata`, `ContentLength`,
# `ChecksumSHA256`, ...).

# %%
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
url = lab.s3.generate_presigned_url(
    "put_object",
    ExpiresIn=300,
    Params={
        "Bucket": bucket,
        "Key": "photos/cat.png",
        "ContentType": "image/png",
        "Metadata": {"owner": "alice"},
    },
)
parse_presigned_url(url).signed_headers

# %% [markdown]
# The URL names the signed headers but not their values. `required_headers` lists the ones
# the client has to send (every signed header except `Host`, which `requests` sends by
# itself); the values are the ones the server signed, so the server hands them to the client
# together with the URL.

# %%
SIGNED_VALUES = {"content-type": "image/png", "x-amz-meta-owner": "alice"}
headers = {name: SIGNED_VALUES[name] for name in parse_presigned_url(url).required_headers}

Markdown(
    "| Header the client sends | Value |\n|---|---|\n"
    + "\n".join(f"| `{name}` | `{value}` |" for name, value in headers.items())
)

# %% [markdown]
# With those headers, `requests.put` uploads the bytes. Amazon S3 answers `200 OK` with
# the object's `ETag`, which for a single `PUT` is the hex MD5 of the body.

# %%
r = requests.put(url, data=PNG, headers=headers)
assert r.status_code == 200 and r.headers["ETag"] == f'"{hashlib.md5(PNG).hexdigest()}"'
r.status_code, r.headers["ETag"]

# %% [markdown]
# The object is stored with the signed content type and metadata:

# %%
head = lab.s3.head_object(Bucket=bucket, Key="photos/cat.png")
head["ContentType"], head["Metadata"], head["ContentLength"]

# %% [markdown]
# "Exactly" cuts both ways. Leaving out a signed header changes the canonical request
# that Amazon S3 computes, so the signatures differ:

# %%
missing = send("PUT", url, data=PNG, headers={"x-amz-meta-owner": "alice"})
assert missing.status == 403 and missing.code == "SignatureDoesNotMatch"
print(missing.status, missing.code)

# %% [markdown]
# The kit's `diagnose` names the cause. It needs the signer's secret key to try out
# changes; locally the signer is the lab's root user, whose keys are AWS's documented
# example pair.

# %%
if lab.local_only("diagnosing with the signer's secret key"):
    found = diagnose(
        url,
        "PUT",
        {"x-amz-meta-owner": "alice"},
        secret_key=EXAMPLE_SECRET_ACCESS_KEY,
        error_xml=missing.body,
        now=lab.clock.now(),
    ).findings[0]
    assert found.code == "signed-header-missing"
    print(found.code, found.message, sep="\n")

# %% [markdown]
# Adding an `x-amz-*` header that was not signed is refused before the signature is even
# compared, with `AccessDenied` and the name of the offending header:

# %%
extra = send("PUT", url, data=PNG, headers={**headers, "x-amz-meta-project": "demo"})
show_error(extra)
assert extra.code == "AccessDenied" and extra.error.get("HeadersNotSigned") == "x-amz-meta-project"

# %% [markdown]
# The fix in both cases is the table above: send every required header with its signed
# value, and no other `x-amz-*` header. [06-signature-does-not-match](06-signature-does-not-match.ipynb)
# takes `SignatureDoesNotMatch` apart.
#
# ## A large file, streamed with a progress display
#
# Passing `data=` a whole `bytes` object holds the file in memory. `requests` also accepts
# a file object and then reads it in blocks while sending. The next cell writes a 16 MiB
# test file with deterministic content.

# %%
SIZE = 16 * 1024 * 1024
workdir = tempfile.TemporaryDirectory(prefix="presignlab-05-")
big_file = Path(workdir.name) / "video.bin"
big_file.write_bytes(
    b"".join(hashlib.sha256(n.to_bytes(4, "big")).digest() for n in range(SIZE // 32))
)
file_sha256 = hashlib.sha256(big_file.read_bytes()).hexdigest()
print(big_file.stat().st_size, file_sha256[:16])


# %% [markdown]
# To see progress, wrap the file in an object whose `read` reports how many bytes have
# gone out. Its `__len__` matters too: from it `requests` learns the size and sends a
# `Content-Length` header, which Amazon S3 expects on every `PUT`.


# %%
class ProgressFile:
    """A read-only file wrapper that calls `report(bytes_read_so_far)` after each read."""

    def __init__(self, file, size, report):
        self.file, self.size, self.report, self.done = file, size, report, 0

    def __len__(self):
        return self.size

    def read(self, n=-1):
        block = self.file.read(n)
        self.done += len(block)
        self.report(self.done)
        return block


# %% [markdown]
# The report function draws the bar. An interactive tqdm bar redraws itself on a timer,
# so its output differs from run to run. Here tqdm's `format_meter` draws one line at every
# quarter of the upload instead, which is the same on every run. In an interactive session
# a live bar works too: `bar = tqdm(total=size, unit="B", unit_scale=True)` with the report
# function `lambda done: bar.update(done - bar.n)`.


# %%
def quarter_bar(total):
    """A report function that prints a bar each time another quarter of `total` is sent."""
    quarters = [0]

    def report(done):
        while 4 * done // total > quarters[0]:
            quarters[0] += 1
            print(
                tqdm.format_meter(
                    quarters[0] * total // 4,
                    total,
                    0,
                    unit_scale=True,
                    unit_divisor=1024,
                    bar_format="{percentage:3.0f}% |{bar:20}| {n_fmt}iB of {total_fmt}iB",
                )
            )

    return report


# %% [markdown]
# The upload itself is one `requests.put`, with the open file behind the wrapper:

# %%
big_url = lab.s3.generate_presigned_url(
    "put_object", Params={"Bucket": bucket, "Key": "videos/video.bin"}, ExpiresIn=300
)
with big_file.open("rb") as f:
    r = requests.put(big_url, data=ProgressFile(f, SIZE, quarter_bar(SIZE)))
r.status_code, r.request.headers["Content-Length"]

# %% [markdown]
# To check the upload, read the object back and compare its SHA-256 with the file's:

# %%
stored = lab.s3.get_object(Bucket=bucket, Key="videos/video.bin")["Body"].read()
assert r.status_code == 200 and hashlib.sha256(stored).hexdigest() == file_sha256
len(stored)

# %% [markdown]
# ## A presigned POST form with conditions
#
# A presigned `PUT` limits the body's size only when the signer knows the size in advance
# and signs it (`ContentLength=` in `Params` makes `Content-Length` a signed header, so a
# body of any other size fails the signature: [09-hardening-uploads](09-hardening-uploads.ipynb#Size-limits)
# shows it). A presigned `POST` can accept a *range* of sizes: the server signs a
# *policy*, a JSON document of conditions that every form field and the file must
# satisfy, and Amazon S3 checks them. It is also what an HTML `<form>` can send.
#
# `generate_presigned_post` returns the URL to post to and the form fields, policy and
# signature included. The conditions here: the `Content-Type` field must start with
# `image/`, and the file must be between 1 byte and 1 MiB.

# %%
post = lab.s3.generate_presigned_post(
    bucket,
    "photos/dog.png",
    ExpiresIn=300,
    Fields={"Content-Type": "image/png"},
    Conditions=[
        ["starts-with", "$Content-Type", "image/"],
        ["content-length-range", 1, 1024 * 1024],
    ],
)
sorted(post["fields"])

# %% [markdown]
# The policy field is base64-encoded JSON. Decoded, it shows the expiry and the conditions;
# boto3 added the bucket, the key and the signing fields to the two given:

# %%
policy = json.loads(base64.b64decode(post["fields"]["policy"]))
print(policy["expiration"])
for condition in policy["conditions"]:
    print(json.dumps(condition))


# %% [markdown]
# The request is a `multipart/form-data` body: every field of `post["fields"]`, verbatim,
# then the file in a part named `file`. The file must come last, because Amazon S3 ignores
# fields after it. `requests` puts `data=` fields before `files=`, which is the right order.
# The helper below builds the form with `requests` and sends it; the last line shows the
# order of the parts.


# %%
def post_file(post, content, content_type="image/png"):
    form = requests.Request(
        "POST",
        post["url"],
        data=post["fields"],
        files={"file": ("upload.png", content, content_type)},
    ).prepare()
    return send(
        "POST", post["url"], data=form.body, headers={"Content-Type": form.headers["Content-Type"]}
    )


form = requests.Request(
    "POST", post["url"], data=post["fields"], files={"file": ("upload.png", PNG)}
).prepare()
re.findall(rb'; name="([^"]+)"', form.body)

# %% [markdown]
# Amazon S3 answers a successful `POST` with `204 No Content` (unless the form asks for
# another status with `success_action_status`):

# %%
ok = post_file(post, PNG)
assert ok.status == 204
ok.status, lab.s3.head_object(Bucket=bucket, Key="photos/dog.png")["ContentType"]

# %% [markdown]
# With the file first, Amazon S3 reads no further: the fields after it are never seen, and
# it reports the first required field it missed. urllib3's `encode_multipart_formdata`
# keeps the parts in the order given, so it can put the file first:

# %%
body, form_type = encode_multipart_formdata(
    [("file", ("upload.png", PNG, "image/png")), *post["fields"].items()]
)
file_first = send("POST", post["url"], data=body, headers={"Content-Type": form_type})
show_error(file_first)
assert file_first.status == 400 and file_first.code == "InvalidArgument"

# %% [markdown]
# A file over the policy's maximum is refused with `EntityTooLarge`, which names the size
# sent and the limit:

# %%
too_big = post_file(post, b"\0" * (1024 * 1024 + 1))
show_error(too_big)
assert too_big.status == 400 and too_big.code == "EntityTooLarge"

# %% [markdown]
# [09-hardening-uploads](09-hardening-uploads.ipynb) uses the same conditions to enforce
# type and size limits.
#
# ## A multipart upload with presigned part URLs
#
# Amazon S3 takes at most 5 GiB in one `PUT`; past about 100 MB a multipart upload is the
# usual choice anyway, because parts upload in parallel and a failed part is retried alone.
# Each part (except the last) must be at least 5 MiB. With presigned URLs the work splits:
#
# - the **server** starts the upload (`create_multipart_upload`), presigns one
#   `upload_part` URL per part, and completes the upload at the end;
# - the **client** `PUT`s each part to its URL and keeps the `ETag` of every response.
#
# The server starts the upload. Its `UploadId` is random, so it is not printed.

# %%
PART_SIZE = 5 * 1024 * 1024
mpu = lab.s3.create_multipart_upload(Bucket=bucket, Key="videos/multipart.bin")
upload_id = mpu["UploadId"]
part_count = -(-SIZE // PART_SIZE)
part_count

# %% [markdown]
# It presigns one URL per part. The part number and the upload id are query parameters,
# so they are signed: a URL for part 1 cannot upload part 2.

# %%
part_urls = [
    lab.s3.generate_presigned_url(
        "upload_part",
        ExpiresIn=900,
        Params={
            "Bucket": bucket,
            "Key": "videos/multipart.bin",
            "UploadId": upload_id,
            "PartNumber": n,
        },
    )
    for n in range(1, part_count + 1)
]
[name for name, _ in parse_presigned_url(part_urls[0]).query if not name.startswith("X-Amz-")]

# %% [markdown]
# Editing the part number of a URL after signing breaks its signature:

# %%
edited = send("PUT", part_urls[0].replace("partNumber=1&", "partNumber=2&"), data=b"part")
assert edited.code == "SignatureDoesNotMatch"
print(edited.status, edited.code)

# %% [markdown]
# The client reads the file one part at a time and `PUT`s each to its URL. The `ETag`
# response header of each part is the proof of that part that completion needs. (A browser
# can only read `ETag` if the bucket's CORS rule exposes it;
# [10-cors-and-the-browser](10-cors-and-the-browser.ipynb) covers CORS.)

# %%
parts = []
with big_file.open("rb") as f:
    for number, part_url in enumerate(part_urls, start=1):
        chunk = f.read(PART_SIZE)
        r = requests.put(part_url, data=chunk)
        assert r.status_code == 200, r.text
        parts.append({"PartNumber": number, "ETag": r.headers["ETag"]})
        print(number, len(chunk), r.headers["ETag"])

# %% [markdown]
# The client sends the list back, and the server completes the upload. The ETag of a
# multipart object is not the MD5 of the object: it is the MD5 of the parts' MD5s, followed
# by `-` and the number of parts.

# %%
done = lab.s3.complete_multipart_upload(
    Bucket=bucket, Key="videos/multipart.bin", UploadId=upload_id, MultipartUpload={"Parts": parts}
)
part_md5s = b"".join(bytes.fromhex(p["ETag"].strip('"')) for p in parts)
assert done["ETag"] == f'"{hashlib.md5(part_md5s).hexdigest()}-{part_count}"'
done["ETag"]

# %% [markdown]
# The object now holds the whole file, byte for byte:

# %%
stored = lab.s3.get_object(Bucket=bucket, Key="videos/multipart.bin")["Body"].read()
assert hashlib.sha256(stored).hexdigest() == file_sha256
len(stored)

# %% [markdown]
# An upload that is started but never completed keeps its parts, and they are billed,
# until someone calls `abort_multipart_upload`. Give production buckets a lifecycle rule
# that aborts incomplete multipart uploads after a few days.
#
# ## Summary
#
# - A presigned `PUT` must carry every signed header with the signed value, and no other
#   `x-amz-*` header. `parse_presigned_url(url).required_headers` names them; the signer
#   supplies the values.
# - `requests` streams a file-like object, and sends `Content-Length` when it can learn the
#   size from `__len__`; wrapping `read` gives a progress display.
# - A presigned `PUT` pins the body's size only through a signed `Content-Length`; a
#   presigned `POST` sends the policy fields verbatim with the file last, and its
#   conditions (`starts-with`, `content-length-range`) are enforced by Amazon S3.
# - A multipart upload needs one presigned URL per part; the client collects each part's
#   `ETag`, and the server completes the upload with that list.
#
# ## What's next
#
# [06-signature-does-not-match](06-signature-does-not-match.ipynb) breaks uploads on
# purpose, ten different ways, and diagnoses each `SignatureDoesNotMatch`. The uploads of
# this notebook return in [09-hardening-uploads](09-hardening-uploads.ipynb), which closes
# what a presigned URL leaves open: reuse, expiry, key, type, size and content.

# %% [markdown]
# ## References
#
# - Amazon S3 User Guide, [Uploading objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html)
# - Amazon S3 User Guide, [Download and upload objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html)
# - Amazon S3 API Reference, [Authenticating Requests: Using Query Parameters (AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html) (any header may be signed; a signed header must be sent with the signed value)
# - Amazon S3 API Reference, [Browser-Based Uploads Using POST (AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-UsingHTTPPOST.html) and [Creating a POST Policy](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html)
# - Amazon S3 User Guide, [Uploading and copying objects using multipart upload](https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html)
# - Boto3 documentation, [`generate_presigned_post`](https://boto3.amazonaws.com/v1/documentation/api/latest/reference/services/s3/client/generate_presigned_post.html)
# - Boto3 documentation, [Presigned URLs](https://boto3.amazonaws.com/v1/documentation/api/latest/guide/s3-presigned-urls.html)

# %% [markdown]
# The last cell deletes the test file and everything the lab created.

# %%
workdir.cleanup()
lab.cleanup()
