"""The seed's system, provisioned and running: what ``presignlab serve`` starts.

:class:`Stack` (or the :func:`serve_stack` context manager) runs, on 127.0.0.1 by default:

* the strict local S3 (reused when one already runs in this process, e.g. a notebook's lab);
* a private bucket whose one CORS rule admits exactly the upload page's origin, for ``PUT``,
  ``POST`` and ``GET``, with exactly the request headers the signing API tells the browser to
  send, and ``ExposeHeaders: ETag`` (so the page can read the uploaded object's ETag);
* a least-privilege signer: an IAM user, created through the IAM API, whose only permission
  is ``s3:PutObject`` on the upload prefix;
* the local API Gateway (:class:`~presignlab.seed.api_gateway.GatewayApp`) on its own port: the
  hardened signing handler (:func:`presignlab.seed.signing_function.make_hardened_handler`) signing
  with that user's key, the upload page and ``POST /diagnose`` (which diagnoses on the server
  with that key's secret and the bucket's current CORS rules);
* a bearer token for the upload page, made for this stack (:attr:`Stack.token`), which the
  gateway checks on every call of the signing API, and a per-caller rate limit
  (:mod:`presignlab.seed.authorizer`; GW-01 to GW-03).

The page's origin (``http://HOST:API_PORT``) differs from the S3 endpoint's by its port, so the
browser applies CORS exactly as it would between a web site and Amazon S3.

Example::

    with serve_stack() as stack:
        print(stack.page_url)          # open it in a browser
        stack.clock.advance(minutes=20)  # every URL signed so far has now expired

The signer's secret key stays inside the process: it is in no output, no page, no log. The
bearer token is in no output and no log either; the upload page is served with it, as a
signed-in page holds its user's token. Call the API as the page does::

    requests.get(stack.presign_url, params={...}, headers=stack.token.header)
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self
from wsgiref.types import StartResponse, WSGIEnvironment

from botocore.exceptions import ClientError
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from ..clock import Clock
from ..lab import Signer
from ..lab.resources import delete_bucket, delete_user
from ..locals3.server import LocalS3
from ..locals3.wire.http_server import make_http_server
from .api_gateway import PRESIGN_PATH, GatewayApp
from .authorizer import (
    DEFAULT_BURST,
    DEFAULT_RATE,
    CallerToken,
    RateLimiter,
    TokenAuthorizer,
    new_token,
)
from .signing_function import api_gateway_event, make_hardened_handler

__all__ = [
    "BUCKET_BASE",
    "SIGNER_BASE",
    "UPLOAD_PREFIX",
    "Stack",
    "cors_rules",
    "serve_stack",
    "signer_policy",
]

BUCKET_BASE = "presignlab-uploads"
SIGNER_BASE = "presignlab-upload-signer"
UPLOAD_PREFIX = "uploads/"
#: The CORS methods of the seed's rule: the browser uploads with PUT (or a POST form) and reads
#: objects back with GET.
CORS_METHODS = ("PUT", "POST", "GET")


def cors_rules(origin: str, headers: list[str]) -> list[dict[str, Any]]:
    """The bucket's one CORS rule: ``origin`` only, PUT/POST/GET, ``headers``, ETag exposed."""
    return [
        {
            "ID": "upload-page",
            "AllowedOrigins": [origin],
            "AllowedMethods": list(CORS_METHODS),
            "AllowedHeaders": headers,
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 600,
        }
    ]


def signer_policy(bucket: str, prefix: str = UPLOAD_PREFIX) -> dict[str, Any]:
    """The signer's only permission: ``s3:PutObject`` on ``bucket/prefix*``."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PutUploadsOnly",
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": f"arn:aws:s3:::{bucket}/{prefix}*",
            }
        ],
    }


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr (a notebook runs the stack in-process); a plain Server header."""

    server_version = "presignlab-local-api-gateway"
    sys_version = ""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """No access log."""

    def log_error(self, format: str, *args: Any) -> None:
        """No error log."""

    def log_message(self, format: str, *args: Any) -> None:
        """No log lines."""


def _not_ready(environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
    """The gateway's application until the stack is provisioned (never serving meanwhile)."""
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


def _unused(base: str, taken: set[str]) -> str:
    return base if base not in taken else f"{base}-{secrets.token_hex(4)}"


class Stack:
    """The bucket, the signer, the signing API and the upload page (see the module docstring).

    ``port`` is the S3 endpoint's port when the stack starts its own local S3 (None: a free
    one); ``api_port`` the signing API's and page's (None: a free one). ``s3`` reuses a running
    :class:`LocalS3`; by default the one running in this process, if any, is reused. ``rate`` and
    ``burst`` are the signing API's per-caller limit; ``throttle_clock`` gives the seconds it
    counts by (default :func:`time.monotonic`; a notebook passes its lab clock).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        api_port: int | None = None,
        s3: LocalS3 | None = None,
        prefix: str = UPLOAD_PREFIX,
        rate: float = DEFAULT_RATE,
        burst: int = DEFAULT_BURST,
        throttle_clock: Callable[[], float] | None = None,
    ) -> None:
        self.host = host
        self.token: CallerToken = new_token("upload-page")
        self.limiter = RateLimiter(rate, burst, now=throttle_clock)
        self.port = port
        self.api_port = api_port or 0
        self.prefix = prefix
        self.server: LocalS3 | None = s3
        self.bucket = ""
        self.signer: Signer | None = None
        self.cors_rules: list[dict[str, Any]] = []
        self._own_server = False
        self._http: ThreadedWSGIServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        state = self.page_url if self._http is not None else "stopped"
        return f"Stack({state}, bucket={self.bucket!r})"

    # -- addresses ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._http is not None

    @property
    def origin(self) -> str:
        """The upload page's origin, ``http://HOST:API_PORT`` (what the CORS rule admits)."""
        return f"http://{self.host}:{self.api_port}"

    @property
    def page_url(self) -> str:
        """The upload page."""
        return f"{self.origin}/"

    @property
    def presign_url(self) -> str:
        """The signing API (``GET ?filekey=NAME&contentType=TYPE``)."""
        return f"{self.origin}{PRESIGN_PATH}"

    @property
    def endpoint_url(self) -> str:
        """The S3 endpoint."""
        return self._local_s3().endpoint_url

    @property
    def clock(self) -> Clock:
        """The local S3's clock: it decides when signed URLs expire."""
        return self._local_s3().clock

    def lines(self) -> list[str]:
        """What ``presignlab serve`` prints about the system (no secret)."""
        assert self.signer is not None
        return [
            f"Signing API: {self.presign_url}",
            f"Upload page: {self.page_url}",
            f"Bucket: {self.bucket} (its CORS rule admits the origin {self.origin})",
            (
                f"Signer: IAM user {self.signer.user_name}, access key id "
                f"{self.signer.access_key_id} (s3:PutObject on {self.bucket}/{self.prefix}* only)"
            ),
            (
                "The signing API wants Authorization: Bearer <token> (the upload page is served "
                f"with its token) and allows {self.limiter.burst} requests at once, "
                f"{self.limiter.rate:g} a second per caller."
            ),
        ]

    def client(self, service: str = "s3", **kwargs: Any) -> Any:
        """A boto3 client with the local S3's root keys (to inspect or change the bucket)."""
        return self._local_s3().client(service, **kwargs)

    def _local_s3(self) -> LocalS3:
        if self.server is None:
            raise RuntimeError("The stack is not running: call start() or use serve_stack()")
        return self.server

    # -- life cycle --------------------------------------------------------------------------

    def start(self) -> Self:
        """Start (or reuse) the local S3, provision the bucket and signer, serve the API."""
        if self._http is not None:
            return self
        if self.server is None:
            self.server = LocalS3.current()
        if self.server is None:
            self.server = LocalS3(host=self.host, port=self.port).start()
            self._own_server = True
        try:
            self._http = make_http_server(
                self.host, self.api_port, _not_ready, handler_class=_QuietHandler
            )
            self.api_port = int(self._http.server_address[1])
            self._provision()
        except BaseException:
            self.stop()
            raise
        self._thread = threading.Thread(
            target=self._http.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"SigningAPI:{self.api_port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def _provision(self) -> None:
        server = self._local_s3()
        s3, iam = server.client("s3"), server.client("iam")
        self.bucket = _unused(BUCKET_BASE, {b["Name"] for b in s3.list_buckets()["Buckets"]})
        s3.create_bucket(Bucket=self.bucket)
        users = {u["UserName"] for u in iam.list_users()["Users"]}
        user = _unused(SIGNER_BASE, users)
        created = iam.create_user(UserName=user)["User"]
        iam.put_user_policy(
            UserName=user,
            PolicyName="put-uploads-only",
            PolicyDocument=json.dumps(signer_policy(self.bucket, self.prefix)),
        )
        key = iam.create_access_key(UserName=user)["AccessKey"]
        self.signer = Signer(user, key["AccessKeyId"], key["SecretAccessKey"], created["Arn"])
        signing_client = server.client(
            "s3",
            aws_access_key_id=self.signer.access_key_id,
            aws_secret_access_key=self.signer.secret_access_key,
        )
        handler = make_hardened_handler(
            signing_client, self.bucket, prefix=self.prefix, allowed_origins=[self.origin]
        )
        self.cors_rules = cors_rules(self.origin, _browser_headers(handler))
        s3.put_bucket_cors(Bucket=self.bucket, CORSConfiguration={"CORSRules": self.cors_rules})
        assert self._http is not None
        self._http.app = GatewayApp(
            handler,
            connect_to=[server.endpoint_url],
            now=server.clock.now,
            secret_for=self._signer_secret,
            cors_rules=self._bucket_cors,
            authorizer=TokenAuthorizer([self.token]),
            limiter=self.limiter,
            page_token=self.token,
        )

    def _signer_secret(self, access_key_id: str) -> str | None:
        """The signer's secret, for ``/diagnose`` and only for URLs signed with its key."""
        signer = self.signer
        return (
            signer.secret_access_key if signer and access_key_id == signer.access_key_id else None
        )

    def _bucket_cors(self) -> list[dict[str, Any]] | None:
        """The bucket's CORS rules as S3 holds them now ([] without a configuration)."""
        try:
            answer = self._local_s3().client("s3").get_bucket_cors(Bucket=self.bucket)
        except ClientError as exc:
            return (
                []
                if exc.response.get("Error", {}).get("Code") == "NoSuchCORSConfiguration"
                else None
            )
        return list(answer.get("CORSRules", []))

    def stop(self) -> list[str]:
        """Stop serving; delete the bucket and signer (or stop the local S3 if it is ours).

        Returns one line per resource deleted (none when the local S3 itself stops).
        """
        http, thread = self._http, self._thread
        self._http, self._thread = None, None
        if http is not None:
            if thread is not None:
                http.shutdown()
                thread.join(timeout=5)
            http.server_close()
        lines: list[str] = []
        if self.server is not None and self.server.running:
            if self._own_server:
                self.server.stop()
            else:
                if self.bucket:
                    lines.append(delete_bucket(self.server.client("s3"), self.bucket))
                if self.signer is not None:
                    lines.append(delete_user(self.server.client("iam"), self.signer.user_name))
        return lines

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _browser_headers(handler: Any) -> list[str]:
    """The request headers a browser upload sends: those the signing API lists, lower-cased.

    Asked of the handler itself, so the CORS rule and the signing API cannot disagree.
    """
    event = api_gateway_event(query={"filekey": "probe.png", "contentType": "image/png"})
    answer = handler(event, None)
    listed = json.loads(answer["body"]).get("headers") or {}
    return sorted({str(name).lower() for name in listed} | {"content-type"})


@contextmanager
def serve_stack(
    host: str = "127.0.0.1",
    port: int | None = None,
    api_port: int | None = None,
    *,
    s3: LocalS3 | None = None,
) -> Iterator[Stack]:
    """Run a :class:`Stack` for the duration of a ``with`` block."""
    with Stack(host=host, port=port, api_port=api_port, s3=s3) as stack:
        yield stack
