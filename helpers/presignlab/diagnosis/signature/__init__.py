"""The signature search: which change reproduces a URL's signature, and how sure that is.

- :mod:`.search`: the search within a time budget;
- :mod:`.candidates`: the changes it tries, most common causes first;
- :mod:`.echo`: what S3 echoed in a SignatureDoesNotMatch body;
- :mod:`.explain`: the evidence for a mismatch, and how confident a finding may be.
"""
