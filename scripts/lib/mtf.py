"""Shared by backup_restore.py and scale_out.py: start a server, call its API, read its
database with psql. Standard library + psql only."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def embedded_url(data_dir):
    return f"host={data_dir}/postgres port=5432 user=mtf dbname=mtf"


class Report:
    """Markdown lines, and the names of the failed checks."""

    def __init__(self):
        self.lines, self.failed = [], []

    def say(self, text=""):
        print(text, flush=True)
        self.lines.append(text)

    def check(self, name, ok, detail=""):
        self.say(f"- {'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
        if not ok:
            self.failed.append(name)

    def write(self, path):
        with open(path, "w") as out:
            out.write("\n".join(self.lines) + "\n")


def sql(url, query):
    """One value (or `|`-separated rows) from the database at `url`."""
    return subprocess.run(["psql", url, "-At", "-v", "ON_ERROR_STOP=1", "-c", query],
                          check=True, capture_output=True, text=True).stdout.strip()


class Server:
    """One `mt-facturation` process; `env` adds to the environment."""

    def __init__(self, binary, log_path, token, env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/api/v1"
        self.token = token
        full = dict(os.environ, MTF_BIND=f"127.0.0.1:{self.port}", MTF_BOOTSTRAP_ADMIN_TOKEN=token,
                    MTF_DUNNING_SCHEDULE="off", RUST_LOG="warn")
        full.update(env)
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen([binary], env=full, stdout=self.log, stderr=self.log)
        started = time.monotonic()
        while time.monotonic() - started < 120:
            if self.process.poll() is not None:
                raise SystemExit(f"server exited with {self.process.returncode}; see {log_path}")
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise SystemExit(f"server did not become healthy; see {log_path}")

    def call(self, method, path, body=None, key=None, timeout=120):
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")
        except (urllib.error.URLError, OSError, ConnectionError) as error:
            return 0, str(error)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
        self.log.close()


def seed_sql(url, clients, invoices_per_client):
    """The benchmark base (scripts/bench/seed.sql): clients with one active contract each."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "seed.sql")
    subprocess.run(["psql", url, "-q", "-v", f"clients={clients}",
                    "-v", f"invoices_per_client={invoices_per_client}", "-f", script],
                   check=True, capture_output=True)


def numbering_gaps(url, prefix, column, table):
    """Years whose numbers are not exactly 1..count, once each ('' when none)."""
    return sql(url, f"SELECT coalesce(string_agg(y || ': max ' || mx || ' count ' || n, '; '), '') FROM "
                    f"(SELECT split_part({column}, '-', 2) AS y, max(split_part({column}, '-', 3)::bigint) AS mx, "
                    f"count(*) AS n, count(DISTINCT {column}) AS d FROM {table} "
                    f"WHERE {column} LIKE '{prefix}-%' GROUP BY 1) s WHERE mx <> n OR d <> n")
