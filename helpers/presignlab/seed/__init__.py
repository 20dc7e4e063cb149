"""The seed's whole system on this machine: a signing API, an upload page and their bucket.

- :mod:`.gateway`: a thin local "API Gateway": each HTTP request becomes an API Gateway REST
  proxy event for the Lambda handler, and the handler's answer becomes the HTTP response; the
  same server serves the upload page and ``POST /diagnose``;
- :mod:`.stack`: :class:`~presignlab.seed.stack.Stack` (and :func:`serve_stack`) provisions
  the bucket, its CORS rule and the least-privilege signer, and runs the gateway beside the
  strict local S3 (what ``presignlab serve`` runs);
- :mod:`.browser`: headless Chromium (Debian's ``chromium`` through playwright) for the
  real-browser tests and the notebook's screenshot.
"""

from __future__ import annotations

from .api_gateway import GatewayApp, proxy_event, proxy_response
from .stack import Stack, serve_stack

__all__ = ["GatewayApp", "Stack", "proxy_event", "proxy_response", "serve_stack"]
