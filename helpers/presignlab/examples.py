"""AWS's documented example credentials and the inputs of its published presigned-URL example.

The access key pair is the one the AWS documentation uses everywhere
(``AKIAIOSFODNN7EXAMPLE``); it authenticates nothing on real AWS. The other constants are
the inputs of the example in the Amazon S3 API reference, "Authenticating Requests: Using
Query Parameters (AWS Signature Version 4)": ``GET /test.txt`` on ``examplebucket`` in
``us-east-1``, signed at 2013-05-24T00:00:00Z and valid for 86400 seconds.

Notebooks import the secret key from here so that its text never appears in a notebook.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = [
    "EXAMPLE_ACCESS_KEY_ID",
    "EXAMPLE_BUCKET",
    "EXAMPLE_DATE",
    "EXAMPLE_EXPIRES",
    "EXAMPLE_KEY",
    "EXAMPLE_REGION",
    "EXAMPLE_SECRET_ACCESS_KEY",
]

#: AWS's documented example access key id.
EXAMPLE_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
#: AWS's documented example secret access key (never print it).
EXAMPLE_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#: The region of the published example.
EXAMPLE_REGION = "us-east-1"
#: The instant the published example is signed at: 2013-05-24T00:00:00Z.
EXAMPLE_DATE = datetime(2013, 5, 24, tzinfo=UTC)
#: The bucket and object key of the published example.
EXAMPLE_BUCKET = "examplebucket"
EXAMPLE_KEY = "test.txt"
#: X-Amz-Expires of the published example, in seconds.
EXAMPLE_EXPIRES = 86400
