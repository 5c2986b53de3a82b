#!/usr/bin/env python3
"""Crash-safety check (`just chaos`): SIGKILLs the server in the middle of (a) a billing run and
(b) a burst of concurrent payments, restarts it on the same data, retries every request with
its Idempotency-Key, then checks the books with SQL. Standard library + psql only.

Usage: chaos.py BINARY DATA_DIR REPORT_FILE
Environment: CHAOS_CONTRACTS (30000), CHAOS_PAYMENTS (1500), CHAOS_PORT (a free one).
Exits non-zero when any invariant is broken.
"""
import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

BIN, DATA, REPORT = sys.argv[1], sys.argv[2], sys.argv[3]
CONTRACTS = int(os.environ.get("CHAOS_CONTRACTS", "30000"))
PAYMENTS = int(os.environ.get("CHAOS_PAYMENTS", "1500"))
def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(os.environ.get("CHAOS_PORT") or free_port())
BASE = f"http://127.0.0.1:{PORT}/api/v1"
TOKEN = f"chaos-admin-{uuid.uuid4().hex}"
DB = f"host={DATA}/postgres port=5432 user=mtf dbname=mtf"
LINES = []
FAILED = []
SERVER = [None]


def say(text=""):
    print(text, flush=True)
    LINES.append(text)


def check(name, ok, detail=""):
    say(f"- {'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")
    if not ok:
        FAILED.append(name)


def sql(query):
    """One value (or rows of `|`-separated values) from the embedded cluster."""
    out = subprocess.run(["psql", DB, "-At", "-v", "ON_ERROR_STOP=1", "-c", query],
                         check=True, capture_output=True, text=True).stdout.strip()
    return out


def start():
    env = dict(os.environ, MTF_DATA_DIR=DATA, MTF_BIND=f"127.0.0.1:{PORT}",
               MTF_BOOTSTRAP_ADMIN_TOKEN=TOKEN, MTF_DUNNING_SCHEDULE="off", RUST_LOG="warn")
    log = open(os.path.join(DATA, "server.log"), "ab")
    SERVER[0] = subprocess.Popen([BIN], env=env, stdout=log, stderr=log)
    started = time.monotonic()
    while time.monotonic() - started < 120:
        try:
            with urllib.request.urlopen(f"{BASE}/health", timeout=1) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, OSError):
            pass
        if SERVER[0].poll() is not None:
            sys.exit(f"server exited with {SERVER[0].returncode}; see {DATA}/server.log")
        time.sleep(0.1)
    sys.exit("server did not become healthy")


def kill():
    SERVER[0].send_signal(signal.SIGKILL)
    SERVER[0].wait()


def stop():
    if SERVER[0] and SERVER[0].poll() is None:
        SERVER[0].terminate()
        SERVER[0].wait()


def call(method, path, body=None, key=None, timeout=600):
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null"), error.headers
    except (urllib.error.URLError, OSError, ConnectionError) as error:
        return 0, str(error), {}


def retry_until_done(method, path, body, key):
    """A client's retry loop: same key and body until a final answer (409 = still running)."""
    for _ in range(600):
        status, payload, headers = call(method, path, body, key)
        if status not in (0, 409, 503):
            return status, payload, headers
        time.sleep(0.1)
    return status, payload, headers


def seed():
    say(f"Seeding through the API: 1 offer, 1 client, 1 provisioned contract; through SQL: "
        f"{CONTRACTS} clients with one line and one active contract each, 2 past invoices each.")
    status, offer, _ = call("POST", "/offers", {"code": "CHAOS-1", "name": "Chaos 99",
                                                "service_type": "mobile", "monthly_price": 9900})
    assert status == 201, offer
    status, client, _ = call("POST", "/customers", {"cin": "CH123456", "first_name": "Chaos",
                                                    "last_name": "Test", "phone": "0611111111"})
    assert status == 201, client
    status, contract, _ = call("POST", "/contracts/provision", {
        "offer_id": offer["id"], "client_id": client["id"], "contract_start_date": "2026-01-01",
        "subscriber": {"service_identifier": "+212611111111"}})
    assert status == 201, contract
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench", "seed.sql")
    subprocess.run(["psql", DB, "-q", "-v", f"clients={CONTRACTS}", "-v", "invoices_per_client=2",
                    "-f", script], check=True, capture_output=True)


def billing_part(operations):
    say("\n## (a) SIGKILL during a billing run")
    if "/api/v1/billing/runs" not in operations:
        say("- SKIPPED: this build serves no POST /api/v1/billing/runs yet")
        return
    period, key = "2026-10", f"chaos-run-{uuid.uuid4().hex}"
    body = {"period": period, "issue_date": "2026-11-01"}
    billable = int(sql("SELECT count(*) FROM contracts WHERE status IN ('active','suspended')"))
    first = {}
    thread = threading.Thread(
        target=lambda: first.update(zip(("status", "body", "headers"),
                                        call("POST", "/billing/runs", body, key))))
    thread.start()
    done_at_kill = 0
    while thread.is_alive():
        done_at_kill = int(sql(f"SELECT count(*) FROM invoices WHERE period = '{period}'"))
        if done_at_kill > 0:
            break
        time.sleep(0.02)
    kill()
    thread.join()
    committed = int(sql(f"SELECT count(*) FROM invoices WHERE period = '{period}'"))
    run_status = sql(f"SELECT string_agg(status, ',') FROM billing_runs WHERE period = '{period}'")
    say(f"- killed with {committed} of {billable} invoices committed (run status {run_status}); "
        f"first request answered: {first.get('status')}")
    check("the kill landed mid-run", 0 < committed < billable and first.get("status") == 0,
          f"{committed}/{billable} committed")
    restart = start()
    say(f"- restarted in {restart:.1f} s (embedded PostgreSQL recovered)")
    started = time.monotonic()
    status, run, headers = retry_until_done("POST", "/billing/runs", body, key)
    say(f"- retry with the same key: {status}, invoice_count {run.get('invoice_count') if isinstance(run, dict) else run}, "
        f"replayed {headers.get('Idempotent-Replayed')}, {time.monotonic() - started:.1f} s")
    check("the retry completes the run", status == 201 and run.get("status") == "completed")
    check("the retry answers for the whole run", status == 201 and run.get("invoice_count") == billable,
          f"{run.get('invoice_count') if isinstance(run, dict) else run} of {billable}")
    status2, again, headers2 = call("POST", "/billing/runs", body, key)
    check("a second retry replays the same answer",
          status2 == 201 and headers2.get("Idempotent-Replayed") == "true" and again == run)
    check("one billing run for the key",
          sql(f"SELECT count(*) FROM billing_runs WHERE period = '{period}'") == "1")
    invoices = int(sql(f"SELECT count(*) FROM invoices WHERE period = '{period}'"))
    check("one invoice per billable contract", invoices == billable, f"{invoices} invoices")
    check("no duplicate invoice (contract, period)", sql(
        "SELECT count(*) FROM (SELECT 1 FROM invoices GROUP BY contract_id, period "
        "HAVING count(*) > 1) d") == "0")
    gaps = sql("SELECT string_agg(y || ': max ' || mx || ' count ' || n || ' distinct ' || d, '; ') "
               "FROM (SELECT split_part(invoice_number, '-', 2) AS y, "
               "max(split_part(invoice_number, '-', 3)::bigint) AS mx, count(*) AS n, "
               "count(DISTINCT invoice_number) AS d FROM invoices GROUP BY 1) s "
               "WHERE mx <> n OR d <> n")
    check("FAC numbering gapless per year (max = count)", gaps == "", gaps)
    sequences = sql("SELECT string_agg(s.year || ': sequence ' || s.last_value || ' max ' || i.mx, '; ') "
                    "FROM number_sequences s JOIN (SELECT split_part(invoice_number, '-', 2)::int AS y, "
                    "max(split_part(invoice_number, '-', 3)::bigint) AS mx FROM invoices GROUP BY 1) i "
                    "ON i.y = s.year WHERE s.name = 'FAC' AND s.last_value <> i.mx")
    check("the FAC sequence equals the last number issued", sequences == "", sequences)
    totals = sql(f"SELECT r.total_incl_tax = (SELECT sum(total_incl_tax) FROM invoices i "
                 f"WHERE i.billing_run_id = r.id) FROM billing_runs r WHERE r.period = '{period}'")
    check("the run's totals equal the sum of its invoices", totals == "t")


def payment_part():
    say("\n## (b) SIGKILL during a burst of payments")
    clients = sql("SELECT string_agg(id, ',') FROM (SELECT id FROM clients WHERE id LIKE 'cli_01JB%' "
                  "ORDER BY id LIMIT 300) c").split(",")
    tag = uuid.uuid4().hex[:8]
    # 300 clients for 1500 payments: several concurrent payments per client, so allocations
    # contend on the same invoices. Amounts up to 150 MAD against 2 invoices of 120 MAD each.
    requests = [(f"chaos-pay-{tag}-{n}",
                 {"client_id": clients[n % len(clients)], "amount": 1000 + (n * 37) % 14000,
                  "method": "cash", "reference": f"CHAOS-{tag}-{n}"}) for n in range(PAYMENTS)]
    answered = {}
    stop_at = max(1, PAYMENTS // 3)

    def fire(item):
        key, body = item
        status, _, _ = call("POST", "/collections/payments", body, key, timeout=30)
        answered[key] = status
        return status

    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        futures = [pool.submit(fire, item) for item in requests]
        while sum(1 for s in answered.values() if s == 201) < stop_at:
            if all(f.done() for f in futures):
                break
            time.sleep(0.005)
        kill()
        concurrent.futures.wait(futures)
    ok_before = sum(1 for s in answered.values() if s == 201)
    stored_before = int(sql(f"SELECT count(*) FROM payments WHERE reference LIKE 'CHAOS-{tag}-%'"))
    say(f"- {PAYMENTS} payments fired by 32 concurrent clients; killed after {ok_before} answers 201; "
        f"{stored_before} payments were committed; the rest failed (connection lost)")
    check("the kill landed mid-burst", 0 < stored_before < PAYMENTS)
    restart = start()
    say(f"- restarted in {restart:.1f} s")
    replayed, fresh, bad = 0, 0, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(
            lambda item: retry_until_done("POST", "/collections/payments", item[1], item[0]),
            requests))
    for (key, _), (status, payload, headers) in zip(requests, results):
        if status != 201:
            bad.append((key, status, payload))
        elif headers.get("Idempotent-Replayed") == "true":
            replayed += 1
        else:
            fresh += 1
    say(f"- every key retried: {replayed} replayed, {fresh} posted now, {len(bad)} errors")
    check("every retry answers 201", not bad, str(bad[:3]) if bad else "")
    check("replays = payments committed before the kill", replayed == stored_before,
          f"{replayed} vs {stored_before}")
    count = int(sql(f"SELECT count(*) FROM payments WHERE reference LIKE 'CHAOS-{tag}-%'"))
    check("one payment per idempotency key", count == PAYMENTS, f"{count} payments for {PAYMENTS} keys")
    check("no payment applied twice", sql(
        f"SELECT count(*) FROM (SELECT reference FROM payments WHERE reference LIKE 'CHAOS-{tag}-%' "
        "GROUP BY reference HAVING count(*) > 1) d") == "0")
    check("one stored response per key", sql(
        f"SELECT count(*) FROM idempotency_records WHERE idempotency_key LIKE 'chaos-pay-{tag}-%'")
        == str(PAYMENTS))
    mismatched = sql("SELECT count(*) FROM invoices i LEFT JOIN (SELECT invoice_id, sum(amount) s "
                     "FROM payment_allocations GROUP BY invoice_id) a ON a.invoice_id = i.id "
                     "WHERE i.amount_paid <> coalesce(a.s, 0)")
    check("sum of allocations per invoice = amount_paid", mismatched == "0", f"{mismatched} invoices differ")
    totals = sql("SELECT (SELECT coalesce(sum(amount - unallocated_amount), 0) FROM payments) || ' ' || "
                 "(SELECT coalesce(sum(amount), 0) FROM payment_allocations) || ' ' || "
                 "(SELECT coalesce(sum(amount_paid), 0) FROM invoices)").split()
    check("allocated by payments = allocations = paid on invoices", len(set(totals)) == 1,
          " / ".join(totals) + " centimes")
    over = sql("SELECT count(*) FROM payments p WHERE p.amount - p.unallocated_amount <> "
               "(SELECT coalesce(sum(amount), 0) FROM payment_allocations a WHERE a.payment_id = p.id)")
    check("each payment's allocations = amount - unallocated", over == "0", f"{over} payments differ")
    statuses = sql("SELECT count(*) FROM invoices WHERE status <> CASE WHEN amount_paid = 0 THEN 'issued' "
                   "WHEN amount_paid = total_incl_tax THEN 'paid' ELSE 'partially_paid' END "
                   "AND status <> 'void'")
    check("invoice statuses match amount_paid", statuses == "0", f"{statuses} invoices differ")


def main():
    try:
        say(f"# chaos {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}")
        say(f"binary {BIN}; nproc {os.cpu_count()}; load {open('/proc/loadavg').read().split()[:3]}")
        start()
        operations = set(json.load(urllib.request.urlopen(f"{BASE}/openapi.json"))["paths"])
        seed()
        billing_part(operations)
        payment_part()
    finally:
        stop()
        with open(REPORT, "w") as report:
            report.write("\n".join(LINES) + "\n")
    say(f"\n{len(FAILED)} invariant(s) broken" + (f": {', '.join(FAILED)}" if FAILED else ""))
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
