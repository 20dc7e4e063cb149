"""Shared pytest set-up: the hypothesis profiles.

``ci`` (the default) is reproducible: examples are derived from each test's name
(``derandomize``), nothing is read from or written to an example database, and there is no
per-example deadline (a 2-core CI machine is slow and noisy). ``explore`` is random with the
local database, for hunting new failures by hand::

    PRESIGNLAB_HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest tests/test_sigv4_properties.py

Each property test sets its own ``max_examples``; the profile only decides how examples are
chosen.
"""

from __future__ import annotations

import os

# botocore signs through the AWS Common Runtime when awscrt (the test extra's, for the local S3's
# checksums) is installed; the tests and notebooks expect botocore's own signers.
os.environ.setdefault("BOTO_DISABLE_CRT", "true")

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("PRESIGNLAB_HYPOTHESIS_PROFILE", "ci"))
