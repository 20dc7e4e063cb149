"""The endpoint and region a request went to, against the bucket's: redirects and region errors.

S3 answers a request for a bucket at the wrong endpoint with 301 PermanentRedirect (another
region's endpoint) or 307 TemporaryRedirect (the global endpoint, for a bucket created in
the last hours), each naming the right ``<Endpoint>``; for buckets in regions launched after
20 March 2019 it does not redirect but answers 400 IllegalLocationConstraintException (Amazon
S3 User Guide, "Request redirection and the REST API"; bodies quoted in
cperciva/bsdec2-image-upload#11, kislyuk/aegea#51, appoxy/aws#110). A wrong region in the
credential scope gives "the region 'X' is wrong; expecting 'Y'" under several codes
(AuthorizationQueryParametersError, AuthorizationHeaderMalformed, InvalidArgument for a POST
form, reference row 3).
"""

from __future__ import annotations

import re

from ...signing.presigned_url import PresignedUrl
from ..error_body import S3ErrorBody
from ..findings import REPORTED, Finding, finding
from ..signature.candidates import OPT_IN_REGIONS

__all__ = ["REDIRECT_CODES", "global_endpoint_note", "region_error", "wrong_endpoint"]

REDIRECT_CODES = frozenset(
    {"PermanentRedirect", "TemporaryRedirect", "IllegalLocationConstraintException"}
)
_REGION = re.compile(r"the region '([^']*)' is wrong; expecting '([^']*)'")
_CONSTRAINT = re.compile(r"The (\S+) location constraint")


def _bucket_region(endpoint: str) -> str | None:
    found = re.search(
        r"\.s3[.-](?:dualstack\.)?([a-z]{2,4}(?:-[a-z]+)+-\d+)\.amazonaws\.com", "." + endpoint
    )
    return found.group(1) if found else None


def wrong_endpoint(body: S3ErrorBody, url: PresignedUrl | None) -> list[Finding]:
    """``wrong-endpoint`` for a redirect or IllegalLocationConstraintException body."""
    endpoint = body.get("Endpoint") or ""
    host = url.host if url is not None else "the URL's host"
    if body.code == "IllegalLocationConstraintException":
        region = _CONSTRAINT.search(body.message)
        where = f"in {region.group(1)}" if region else "in another region"
        text = (
            f"S3 answered IllegalLocationConstraintException: the bucket is {where}, a region "
            f"that does not redirect requests from another endpoint, and the request went to {host}."
        )
        evidence = {"bucket_region": region.group(1)} if region else {}
    else:
        kind = (
            "301 PermanentRedirect" if body.code == "PermanentRedirect" else "307 TemporaryRedirect"
        )
        text = (
            f"S3 answered {kind}: the bucket is not served at {host}"
            + (f"; S3 names its endpoint {endpoint}." if endpoint else ".")
            + " A presigned request is not followed to another host (a browser never follows a "
            "redirect of a preflight), so sign for that endpoint."
        )
        named = _bucket_region(endpoint)
        evidence = {"endpoint": endpoint, **({"bucket_region": named} if named else {})}
    if url is not None and url.region:
        evidence["signed_region"] = url.region
    return [
        finding(
            "wrong-endpoint",
            text,
            strength=REPORTED,
            subject=endpoint or "endpoint",
            evidence=evidence,
        )
    ]


def region_error(body: S3ErrorBody) -> list[Finding]:
    """``region-mismatch`` when S3's message says the region is wrong (any error code)."""
    region = _REGION.search(body.message)
    if region is None:
        return []
    return [
        finding(
            "region-mismatch",
            f"S3 says the URL was signed for region {region.group(1)} but the bucket is in "
            f"{region.group(2)}.",
            strength=REPORTED,
            subject=region.group(1),
            evidence={"signed_region": region.group(1), "bucket_region": region.group(2)},
        )
    ]


def global_endpoint_note(url: PresignedUrl) -> str | None:
    """A note for a URL on the global endpoint signed for a region other than us-east-1."""
    global_host = url.hostname in ("s3.amazonaws.com", f"{url.bucket}.s3.amazonaws.com")
    if not global_host or not url.region or url.region == "us-east-1":
        return None
    if url.region in OPT_IN_REGIONS:
        return (
            f"This URL uses the global endpoint {url.hostname} but is signed for {url.region}, an "
            "opt-in region: S3 answers IllegalLocationConstraintException there. Presign for the "
            "regional endpoint."
        )
    return (
        f"This URL uses the global endpoint {url.hostname} but is signed for {url.region}: S3 may "
        "answer 307 TemporaryRedirect (for a bucket created recently), which a browser upload "
        "does not follow. The regional endpoint avoids it."
    )
