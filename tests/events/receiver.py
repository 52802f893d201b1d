"""A real HTTP receiver of webhooks, started by a test: records each request it gets, and
answers as the test says (``status``), after ``hold`` is set when ``holding``."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records every request; answers ``status`` (with ``reply`` as its body)."""

    status: int = 200
    reply: bytes = b"ok"
    holding: bool = False
    hold: threading.Event = field(default_factory=threading.Event)
    got: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                with receiver.lock:
                    receiver.got.append(Received(dict(self.headers), body, time.time()))
                if receiver.holding:
                    receiver.hold.wait(60)
                self.send_response(receiver.status)
                self.send_header("content-length", str(len(receiver.reply)))
                self.end_headers()
                self.wfile.write(receiver.reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stops answering (connections are refused) until ``start`` again, same port."""
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()

    def unique(self) -> dict[str, Received]:
        """The requests by webhook-id, the first of each (receivers dedupe by it)."""
        with self.lock:
            found: dict[str, Received] = {}
            for item in self.got:
                found.setdefault(item.headers["webhook-id"], item)
            return found
