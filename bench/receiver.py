"""A webhook receiver for bench/events.py, in a process of its own: appends
"<webhook-id> <arrival time>" per request to the file named by its first argument and
listens on the port named by its second."""

from __future__ import annotations

import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["content-length"]))
        OUT.write(f"{self.headers['webhook-id']} {time.time()}\n")
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


with open(sys.argv[1], "a", buffering=1) as OUT:
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler).serve_forever()
