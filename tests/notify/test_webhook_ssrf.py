"""Webhook SSRF: DNS rebinding, NAT64 and 6to4, and the check of the connected peer."""

import ipaddress
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction

from notify.http import UnsafeUrlError, address_allowed, url_check
from notify.models import OutboxMessage, Webhook, WebhookDelivery
from notify.outbox import outbox_message_process
from notify.services import webhooks_publish

pytestmark = pytest.mark.django_db

HOST = "hooks.example.test"


class Listener:
    """An HTTP endpoint on one loopback address, recording who called it."""

    def __init__(self, address: str, port: int = 0) -> None:
        self.requests: list[dict[str, str]] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                listener.requests.append(dict(self.headers))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"secret internal data")

            def log_message(self, *args):
                pass

        self.server = HTTPServer((address, port), Handler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class RebindingResolver:
    """getaddrinfo (the process edge) answering ``first`` once, then ``later``."""

    def __init__(self, first: str, later: str) -> None:
        self.answers = [first]
        self.later = later
        self.lookups: list[str] = []
        self.real = socket.getaddrinfo

    def __call__(self, host, port, *args, **kwargs):
        if host != HOST:
            return self.real(host, port, *args, **kwargs)
        self.lookups.append(host)
        address = self.answers.pop(0) if self.answers else self.later
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]


@pytest.fixture
def rebinding(settings, monkeypatch):
    """The vetted answer 127.0.0.2 (an allowed network here), then 127.0.0.1."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    settings.WEBHOOK_CONNECT_TIMEOUT = 1
    settings.WEBHOOK_READ_TIMEOUT = 2
    public = Listener("127.0.0.2")
    internal = Listener("127.0.0.1", public.port)
    resolver = RebindingResolver(first="127.0.0.2", later="127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    yield {"public": public, "internal": internal, "resolver": resolver}
    public.close()
    internal.close()


@pytest.mark.allow_hosts(["127.0.0.1", "127.0.0.2"])
def test_a_rebinding_dns_answer_never_reaches_loopback(rebinding):
    # given
    port = rebinding["public"].port
    webhook = Webhook.objects.create(
        name="ERP", url=f"http://{HOST}:{port}/hook", secret="s", events=["*"]
    )
    with transaction.atomic():
        webhooks_publish(event="order.created", payload={"order_id": 1})
    message = OutboxMessage.objects.get(topic="notify.webhook")

    # when
    outbox_message_process(message_id=message.pk)

    # then: one lookup, the connection went to the vetted address, Host kept
    assert rebinding["resolver"].lookups == [HOST]
    assert rebinding["internal"].requests == []
    [request] = rebinding["public"].requests
    assert request["Host"] == f"{HOST}:{port}"
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert (delivery.succeeded, delivery.status_code) == (True, 200)


@pytest.mark.allow_hosts(["127.0.0.1", "127.0.0.2"])
def test_the_second_lookup_of_a_rebinding_name_is_refused(rebinding):
    url = f"http://{HOST}:{rebinding['public'].port}/hook"

    assert url_check(url).addresses == ("127.0.0.2",)
    with pytest.raises(UnsafeUrlError, match="127.0.0.1"):
        url_check(url)


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("64:ff9b::7f00:1", False),  # NAT64 to 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 to 10.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 to 169.254.169.254 (cloud metadata)
        ("64:ff9b::808:808", True),  # NAT64 to 8.8.8.8
        ("64:ff9b:1:7f00:0:100::", False),  # local-use NAT64 /48 to 127.0.0.1
        ("64:ff9b:1:808:8:800::", True),  # local-use NAT64 /48 to 8.8.8.8
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2002:c0a8:101::1", False),  # 6to4 of 192.168.1.1
        ("2002:808:808::1", True),  # 6to4 of 8.8.8.8
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::1", False),
        ("2606:4700:4700::1111", True),
    ],
)
def test_translated_ipv6_addresses_are_as_public_as_their_ipv4(address, allowed):
    assert address_allowed(ipaddress.ip_address(address)) is allowed


def test_a_url_resolving_to_a_nat64_loopback_is_refused(monkeypatch):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("64:ff9b::7f00:1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)

    with pytest.raises(UnsafeUrlError, match="non-public"):
        url_check("https://nat64.example.test/hook")


class WorkerKilled(BaseException):
    """What the process sees when the worker is killed: not an Exception."""


def test_a_worker_killed_mid_request_leaves_a_committed_attempt(
    committed_db, settings, monkeypatch
):
    # given: a receiver, and a worker that dies while it writes the request
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    receiver = Listener("127.0.0.1")
    webhook = Webhook.objects.create(
        name="ERP",
        url=f"http://127.0.0.1:{receiver.port}/hook",
        secret="s",
        events=["*"],
    )

    def killed(self, *args, **kwargs):
        raise WorkerKilled()

    monkeypatch.setattr(socket.socket, "sendall", killed)

    # when: the delivery runs after the commit (immediate queue) and dies
    try:
        with pytest.raises(WorkerKilled), transaction.atomic():
            webhooks_publish(event="order.created", payload={"order_id": 7})
    finally:
        monkeypatch.undo()
        receiver.close()

    # then: the attempt is on record, and the row is claimed for a later retry
    message = OutboxMessage.objects.get(topic="notify.webhook")
    attempt = WebhookDelivery.objects.get(webhook=webhook)
    assert attempt.outbox_message == message
    assert (attempt.attempt, attempt.succeeded, attempt.status_code) == (1, False, None)
    assert "interrupted" in attempt.error
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.available_at > message.created_at


def test_https_connections_keep_the_hostname_for_sni_and_the_certificate():
    from notify.http import PinnedAddressAdapter

    adapter = PinnedAddressAdapter("93.184.215.14")
    pool = adapter.poolmanager.connection_from_url(f"https://{HOST}/hook")
    connection = pool.ConnectionCls(host=pool.host, port=pool.port)

    # urllib3 sends SNI and matches the certificate against ``host``.
    assert (connection.host, connection.port) == (HOST, 443)
    assert connection.server_hostname is None
    assert connection.assert_hostname is None
    assert connection.pinned_address == "93.184.215.14"


def test_a_connection_to_a_peer_that_is_not_allowed_is_dropped_before_sending(
    settings,
):
    # given a receiver on loopback, and a pinned adapter handed that address although
    # loopback is not an allowed network (the vetting was bypassed or went stale)
    import requests

    from notify.http import PinnedAddressAdapter

    settings.WEBHOOK_ALLOWED_NETWORKS = []
    internal = Listener("127.0.0.1")
    try:
        with requests.Session() as session:
            session.trust_env = False
            session.mount("http://", PinnedAddressAdapter("127.0.0.1"))

            # when
            with pytest.raises(requests.ConnectionError) as refused:
                session.post(
                    f"http://{HOST}:{internal.port}/hook", data=b"{}", timeout=2
                )
    finally:
        internal.close()

    # then the socket was closed after connecting, before a byte of the request
    assert "Connected to 127.0.0.1, a non-public address" in str(refused.value)
    assert internal.requests == []
