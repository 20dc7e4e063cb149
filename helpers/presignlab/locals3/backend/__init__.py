"""The backend: moto, and the only package of the strict local S3 that imports it.

:mod:`.moto_app` hands moto's S3, IAM and STS applications requests rebuilt from the decided
:class:`~presignlab.locals3.wire.request.S3Request` (never the client's bytes);
:mod:`.errors` turns moto's refusals into the catalogue's answers in AWS's words (MPU-06);
:mod:`.multipart` makes S3's upload-id and completion checks before moto; :mod:`.encryption`
holds the SSE-S3 default rule GetBucketEncryption answers; :mod:`.state` reads and sets the
bucket state the other stages need; :mod:`.iam` reads IAM users, keys, roles and STS sessions;
:mod:`.objects` stores what the layer received itself (presigned POST uploads, large PutObject
bodies).
"""
