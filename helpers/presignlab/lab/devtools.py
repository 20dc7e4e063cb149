"""The evidence a browser's DevTools give about a failed upload, produced by headless Chromium.

* :func:`copy_as_curl` formats a request exactly as Chromium DevTools' "Copy as cURL (bash)"
  does (``NetworkLogView.generateCurlCommand``): the URL first, ``-X`` when the method is not
  the one curl would infer, one ``-H`` per request header in the order sent (without
  ``Host`` and ``Accept-Encoding``, and without ``Content-Length`` when the body is copied),
  the body as ``--data-raw`` when DevTools has it as text (a file body is left out), then
  ``--compressed``; arguments in single quotes, or ANSI-C ``$'...'`` quotes when they hold a
  quote, ``!`` or a control character; lines joined by `` \\`` and two spaces.
* :func:`record_upload` runs the kit's upload page (:mod:`presignlab.seed`) in headless
  Chromium and returns a :class:`Recording`: the HAR file of the session, as DevTools' "Save
  all as HAR" gives it (playwright's HAR recorder, plus the CORS preflights DevTools lists and
  playwright leaves out, read from the browser's own network events), the console's
  messages, every request as the browser sent it, and what the page showed.
* :func:`run_in_page` evaluates a script in a page of a given origin, for the page-code
  experiments (FormData, Content-Length), with the console's messages.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .browser import launch_chromium

__all__ = [
    "CapturedRequest",
    "Recording",
    "copy_as_curl",
    "record_upload",
    "run_in_page",
]

#: The headers DevTools never copies into a curl command (curl derives or adds them itself).
_IGNORED = frozenset({"accept-encoding", "host", "method", "path", "scheme", "version"})
_ANSI_C_NEEDED = re.compile(r"[\x00-\x1f\x7f-\x9f!']")
_ESCAPED_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f!]")
_T = TypeVar("_T")


def _posix(text: str) -> str:
    """One bash word, as DevTools' ``escapeStringPosix`` quotes it."""
    if not _ANSI_C_NEEDED.search(text):
        return f"'{text}'"
    body = text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
    return "$'" + _ESCAPED_CHARACTER.sub(lambda m: f"\\u{ord(m.group()):04x}", body) + "'"


def copy_as_curl(
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]],
    body_text: str | None = None,
) -> str:
    """The request as Chromium DevTools' "Copy as cURL (bash)" writes it (module docstring)."""
    ignored = set(_IGNORED)
    words = [re.sub(r"[\[{}\]]", lambda m: "\\" + m.group(), _posix(url))]
    data = []
    inferred = "GET"
    if body_text:
        data.append("--data-raw " + _posix(body_text))
        ignored.add("content-length")
        inferred = "POST"
    if method != inferred:
        words.append("-X " + _posix(method))
    for raw_name, value in headers:
        name = raw_name.removeprefix(":")
        if name.lower() in ignored:
            continue
        words.append("-H " + _posix(f"{name}: {value}" if value.strip() else f"{name};"))
    words += [*data, "--compressed"]
    return "curl " + (" \\\n  " if len(words) >= 3 else " ").join(words)


@dataclass(frozen=True)
class CapturedRequest:
    """A request as the browser sent it: headers in order, as on the wire (Host included)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None = field(repr=False)
    resource_type: str

    def header(self, name: str) -> str | None:
        """A header's value (any case), or None."""
        return next((v for n, v in self.headers if n.lower() == name.lower()), None)

    def as_curl(self) -> str:
        """This request as DevTools' "Copy as cURL (bash)": a binary (file) body is left out."""
        text = None
        if self.body:
            try:
                text = self.body.decode("utf-8")
            except UnicodeDecodeError:
                text = None
        return copy_as_curl(self.method, self.url, self.headers, text)


@dataclass(frozen=True)
class Recording:
    """What DevTools would show of one session of the upload page."""

    har: dict[str, Any] = field(repr=False)
    console: tuple[str, ...]
    requests: tuple[CapturedRequest, ...] = field(repr=False)
    result: str
    page_findings: tuple[str, ...]

    def har_text(self) -> str:
        """The HAR file's text (JSON), as "Save all as HAR" writes it."""
        return json.dumps(self.har, indent=2)

    def last(self, method: str, url_prefix: str = "") -> CapturedRequest:
        """The last request sent with ``method`` to a URL starting with ``url_prefix``."""
        for request in reversed(self.requests):
            if request.method == method and request.url.startswith(url_prefix):
                return request
        raise LookupError(f"the browser sent no {method} to {url_prefix or 'any URL'}")

    def errors(self) -> list[str]:
        """The console's error messages, without the browser's failed-resource lines."""
        return [m for m in self.console if not m.startswith("Failed to load resource")]


def _in_worker(task: Callable[[], _T]) -> _T:
    # playwright's sync API refuses to run in a thread with a running asyncio loop (a Jupyter
    # kernel's): a worker thread has none.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="presignlab-devtools") as pool:
        return pool.submit(task).result()


class _Network:
    """The browser's network events (CDP), for the preflights and the headers as sent."""

    def __init__(self, cdp: Any) -> None:
        self.sent: dict[str, dict[str, Any]] = {}
        self.raw_headers: dict[str, dict[str, str]] = {}
        self.answers: dict[str, dict[str, Any]] = {}
        self.failures: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestWillBeSentExtraInfo", self._extra)
        cdp.on("Network.responseReceived", self._answer)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.send("Network.enable")

    def _sent(self, event: dict[str, Any]) -> None:
        self.sent[event["requestId"]] = event
        self.order.append(event["requestId"])

    def _extra(self, event: dict[str, Any]) -> None:
        self.raw_headers[event["requestId"]] = dict(event.get("headers") or {})

    def _answer(self, event: dict[str, Any]) -> None:
        self.answers[event["requestId"]] = event

    def _failed(self, event: dict[str, Any]) -> None:
        self.failures[event["requestId"]] = event

    def preflights(self) -> list[dict[str, Any]]:
        """HAR entries for the CORS preflights (DevTools lists them; playwright does not)."""
        entries = []
        for request_id in self.order:
            sent = self.sent[request_id]
            answered = self.answers.get(request_id, {})
            failed = self.failures.get(request_id, {})
            if "Preflight" not in (sent.get("type"), answered.get("type"), failed.get("type")):
                continue
            request = sent["request"]
            headers = self.raw_headers.get(request_id) or request.get("headers") or {}
            answer = answered.get("response", {})
            entries.append(
                {
                    "startedDateTime": _wall_time(sent.get("wallTime")),
                    "_resourceType": "preflight",
                    "request": {
                        "method": request["method"],
                        "url": request["url"],
                        "httpVersion": "HTTP/1.1",
                        "headers": [{"name": n, "value": v} for n, v in headers.items()],
                        "queryString": [],
                        "headersSize": -1,
                        "bodySize": 0,
                    },
                    "response": {
                        "status": int(answer.get("status", 0)),
                        "statusText": answer.get("statusText", ""),
                        "httpVersion": "HTTP/1.1",
                        "headers": [
                            {"name": n, "value": v}
                            for n, v in (answer.get("headers") or {}).items()
                        ],
                        "content": {"size": 0, "mimeType": answer.get("mimeType", "")},
                        "redirectURL": (answer.get("headers") or {}).get("Location", ""),
                        "headersSize": -1,
                        "bodySize": -1,
                    },
                    "cache": {},
                    "timings": {"send": 0, "wait": 0, "receive": 0},
                    "time": 0,
                    **({"_error": failed["errorText"]} if failed.get("errorText") else {}),
                }
            )
        return entries


def _wall_time(seconds: object) -> str:
    from datetime import UTC, datetime

    if isinstance(seconds, int | float) and seconds > 0:
        moment = datetime.fromtimestamp(seconds, UTC)
    else:
        moment = datetime.now(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _as_devtools(har: dict[str, Any], preflights: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """``har`` as DevTools writes it: each preflight placed before the first request to the
    same URL, and a blocked request's status 0 (playwright's recorder writes -1)."""
    entries = list(har.get("log", {}).get("entries", []))
    for item in entries:
        response = item.get("response")
        if isinstance(response, dict) and isinstance(response.get("status"), int):
            response["status"] = max(response["status"], 0)
    for preflight in preflights:
        url = preflight["request"]["url"]
        at = next(
            (i for i, e in enumerate(entries) if e.get("request", {}).get("url") == url),
            len(entries),
        )
        entries.insert(at, preflight)
    return {**har, "log": {**har.get("log", {}), "entries": entries}}


def _capture(page: Any, console: list[str], requests: list[CapturedRequest]) -> None:
    page.on("console", lambda message: console.append(message.text))

    def finished(request: Any) -> None:
        headers = tuple((h["name"], h["value"]) for h in request.headers_array())
        requests.append(
            CapturedRequest(
                request.method, request.url, headers, request.post_data_buffer,
                request.resource_type,
            )
        )  # fmt: skip

    page.on("requestfinished", finished)
    page.on("requestfailed", finished)


def record_upload(
    page_url: str,
    file_name: str,
    data: bytes,
    content_type: str,
    *,
    send_type: str | None = None,
    timeout_ms: float = 15000,
) -> Recording:
    """Upload ``data`` through the upload page at ``page_url`` and record what DevTools shows.

    ``send_type`` fills the page's "send another Content-Type" field. Waits until the page
    shows its result and, after a failure, the server's diagnosis. No request is intercepted
    (playwright would then answer CORS preflights itself), so every answer is the server's.
    """

    def run() -> Recording:
        console: list[str] = []
        requests: list[CapturedRequest] = []
        with tempfile.TemporaryDirectory(prefix="presignlab-har-") as folder:
            har_path = Path(folder) / "session.har"
            with launch_chromium(har_path=har_path) as context:
                page = context.new_page()
                network = _Network(context.new_cdp_session(page))
                _capture(page, console, requests)
                page.goto(page_url)
                page.set_input_files(
                    "#file", files=[{"name": file_name, "mimeType": content_type, "buffer": data}]
                )
                page.click("#get-url")
                page.wait_for_selector("#grant:not([hidden])", timeout=timeout_ms)
                if send_type is not None:
                    page.click("#step-upload details summary")
                    page.fill("#send-type", send_type)
                page.click("#upload")
                page.wait_for_selector("#result:not([data-outcome=none])", timeout=timeout_ms)
                outcome = page.get_attribute("#result", "data-outcome")
                if outcome != "uploaded":
                    page.wait_for_selector("#diagnosis[data-ready]", timeout=timeout_ms)
                result = page.inner_text("#result")
                found = page.eval_on_selector_all(
                    "#diagnosis-findings li", "items => items.map(i => i.dataset.code)"
                )
                preflights = network.preflights()
            har = json.loads(har_path.read_text(encoding="utf-8"))
        return Recording(
            har=_as_devtools(har, preflights),
            console=tuple(console),
            requests=tuple(requests),
            result=result,
            page_findings=tuple(found),
        )

    return _in_worker(run)


def run_in_page(origin_url: str, script: str, arg: Any = None) -> tuple[Any, list[str]]:
    """Open ``origin_url``, evaluate ``script`` (a JavaScript function of ``arg``) there, and
    return its result and the console's messages."""

    def run() -> tuple[Any, list[str]]:
        console: list[str] = []
        with launch_chromium() as context:
            page = context.new_page()
            page.on("console", lambda message: console.append(message.text))
            page.goto(origin_url)
            result = page.evaluate(script, arg)
        return result, console

    return _in_worker(run)
