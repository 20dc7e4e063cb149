// The upload page of presign-lab: ask the signing API for a presigned URL, then PUT the file
// straight to Amazon S3 with it. Plain JavaScript, no build step, no credential on the page.
"use strict";

const $ = (id) => document.getElementById(id);
let grant = null; // the signing API's answer: {signed_url, method, headers, key, expires_in}

function chosenFile() {
  return $("file").files[0] || null;
}

function setOutcome(outcome, text) {
  const result = $("result");
  result.dataset.outcome = outcome;
  result.textContent = text;
}

function resetOutcome() {
  setOutcome("none", "Nothing uploaded yet.");
  $("s3-error").hidden = true;
  $("diagnosis").hidden = true;
  $("diagnosis-findings").replaceChildren();
  $("diagnosis-comparison").replaceChildren();
  delete $("diagnosis").dataset.ready;
  $("header-check").hidden = true;
  $("progress").value = 0;
  $("progress-text").textContent = "0%";
}

function showGrant(answer) {
  $("grant-key").textContent = answer.key;
  $("grant-expires").textContent = `${answer.expires_in} seconds`;
  $("grant-headers").textContent = Object.entries(answer.headers || {})
    .map(([name, value]) => `${name}: ${value}`).join("\n") || "(none)";
  $("grant-url").textContent = answer.signed_url;
  $("grant").hidden = false;
}

// The signing API wants "Authorization: Bearer <token>": a signed-in page would hold a token
// from its identity provider; the local gateway serves this page with one in a <meta> element.
function authorization() {
  const token = document.querySelector('meta[name="presign-token"]')?.content || "";
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function getUploadUrl() {
  const file = chosenFile();
  if (!file) return;
  grant = null;
  $("upload").disabled = true;
  $("grant").hidden = true;
  resetOutcome();
  const contentType = $("content-type").value || file.type || "application/octet-stream";
  const query = new URLSearchParams({ filekey: file.name, contentType });
  let response, answer;
  try {
    response = await fetch(`presign?${query}`, { headers: authorization() });
    answer = await response.json();
  } catch (error) {
    setOutcome("api-error", `The signing API could not be reached: ${error.message}`);
    return;
  }
  if (!response.ok) {
    const reason = answer.error || answer.message || JSON.stringify(answer);
    setOutcome("api-error", `The signing API refused (HTTP ${response.status}): ${reason}`);
    return;
  }
  grant = answer;
  showGrant(answer);
  $("upload").disabled = false;
}

function headersToSend() {
  const headers = { ...(grant.headers || {}) };
  const override = $("send-type").value.trim();
  if (override) {
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === "content-type") delete headers[name];
    }
    headers["Content-Type"] = override;
  }
  return headers;
}

function upload() {
  const file = chosenFile();
  if (!file || !grant) return;
  resetOutcome();
  $("upload").disabled = true;
  const sent = { url: grant.signed_url, method: grant.method, headers: headersToSend() };
  const xhr = new XMLHttpRequest();
  xhr.open(sent.method, sent.url);
  for (const [name, value] of Object.entries(sent.headers)) xhr.setRequestHeader(name, value);
  xhr.upload.onprogress = (event) => {
    if (!event.lengthComputable) return;
    const percent = Math.round((100 * event.loaded) / event.total);
    $("progress").value = percent;
    $("progress-text").textContent = `${percent}%`;
  };
  xhr.onload = () => {
    $("upload").disabled = false;
    if (xhr.status >= 200 && xhr.status < 300) {
      $("progress").value = 100;
      $("progress-text").textContent = "100%";
      const etag = xhr.getResponseHeader("ETag") || "(not exposed by the CORS rule)";
      setOutcome("uploaded", `Uploaded ${file.size} bytes to ${grant.key}, ETag ${etag}`);
    } else {
      showS3Error(xhr);
      checkSentHeaders(sent.headers);
      askForDiagnosis(sent, { error_body: xhr.responseText, status: xhr.status });
    }
  };
  xhr.onerror = () => {
    $("upload").disabled = false;
    setOutcome(
      "network-error",
      "Network error: the browser blocked the upload before any answer from S3 could be read. " +
        "This is how a CORS failure looks to a page (the browser console names it): the " +
        `bucket's CORS rule must admit the origin ${window.location.origin}, the method ` +
        `${sent.method} and the headers ${Object.keys(sent.headers).join(", ").toLowerCase()}.`
    );
    askForDiagnosis(sent, { error_body: "", status: 0, network_error: true });
  };
  xhr.send(file);
}

function showS3Error(xhr) {
  const xml = new DOMParser().parseFromString(xhr.responseText || "<none/>", "application/xml");
  const field = (name) => xml.querySelector(`Error > ${name}`)?.textContent ?? "";
  const code = field("Code");
  $("error-status").textContent = String(xhr.status);
  $("error-code").textContent = code || "(no S3 error body)";
  $("error-message").textContent = field("Message");
  $("s3-error").hidden = false;
  setOutcome("s3-error", `Amazon S3 refused the upload: HTTP ${xhr.status} ${code}`);
}

// The signing API listed the headers the URL was signed with: name any the page sent otherwise.
function checkSentHeaders(sentHeaders) {
  const lower = (headers) =>
    Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v]));
  const signed = lower(grant.headers || {});
  const sent = lower(sentHeaders);
  const differences = Object.keys(signed)
    .filter((name) => sent[name] !== signed[name])
    .map((name) => `${name}: sent ${sent[name] ?? "nothing"}, signed ${signed[name]}`);
  if (!differences.length) return;
  $("header-check").textContent =
    `The page did not send the headers the URL was signed with (${differences.join("; ")}).`;
  $("header-check").hidden = false;
}

// The server diagnoses with the signer's secret (which it holds and the page never sees) and
// the bucket's CORS rules; the page only shows the answer.
async function askForDiagnosis(sent, answerSeen) {
  let answer;
  try {
    const response = await fetch("diagnose", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...sent, ...answerSeen }),
    });
    answer = await response.json();
  } catch (error) {
    answer = { verdict: "unavailable", findings: [] };
  }
  const findings = answer.findings || [];
  $("diagnosis-verdict").textContent = findings.length
    ? `Verdict: ${answer.verdict}`
    : `Verdict: ${answer.verdict} (no finding)`;
  const items = findings.map((found) => {
    const item = document.createElement("li");
    item.dataset.code = found.code;
    const code = document.createElement("span");
    code.className = "finding-code";
    code.textContent = found.code;
    const confidence = document.createElement("span");
    confidence.className = "confidence";
    confidence.textContent = ` (${found.confidence})`;
    const fix = document.createElement("div");
    fix.className = "fix";
    fix.textContent = found.fix ? `Fix: ${found.fix}` : "";
    item.append(code, confidence, `: ${found.message}`, fix);
    return item;
  });
  $("diagnosis-findings").replaceChildren(...items);
  showComparison(answer.comparison_html);
  $("diagnosis").hidden = false;
  $("diagnosis").dataset.ready = "true";
}

// The side-by-side comparison the server rendered (every value HTML-escaped there); parsed
// into an inert document first, so nothing in it can run.
function showComparison(html) {
  if (!html) return;
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const table = parsed.body.querySelector("table.presignlab-comparison");
  if (table) $("diagnosis-comparison").replaceChildren(document.importNode(table, true));
}

function init() {
  $("file").addEventListener("change", () => {
    grant = null;
    $("get-url").disabled = !chosenFile();
    $("upload").disabled = true;
    $("grant").hidden = true;
    resetOutcome();
  });
  $("get-url").addEventListener("click", getUploadUrl);
  $("upload").addEventListener("click", upload);
  $("get-url").disabled = !chosenFile();
}

init();
