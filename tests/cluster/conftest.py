"""The S3-compatible object store the cluster shares: moto's standalone server on loopback."""

import os
import time

import boto3
import pytest
import requests

from tests.cluster import processes

BUCKET = "avala-cluster"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "cluster-test",
    "AWS_SECRET_ACCESS_KEY": "cluster-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(scope="module")
def object_store(tmp_path_factory):
    if not (processes.BIN / "moto_server").exists():
        if os.environ.get("CI"):
            pytest.fail("moto[server] must be installed in CI (requirements-dev.txt)")
        pytest.skip("install moto[server] to run the cluster test")
    port = processes.free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = processes.start(
        "object-store",
        [str(processes.BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        {},
        tmp_path_factory.mktemp("object-store"),
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(endpoint, timeout=1)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, server.output()
                time.sleep(0.1)
        boto3.client("s3", endpoint_url=endpoint, **_boto(CREDENTIALS)).create_bucket(Bucket=BUCKET)
        yield {
            "STORAGE_URL": f"s3://{BUCKET}/avala",
            "S3_ENDPOINT_URL": endpoint,
            **CREDENTIALS,
        }
    finally:
        server.stop()


def _boto(credentials: dict) -> dict:
    return {
        "aws_access_key_id": credentials["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": credentials["AWS_SECRET_ACCESS_KEY"],
        "region_name": credentials["AWS_DEFAULT_REGION"],
    }
