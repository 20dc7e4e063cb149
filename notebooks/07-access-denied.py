# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Access denied: expiry, credentials, policies and ACLs
#
# A presigned URL carries a signature, and a valid signature is not enough. Amazon S3
# accepts the request only if the URL is inside its time window, the credentials that
# signed it still exist, that identity is allowed to write the object *at the moment the
# request arrives*, and the bucket accepts what the request asks for. Presigning happens
# entirely on the signer's machine, so the SDK never warns about any of this: every
# problem shows up later, at upload time, mostly as a 403 `AccessDenied`.
#
# This notebook triggers each of these refusals on purpose against the kit's strict local
# S3, shows S3's answer, asserts it, asks `diagnose` for the cause, and fixes it.
#
# ## Overview
#
# 1. The lab: a bucket and a least-privilege signer
# 2. An expired URL
# 3. A URL that is not yet valid
# 4. An expiry longer than a week
# 5. Temporary credentials that expire before the URL
# 6. A signer without `s3:PutObject`
# 7. A policy scoped to a prefix
# 8. An explicit Deny in the bucket policy
# 9. ACLs disabled: `AccessControlListNotSupported`
# 10. Block Public Access refuses a public ACL
# 11. A deleted access key
# 12. Presigned POST policy violations
# 13. All the cases at a glance

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [01-anatomy-of-a-presigned-url](01-anatomy-of-a-presigned-url.ipynb) | Necessary | `X-Amz-Date`, `X-Amz-Expires`, signed headers |
# | [02-signing-by-hand](02-signing-by-hand.ipynb) | Helpful | What the signature covers |
# | [03-bucket-setup](03-bucket-setup.ipynb) | Helpful | Block Public Access, Object Ownership, a least-privilege signer |
# | IAM policies | Helpful | `Allow`, `Deny`, `Resource` ARNs |
#
# - **AWS account:** not needed; everything runs against the strict local S3. With
#   `PRESIGNLAB_TARGET=aws` it runs against your account (IAM users, a role and a bucket
#   are created and deleted again); the cells that move the clock are skipped there.
# - **Time to learn:** 30 minutes.

# %% [markdown]
# ## Imports

# %%
import json
from datetime import UTC, datetime, timedelta

from IPython.display import Markdown
from urllib3 import encode_multipart_formdata

from presignlab import parse_presigned_url, presign_v4
from presignlab.diagnosis import diagnose
from presignlab.lab import open_lab, send, show_error

# %% [markdown]
# ## The lab: a bucket and a least-privilege signer
#
# `open_lab` starts the strict local S3 with its clock pinned at 2026-03-01 12:00:00 UTC;
# botocore's signing clock follows it, so every URL below is the same on every run. The
# bucket gets the defaults AWS gives new buckets since April 2023: Block Public Access on
# and ACLs disabled (Object Ownership `BucketOwnerEnforced`).

# %%
lab = open_lab("07-access-denied")
BUCKET = lab.create_bucket("uploads")
print(lab.target, BUCKET, lab.clock.now() if lab.clock else "real time")


# %% [markdown]
# The signer is an IAM user allowed one thing: `s3:PutObject` under `uploads/`. This is the
# identity a signing service (for example a Lambda function) should use. Its secret key
# stays inside the `Signer` object and is never printed.


# %%
def put_only(prefix):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/{prefix}*",
            }
        ],
    }


signer = lab.create_signer("uploader", put_only("uploads/"))
uploader = signer.client("s3")
print(signer.user_name)

# %% [markdown]
# Two small helpers keep the cases short: `presign_put` asks a boto3 client for a PUT URL,
# and `now` reads the lab's clock (real time on AWS).

# %%
BODY = b"hello, presigned world"


def presign_put(client, key, expires=300, **params):
    return client.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": key, **params}, ExpiresIn=expires
    )


def now():
    return lab.clock.now() if lab.clock else datetime.now(UTC)


# %% [markdown]
# Two more handle a refusal: `expect` prints it with `show_error` and asserts its status,
# `Code` and `Message`; `top_finding` runs `diagnose` on the URL, the request and S3's
# error body, prints the most likely cause with its fix, and records the case for the
# table at the end.

# %%
CASES = []


def expect(response, status, code, message):
    show_error(response)
    assert (response.status, response.code, response.error.message) == (status, code, message)


def refusal(who, action, key, why):
    """The message S3 writes when it refuses a caller of the bucket owner's account."""
    return (
        f"User: {who.arn} is not authorized to perform: {action} on resource: "
        f'"arn:aws:s3:::{BUCKET}/{key}" {why}'
    )


NO_ALLOW = "because no identity-based policy allows the s3:PutObject action"


def top_finding(case, url, response, method="PUT", headers=None):
    found = diagnose(
        url, method=method, headers=headers or {}, error_xml=response.body, now=now()
    ).findings[0]
    CASES.append((case, response.status, response.code, found.code))
    print(f"{found.code}\nfix: {found.fix}")
    return found.code


# %% [markdown]
# First the baseline: a URL presigned for `uploads/hello.txt` works.

# %%
url = presign_put(uploader, "uploads/hello.txt")
parsed = parse_presigned_url(url)
print("signed at", parsed.signed_at, "for", parsed.expires_in, "seconds")
assert send("PUT", url, data=BODY).status == 200

# %% [markdown]
# ## An expired URL
#
# A SigV4 URL is valid from `X-Amz-Date` for `X-Amz-Expires` seconds. Here the URL lives
# for 60 seconds and the clock moves 61 seconds forward. Amazon S3 answers 403
# `AccessDenied` with the message `Request has expired` and three extra elements:
# `X-Amz-Expires`, `Expires` (when the URL died) and `ServerTime` (S3's clock). S3 checks
# the time before it checks the signature, so an expired URL never reports
# `SignatureDoesNotMatch`.

# %%
short = presign_put(uploader, "uploads/expiring.txt", expires=60)
if lab.local_only("moving the clock 61 seconds forward"):
    lab.clock.advance(seconds=61)
    expired = send("PUT", short, data=BODY)
    expect(expired, 403, "AccessDenied", "Request has expired")
    died = parse_presigned_url(short).expires_at
    assert expired.error.get("Expires") == f"{died:%Y-%m-%dT%H:%M:%SZ}"

# %% [markdown]
# `diagnose` reads the same body and names the cause:

# %%
if lab.local_only("the expired URL"):
    assert top_finding("Expired URL", short, expired) == "expired"

# %% [markdown]
# The fix is to presign just before the upload, with an expiry that covers it (including
# a slow network and a user who waits before clicking *Upload*):

# %%
fresh = presign_put(uploader, "uploads/expiring.txt", expires=60)
assert send("PUT", fresh, data=BODY).status == 200

# %% [markdown]
# ## A URL that is not yet valid
#
# A signer whose clock runs ahead writes an `X-Amz-Date` in the future. S3 tolerates a
# small skew (commonly 15 minutes; AWS does not document the exact window), and beyond it
# answers 403 `AccessDenied`, `Request is not yet valid`. In that body `X-Amz-Date` is in
# epoch **milliseconds**, not in the URL's format; the cell checks that it is the URL's
# signing instant.
#
# `presign_v4`, the kit's own signer, accepts the signing instant, so the next cell plays a
# signer whose clock is 20 minutes fast.

# %%
object_url = presign_put(uploader, "uploads/early.txt").split("?")[0]
early = presign_v4(
    "PUT",
    object_url,
    access_key=signer.access_key_id,
    secret_key=signer.secret_access_key,
    region=lab.region,
    now=now() + timedelta(minutes=20),
    expires=300,
)
not_yet = send("PUT", early, data=BODY)
expect(not_yet, 403, "AccessDenied", "Request is not yet valid")
signed_at = parse_presigned_url(early).signed_at
assert not_yet.error.get("X-Amz-Date") == str(int(signed_at.timestamp()) * 1000)

# %%
assert top_finding("Not yet valid", early, not_yet) == "not-yet-valid"

# %% [markdown]
# The fix is on the signer: synchronise its clock (NTP). Signed at the right time, the same
# request succeeds:

# %%
on_time = presign_v4(
    "PUT",
    object_url,
    access_key=signer.access_key_id,
    secret_key=signer.secret_access_key,
    region=lab.region,
    now=now(),
    expires=300,
)
assert send("PUT", on_time, data=BODY).status == 200

# %% [markdown]
# ## An expiry longer than a week
#
# Signature Version 4 caps `X-Amz-Expires` at 604800 seconds (7 days). boto3 does not
# check: it signs `ExpiresIn=604801` without complaint (the JavaScript SDK v3 refuses at
# signing time). Amazon S3 refuses the URL with a 400 `AuthorizationQueryParametersError`
# before looking at anything else.

# %%
too_long = presign_put(uploader, "uploads/forever.txt", expires=604801)
refused = send("PUT", too_long, data=BODY)
expect(
    refused,
    400,
    "AuthorizationQueryParametersError",
    "X-Amz-Expires must be less than a week (in seconds); that is, "
    "the given X-Amz-Expires must be less than 604800 seconds",
)

# %%
assert top_finding("Expiry over a week", too_long, refused) == "expires-too-long"

# %% [markdown]
# 604800 itself is accepted. Prefer minutes, though: a URL is a bearer credential until it
# expires, and anyone holding it can use it.

# %%
week = presign_put(uploader, "uploads/forever.txt", expires=604800)
assert send("PUT", week, data=BODY).status == 200

# %% [markdown]
# ## Temporary credentials that expire before the URL
#
# A URL signed with temporary credentials (an assumed role, a Lambda function's execution
# role, ECS or EC2 instance roles, SSO) carries their session token in
# `X-Amz-Security-Token`, and **it dies with that session**, whatever `X-Amz-Expires`
# says. A Lambda function, for example, signs with its execution role's temporary
# credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` in its
# environment). Lambda obtains and renews them on its own schedule, so the function does
# not control how much of their life is left when it signs, and a URL presigned for an
# hour can stop working much sooner. Nothing warns at signing time.
#
# The lab creates a role with the same upload-only policy and assumes it for the shortest
# session STS allows, 900 seconds.

# %%
role_arn = lab.create_role("signing-lambda", put_only("uploads/"))
session = lab.sts.assume_role(
    RoleArn=role_arn, RoleSessionName="signing-lambda", DurationSeconds=900
)["Credentials"]
role_s3 = lab.client(
    "s3",
    aws_access_key_id=session["AccessKeyId"],
    aws_secret_access_key=session["SecretAccessKey"],
    aws_session_token=session["SessionToken"],
)
print("session expires at", session["Expiration"])

# %% [markdown]
# The role presigns a URL for one hour. A URL with a session token is a secret in its own
# right, so the notebook prints what the parser reads from it, not the URL.

# %%
hour = presign_put(role_s3, "uploads/from-lambda.txt", expires=3600)
parsed = parse_presigned_url(hour)
print("token in URL:", parsed.session_token_present, "| URL expires at", parsed.expires_at)
assert send("PUT", hour, data=BODY).status == 200

# %% [markdown]
# 901 seconds later the session is over and the URL still has 2699 seconds to go. S3
# answers 400 `ExpiredToken`:

# %%
if lab.local_only("moving the clock past the end of the session"):
    lab.clock.advance(seconds=901)
    print("URL still valid:", now() < parsed.expires_at)
    token_gone = send("PUT", hour, data=BODY)
    expect(token_gone, 400, "ExpiredToken", "The provided token has expired.")

# %%
if lab.local_only("the URL of the expired session"):
    assert top_finding("Session ended first", hour, token_gone) == "token-expired"

# %% [markdown]
# The fix: keep `ExpiresIn` within the remaining lifetime of the credentials (or sign with
# longer-lived credentials when the URL must outlive the session). A fresh session, and an
# expiry capped at what is left of it:

# %%
session = lab.sts.assume_role(
    RoleArn=role_arn, RoleSessionName="signing-lambda", DurationSeconds=900
)["Credentials"]
role_s3 = lab.client(
    "s3",
    aws_access_key_id=session["AccessKeyId"],
    aws_secret_access_key=session["SecretAccessKey"],
    aws_session_token=session["SessionToken"],
)
remaining = int((session["Expiration"] - now()).total_seconds())
capped = presign_put(role_s3, "uploads/from-lambda.txt", expires=min(3600, remaining))
print("X-Amz-Expires:", parse_presigned_url(capped).expires_in)
assert send("PUT", capped, data=BODY).status == 200

# %% [markdown]
# ## A signer without `s3:PutObject`
#
# Presigning is pure computation: boto3 gives a URL to any identity, even one that may not
# upload at all. Here a signer may only read (`s3:GetObject`). Its URL looks perfect, and
# S3 answers 403 `AccessDenied`. For a caller of the bucket owner's own account, S3 says
# who was refused, which action on which resource, and why (since August 2024; S3 User
# Guide, "Troubleshoot access denied (403 Forbidden) errors"); anonymous and cross-account
# callers get only `Access Denied`.

# %%
reader = lab.create_signer(
    "reader",
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
        ],
    },
)
no_put = presign_put(reader.client("s3"), "uploads/report.pdf")
denied = send("PUT", no_put, data=BODY)
expect(denied, 403, "AccessDenied", refusal(reader, "s3:PutObject", "uploads/report.pdf", NO_ALLOW))

# %%
assert top_finding("No s3:PutObject", no_put, denied) == "access-denied-policy"

# %% [markdown]
# Amazon S3 evaluates permissions when the request arrives, not when the URL was signed.
# So granting `s3:PutObject` fixes the URL that already exists: the very same URL now
# works. (On real AWS an IAM change takes a few seconds to apply.)

# %%
lab.iam.put_user_policy(
    UserName=reader.user_name, PolicyName="uploads", PolicyDocument=json.dumps(put_only("uploads/"))
)
assert send("PUT", no_put, data=BODY).status == 200

# %% [markdown]
# ## A policy scoped to a prefix
#
# The uploader may write under `uploads/` only. A URL for any other key is signed just as
# well, and refused by S3: the message names the resource that was refused, so compare
# that key with the `Resource` in the policy.

# %%
outside = presign_put(uploader, "avatars/me.jpg")
print("key:", parse_presigned_url(outside).key)
off_prefix = send("PUT", outside, data=BODY)
expect(off_prefix, 403, "AccessDenied", refusal(signer, "s3:PutObject", "avatars/me.jpg", NO_ALLOW))

# %%
assert top_finding("Key outside the prefix", outside, off_prefix) == "access-denied-policy"

# %% [markdown]
# The fix is to sign keys the policy covers. A signing service should choose the key
# itself, under its prefix, and not take it from the client:

# %%
inside = presign_put(uploader, "uploads/avatars/me.jpg")
assert send("PUT", inside, data=BODY).status == 200

# %% [markdown]
# ## An explicit Deny in the bucket policy
#
# An explicit `Deny` anywhere (identity policy, bucket policy, SCP) beats every `Allow`.
# A common bucket policy refuses uploads that do not ask for server-side encryption; the
# condition `Null: s3:x-amz-server-side-encryption = true` means "the header is absent".
# Deny statements never make a bucket public, so Block Public Access lets it in.

# %%
require_sse = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyUnencryptedUploads",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
            "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}},
        }
    ],
}
lab.s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(require_sse))
in_place = json.loads(lab.s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
print([statement["Sid"] for statement in in_place["Statement"]])

# %% [markdown]
# The uploader's identity policy still allows the PUT, and S3 still refuses it, naming the
# bucket policy (a resource-based policy) as the reason:

# %%
plain = presign_put(uploader, "uploads/plain.txt")
deny = send("PUT", plain, data=BODY)
resource_deny = "with an explicit deny in a resource-based policy"
expect(
    deny, 403, "AccessDenied", refusal(signer, "s3:PutObject", "uploads/plain.txt", resource_deny)
)

# %%
assert top_finding("Bucket policy Deny", plain, deny) == "access-denied-policy"

# %% [markdown]
# The fix is to satisfy the condition: presign with `ServerSideEncryption`, which makes
# `x-amz-server-side-encryption` a signed header, and send that header with the upload.

# %%
encrypted = presign_put(uploader, "uploads/plain.txt", ServerSideEncryption="AES256")
print(parse_presigned_url(encrypted).signed_headers)
assert (
    send("PUT", encrypted, data=BODY, headers={"x-amz-server-side-encryption": "AES256"}).status
    == 200
)
stored = lab.s3.head_object(Bucket=BUCKET, Key="uploads/plain.txt")
print("stored with", stored["ServerSideEncryption"])

# %% [markdown]
# The lab removes the bucket policy again, so that it does not mix with the next cases.

# %%
lab.s3.delete_bucket_policy(Bucket=BUCKET)
print("bucket policy removed")

# %% [markdown]
# ## ACLs disabled: `AccessControlListNotSupported`
#
# This is the one place the kit explains this refusal (notebooks 03 and 04 meet it and
# link here). Many tutorials (and the seed article of this kit) presign uploads with
# `ACL="public-read"`. boto3 signs the ACL as the header `x-amz-acl`, which the uploader
# must send. Since April 2023 new buckets have ACLs disabled, and S3 refuses any request
# that sets an ACL other than `bucket-owner-full-control` with a **400**
# `AccessControlListNotSupported`. A signer allowed to set ACLs (`s3:PutObjectAcl`) shows
# it:

# %%
legacy = lab.create_signer(
    "legacy",
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:PutObject", "s3:PutObjectAcl"],
                "Resource": f"arn:aws:s3:::{BUCKET}/uploads/*",
            }
        ],
    },
)
public = presign_put(legacy.client("s3"), "uploads/public.jpg", ACL="public-read")
print(parse_presigned_url(public).signed_headers)

# %%
ACL = {"x-amz-acl": "public-read"}
no_acls = send("PUT", public, data=BODY, headers=ACL)
expect(no_acls, 400, "AccessControlListNotSupported", "The bucket does not allow ACLs")

# %%
assert (
    top_finding("ACL on an ACL-disabled bucket", public, no_acls, headers=ACL)
    == "acl-not-supported"
)

# %% [markdown]
# The fix is to drop the ACL. Objects in the bucket belong to the bucket owner, and access
# is granted by policies (for public reading, a bucket policy on a prefix, or better
# CloudFront or presigned GET URLs):

# %%
private = presign_put(legacy.client("s3"), "uploads/public.jpg")
assert send("PUT", private, data=BODY).status == 200


# %% [markdown]
# ## Block Public Access refuses a public ACL
#
# Re-enabling ACLs is not enough either. With Object Ownership set to `ObjectWriter` the
# bucket accepts ACLs again, but Block Public Access (`BlockPublicAcls`, on by default)
# refuses any request that carries a *public* ACL, with 403 `AccessDenied` and the classic
# `Access Denied` (the kit's choice: AWS's wording for this refusal is not recorded). The
# same URL as before now fails differently:


# %%
def ownership(setting):
    lab.s3.put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": setting}]}
    )
    rules = lab.s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"]
    print("Object Ownership:", rules[0]["ObjectOwnership"])


ownership("ObjectWriter")
blocked = send("PUT", public, data=BODY, headers=ACL)
expect(blocked, 403, "AccessDenied", "Access Denied")

# %%
assert (
    top_finding("Public ACL under Block Public Access", public, blocked, headers=ACL)
    == "access-denied-policy"
)

# %% [markdown]
# Turning Block Public Access off would make the upload work, and make every uploaded
# object world-readable: that is the design to avoid. The fix is the one of the previous
# section: no ACL. The lab also puts ACLs back to disabled.

# %%
assert send("PUT", private, data=BODY).status == 200
ownership("BucketOwnerEnforced")

# %% [markdown]
# ## A deleted access key
#
# A URL is only as alive as the key that signed it. Deleting (or deactivating) the access
# key, for instance during a key rotation, kills every URL it signed, at once. A separate
# signer plays the rotated service:

# %%
rotated = lab.create_signer("rotated", put_only("uploads/"))
before = presign_put(rotated.client("s3"), "uploads/rotation.txt", expires=3600)
assert send("PUT", before, data=BODY).status == 200
lab.iam.delete_access_key(UserName=rotated.user_name, AccessKeyId=rotated.access_key_id)
print(
    "access keys left:",
    len(lab.iam.list_access_keys(UserName=rotated.user_name)["AccessKeyMetadata"]),
)

# %% [markdown]
# S3 answers 403 `InvalidAccessKeyId` and echoes the key id in `<AWSAccessKeyId>`. Key ids
# are not secret, but they are random, so instead of printing it the cell checks that it is
# the signer's:

# %%
unknown = send("PUT", before, data=BODY)
print(f"Status: {unknown.status}\nCode: {unknown.code}\nMessage: {unknown.error.message}")
assert (unknown.status, unknown.code) == (403, "InvalidAccessKeyId")
assert unknown.error.message == "The AWS Access Key Id you provided does not exist in our records."
print(
    "AWSAccessKeyId is the signer's key:",
    unknown.error.get("AWSAccessKeyId") == rotated.access_key_id,
)

# %%
assert top_finding("Deleted access key", before, unknown) == "unknown-access-key"

# %% [markdown]
# The fix is to sign again with the current key. The service gets a new key (its secret
# stays in a variable), and a URL signed with it works:

# %%
new_key = lab.iam.create_access_key(UserName=rotated.user_name)["AccessKey"]
rotated_s3 = lab.client(
    "s3", aws_access_key_id=new_key["AccessKeyId"], aws_secret_access_key=new_key["SecretAccessKey"]
)
after = presign_put(rotated_s3, "uploads/rotation.txt", expires=3600)
assert send("PUT", after, data=BODY).status == 200

# %% [markdown]
# ## Presigned POST policy violations
#
# A presigned POST is an HTML form whose `policy` field lists conditions every form field
# must satisfy; S3 checks them and refuses with 403 `AccessDenied` and a message that
# starts `Invalid according to Policy`. This policy allows one key, a JPEG content type
# and at most 1 KiB, for five minutes.

# %%
post = uploader.generate_presigned_post(
    BUCKET,
    "uploads/photo.jpg",
    Fields={"Content-Type": "image/jpeg"},
    Conditions=[{"Content-Type": "image/jpeg"}, ["content-length-range", 1, 1024]],
    ExpiresIn=300,
)
print(sorted(post["fields"]))


# %% [markdown]
# `post_form` sends the form as a browser would: every field of `post["fields"]` (with
# any changes), then the file, last, as `multipart/form-data`. Sent verbatim, it works:


# %%
def post_form(post, changes=None):
    fields = [*{**post["fields"], **(changes or {})}.items(), ("file", ("photo.jpg", BODY))]
    body, content_type = encode_multipart_formdata(fields)
    return send("POST", post["url"], headers={"Content-Type": content_type}, data=body)


assert post_form(post).status == 204

# %% [markdown]
# **A condition fails.** The form says `text/html` where the policy wants `image/jpeg`.
# S3 echoes the failed condition as a JSON array; the policy's `{"Content-Type": ...}`
# appears in its long form `["eq", "$Content-Type", ...]`:

# %%
wrong_type = post_form(post, {"Content-Type": "text/html"})
expect(
    wrong_type,
    403,
    "AccessDenied",
    'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "image/jpeg"]',
)

# %%
assert (
    top_finding("POST: condition failed", post["url"], wrong_type, method="POST")
    == "post-policy-violation"
)

# %% [markdown]
# **An extra field.** Every form field except `file`, `policy`, `x-amz-signature` and
# `x-ignore-*` must be covered by a condition. A client that adds its own metadata field
# breaks the form, and S3 names the field:

# %%
extra = post_form(post, {"x-amz-meta-owner": "alice"})
expect(
    extra, 403, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-owner"
)

# %%
assert (
    top_finding("POST: extra input field", post["url"], extra, method="POST")
    == "post-policy-violation"
)

# %% [markdown]
# **The policy expired.** The policy's `expiration` is five minutes after signing; a
# form submitted later is refused whatever its fields:

# %%
if lab.local_only("moving the clock past the policy's expiration"):
    lab.clock.advance(seconds=301)
    late = post_form(post)
    expect(late, 403, "AccessDenied", "Invalid according to Policy: Policy expired.")

# %%
if lab.local_only("the expired POST policy"):
    assert (
        top_finding("POST: policy expired", post["url"], late, method="POST")
        == "post-policy-violation"
    )

# %% [markdown]
# The fixes: send the fields exactly as signed, add a condition for every field the client
# may send (for metadata, `["starts-with", "$x-amz-meta-owner", ""]`), and sign a fresh
# policy when the old one has expired:

# %%
post = uploader.generate_presigned_post(
    BUCKET,
    "uploads/photo.jpg",
    Fields={"Content-Type": "image/jpeg"},
    Conditions=[
        {"Content-Type": "image/jpeg"},
        ["content-length-range", 1, 1024],
        ["starts-with", "$x-amz-meta-owner", ""],
    ],
    ExpiresIn=300,
)
assert post_form(post, {"x-amz-meta-owner": "alice"}).status == 204

# %% [markdown]
# ## All the cases at a glance
#
# Each refusal above was recorded with S3's status and `Code` and the finding code
# `diagnose` put first. The same `AccessDenied` stands for very different causes: read the
# `Message` first (and the extra elements), and only then the policies.

# %%
rows = [f"| {case} | {status} | `{code}` | `{finding}` |" for case, status, code, finding in CASES]
Markdown("\n".join(["| Case | HTTP | S3 Code | Finding code |", "|---|---|---|---|", *rows]))

# %% [markdown]
# ## Summary
#
# - Amazon S3 first checks the URL's parameters and time window
#   (`AuthorizationQueryParametersError`, `Request has expired`, `Request is not yet
#   valid`) and the credentials (`InvalidAccessKeyId`, `ExpiredToken`), then the
#   signature, and only then the permissions (`AccessDenied`) and the bucket's settings
#   (`AccessControlListNotSupported`, Block Public Access).
# - A URL lives at most as long as the credentials that signed it: a session's end or a
#   deleted key kills it before `X-Amz-Expires`.
# - Presigning never checks permissions. S3 evaluates them when the request arrives, so a
#   policy change affects URLs already handed out.
# - An explicit Deny beats any Allow; Block Public Access refuses public ACLs; with ACLs
#   disabled any ACL is a 400. Do not use ACLs for uploads.
# - A presigned POST fails on any field not covered by its policy, on a failed condition,
#   and after its expiration.
#
# ## What's next
#
# [08-debugging-your-own-url](08-debugging-your-own-url.ipynb) turns the kit on your own
# failures: paste the URL, the request and the error body from your application (or from
# any S3-compatible store) and get the diagnosis, in a notebook or with the
# `presignlab diagnose` command line.

# %% [markdown]
# ## References
#
# - Amazon S3 User Guide, [Download and upload objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html)
# - Amazon S3 User Guide, [Uploading objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html)
# - Amazon S3 API Reference, [Authenticating Requests: Using Query Parameters (AWS Signature Version 4)](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html)
# - Amazon S3 API Reference, [Error responses](https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)
# - Amazon S3 User Guide, [Troubleshoot access denied (403 Forbidden) errors in Amazon S3](https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html) (the message names the caller, the action, the resource and the policy type for same-account requests)
# - The kit's rules from recorded AWS answers, [docs/aws-behaviour.md](../docs/aws-behaviour.md): AUTHZ-02 (AccessDenied with context, same account) and AUTHZ-03 (anonymous and cross-account callers get `Access Denied`)
# - Amazon S3 User Guide, [Blocking public access to your Amazon S3 storage](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
# - Amazon S3 User Guide, [Controlling ownership of objects and disabling ACLs for your bucket](https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html)
# - Amazon S3 API Reference, [Creating a POST policy](https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html)
# - IAM User Guide, [Policy evaluation logic](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html)
# - AWS STS API Reference, [AssumeRole](https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)
# - AWS Lambda Developer Guide, [Defining Lambda function permissions with an execution role](https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html)

# %%
lab.cleanup()
