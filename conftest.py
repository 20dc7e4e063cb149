"""Set-up for every pytest run here (tests and nbval): botocore's own signers.

With awscrt installed (the test extra's, for the strict local S3's checksums) botocore signs
through the AWS Common Runtime. The committed notebook outputs were made with botocore's own
signers, so this runs before any test imports botocore, and the kernels nbval starts inherit it.
"""

from __future__ import annotations

import os

os.environ.setdefault("BOTO_DISABLE_CRT", "true")
