"""A reverse proxy serving an upstream under a path prefix, as nginx does with
``location /crm/ { proxy_pass http://upstream/; }``: it strips the prefix from the path
and passes the rest on unchanged (the Host the browser sent, cookies, the body), and the
upstream's answers back as they are (redirects and cookies are the upstream's to get right)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


def _handler(prefix: str, upstream: str) -> type[BaseHTTPRequestHandler]:
    client = httpx.Client(base_url=upstream, timeout=30)

    class Proxy(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            if not (self.path == prefix or self.path.startswith(prefix + "/")):
                self.send_error(404, "outside the proxied prefix")
                return
            length = int(self.headers.get("content-length") or 0)
            answer = client.request(
                self.command,
                self.path[len(prefix) :] or "/",
                content=self.rfile.read(length) if length else None,
                headers=[(k, v) for k, v in self.headers.items() if k.lower() not in HOP],
            )
            self.send_response(answer.status_code)
            for key, value in answer.headers.multi_items():
                if key.lower() not in HOP:
                    self.send_header(key, value)
            self.send_header("content-length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        def log_message(self, *args) -> None:
            pass

    return Proxy


@contextmanager
def prefix_proxy(prefix: str, upstream: str) -> Iterator[str]:
    """Yields the proxy's base URL (the prefix not included)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(prefix, upstream))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
