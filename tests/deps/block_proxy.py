"""A loopback proxy before a real wiki that blocks the account after N writes (a fault the
real server cannot be made to produce halfway through a run)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import requests

_HOP = {"host", "content-length", "connection", "transfer-encoding", "accept-encoding"}
_WRITES = ("edit", "import")


def _action(body: bytes, content_type: str) -> str | None:
    if "x-www-form-urlencoded" in content_type:
        return dict(parse_qsl(body.decode("utf-8"))).get("action")
    if "multipart" in content_type:
        marker = b'name="action"\r\n\r\n'
        start = body.find(marker)
        if start >= 0:
            end = body.find(b"\r\n", start + len(marker))
            return body[start + len(marker) : end].decode("utf-8")
    return None


class BlockedAfter:
    """Forwards to ``upstream``; after ``writes`` edits/imports, answers ``blocked``."""

    def __init__(self, upstream: str, writes: int, delay: float = 0.0) -> None:
        self.upstream = upstream.rsplit("/", 1)[0]
        self.delay = delay
        """Seconds each write waits before it is forwarded (a slow wiki)."""
        self.remaining = writes
        self.refused = 0
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                proxy.forward(self, "GET", b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                proxy.forward(self, "POST", self.rfile.read(length))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.api_url = f"http://127.0.0.1:{self.server.server_address[1]}/api.php"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def forward(self, handler: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        action = _action(body, handler.headers.get("Content-Type", "")) if body else None
        if action in _WRITES:
            with self.lock:
                refuse = self.remaining <= 0
                self.remaining -= 1
            if self.delay:
                time.sleep(self.delay)
            if refuse:
                self.refused += 1
                error = {"error": {"code": "blocked", "info": "You have been blocked."}}
                self._answer(
                    handler,
                    200,
                    {"Content-Type": "application/json"},
                    [],
                    json.dumps(error).encode(),
                )
                return
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in _HOP}
        answer = requests.request(
            method, self.upstream + handler.path, data=body or None, headers=headers, timeout=120
        )
        cookies = answer.raw.headers.getlist("Set-Cookie")
        kept = {"Content-Type": answer.headers.get("Content-Type", "application/json")}
        self._answer(handler, answer.status_code, kept, cookies, answer.content)

    @staticmethod
    def _answer(
        handler: BaseHTTPRequestHandler,
        status: int,
        headers: dict[str, str],
        cookies: list[str],
        body: bytes,
    ) -> None:
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        for cookie in cookies:
            handler.send_header("Set-Cookie", cookie)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
