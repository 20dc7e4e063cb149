"""LocalS3 lifecycle, isolation, and the ordinary S3 operations through boto3 and requests."""

from __future__ import annotations

import json

import pytest
import requests
from botocore.exceptions import ClientError

from presignlab.locals3.server import LocalS3
from support.locals3 import error_code

BUCKET = "presign-lab-test"


def test_start_stop_and_one_call() -> None:
    server = LocalS3()
    assert not server.running
    with pytest.raises(RuntimeError):
        _ = server.endpoint_url
    with server:
        assert server.endpoint_url.startswith("http://127.0.0.1:")
        assert server.client().list_buckets()["Buckets"] == []
    assert not server.running


def test_only_one_local_s3_per_process(local_s3: LocalS3) -> None:
    with pytest.raises(RuntimeError, match="already running"):
        LocalS3().start()
    assert LocalS3.current() is local_s3
    assert local_s3.start() is local_s3


def test_no_current_local_s3_after_stop() -> None:
    with LocalS3():
        pass
    assert LocalS3.current() is None


def test_each_start_begins_empty() -> None:
    with LocalS3() as first:
        first.client().create_bucket(Bucket=BUCKET)
    with LocalS3() as second:
        assert second.client().list_buckets()["Buckets"] == []


def test_repr_and_attributes_hide_the_secret(local_s3: LocalS3) -> None:
    assert local_s3.access_key_id == "AKIAIOSFODNN7EXAMPLE"
    assert local_s3.account_id == "123456789012"
    assert local_s3.secret_access_key not in repr(local_s3)
    assert local_s3.secret_access_key not in repr(local_s3.store.lookup(local_s3.access_key_id))


def test_root_keys_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESIGNLAB_ROOT_ACCESS_KEY_ID", "AKIAEXAMPLEROOT00001")
    monkeypatch.setenv("PRESIGNLAB_ROOT_SECRET_ACCESS_KEY", "s" * 40)
    with LocalS3() as server:
        assert server.access_key_id == "AKIAEXAMPLEROOT00001"
        server.client().create_bucket(Bucket=BUCKET)
        wrong = server.client(
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        with pytest.raises(ClientError) as info:
            wrong.list_buckets()
        assert info.value.response["Error"]["Code"] == "InvalidAccessKeyId"


def test_buckets_with_location_constraint(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.create_bucket(
        Bucket="presign-lab-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    names = sorted(b["Name"] for b in s3.list_buckets()["Buckets"])
    assert names == ["presign-lab-eu", BUCKET]
    assert s3.get_bucket_location(Bucket="presign-lab-eu")["LocationConstraint"] == "eu-west-1"
    eu = local_s3.client(region_name="eu-west-1")
    eu.put_object(Bucket="presign-lab-eu", Key="k", Body=b"x")
    wrong_region = s3.generate_presigned_url(
        "put_object", Params={"Bucket": "presign-lab-eu", "Key": "k2"}
    )
    answer = requests.put(wrong_region, data=b"x", timeout=10)
    assert (
        answer.status_code == 400
        and error_code(answer.content) == "AuthorizationQueryParametersError"
    )
    assert b"<Region>eu-west-1</Region>" in answer.content
    eu.delete_object(Bucket="presign-lab-eu", Key="k")
    eu.delete_bucket(Bucket="presign-lab-eu")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == [BUCKET]


def test_bucket_configuration_round_trips(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    rule = {
        "AllowedMethods": ["PUT", "GET"],
        "AllowedOrigins": ["http://localhost:8888"],
        "AllowedHeaders": ["*"],
        "ExposeHeaders": ["ETag"],
        "MaxAgeSeconds": 300,
    }
    s3.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [rule]})
    assert s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"][0]["AllowedMethods"] == ["PUT", "GET"]
    s3.put_public_access_block(
        Bucket=BUCKET,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    got = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert got["BlockPublicPolicy"] is False and got["BlockPublicAcls"] is True
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    assert (
        json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"][0]["Action"]
        == "s3:GetObject"
    )
    s3.put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}
    )
    rules = s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "ObjectWriter"}]


def test_objects_put_get_list_delete(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="dir/a b+c.txt", Body=b"hello", ContentType="text/plain")
    got = s3.get_object(Bucket=BUCKET, Key="dir/a b+c.txt")
    assert got["Body"].read() == b"hello" and got["ContentType"] == "text/plain"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == ["dir/a b+c.txt"]
    s3.delete_object(Bucket=BUCKET, Key="dir/a b+c.txt")
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_presigned_put_and_get_through_requests(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    put_url = s3.generate_presigned_url(
        "put_object",
        Params={"Bucket": BUCKET, "Key": "up.txt", "ContentType": "text/plain"},
        ExpiresIn=300,
    )
    answer = requests.put(
        put_url, data=b"uploaded", headers={"Content-Type": "text/plain"}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "up.txt"})
    answer = requests.get(get_url, timeout=10)
    assert answer.status_code == 200 and answer.content == b"uploaded"
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_presigned_url_expires_with_the_clock(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "late.txt"}, ExpiresIn=60
    )
    local_s3.clock.advance(minutes=5)
    answer = requests.put(url, data=b"late", timeout=10)
    assert answer.status_code == 403
    assert error_code(answer.content) == "AccessDenied" and b"Request has expired" in answer.content
    assert answer.headers["x-amz-request-id"].encode() in answer.content
    local_s3.clock.resume()
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


def test_multipart_upload_with_presigned_part_urls(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    upload_id = s3.create_multipart_upload(Bucket=BUCKET, Key="big.bin")["UploadId"]
    parts = []
    for number, data in enumerate([b"a" * (5 * 1024 * 1024), b"b" * 1024], start=1):
        url = s3.generate_presigned_url(
            "upload_part",
            Params={
                "Bucket": BUCKET,
                "Key": "big.bin",
                "UploadId": upload_id,
                "PartNumber": number,
            },
        )
        answer = requests.put(url, data=data, timeout=30)
        assert answer.status_code == 200, answer.text
        parts.append({"PartNumber": number, "ETag": answer.headers["ETag"]})
    s3.complete_multipart_upload(
        Bucket=BUCKET, Key="big.bin", UploadId=upload_id, MultipartUpload={"Parts": parts}
    )
    assert s3.head_object(Bucket=BUCKET, Key="big.bin")["ContentLength"] == 5 * 1024 * 1024 + 1024


def test_upload_fileobj_and_signed_payload(local_s3: LocalS3) -> None:
    import io

    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.upload_fileobj(io.BytesIO(b"z" * 1000), BUCKET, "f.bin")
    assert s3.get_object(Bucket=BUCKET, Key="f.bin")["Body"].read() == b"z" * 1000


def test_no_log_noise_on_stdout_or_stderr(
    local_s3: LocalS3, capfd: pytest.CaptureFixture[str]
) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    url = s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "quiet.txt"})
    assert requests.put(url, data=b"x", timeout=10).status_code == 200
    assert requests.put(url + "0", data=b"x", timeout=10).status_code == 403
    local_s3.client("iam").create_user(UserName="quiet")
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_virtual_host_addressing_on_localhost(local_s3: LocalS3) -> None:
    from botocore.config import Config

    local_s3.client().create_bucket(Bucket=BUCKET)
    vhost = local_s3.client(
        endpoint_url=f"http://localhost:{local_s3.port}",
        config=Config(s3={"addressing_style": "virtual"}),
    )
    url = vhost.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": "v.txt"})
    host = f"{BUCKET}.localhost:{local_s3.port}"
    assert url.startswith(f"http://{host}/v.txt?")
    answer = requests.put(
        url.replace(host, f"127.0.0.1:{local_s3.port}"),
        data=b"vh",
        headers={"Host": host},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert local_s3.client().get_object(Bucket=BUCKET, Key="v.txt")["Body"].read() == b"vh"


def test_sigv2_presigned_put_and_expiry(local_s3: LocalS3) -> None:
    from botocore.config import Config

    local_s3.client().create_bucket(Bucket=BUCKET)
    v2 = local_s3.client(config=Config(signature_version="s3"))
    url = v2.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "v2.txt"}, ExpiresIn=60
    )
    assert "Signature=" in url and "X-Amz-" not in url
    assert requests.put(url, data=b"two", timeout=10).status_code == 200
    local_s3.clock.advance(minutes=2)
    answer = requests.put(url, data=b"two", timeout=10)
    assert answer.status_code == 403 and b"Request has expired" in answer.content


def test_concurrent_presigned_puts(local_s3: LocalS3) -> None:
    from concurrent.futures import ThreadPoolExecutor

    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    urls = [
        s3.generate_presigned_url("put_object", Params={"Bucket": BUCKET, "Key": f"c{i}.txt"})
        for i in range(16)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(
            pool.map(lambda u: requests.put(u, data=b"c" * 4096, timeout=20).status_code, urls)
        )
    assert statuses == [200] * 16
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 16


def test_metadata_name_with_underscore_is_signed_as_sent(local_s3: LocalS3) -> None:
    s3 = local_s3.client()
    s3.create_bucket(Bucket=BUCKET)
    url = s3.generate_presigned_url(
        "put_object", Params={"Bucket": BUCKET, "Key": "m.txt", "Metadata": {"my_tag": "v1"}}
    )
    answer = requests.put(url, data=b"m", headers={"x-amz-meta-my_tag": "v1"}, timeout=10)
    assert answer.status_code == 200, answer.text
    assert s3.head_object(Bucket=BUCKET, Key="m.txt")["Metadata"] == {"my_tag": "v1"}


def test_port_in_use_is_a_clear_error(capfd: pytest.CaptureFixture[str]) -> None:
    import socket

    from presignlab.locals3.wire.http_server import ServerBindError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ServerBindError, match=f"127.0.0.1:{port}"):
            LocalS3(port=port).start()
    assert LocalS3.current() is None
    assert capfd.readouterr().err == ""
