#!/usr/bin/env python3
"""Crash-safety check (`just chaos`): SIGKILLs the server in the middle of (a) a billing run and
(b) a burst of concurrent payments, credit notes, refunds and payment reversals, restarts it on the same data, retries every request with
its Idempotency-Key, then checks the books with SQL; (c) stops and starts PostgreSQL under a
burst of payments while the server keeps running, counts the answers by status and checks that
the server serves again within 5 s and that no acknowledged payment is missing; (w) SIGKILLs the
server while events are being delivered to a local webhook receiver, restarts it, and checks
that every committed event arrived at least once, correctly signed, and that nothing of a
rolled-back transaction ever did; (u) SIGKILLs the server while a usage file is being ingested
in batches, restarts it, resends the whole file and checks that every record is stored exactly
once. Standard library + psql + pg_ctl only.

Usage: chaos.py BINARY DATA_DIR REPORT_FILE
Environment: CHAOS_CONTRACTS (30000), CHAOS_PAYMENTS (1500), CHAOS_PORT (a free one),
CHAOS_PARTS (abcwu: which parts run), CHAOS_OUTAGE_SECS (4: how long PostgreSQL stays down),
CHAOS_WEBHOOK_EVENTS (1000: events delivered during part w), CHAOS_USAGE_RECORDS (100000:
records of the usage file of part u, sent in batches of 10,000).
Exits non-zero when any invariant is broken.
"""
import base64
import concurrent.futures
import glob
import hashlib
import hmac
import http.server
import itertools
import json
import os
import pwd
import shlex
import shutil
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
PARTS = os.environ.get("CHAOS_PARTS", "abcwu")
WEBHOOK_EVENTS = int(os.environ.get("CHAOS_WEBHOOK_EVENTS", "1000"))
OUTAGE_SECS = float(os.environ.get("CHAOS_OUTAGE_SECS", "4"))
USAGE_RECORDS = int(os.environ.get("CHAOS_USAGE_RECORDS", "100000"))
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
    # Webhooks: the receiver of part (w) listens on loopback; a short lease so deliveries a
    # killed server had claimed are claimed again within seconds.
    env = dict(os.environ, MTF_DATA_DIR=DATA, MTF_BIND=f"127.0.0.1:{PORT}",
               MTF_BOOTSTRAP_ADMIN_TOKEN=TOKEN, MTF_DUNNING_SCHEDULE="off", RUST_LOG="warn",
               MTF_WEBHOOK_ALLOW_PRIVATE="1", MTF_WEBHOOK_LEASE_SECS="10",
               MTF_WEBHOOK_TIMEOUT_SECS="5", MTF_WEBHOOK_POLL_MS="50",
               MTF_WEBHOOK_RETRY_SCHEDULE="1s,2s,5s,10s,30s")
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


def ledger_books():
    """Checks every client's books in SQL; returns nothing, records each invariant."""
    # Per invoice: what it shows paid = allocations of payments not reversed + credit notes'.
    mismatched = sql(
        "SELECT count(*) FROM invoices i LEFT JOIN (SELECT a.invoice_id, sum(a.amount) s "
        "FROM payment_allocations a WHERE NOT EXISTS (SELECT 1 FROM payment_reversals r "
        "WHERE r.payment_id = a.payment_id) GROUP BY a.invoice_id) a ON a.invoice_id = i.id "
        "LEFT JOIN (SELECT invoice_id, sum(amount) s FROM credit_note_allocations GROUP BY invoice_id) c "
        "ON c.invoice_id = i.id WHERE i.amount_paid <> coalesce(a.s, 0) + coalesce(c.s, 0)")
    check("amount_paid of each invoice = its allocations (reversed payments excluded)",
          mismatched == "0", f"{mismatched} invoices differ")
    # Per live payment: amount = its allocations + its credit + what refunds took from it.
    live = sql(
        "SELECT count(*) FROM payments p WHERE NOT EXISTS (SELECT 1 FROM payment_reversals r "
        "WHERE r.payment_id = p.id) AND p.amount <> p.unallocated_amount "
        "+ (SELECT coalesce(sum(amount), 0) FROM payment_allocations a WHERE a.payment_id = p.id) "
        "+ (SELECT coalesce(sum(amount), 0) FROM refund_sources s WHERE s.payment_id = p.id)")
    check("each live payment = allocations + credit + refunded", live == "0", f"{live} payments differ")
    reversed_ = sql(
        "SELECT count(*) FROM payment_reversals r JOIN payments p ON p.id = r.payment_id "
        "WHERE p.unallocated_amount <> 0 OR r.amount <> p.amount "
        "OR EXISTS (SELECT 1 FROM refund_sources s WHERE s.payment_id = p.id)")
    check("each reversed payment holds no credit and none of it was refunded", reversed_ == "0",
          f"{reversed_} reversals differ")
    refunds = sql("SELECT count(*) FROM refunds f WHERE f.amount <> "
                  "(SELECT coalesce(sum(amount), 0) FROM refund_sources s WHERE s.refund_id = f.id)")
    check("each refund = its sources", refunds == "0", f"{refunds} refunds differ")
    # Per client: invoiced - credited - paid + refunded = outstanding - credit_available.
    broken = sql(
        "SELECT count(*) FROM clients c WHERE "
        "(SELECT coalesce(sum(total_incl_tax), 0) FROM invoices WHERE client_id = c.id) "
        "- (SELECT coalesce(sum(total_incl_tax), 0) FROM credit_notes WHERE client_id = c.id) "
        "- (SELECT coalesce(sum(amount), 0) FROM payments WHERE client_id = c.id) "
        "+ (SELECT coalesce(sum(amount), 0) FROM payment_reversals WHERE client_id = c.id) "
        "+ (SELECT coalesce(sum(amount), 0) FROM refunds WHERE client_id = c.id) "
        "<> (SELECT coalesce(sum(total_incl_tax - amount_paid - credited_amount), 0) FROM invoices "
        "WHERE client_id = c.id) "
        "- (SELECT coalesce(sum(unallocated_amount), 0) FROM payments WHERE client_id = c.id) "
        "- (SELECT coalesce(sum(credit_remaining), 0) FROM credit_notes WHERE client_id = c.id)")
    check("every client's balance: documents = allocations + credit", broken == "0",
          f"{broken} clients differ")


def payment_part():
    say("\n## (b) SIGKILL during a burst of payments, credit notes, refunds and payment reversals")
    clients = sql("SELECT string_agg(id, ',') FROM (SELECT id FROM clients WHERE id LIKE 'cli_01JB%' "
                  "ORDER BY id LIMIT 300) c").split(",")
    tag = uuid.uuid4().hex[:8]
    # Payments to reverse in the burst, posted before it: one per client of the first 100.
    to_reverse = []
    for n, client in enumerate(clients[:100]):
        status, payment, _ = call("POST", "/collections/payments",
                                  {"client_id": client, "amount": 3000, "method": "transfer",
                                   "reference": f"CHAOS-PRE-{tag}-{n}"}, f"chaos-pre-{tag}-{n}")
        assert status == 201, payment
        to_reverse.append(payment["payment_id"])
    # 300 clients for 1500 payments: several concurrent payments per client, so allocations
    # contend on the same invoices. Amounts up to 150 MAD against 2 invoices of 120 MAD each.
    # Between them, refunds of 5 MAD (credit appears as the payments land) and the reversals.
    payments = [(f"chaos-pay-{tag}-{n}", "/collections/payments",
                 {"client_id": clients[n % len(clients)], "amount": 1000 + (n * 37) % 14000,
                  "method": "cash", "reference": f"CHAOS-{tag}-{n}"}) for n in range(PAYMENTS)]
    refunds = [(f"chaos-rfd-{tag}-{n}", "/collections/refunds",
                {"client_id": clients[(n * 7) % len(clients)], "amount": 500, "method": "cash",
                 "reference": f"CHAOS-R-{tag}-{n}"}) for n in range(PAYMENTS // 10)]
    reversals = [(f"chaos-rev-{tag}-{n}", f"/collections/payments/{pid}/reversal",
                  {"reason": "chaos: bounced cheque"}) for n, pid in enumerate(to_reverse)]
    # Partial credit notes (10 MAD excl. tax off line 1) on the invoices of clients that also
    # get payments, two notes per invoice: what a note credits above the outstanding becomes
    # credit that pays the client's other invoice in the same transaction.
    named = ",".join(f"'{c}'" for c in clients[100:200])
    noted = sql("SELECT string_agg(id, ',') FROM (SELECT i.id FROM invoices i "
                f"WHERE i.client_id IN ({named}) ORDER BY i.id LIMIT 100) i").split(",")
    notes = [(f"chaos-cn-{tag}-{n}", f"/invoices/{inv}/credit-notes",
              {"reason": f"CHAOS-CN-{tag}-{n}", "lines": [{"position": 1, "amount_excl_tax": 1000}]})
             for n, inv in enumerate(noted * 2) if inv]
    others = refunds + reversals + notes
    requests = []
    for n, item in enumerate(payments):
        requests.append(item)
        if n % 4 == 3 and others:
            requests.append(others.pop())
    requests.extend(others)
    answered = {}
    stop_at = max(1, PAYMENTS // 3)

    def fire(item):
        key, path, body = item
        status, _, _ = call("POST", path, body, key, timeout=30)
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
    say(f"- {PAYMENTS} payments, {len(notes)} credit notes, {PAYMENTS // 10} refunds and "
        f"{len(to_reverse)} reversals fired by "
        f"32 concurrent clients; killed after {ok_before} answers 201; {stored_before} payments were "
        "committed; the rest failed (connection lost)")
    check("the kill landed mid-burst", 0 < stored_before < PAYMENTS)
    restart = start()
    say(f"- restarted in {restart:.1f} s")
    replayed, fresh, refused, bad = 0, 0, 0, []
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda item: retry_until_done("POST", item[1], item[2], item[0]),
                                requests))
    final_refusals = ("insufficient_credit", "payment_credit_refunded", "credit_exceeds_invoice")
    for (key, path, _), (status, payload, headers) in zip(requests, results):
        if status == 422 and isinstance(payload, dict) and payload.get("code") in final_refusals:
            refused += 1
        elif status != 201:
            bad.append((key, status, payload))
        elif headers.get("Idempotent-Replayed") == "true":
            if path == "/collections/payments":
                replayed += 1
        else:
            fresh += 1
    say(f"- every key retried: {replayed} payments replayed, {fresh} writes done now, "
        f"{refused} refused by a ledger rule (no credit left to refund, credit refunded), "
        f"{len(bad)} errors")
    check("every retry answers 201 or a ledger rule's 422", not bad, str(bad[:3]) if bad else "")
    check("replays = payments committed before the kill", replayed == stored_before,
          f"{replayed} vs {stored_before}")
    count = int(sql(f"SELECT count(*) FROM payments WHERE reference LIKE 'CHAOS-{tag}-%'"))
    check("one payment per idempotency key", count == PAYMENTS, f"{count} payments for {PAYMENTS} keys")
    check("no payment applied twice", sql(
        f"SELECT count(*) FROM (SELECT reference FROM payments WHERE reference LIKE 'CHAOS-{tag}-%' "
        "GROUP BY reference HAVING count(*) > 1) d") == "0")
    stored_notes = int(sql(f"SELECT count(*) FROM credit_notes WHERE reason LIKE 'CHAOS-CN-{tag}-%'"))
    check("one credit note per idempotency key", stored_notes == len(notes),
          f"{stored_notes} notes for {len(notes)} keys")
    check("the AV series has no gap", sql(
        "SELECT count(*) FROM (SELECT credit_note_number, row_number() OVER (ORDER BY credit_note_number) n "
        "FROM credit_notes) s WHERE credit_note_number <> 'AV-' || split_part(credit_note_number, '-', 2) "
        "|| '-' || lpad(n::text, 6, '0')") == "0")
    check("no refund recorded twice", sql(
        f"SELECT count(*) FROM (SELECT reference FROM refunds WHERE reference LIKE 'CHAOS-R-{tag}-%' "
        "GROUP BY reference HAVING count(*) > 1) d") == "0")
    check("one stored response per payment key", sql(
        f"SELECT count(*) FROM idempotency_records WHERE idempotency_key LIKE 'chaos-pay-{tag}-%'")
        == str(PAYMENTS))
    ledger_books()
    statuses = sql("SELECT count(*) FROM invoices WHERE status <> CASE "
                   "WHEN amount_paid = 0 AND credited_amount > 0 "
                   "AND credited_amount = total_incl_tax THEN 'void' "
                   "WHEN amount_paid = 0 THEN 'issued' "
                   "WHEN amount_paid + credited_amount >= total_incl_tax THEN 'paid' "
                   "ELSE 'partially_paid' END")
    check("invoice statuses match amount_paid and credited_amount", statuses == "0",
          f"{statuses} invoices differ")


def pg_ctl(*args):
    """Runs pg_ctl on the embedded cluster as the account that owns it."""
    pgdata = os.path.join(DATA, "postgres")
    ctl = shutil.which("pg_ctl") or sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
    command = [ctl, *args, "-D", pgdata]
    if os.getuid() == 0:
        owner = pwd.getpwuid(os.stat(pgdata).st_uid).pw_name
        command = ["su", "-s", "/bin/sh", owner, "-c", " ".join(shlex.quote(c) for c in command)]
    subprocess.run(command, check=True, capture_output=True)


def cluster_options():
    """The options the server started PostgreSQL with (socket folder, port), to start it alike."""
    with open(os.path.join(DATA, "postgres", "postmaster.opts")) as opts:
        words = shlex.split(opts.read())[1:]
    kept, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word == "-D":
            skip = True
        else:
            kept.append(word)
    return " ".join(shlex.quote(w) for w in kept)


def outage_part():
    say("\n## (c) PostgreSQL stopped and started during a burst of payments")
    clients = sql("SELECT string_agg(id, ',') FROM (SELECT id FROM clients WHERE id LIKE 'cli_01JB%' "
                  "ORDER BY id DESC LIMIT 300) c").split(",")
    tag = uuid.uuid4().hex[:8]
    answers, lock, done, numbers = [], threading.Lock(), threading.Event(), itertools.count()

    def client_loop():
        while not done.is_set():
            n = next(numbers)
            key = f"chaos-out-{tag}-{n}"
            body = {"client_id": clients[n % len(clients)], "amount": 100 + (n * 37) % 900,
                    "method": "cash", "reference": f"CHAOS-OUT-{tag}-{n}"}
            sent = time.monotonic()
            status, _, headers = call("POST", "/collections/payments", body, key, timeout=30)
            with lock:
                answers.append({"key": key, "body": body, "status": status, "sent": sent,
                                "took": time.monotonic() - sent,
                                "retry_after": (headers or {}).get("Retry-After")})

    def ready_status():
        return call("GET", "/health/ready", timeout=5)[0]

    options = cluster_options()
    workers = [threading.Thread(target=client_loop) for _ in range(16)]
    for worker in workers:
        worker.start()
    time.sleep(2)
    stopped_at = time.monotonic()
    pg_ctl("stop", "-w", "-m", "fast")
    time.sleep(OUTAGE_SECS / 2)
    ready_while_down = ready_status()
    time.sleep(OUTAGE_SECS / 2)
    pg_ctl("start", "-w", "-t", "60", "-l", os.path.join(DATA, "postgres.log"), "-o", options)
    back_at = time.monotonic()
    ready_again = None
    while time.monotonic() - back_at < 30:
        if ready_status() == 200:
            ready_again = time.monotonic() - back_at
            break
        time.sleep(0.1)
    time.sleep(3)
    done.set()
    for worker in workers:
        worker.join()
    by_status = {}
    for answer in answers:
        by_status[answer["status"]] = by_status.get(answer["status"], 0) + 1
    say(f"- {len(answers)} payments by 16 concurrent clients; PostgreSQL down for "
        f"{back_at - stopped_at:.1f} s; answers by status: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items())))
    check("the outage was seen (some 503 answers)", by_status.get(503, 0) > 0)
    check("only 201 and 503 answers: no 500, no dropped connection",
          set(by_status) <= {201, 503}, str(by_status))
    unavailable = [a for a in answers if a["status"] == 503]
    check("every 503 carries Retry-After", all(a["retry_after"] for a in unavailable))
    slowest = max((a["took"] for a in unavailable), default=0.0)
    check("503 answered within the pool's checkout time-out (2 s) plus margin", slowest < 5,
          f"slowest {slowest:.2f} s")
    check("the server process kept running", SERVER[0].poll() is None)
    check("/health/ready said 503 while PostgreSQL was down", ready_while_down == 503,
          str(ready_while_down))
    check("/health/ready 200 within 5 s of PostgreSQL's return",
          ready_again is not None and ready_again <= 5,
          f"{ready_again:.2f} s" if ready_again is not None else "never")
    first_ok = min((a["sent"] + a["took"] - back_at for a in answers
                    if a["status"] == 201 and a["sent"] >= back_at), default=None)
    check("a payment succeeds within 5 s of PostgreSQL's return",
          first_ok is not None and first_ok <= 5,
          f"{first_ok:.2f} s" if first_ok is not None else "none")
    acknowledged = {a["body"]["reference"] for a in answers if a["status"] == 201}
    stored = set(sql(f"SELECT string_agg(reference, ',') FROM payments "
                     f"WHERE reference LIKE 'CHAOS-OUT-{tag}-%'").split(","))
    missing = acknowledged - stored
    check("no acknowledged payment is missing", not missing, str(sorted(missing)[:3]))
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        retried = list(pool.map(
            lambda a: retry_until_done("POST", "/collections/payments", a["body"], a["key"]),
            [a for a in answers if a["status"] != 201]))
    check("every unanswered payment, retried with its key, answers 201",
          all(status == 201 for status, _, _ in retried), f"{len(retried)} retried")
    count = int(sql(f"SELECT count(*) FROM payments WHERE reference LIKE 'CHAOS-OUT-{tag}-%'"))
    check("one payment per key after the retries", count == len(answers),
          f"{count} payments for {len(answers)} keys")
    # Payment reversals of part (b) keep their allocations: the ledger's own books.
    ledger_books()


class WebhookReceiver(http.server.ThreadingHTTPServer):
    """A Standard Webhooks receiver on a loopback port: counts each `webhook-id` and checks its
    signature (HMAC-SHA256 of `id.timestamp.body` under the base64 key after `whsec_`)."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), WebhookHandler)
        self.lock = threading.Lock()
        self.counts = {}
        self.bodies = {}
        self.bad_signatures = 0
        self.key = b""

    def handle_error(self, request, client_address):
        # A connection the killed server dropped mid-request: expected here, not news.
        pass

    def verify(self, msg_id, timestamp, signature, body):
        signed = f"{msg_id}.{timestamp}.".encode() + body
        expected = base64.b64encode(hmac.new(self.key, signed, hashlib.sha256).digest()).decode()
        return any(part.split(",", 1) == ["v1", expected] for part in signature.split(" "))


class WebhookHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        msg_id = self.headers.get("webhook-id", "")
        good = self.server.verify(msg_id, self.headers.get("webhook-timestamp", ""),
                                  self.headers.get("webhook-signature", ""), body)
        with self.server.lock:
            self.server.counts[msg_id] = self.server.counts.get(msg_id, 0) + 1
            self.server.bodies[msg_id] = body
            if not good:
                self.server.bad_signatures += 1
        # A little work per request, so the kill lands while deliveries are in flight.
        time.sleep(0.002)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def webhook_part():
    say(f"\n## (w) SIGKILL during webhook deliveries ({WEBHOOK_EVENTS} events)")
    receiver = WebhookReceiver()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{receiver.server_address[1]}/hooks"
    status, endpoint, _ = call("POST", "/webhooks/endpoints",
                               {"url": url, "event_types": ["client.created"]})
    assert status == 201, endpoint
    receiver.key = base64.b64decode(endpoint["secret"].removeprefix("whsec_"))
    tag = uuid.uuid4().hex[:4]
    bodies = [{"cin": f"WK{i:06d}", "first_name": "Webhook", "last_name": f"Chaos{tag}",
               "phone": "0622222222"} for i in range(WEBHOOK_EVENTS)]
    answers = {}

    def create(i):
        status, payload, _ = call("POST", "/customers", bodies[i], timeout=30)
        answers[i] = status
        # The same CIN again: refused (409), its transaction and its event rolled back.
        if status == 201 and i % 5 == 0:
            answers[("again", i)] = call("POST", "/customers", bodies[i], timeout=30)[0]

    killed = threading.Event()

    def killer():
        target = max(1, WEBHOOK_EVENTS // 3)
        while not killed.is_set():
            with receiver.lock:
                delivered = len(receiver.counts)
            if delivered >= target:
                kill()
                killed.set()
                return
            time.sleep(0.005)

    threading.Thread(target=killer, daemon=True).start()
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(create, range(WEBHOOK_EVENTS)))
    if not killed.is_set():
        # Every request answered before a third was delivered: kill now, mid-delivery.
        killed.set()
        kill()
    with receiver.lock:
        at_kill = len(receiver.counts)
    say(f"SIGKILL with {at_kill} events delivered; restart in {start():.1f} s")
    unanswered = [i for i in range(WEBHOOK_EVENTS) if answers.get(i) != 201]
    for i in unanswered:
        # The client's retry: 201, or 409 (the CIN exists) when the killed server had
        # committed it before dying.
        for _ in range(100):
            answers[i] = call("POST", "/customers", bodies[i], timeout=30)[0]
            if answers[i] in (201, 409):
                break
            time.sleep(0.1)
    check("every client creation ends in 201 or, already committed before the kill, 409",
          all(answers[i] in (201, 409) for i in range(WEBHOOK_EVENTS)),
          f"{len(unanswered)} retried")
    committed = set(sql("SELECT id FROM events WHERE type = 'client.created' "
                        f"AND data->>'last_name' = 'Chaos{tag}'").split())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with receiver.lock:
            missing = committed - set(receiver.counts)
        if not missing:
            break
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    with receiver.lock:
        counts = dict(receiver.counts)
        bad = receiver.bad_signatures
        bodies_seen = dict(receiver.bodies)
    clients = int(sql(f"SELECT count(*) FROM clients WHERE last_name = 'Chaos{tag}'"))
    check("one committed client.created per client", len(committed) == clients == WEBHOOK_EVENTS,
          f"{len(committed)} events, {clients} clients")
    check("every committed event delivered at least once", not (committed - set(counts)),
          f"{len(committed - set(counts))} missing after {elapsed:.1f} s")
    check("nothing delivered that is not a committed event (no rolled-back transaction)",
          not (set(counts) - committed), f"{len(set(counts) - committed)} unknown ids")
    cins = [json.loads(b)["data"]["cin"] for b in bodies_seen.values()]
    check("each delivered event names a distinct stored client", len(set(cins)) == len(cins))
    check("every request correctly signed", bad == 0, f"{bad} bad signatures")
    duplicates = sum(n - 1 for n in counts.values())
    say(f"- delivered {len(counts)} events in {elapsed:.1f} s from the first request; "
        f"{duplicates} duplicate deliveries (at least once: the in-flight ones at the kill)")
    receiver.shutdown()


def post_ndjson(path, text, timeout=600):
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"}
    request = urllib.request.Request(BASE + path, data=text.encode(), method="POST",
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
    except (urllib.error.URLError, OSError, ConnectionError) as error:
        return 0, str(error)


def usage_part():
    say(f"\n## (u) SIGKILL during the ingestion of a usage file ({USAGE_RECORDS} records)")
    line = "+212622222222"
    status, offer, _ = call("POST", "/offers", {"code": "CHAOS-U", "name": "Chaos usage",
                                                "service_type": "mobile", "monthly_price": 9900})
    assert status == 201, offer
    status, client, _ = call("POST", "/customers", {"cin": "CU123456", "first_name": "Chaos",
                                                    "last_name": "Usage", "phone": "0622222222"})
    assert status == 201, client
    status, contract, _ = call("POST", "/contracts/provision", {
        "offer_id": offer["id"], "client_id": client["id"], "contract_start_date": "2026-01-01",
        "subscriber": {"service_identifier": line}})
    assert status == 201, contract
    records = [json.dumps({"record_id": f"CHAOS-U-{i:09d}", "service_identifier": line,
                           "kind": "sms", "quantity": 1 + i % 7,
                           "started_at": f"2026-11-{1 + i % 28:02d}T10:00:00Z"})
               for i in range(USAGE_RECORDS)]
    expected_sum = sum(1 + i % 7 for i in range(USAGE_RECORDS))
    batches = ["\n".join(records[i:i + 10_000]) + "\n" for i in range(0, len(records), 10_000)]
    answers = []

    def sender():
        for batch in batches:
            status, body = post_ndjson("/usage/records", batch)
            answers.append(status)
            if status != 200:
                return

    thread = threading.Thread(target=sender)
    thread.start()
    # Kill once some batches are in and one is (most likely) in flight.
    while len(answers) < max(1, len(batches) // 3) and thread.is_alive():
        time.sleep(0.02)
    time.sleep(0.05)
    kill()
    thread.join()
    stored_at_kill = int(sql("SELECT count(*) FROM usage_records WHERE record_id LIKE 'CHAOS-U-%'"))
    say(f"- killed after {answers.count(200)} acknowledged batch(es); {stored_at_kill} records "
        f"stored at the kill")
    check("no batch half-stored at the kill", stored_at_kill % 10_000 == 0,
          f"{stored_at_kill} records")
    start()
    accepted = duplicates = 0
    for batch in batches:
        status, body = post_ndjson("/usage/records", batch)
        if status != 200:
            check("the resent file is accepted", False, f"{status} {body}")
            return
        accepted += body["accepted"]
        duplicates += body["duplicates"]
    rows, total, distinct = sql(
        "SELECT count(*), coalesce(sum(quantity), 0), count(DISTINCT record_id) "
        "FROM usage_records WHERE record_id LIKE 'CHAOS-U-%'").split("|")
    check("0 records lost", int(rows) == USAGE_RECORDS, f"{rows} of {USAGE_RECORDS}")
    check("0 records doubled", int(rows) == int(distinct) and int(total) == expected_sum,
          f"{distinct} distinct ids, quantities {total} (expected {expected_sum})")
    check("the resend counts what was stored before as duplicates",
          duplicates == stored_at_kill and accepted == USAGE_RECORDS - stored_at_kill,
          f"accepted {accepted}, duplicates {duplicates}")


def main():
    try:
        say(f"# chaos {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}")
        say(f"binary {BIN}; nproc {os.cpu_count()}; load {open('/proc/loadavg').read().split()[:3]}")
        start()
        operations = set(json.load(urllib.request.urlopen(f"{BASE}/openapi.json"))["paths"])
        if set(PARTS) & set("abc"):
            seed()
        if "a" in PARTS:
            billing_part(operations)
        if "b" in PARTS:
            payment_part()
        if "c" in PARTS:
            outage_part()
        if "w" in PARTS:
            webhook_part()
        if "u" in PARTS:
            usage_part()
    finally:
        stop()
        with open(REPORT, "w") as report:
            report.write("\n".join(LINES) + "\n")
    say(f"\n{len(FAILED)} invariant(s) broken" + (f": {', '.join(FAILED)}" if FAILED else ""))
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
