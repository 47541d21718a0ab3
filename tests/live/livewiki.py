"""Helpers for tests against a real local MediaWiki: a fault-injecting proxy, fake sleep."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from wikitools.mediawiki import Credentials, Wiki

UA = "wikitools-tests/0.1 (https://example.org/wikitools-tests)"


@dataclass
class BotAccount:
    """A bot password on the session wiki."""

    credentials: Credentials
    high_limits: bool


class SleepRecorder:
    """A fake ``sleep`` that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@dataclass
class Fault:
    """What the proxy does instead of (or to) one forwarded request."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    raw: bytes | None = None
    """A non-JSON answer body (sent with the given status)."""
    drop: bool = False
    when_action: str | None = None
    """Only requests with this ``action`` trigger the fault."""
    before: Callable[[], None] | None = None
    """Run this (e.g. someone else's real edit), then forward the request unchanged."""
    drop_after: bool = False
    """Forward the request (the wiki does it), then drop the connection: the answer is lost."""


@dataclass
class Seen:
    method: str
    params: dict[str, str]
    headers: dict[str, str]


class FaultProxy:
    """Forwards requests to the wiki; queued faults replace the answers of matching requests."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.faults: list[Fault] = []
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.after_forward: Callable[[dict[str, str]], None] | None = None
        """Called with the params of every forwarded request once the wiki answered it."""
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                proxy.handle(self, "GET", b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                proxy.handle(self, "POST", self.rfile.read(length))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.api_url = f"http://127.0.0.1:{self.server.server_address[1]}/api.php"

    def inject(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _take(self, params: dict[str, str]) -> Fault | None:
        with self.lock:
            for index, fault in enumerate(self.faults):
                if fault.when_action is None or fault.when_action == params.get("action"):
                    return self.faults.pop(index)
        return None

    def handle(self, handler: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        query = urlsplit(handler.path).query
        params = dict(parse_qsl(query))
        content_type = handler.headers.get("Content-Type", "")
        if method == "POST" and "x-www-form-urlencoded" in content_type:
            params.update(parse_qsl(body.decode("utf-8")))
        elif method == "POST" and "multipart" in content_type:
            params["action"] = _multipart_action(body)
        self.seen.append(Seen(method, params, dict(handler.headers.items())))
        fault = self._take(params)
        if fault is not None and fault.before is not None:
            fault.before()
        if fault is not None and fault.drop:
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault is not None and (fault.status != 200 or fault.body or fault.raw is not None):
            payload = fault.raw if fault.raw is not None else json.dumps(fault.body or {}).encode()
            handler.send_response(fault.status)
            for name, value in fault.headers.items():
                handler.send_header(name, value)
            kind = "text/html" if fault.raw is not None else "application/json"
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
            return
        headers = {
            k: v
            for k, v in handler.headers.items()
            if k.lower() not in ("host", "content-length", "connection", "accept-encoding")
        }
        response = requests.request(
            method,
            self.upstream + ("?" + query if query else ""),
            data=body or None,
            headers=headers,
            timeout=60,
        )
        if self.after_forward is not None:
            self.after_forward(params)
        if fault is not None and fault.drop_after:
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        handler.send_response(response.status_code)
        for name, value in response.headers.items():
            if name.lower() not in (
                "content-length",
                "transfer-encoding",
                "connection",
                "content-encoding",
            ):
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(response.content)))
        handler.end_headers()
        handler.wfile.write(response.content)


def _multipart_action(body: bytes) -> str:
    match = re.search(rb'name="action"\r\n\r\n([^\r]*)', body)
    return match.group(1).decode() if match else ""


def export_xml(pages: dict[str, str]) -> bytes:
    """A minimal export-0.11 document holding one revision of each page."""
    from xml.sax.saxutils import escape

    body = "".join(
        f"<page><title>{escape(title)}</title><revision>"
        "<timestamp>2024-01-01T00:00:00Z</timestamp>"
        "<contributor><username>Importer</username></contributor>"
        "<model>wikitext</model><format>text/x-wiki</format>"
        f'<text xml:space="preserve">{escape(text)}</text></revision></page>'
        for title, text in pages.items()
    )
    return (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" '
        f'xml:lang="en">{body}</mediawiki>'
    ).encode()


def bulk_create(wiki: Wiki, pages: dict[str, str]) -> None:
    """Create many pages with one ``action=import`` request."""
    imported = wiki.import_xml(export_xml(pages), summary="test setup")
    assert {p.title for p in imported} == set(pages)
