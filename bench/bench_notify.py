"""What a notification costs: importing apprise and loading its plugins (in fresh processes),
and the forked child that bounds each attempt (median of several runs).

    .venv/bin/python bench/bench_notify.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Time it as users run it, with compiled bytecode (this workplace's shells turn it off).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

FRESH = """
import time
start = time.perf_counter()
import apprise
imported = time.perf_counter()
apprise.Apprise().add("json://127.0.0.1:9/hook")
print(imported - start, time.perf_counter() - imported)
"""


class _Ok(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def fresh_process(runs: int) -> tuple[list[float], list[float]]:
    imports, loads = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", FRESH], capture_output=True, text=True, check=True
        ).stdout
        imported, loaded = (float(value) for value in out.split())
        imports.append(imported)
        loads.append(loaded)
    return imports, loads


def attempts(runs: int) -> tuple[list[float], list[float]]:
    """One webhook POST to a local server, in this process and in a bounded child."""
    from pmctl.adapters import webhook
    from pmctl.adapters.delivery import bounded

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"

    def post() -> None:
        webhook.post_json(url, {"text": "bench"}, timeout=5)

    direct, forked = [], []
    post()  # warm up
    for _ in range(runs):
        start = time.perf_counter()
        post()
        direct.append(time.perf_counter() - start)
        start = time.perf_counter()
        bounded(post, seconds=5, what="webhook")
        forked.append(time.perf_counter() - start)
    server.shutdown()
    return direct, forked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    imports, loads = fresh_process(runs)
    direct, forked = attempts(runs)
    print(f"{'what':45} {'median ms':>9} {'min ms':>7} {'max ms':>7}")
    for what, times in (
        ("import apprise (fresh process)", imports),
        ("load its plugins (first Apprise.add)", loads),
        ("webhook POST to 127.0.0.1, in process", direct),
        ("the same, in a bounded (forked) child", forked),
    ):
        milliseconds = [1000 * t for t in times]
        print(
            f"{what:45} {statistics.median(milliseconds):9.1f} "
            f"{min(milliseconds):7.1f} {max(milliseconds):7.1f}"
        )


if __name__ == "__main__":
    main()
