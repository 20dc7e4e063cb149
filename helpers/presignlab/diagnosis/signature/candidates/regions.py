"""Region candidates: the credential scope (and the host with it) signed for another region.

For each commercial region (:data:`~.values.AWS_REGIONS`): the URL was signed for that
region and its ``X-Amz-Credential`` edited afterwards; the signing key was derived for that
region while the scope names another (a signer bug); and the pair where both the regional
host and the credential were edited (a search-and-replace of the region in the whole URL).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ....signing.sent_request import SentRequest
from .base import Candidate, SearchInput
from .hosts import addressed, regional_forms
from .values import AWS_REGIONS

__all__ = ["region_candidates"]


def _credential_region(request: SentRequest, old: str, new: str) -> SentRequest:
    query = tuple(
        (n, v.replace(f"/{old}/", f"/{new}/", 1) if n == "X-Amz-Credential" else v)
        for n, v in request.query
    )
    return replace(request, query=query)


def region_candidates(given: SearchInput) -> Iterator[Candidate]:
    """The credential scope of every other region, alone and with that region's host."""
    url = given.url
    if url.version != "sigv4" or not url.region:
        return
    current = url.region
    host = given.request.host.lower()
    for region in AWS_REGIONS:
        if region == current:
            continue
        edited = _credential_region(given.request, current, region)
        yield Candidate(
            "region-mismatch",
            region,
            f"the URL was signed for region {region} and its X-Amz-Credential was then edited "
            f"to say {current}",
            edited,
            region,
        )
        yield Candidate(
            "region-mismatch",
            region,
            f"the signing key was derived for region {region} but X-Amz-Credential says {current}",
            given.request,
            region,
        )
        if url.bucket and current in host:
            for form, virtual in regional_forms(url.bucket, region):
                if virtual != host.startswith(url.bucket + "."):
                    continue
                moved = addressed(replace(given, request=edited), form, virtual)
                yield Candidate(
                    "region-mismatch",
                    region,
                    f"the URL was signed for {form} in region {region}; its host and "
                    f"X-Amz-Credential were then both edited to say {current}",
                    moved,
                    region,
                )
