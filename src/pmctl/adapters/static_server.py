"""A static file server on 127.0.0.1 for previewing the site (`pmctl site serve`).

Loopback only: the preview is for the person at this machine, not for the network.
"""

from __future__ import annotations

import sys
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        try:
            return super().send_head()
        except ValueError:  # a NUL in the path (`/index.html%00`), which `open` refuses:
            # the request went unanswered, and a traceback was printed on the terminal
            self.send_error(HTTPStatus.NOT_FOUND)
            return None


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that goes away mid-answer is no error worth a traceback on the terminal
        (the standard library prints one for every exception of a request)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StaticServer:
    """Serves `directory` in a background thread until `close`."""

    def __init__(self, directory: Path, port: int) -> None:
        from pmctl.errors import UsageError

        handler = partial(_Quiet, directory=str(directory))
        try:
            self._server = _Server((HOST, port), handler)
        except OSError as error:
            raise UsageError(
                f"cannot listen on {HOST}:{port}: {error.strerror or error}",
                hint="choose another --port, or 0 for any free one",
            ) from None
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}/"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
