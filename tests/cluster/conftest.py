"""The S3-compatible object store the cluster shares: the test run's moto server."""

import uuid

import pytest

from tests import s3_server
from tests.conftest import S3_BUCKET


@pytest.fixture(scope="module")
def object_store(s3_endpoint) -> dict:
    """What every process of the cluster is told about the store (a prefix of its own)."""
    return {
        "STORAGE_URL": f"s3://{S3_BUCKET}/cluster-{uuid.uuid4().hex}",
        "S3_ENDPOINT_URL": s3_endpoint,
        **s3_server.CREDENTIALS,
    }
