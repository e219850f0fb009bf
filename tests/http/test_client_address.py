"""The client behind reverse proxies: its real address counts, never one it claims itself."""

import pytest

from app import create_app
from config import TestingConfig

PROXY = "10.0.0.5"


def client_of(database_url, tmp_path, **settings):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": tmp_path,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "PUBLIC_LOOKUP_RATE_LIMIT": "2 per minute",
            **settings,
        },
    )
    return app.test_client()


def lookup(client, forwarded_for=None, remote=PROXY):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.get("/v/unknown", headers=headers, environ_base={"REMOTE_ADDR": remote})


def test_without_trusted_proxies_a_forwarded_address_buys_no_new_allowance(database_url, tmp_path):
    client = client_of(database_url, tmp_path)
    statuses = [lookup(client, f"203.0.113.{n}").status_code for n in range(3)]
    assert statuses == [404, 404, 429]
    # Another connecting address is another client.
    assert lookup(client, remote="198.51.100.7").status_code == 404


def test_behind_a_trusted_proxy_each_real_client_has_its_own_allowance(database_url, tmp_path):
    client = client_of(database_url, tmp_path, TRUSTED_PROXIES=1)
    assert [lookup(client, "203.0.113.1").status_code for _ in range(3)] == [404, 404, 429]
    # One busy office does not lock out the country: another client behind the same proxy.
    assert lookup(client, "203.0.113.2").status_code == 404
    # A client that forges the header gets the proxy's appended (real) entry counted, not its own.
    assert lookup(client, "192.0.2.99, 203.0.113.1").status_code == 429


@pytest.mark.parametrize(
    ("hops", "forwarded", "scheme"), [(0, "https", "http"), (1, "https", "https")]
)
def test_the_forwarded_scheme_is_believed_only_from_a_trusted_proxy(
    database_url, tmp_path, hops, forwarded, scheme
):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": tmp_path,
            "TRUSTED_PROXIES": hops,
        },
    )
    seen = {}

    @app.get("/_scheme_probe")
    def probe():
        from flask import request

        seen["scheme"], seen["address"] = request.scheme, request.remote_addr
        return ""

    app.test_client().get(
        "/_scheme_probe",
        headers={"X-Forwarded-Proto": forwarded, "X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": PROXY},
    )
    assert seen["scheme"] == scheme
    assert seen["address"] == ("203.0.113.9" if hops else PROXY)


def test_behind_proxies_two_app_servers_share_each_clients_allowance_in_redis(
    database_url, tmp_path, redis_url
):
    """Two app servers (two app objects) behind two balancer nodes, limits kept in Redis."""
    servers = [
        client_of(database_url, tmp_path / name, TRUSTED_PROXIES=1, RATELIMIT_STORAGE_URI=redis_url)
        for name in ("a", "b")
    ]
    client = "203.0.113.50"
    statuses = [
        lookup(server, client, remote=balancer).status_code
        for server, balancer in ((servers[0], "10.0.0.5"), (servers[1], "10.0.0.6"))
    ]
    statuses.append(lookup(servers[0], client, remote="10.0.0.6").status_code)
    assert statuses == [404, 404, 429]
    assert lookup(servers[1], "203.0.113.51", remote="10.0.0.5").status_code == 404
