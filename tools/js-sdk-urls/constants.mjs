// The fixed inputs of generate.mjs. Nothing here reaches AWS.
//
// The key pair is the documented example pair of the AWS documentation (it authenticates
// nothing on AWS); the Python side has it as presignlab.examples. The clock is the notebooks'
// LAB_EPOCH, so the URLs are valid on a lab's local S3 pinned at that instant. The endpoint is
// `presignlab serve`'s default; a test sends each request to any other port with this Host.

export const ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
export const SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
export const REGION = "us-east-1";
export const ENDPOINT = "http://127.0.0.1:4566";
export const CLOCK = "2026-03-01T12:00:00.000Z";
export const BUCKET = "presignlab-uploads";
export const KEY = "uploads/photo.png";
export const ODD_KEY = "uploads/my photo+1.png";
export const CONTENT_TYPE = "image/png";
export const METADATA = { "uploaded-by": "presign-lab" };
export const ACL = "public-read";
