"""Webhook receiver of `just bench-outbox-lag`: answers 204 at once and records, for every
delivery, the time it arrived minus the event's `occurred_at` (the outbox lag: commit,
feed visibility, dispatch and the HTTP hop). Prints a summary on SIGTERM.

usage: lag_receiver.py PORT OUT_JSON
"""
import json
import signal
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lags_ms = []
ids = set()
lock = threading.Lock()


def occurred(text):
    # RFC 3339 with up to nanoseconds; Python parses at most microseconds.
    text = text.replace("Z", "+00:00")
    head, _, tail = text.partition(".")
    if tail:
        digits = "".join(c for c in tail if c.isdigit())
        zone = tail[len(digits):]
        text = f"{head}.{digits[:6].ljust(6, '0')}{zone}"
    return datetime.fromisoformat(text).timestamp()


class Receiver(BaseHTTPRequestHandler):
    # Keep-alive: the worker reuses its connections, as it would with a real receiver.
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        arrived = time.time()
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
        try:
            event = json.loads(body)
            lag = (arrived - occurred(event["occurred_at"])) * 1000
        except (ValueError, KeyError):
            return
        with lock:
            if event.get("id") not in ids:
                ids.add(event.get("id"))
                lags_ms.append(lag)

    def log_message(self, *args):
        pass


def summary(out):
    with lock:
        values = sorted(lags_ms)
    pick = lambda q: round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None
    result = {"events": len(values), "p50_ms": pick(0.50), "p95_ms": pick(0.95),
              "p99_ms": pick(0.99), "max_ms": round(values[-1], 1) if values else None}
    with open(out, "w") as f:
        json.dump(result, f)


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    # A deep accept queue: a worker sends a whole batch at once.
    ThreadingHTTPServer.request_queue_size = 1024
    server = ThreadingHTTPServer(("127.0.0.1", port), Receiver)

    def stop(*_):
        summary(out)
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGUSR1, lambda *_: summary(out))
    server.serve_forever()


if __name__ == "__main__":
    main()
