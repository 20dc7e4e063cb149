// Presigned URLs exactly as the real JavaScript SDKs make them, written as JSON fixtures.
//
//   npm ci && node generate.mjs [OUTPUT]     (the JSON goes to stdout without OUTPUT)
//
// `make js-sdk-urls` (repository root) runs both and rewrites
// helpers/presignlab/lab/data/js_sdk_urls.json, which presignlab.lab.sdk_fixtures loads so that the
// notebooks need no node. Everything is fixed (constants.mjs): AWS's documented example keys,
// the notebooks' clock, a local path-style endpoint, one bucket and key. The output is
// byte-for-byte the same on every run; nothing is sent anywhere.
//
// The URL is what getSignedUrl returns, untouched. The headers are read from the request the SDK
// presigned: v3's presigner is observed (S3RequestPresigner.prototype.presign is wrapped and its
// result returned unchanged); v2's request comes from the service's customizeRequests hook.
// `headers` are the ones the SDK signed, which the uploader must send with exactly these values;
// `unsigned_headers` are the others the SDK's own request carried (S3 does not check them).
// Left out of both: Host (every HTTP client sends it from the URL), and the SDK's User-Agent
// headers (unsigned, and they name the machine).

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { S3RequestPresigner, getSignedUrl } from "@aws-sdk/s3-request-presigner";
import AWS from "aws-sdk";

import * as C from "./constants.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const SCHEMA = 1;
const V3_CLIENT = "@aws-sdk/client-s3";
const V3_PRESIGNER = "@aws-sdk/s3-request-presigner";
const V2 = "aws-sdk";
const NOT_RECORDED = new Set(["host", "authorization", "presigned-expires", "user-agent", "x-amz-user-agent"]);

/** The installed version of `name`, which must be the exact one package.json pins. */
function installedVersion(name) {
  const pinned = JSON.parse(readFileSync(join(HERE, "package.json"), "utf8")).dependencies[name];
  const manifest = join(HERE, "node_modules", ...name.split("/"), "package.json");
  const installed = JSON.parse(readFileSync(manifest, "utf8")).version;
  if (installed !== pinned) {
    throw new Error(`${name} ${installed} is installed but package.json pins ${pinned}: run npm ci in ${HERE}`);
  }
  return installed;
}

const VERSIONS = Object.fromEntries([V3_CLIENT, V3_PRESIGNER, V2].map((name) => [name, installedVersion(name)]));

/** The SigV4 signed-header test of a presigned URL: its X-Amz-SignedHeaders list. */
function sigv4Signed(url) {
  const names = (new URL(url).searchParams.get("X-Amz-SignedHeaders") ?? "").split(";");
  return (lower) => names.includes(lower);
}

/** SigV2 signs Content-MD5, Content-Type and every x-amz-* header of the request. */
const sigv2Signed = (lower) => lower === "content-md5" || lower === "content-type" || lower.startsWith("x-amz-");

/** The request's headers split into signed (to send) and unsigned ones, in name order. */
function splitHeaders(headers, isSigned) {
  const signed = {};
  const unsigned = {};
  const names = Object.keys(headers).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  for (const name of names) {
    const lower = name.toLowerCase();
    if (!NOT_RECORDED.has(lower)) (isSigned(lower) ? signed : unsigned)[name] = String(headers[name]);
  }
  return { headers: signed, unsigned_headers: unsigned };
}

/** Options as JSON: a Set becomes a sorted list, a Date its ISO text. */
function jsonable(options) {
  return Object.fromEntries(
    Object.entries(options).map(([name, value]) => [
      name,
      value instanceof Set ? [...value].sort() : value instanceof Date ? value.toISOString() : value,
    ]),
  );
}

// -- JS SDK v3 --------------------------------------------------------------------------------

let presigned = null;
const presign = S3RequestPresigner.prototype.presign;
S3RequestPresigner.prototype.presign = async function observed(...args) {
  presigned = await presign.apply(this, args);
  return presigned;
};

const V3_CONFIG = { region: C.REGION, endpoint: C.ENDPOINT, forcePathStyle: true };
const V3_COMMANDS = { PutObject: PutObjectCommand, GetObject: GetObjectCommand };

async function v3Case({ id, note, command, input, config = {}, options = {} }) {
  const client = new S3Client({
    ...V3_CONFIG,
    ...config,
    credentials: { accessKeyId: C.ACCESS_KEY_ID, secretAccessKey: C.SECRET_ACCESS_KEY },
  });
  const allOptions = { signingDate: new Date(C.CLOCK), ...options };
  presigned = null;
  const url = await getSignedUrl(client, new V3_COMMANDS[command](input), allOptions);
  client.destroy();
  if (presigned === null) throw new Error(`${id}: the presigner was not called`);
  return {
    id,
    sdk: "JS SDK v3",
    packages: { [V3_CLIENT]: VERSIONS[V3_CLIENT], [V3_PRESIGNER]: VERSIONS[V3_PRESIGNER] },
    call: `getSignedUrl(new S3Client(config), new ${command}Command(input), options)`,
    config: { ...V3_CONFIG, ...config },
    input,
    options: jsonable(allOptions),
    method: presigned.method,
    url,
    ...splitHeaders(presigned.headers, sigv4Signed(url)),
    signed_at: C.CLOCK,
    note,
  };
}

// -- JS SDK v2 --------------------------------------------------------------------------------

// v2 signs with service.getSkewCorrectedDate() (overridden per client below); a few paths ask
// AWS.util.date.getDate() instead.
AWS.util.date.getDate = () => new Date(C.CLOCK);

const V2_CONFIG = { region: C.REGION, endpoint: C.ENDPOINT, s3ForcePathStyle: true };

function v2Case({ id, note, operation, params, config = {} }) {
  const s3 = new AWS.S3({
    ...V2_CONFIG,
    ...config,
    credentials: { accessKeyId: C.ACCESS_KEY_ID, secretAccessKey: C.SECRET_ACCESS_KEY },
  });
  s3.getSkewCorrectedDate = () => new Date(C.CLOCK);
  let request = null;
  s3.customizeRequests((made) => {
    request = made;
  });
  const url = s3.getSignedUrl(operation, params);
  if (request === null) throw new Error(`${id}: no request was made`);
  const isSigned = new URL(url).searchParams.has("X-Amz-SignedHeaders") ? sigv4Signed(url) : sigv2Signed;
  return {
    id,
    sdk: "JS SDK v2",
    packages: { [V2]: VERSIONS[V2] },
    call: `new AWS.S3(config).getSignedUrl("${operation}", params)`,
    config: { ...V2_CONFIG, ...config },
    input: params,
    options: {},
    method: request.httpRequest.method,
    url,
    ...splitHeaders(request.httpRequest.headers, isSigned),
    signed_at: C.CLOCK,
    note,
  };
}

// -- the cases --------------------------------------------------------------------------------

const put = { Bucket: C.BUCKET, Key: C.KEY };

const v3Cases = [
  {
    id: "v3-put-default",
    command: "PutObject",
    input: put,
    note:
      "Default client. Since 3.729.0 requestChecksumCalculation defaults to WHEN_SUPPORTED, so the URL " +
      "carries x-amz-sdk-checksum-algorithm=CRC32 and x-amz-checksum-crc32=AAAAAA== (the CRC32 of an " +
      "empty body: the body is not known when presigning), as query parameters, not signed headers. " +
      "x-id=PutObject names the operation.",
  },
  {
    id: "v3-put-when-required",
    command: "PutObject",
    input: put,
    config: { requestChecksumCalculation: "WHEN_REQUIRED" },
    note: "requestChecksumCalculation WHEN_REQUIRED: no checksum parameters (PutObject does not require one).",
  },
  {
    id: "v3-put-content-type",
    command: "PutObject",
    input: { ...put, ContentType: C.CONTENT_TYPE },
    note:
      "ContentType given, default options: the presigner never signs content-type (it adds it to " +
      "unsignableHeaders), so any Content-Type, or none, passes the signature check.",
  },
  {
    id: "v3-put-content-type-signed",
    command: "PutObject",
    input: { ...put, ContentType: C.CONTENT_TYPE },
    options: { signableHeaders: new Set(["content-type"]) },
    note: "signableHeaders content-type: now it is signed, and the uploader must send exactly this Content-Type.",
  },
  {
    id: "v3-put-metadata",
    command: "PutObject",
    input: { ...put, Metadata: C.METADATA },
    note:
      "Metadata: v3 moves the x-amz-meta-* header into the query (a signed query parameter, not a " +
      "signed header) and removes it from the request; the uploader sends no header.",
  },
  {
    id: "v3-put-metadata-unhoisted",
    command: "PutObject",
    input: { ...put, Metadata: C.METADATA },
    options: { unhoistableHeaders: new Set(["x-amz-meta-uploaded-by"]) },
    note: "unhoistableHeaders keeps x-amz-meta-uploaded-by a header: it is signed and must be sent.",
  },
  {
    id: "v3-put-acl",
    command: "PutObject",
    input: { ...put, ACL: C.ACL },
    note: "ACL: x-amz-acl moves into the query like any x-amz-* header.",
  },
  {
    id: "v3-put-odd-key",
    command: "PutObject",
    input: { Bucket: C.BUCKET, Key: C.ODD_KEY },
    config: { requestChecksumCalculation: "WHEN_REQUIRED" },
    note: "A key with a space and a plus: the path carries them as %20 and %2B.",
  },
  {
    id: "v3-get",
    command: "GetObject",
    input: put,
    note:
      "GetObject: responseChecksumValidation defaults to WHEN_SUPPORTED, so x-amz-checksum-mode=ENABLED " +
      "is in the query; x-id=GetObject names the operation.",
  },
];

const v2Cases = [
  {
    id: "v2-put-default",
    operation: "putObject",
    params: put,
    note:
      "The seed article's call with v2's defaults: in us-east-1 a presigned S3 URL is signed with " +
      "SigV2 (AWSAccessKeyId, Expires, Signature) unless signatureVersion is set.",
  },
  {
    id: "v2-put-content-type",
    operation: "putObject",
    params: { ...put, ContentType: C.CONTENT_TYPE },
    note:
      "SigV2 with ContentType: Content-Type is part of the string to sign, so it must be sent exactly; " +
      "v2 also copies it into the query.",
  },
  {
    id: "v2-put-metadata-acl",
    operation: "putObject",
    params: { ...put, Metadata: C.METADATA, ACL: C.ACL },
    note:
      "SigV2 with Metadata and ACL: both x-amz-* headers are signed and must be sent; v2 also copies them " +
      "into the query.",
  },
  {
    id: "v2-put-v4",
    operation: "putObject",
    params: put,
    config: { signatureVersion: "v4" },
    note: "signatureVersion v4: a SigV4 URL signing only host, with no checksum parameters and no x-id.",
  },
  {
    id: "v2-put-v4-content-type",
    operation: "putObject",
    params: { ...put, ContentType: C.CONTENT_TYPE },
    config: { signatureVersion: "v4" },
    note:
      "SigV4 with ContentType: v2 does not sign content-type but copies it into the query as " +
      "Content-Type=image/png (a signed query parameter).",
  },
  {
    id: "v2-put-v4-metadata-acl",
    operation: "putObject",
    params: { ...put, Metadata: C.METADATA, ACL: C.ACL },
    config: { signatureVersion: "v4" },
    note:
      "SigV4 with Metadata and ACL: v2 signs x-amz-acl and x-amz-meta-* as headers (they must be sent) " +
      "and also copies them into the query.",
  },
  {
    id: "v2-put-odd-key",
    operation: "putObject",
    params: { Bucket: C.BUCKET, Key: C.ODD_KEY },
    config: { signatureVersion: "v4" },
    note: "A key with a space and a plus, SigV4: the path carries them as %20 and %2B.",
  },
  {
    id: "v2-get",
    operation: "getObject",
    params: put,
    note: "GetObject with v2's defaults: SigV2 in us-east-1.",
  },
];

const cases = [];
for (const spec of v3Cases) cases.push(await v3Case(spec));
for (const spec of v2Cases) cases.push(v2Case(spec));

const document = {
  schema: SCHEMA,
  generator: "tools/js-sdk-urls/generate.mjs",
  credentials: `AWS's documented example key pair (access key id ${C.ACCESS_KEY_ID})`,
  cases,
};
const text = `${JSON.stringify(document, null, 2)}\n`;
if (text.includes(C.SECRET_ACCESS_KEY)) throw new Error("the output would contain the secret key");
if (process.argv[2]) writeFileSync(process.argv[2], text);
else process.stdout.write(text);
