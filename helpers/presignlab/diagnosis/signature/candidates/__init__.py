"""The changes tried by the signature search, most common causes first.

Each :class:`Candidate` is a request (and region, and canonical URI when the signer wrote the
path its own way) the signer may have signed instead of the one S3 received, with the finding
code it would prove. The families, each in its own module:

- :mod:`.headers`: another method; each signed header absent, at the value sent, at a value
  derived from it or from the key, at a declared value (a signed Content-Length against the
  body size) or at a common value; and pairs: another method plus the headers the method
  used does not send;
- :mod:`.query`: a parameter added after signing, an SDK-added one removed, a value edited
  (from a header that was sent, an SDK default, a nearby number, a common expiry);
- :mod:`.paths`: ``+`` versus space, encoded once more or less, not encoded, the bucket twice;
- :mod:`.hosts`: the URL's host, a port added or dropped, global, regional, dual-stack,
  path-style and virtual-hosted forms;
- :mod:`.regions`: every commercial region for the credential scope, alone and with the host.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import headers, hosts, paths, query, regions
from .base import Candidate, SearchInput
from .values import AWS_REGIONS, COMMON_EXPIRES, COMMON_VALUES, METHODS, OPT_IN_REGIONS

__all__ = [
    "AWS_REGIONS",
    "COMMON_EXPIRES",
    "COMMON_VALUES",
    "METHODS",
    "OPT_IN_REGIONS",
    "Candidate",
    "SearchInput",
    "candidates",
]


def candidates(given: SearchInput) -> Iterator[Candidate]:
    """Every change tried, single changes first (most common causes first), then pairs."""
    yield from headers.method_candidates(given)
    yield from headers.header_candidates(given)
    yield from query.query_candidates(given)
    yield from paths.path_candidates(given)
    yield from hosts.host_candidates(given)
    yield from headers.method_pair_candidates(given)
    yield from regions.region_candidates(given)
