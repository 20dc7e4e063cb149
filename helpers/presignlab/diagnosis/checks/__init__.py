"""The diagnosis's checks, one module per kind of evidence.

- :mod:`.request`: what the URL and the request alone tell;
- :mod:`.answer`: what S3's error body says (every Code maps to a finding);
- :mod:`.access_denied`: S3's AccessDenied messages read;
- :mod:`.endpoint`: redirects and region errors;
- :mod:`.integrity`: the body's length and checksums;
- :mod:`.preflight` and :mod:`.cors_rules`: CORS preflights against S3's answer and a bucket's rules.
"""
