"""A folder of files served on 127.0.0.1 for the benchmarks, quietly, in a thread of the benchmark's process."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path, port: int = 0) -> ThreadingHTTPServer:
    """Serve `folder` on 127.0.0.1:`port` (0: any free port) until `.shutdown()`."""
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_QuietHandler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
