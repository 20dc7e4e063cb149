"""Shared pytest set-up: the hypothesis profiles, the ``local_s3`` and ``moto_endpoint`` fixtures.

``ci`` (the default) is reproducible: examples are derived from each test's name
(``derandomize``), nothing is read from or written to an example database, and there is no
per-example deadline (a 2-core CI machine is slow and noisy). ``explore`` is random with the
local database, for hunting new failures by hand::

    PRESIGNLAB_HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest tests/signing/test_sigv4_properties.py

Each property test sets its own ``max_examples``; the profile only decides how examples are
chosen.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

if TYPE_CHECKING:
    from presignlab.locals3.server import LocalS3

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("PRESIGNLAB_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def local_s3() -> Iterator[LocalS3]:
    """A fresh, running LocalS3 (empty state) with a short socket timeout."""
    from presignlab.locals3.server import LocalS3

    with LocalS3(socket_timeout=3) as server:
        yield server


@pytest.fixture
def moto_endpoint() -> Iterator[str]:
    """A raw moto server (moto's own ThreadedMotoServer, no strict layer) on 127.0.0.1."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
