"""TLS verification stays on: a self-signed server is refused with a clear message."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import trustme

from wikitools.errors import HttpError
from wikitools.mediawiki import Wiki


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"batchcomplete": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def https_server() -> Iterator[str]:
    # A certificate from a throwaway CA that no trust store knows: what a self-signed or
    # intercepted wiki looks like to the client.
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    server = HTTPServer(("127.0.0.1", 0), _Hello)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/api.php"
    finally:
        server.shutdown()
        server.server_close()


def test_self_signed_certificates_are_refused(https_server: str) -> None:
    wiki = Wiki(https_server, user_agent="wikitools-tests/0.1 (tls)")
    with pytest.raises(HttpError, match="TLS certificate verification failed"):
        wiki.request({"action": "query"})


@pytest.fixture
def plain_server() -> Iterator[int]:
    """A plain-HTTP server: what a wiki without TLS answers on its port."""
    server = HTTPServer(("127.0.0.1", 0), _Hello)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_https_to_a_plain_http_server_is_not_called_a_certificate_failure(
    plain_server: int,
) -> None:
    wiki = Wiki(f"https://127.0.0.1:{plain_server}/api.php", user_agent="wikitools-tests/0.1")
    with pytest.raises(HttpError) as raised:
        wiki.request({"action": "query"})
    message = str(raised.value)
    assert f"the server does not speak TLS on https://127.0.0.1:{plain_server}" in message
    assert "certificate" not in message
