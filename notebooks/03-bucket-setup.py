# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Setting up the bucket and the signer
#
# A presigned upload needs three things on the AWS side before any URL is signed: a
# bucket, a CORS rule that lets the web page talk to it, and an identity whose
# permissions the URLs borrow. The article this kit started from (the "seed article")
# sets them up in the AWS console. This notebook does each of its steps in code against
# the kit's strict local Amazon S3, shows which of them today's Amazon S3 defaults
# refuse, and checks that every setting is really enforced.
#
# ## Overview
#
# 1. Create the bucket
# 2. CORS: from the console's XML to boto3
# 3. A public-read bucket policy meets Block Public Access
# 4. Object Ownership: ACLs are disabled
# 5. A least-privilege identity for the signer

# %% [markdown]
# ## Prerequisites
#
# | Concept | Importance | Notes |
# |---|---|---|
# | [02-signing-by-hand](02-signing-by-hand.ipynb) | Helpful | What a presigned URL signs |
# | JSON and IAM policy documents | Helpful | `Effect`, `Action`, `Resource`, `Principal` |
# | Browser CORS | Helpful | Origins and the `OPTIONS` preflight |
#
# - **AWS account:** not needed; everything runs against the kit's local S3. With
#   `PRESIGNLAB_TARGET=aws` the same cells create (and finally delete) a real bucket and
#   IAM user, which needs permissions for S3 bucket configuration and IAM users.
# - **Time to learn:** 25 minutes.

# %% [markdown]
# ## Imports

# %%
import json
import xml.etree.ElementTree as ET

from botocore.exceptions import ClientError

from presignlab.diagnosis import diagnose
from presignlab.lab import open_lab, send, show_error

# %% [markdown]
# The set-up cell opens the lab for this notebook: the strict local S3 (with IAM on the
# same endpoint), a boto3 client `lab.s3` signing as the account's administrator, and a
# clock pinned to 2026-03-01 12:00 UTC so every URL is reproducible. `lab.target` says
# which: `local` here, `aws` with `PRESIGNLAB_TARGET=aws`.

# %%
lab = open_lab("03-bucket-setup")
lab.target


# %% [markdown]
# Several steps below are *meant* to fail. `refused` runs one boto3 call that must fail and
# returns the HTTP status and the error `Code` from Amazon S3's answer, so each failure is
# both shown and asserted.


# %%
def refused(call, **params):
    try:
        call(**params)
    except ClientError as exc:
        return exc.response["ResponseMetadata"]["HTTPStatusCode"], exc.response["Error"]["Code"]
    raise AssertionError(f"{call.__name__} was expected to fail")


# %% [markdown]
# ## Create the bucket
#
# `lab.create_bucket` creates the bucket (once, however often the cell runs) and registers
# it for the clean-up in the last cell. Locally its name is fixed; on real AWS it gets a
# random suffix, because bucket names are global.

# %%
BUCKET = lab.create_bucket("uploads")
BUCKET

# %% [markdown]
# The seed article's console screenshots predate April 2023. Since then every new bucket
# starts with two protections switched on, and the local S3 has them too. **Block Public
# Access** has all four settings on:

# %%
bpa = lab.s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
assert all(bpa.values())
bpa

# %% [markdown]
# and **Object Ownership** is `BucketOwnerEnforced`: the bucket owner owns every object and
# access control lists (ACLs) are disabled.

# %%
ownership = lab.s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]
assert ownership["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
ownership

# %% [markdown]
# Both matter for the seed's design, which makes uploads public. The sections below meet
# them one after the other.
#
# ## CORS: from the console's XML to boto3
#
# A web page served from one origin (say `http://localhost:3000`) may send a `PUT` to the
# bucket's origin only if Amazon S3 allows it. Before the `PUT`, the browser sends a
# *preflight*: an `OPTIONS` request naming its origin, the method and the headers it wants
# to send. Amazon S3 answers from the bucket's CORS configuration.
#
# Articles of the seed's era paste the configuration into the console as XML, like this:

# %%
SEED_CORS_XML = """
<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
    <AllowedHeader>*</AllowedHeader>
  </CORSRule>
</CORSConfiguration>
"""

# %% [markdown]
# The console now takes JSON, and boto3's `put_bucket_cors` takes the same structure as a
# Python dict. The names change in one regular way: each repeated XML element
# (`AllowedOrigin`, `AllowedMethod`, `AllowedHeader`, `ExposeHeader`) becomes a list under
# the plural name, and `MaxAgeSeconds` becomes a number. A few lines of the standard
# library's `ElementTree` do the conversion:

# %%
PLURAL = {
    "AllowedOrigin": "AllowedOrigins",
    "AllowedMethod": "AllowedMethods",
    "AllowedHeader": "AllowedHeaders",
    "ExposeHeader": "ExposeHeaders",
}


def cors_from_xml(text):
    rules = []
    for rule in ET.fromstring(text.strip()):
        fields = {}
        for element in rule:
            name, value = element.tag.rpartition("}")[2], element.text.strip()
            if name in PLURAL:
                fields.setdefault(PLURAL[name], []).append(value)
            else:
                fields[name] = int(value) if name == "MaxAgeSeconds" else value
        rules.append(fields)
    return {"CORSRules": rules}


# %% [markdown]
# The seed's XML, in boto3's form:

# %%
cors = cors_from_xml(SEED_CORS_XML)
print(json.dumps(cors, indent=2))

# %% [markdown]
# Two changes make the rule fit a real application. `AllowedOrigin: *` lets every web site
# on the internet use the bucket from a browser; naming the application's origin is
# enough. And a browser script can read a response header only if the rule exposes it:
# multipart uploads need the `ETag` of each part (notebook 05), so the rule exposes `ETag`.

# %%
APP_ORIGIN = "http://localhost:3000"
cors["CORSRules"][0]["AllowedOrigins"] = [APP_ORIGIN]
cors["CORSRules"][0]["ExposeHeaders"] = ["ETag"]
lab.s3.put_bucket_cors(Bucket=BUCKET, CORSConfiguration=cors)
assert lab.s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"] == cors["CORSRules"]


# %% [markdown]
# A preflight needs the object's plain URL. It is the presigned URL without its query
# string, which works for both path-style (local) and virtual-hosted (AWS) addressing:


# %%
def plain_url(key):
    url = lab.s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key})
    return url.split("?")[0]


PREFLIGHT = {
    "Access-Control-Request-Method": "PUT",
    "Access-Control-Request-Headers": "content-type",
}

# %% [markdown]
# The application's preflight is allowed, and the answer lists what the browser may do:

# %%
ok = send("OPTIONS", plain_url("uploads/photo.jpg"), headers={"Origin": APP_ORIGIN, **PREFLIGHT})
assert ok.status == 200
for name in (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Expose-Headers",
):
    print(f"{name}: {ok.header(name)}")

# %% [markdown]
# A page from any other origin is refused with `403 AccessForbidden`, and the browser
# would stop before sending the `PUT`:

# %%
other = send(
    "OPTIONS",
    plain_url("uploads/photo.jpg"),
    headers={"Origin": "https://evil.example", **PREFLIGHT},
)
assert (other.status, other.code) == (403, "AccessForbidden")
show_error(other)

# %% [markdown]
# CORS protects nothing on the server side: it only tells browsers which pages may read
# the answers. A script outside a browser ignores it, and the presigned URL's signature
# is what really controls the upload.
#
# ## A public-read bucket policy meets Block Public Access
#
# The seed article wants every uploaded picture to be viewable by anyone at its plain URL.
# The way to say that without ACLs is a bucket policy that allows `s3:GetObject` to every
# principal (`"Principal": "*"`) on the upload prefix:

# %%
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "PublicReadUploads",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/uploads/*",
        }
    ],
}

# %% [markdown]
# A new bucket refuses it. The `BlockPublicPolicy` setting makes Amazon S3 reject any
# bucket policy that grants access to the public, with `403 AccessDenied`:

# %%
status_code = refused(lab.s3.put_bucket_policy, Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
assert status_code == (403, "AccessDenied")
status_code

# %% [markdown]
# Accepting it takes a deliberate decision: switch off `BlockPublicPolicy` (accept public
# policies) and `RestrictPublicBuckets` (let them take effect). The two ACL settings stay
# on, so no ACL can make anything public.

# %%
lab.s3.put_public_access_block(
    Bucket=BUCKET,
    PublicAccessBlockConfiguration={
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": False,
        "RestrictPublicBuckets": False,
    },
)
lab.s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
lab.s3.get_bucket_policy_status(Bucket=BUCKET)["PolicyStatus"]

# %% [markdown]
# On real AWS the account itself can also block public access for all its buckets; if it
# does, the cell above fails there, and that is a protection worth keeping.
#
# Now an object under `uploads/` can be read with no credentials at all: a plain `GET`,
# no signature.

# %%
lab.s3.put_object(Bucket=BUCKET, Key="uploads/hello.txt", Body=b"hello, world")
anonymous = send("GET", plain_url("uploads/hello.txt"))
assert (anonymous.status, anonymous.body) == (200, b"hello, world")
anonymous.status, anonymous.body

# %% [markdown]
# The policy names one prefix only; an object elsewhere stays private:

# %%
lab.s3.put_object(Bucket=BUCKET, Key="private/notes.txt", Body=b"not for you")
private = send("GET", plain_url("private/notes.txt"))
assert (private.status, private.code) == (403, "AccessDenied")
show_error(private)

# %% [markdown]
# Switching Block Public Access fully back on does not delete the policy, but
# `RestrictPublicBuckets` makes Amazon S3 ignore it for anonymous callers at once:

# %%
lab.s3.put_public_access_block(
    Bucket=BUCKET, PublicAccessBlockConfiguration=dict.fromkeys(bpa, True)
)
blocked = send("GET", plain_url("uploads/hello.txt"))
assert (blocked.status, blocked.code) == (403, "AccessDenied")
blocked.status, blocked.code

# %% [markdown]
# The rest of the series keeps Block Public Access on and the bucket private, so the
# policy goes:

# %%
lab.s3.delete_bucket_policy(Bucket=BUCKET)
assert all(lab.s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"].values())

# %% [markdown]
# A public bucket serves anything anyone manages to upload, to everyone, for free to
# them and at your cost. Safer ways to show uploaded files:
#
# - **Keep Block Public Access on** and serve nothing publicly from the upload bucket.
# - **Presigned GET URLs**: the application signs a short-lived `GET` for each user who
#   may see the file, exactly as it signs the upload.
# - **Amazon CloudFront with Origin Access Control (OAC)**: the bucket stays private and
#   its policy allows reads only to one CloudFront distribution, which adds caching, HTTPS
#   on your domain and, if needed, signed cookies.
#
# A presigned `GET` in action: the private object, readable for five minutes by whoever
# holds this URL, with Block Public Access fully on.

# %%
read_url = lab.s3.generate_presigned_url(
    "get_object", Params={"Bucket": BUCKET, "Key": "uploads/hello.txt"}, ExpiresIn=300
)
signed_read = send("GET", read_url)
assert (signed_read.status, signed_read.body) == (200, b"hello, world")
signed_read.status, signed_read.body

# %% [markdown]
# ## Object Ownership: ACLs are disabled
#
# The seed article signs its uploads with the canned ACL `public-read`. With Object
# Ownership `BucketOwnerEnforced`, Amazon S3 refuses such an upload, even from the bucket
# owner; [07-access-denied](07-access-denied.ipynb#ACLs-disabled:-AccessControlListNotSupported)
# shows that refusal and its diagnosis. The one ACL still accepted is
# `bucket-owner-full-control`, which only restates what is already true, so older code
# that sends it keeps working:

# %%
lab.s3.put_object(Bucket=BUCKET, Key="uploads/acl.txt", Body=b"x", ACL="bucket-owner-full-control")
[o["Key"] for o in lab.s3.list_objects_v2(Bucket=BUCKET, Prefix="uploads/")["Contents"]]

# %% [markdown]
# Notebook 04 shows what this does to a presigned URL that signs `x-amz-acl: public-read`,
# and how the kit's diagnosis names the cause.
#
# ## A least-privilege identity for the signer
#
# A presigned URL carries no permissions of its own: Amazon S3 checks the request as if
# the identity that signed it had sent it. The signing service therefore needs an
# identity of its own that may do exactly one thing: `s3:PutObject` on keys under
# `uploads/` in this bucket. No `GetObject`, no `ListBucket`, no other prefix.

# %%
SIGNER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/uploads/*",
        }
    ],
}
signer = lab.create_signer("upload-signer", SIGNER_POLICY)
signer_s3 = signer.client("s3")
signer.user_name


# %% [markdown]
# (The representation of `signer` hides its secret access key. Its access key id is
# random, so the notebook does not print it either.)
#
# A URL the signer signs for a key under `uploads/` works:


# %%
def signed_put(key):
    return signer_s3.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=300
    )


inside = send("PUT", signed_put("uploads/x"), data=b"allowed")
assert inside.status == 200
inside.status

# %% [markdown]
# Signing a URL for `other/x` succeeds too: presigning is a local computation and asks
# nobody. The refusal comes when the URL is used, as `403 AccessDenied`:

# %%
outside_url = signed_put("other/x")
outside = send("PUT", outside_url, data=b"refused")
assert (outside.status, outside.code) == (403, "AccessDenied")
show_error(outside)

# %% [markdown]
# The kit's diagnosis reads the URL and Amazon S3's answer. It is told the time of the
# request: locally the lab's pinned clock, on AWS the real time (`None`). The signature
# was fine, so the cause is a permission:

# %%
now = lab.clock.now() if lab.clock else None
diagnosis = diagnose(outside_url, "PUT", error_xml=outside.body, now=now)
assert diagnosis.codes == ["access-denied-policy"]
for finding in diagnosis.findings:
    print(f"[{finding.code}] {finding.message}")
    print(f"fix: {finding.fix}")

# %% [markdown]
# The same identity cannot read, even the object it was allowed to write:

# %%
status_code = refused(signer_s3.get_object, Bucket=BUCKET, Key="uploads/x")
assert status_code == (403, "AccessDenied")
status_code

# %% [markdown]
# If the signing service ever leaks its key, or signs a URL it should not, the damage is
# limited to writing under `uploads/`.
#
# ## Summary
#
# - New buckets have Block Public Access on and Object Ownership `BucketOwnerEnforced`;
#   the local S3 enforces both exactly as Amazon S3 does.
# - The seed's CORS XML maps to boto3's `CORSRules` one element at a time; name your
#   application's origin and expose `ETag`. A preflight from another origin gets
#   `403 AccessForbidden`.
# - A public-read bucket policy is refused (`403 AccessDenied`) until `BlockPublicPolicy`
#   and `RestrictPublicBuckets` are deliberately switched off. Prefer a private bucket with
#   presigned GETs or CloudFront OAC.
# - Any ACL but `bucket-owner-full-control` fails with `400 AccessControlListNotSupported`.
# - The signer gets `s3:PutObject` on `BUCKET/uploads/*` only: its URLs work there, fail
#   with `403 AccessDenied` elsewhere, and it cannot read.
#
# ## What's next
#
# [04-the-signing-service](04-the-signing-service.ipynb) ports the seed article's Lambda
# function to Python, shows its flaws one by one against this kind of bucket, and
# hardens it.

# %% [markdown]
# ## References
#
# - Amazon S3 User Guide, [Blocking public access to your Amazon S3 storage](https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
# - Amazon S3 User Guide, [Controlling ownership of objects and disabling ACLs for your bucket](https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html)
# - Amazon S3 User Guide, [Using cross-origin resource sharing (CORS)](https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html)
# - Amazon S3 User Guide, [Bucket policies for Amazon S3](https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html)
# - Amazon CloudFront Developer Guide, [Restrict access to an Amazon S3 origin](https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html)
# - IAM User Guide, [Apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
# - Amazon S3 User Guide, [Download and upload objects with presigned URLs](https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html)

# %% [markdown]
# The last cell deletes everything this notebook created (objects, the bucket, the
# signer's key, policy and user).

# %%
lab.cleanup()
