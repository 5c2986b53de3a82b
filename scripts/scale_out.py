#!/usr/bin/env python3
"""Several instances on one PostgreSQL (`just scale-out`): one server owns the embedded
cluster, two more reach it through DATABASE_URL; all three are driven at the same time
(billing runs with one key and with different keys, payments on the same invoices, dunning
runs, landing submits with one key sent twice), then the books are checked in SQL.
Standard library + psql only.

Usage: scale_out.py BINARY WORK_DIR REPORT_FILE
Environment: SCALE_CLIENTS (200), SCALE_PAYMENTS (600). Exits non-zero when a check fails.
"""
import concurrent.futures
import datetime
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from mtf import Report, Server, embedded_url, numbering_gaps, seed_sql, sql  # noqa: E402

BIN, WORK, REPORT_FILE = sys.argv[1], sys.argv[2], sys.argv[3]
CLIENTS = int(os.environ.get("SCALE_CLIENTS", "200"))
PAYMENTS = int(os.environ.get("SCALE_PAYMENTS", "600"))
TOKEN = f"scale-admin-{uuid.uuid4().hex}"
SECRET = uuid.uuid4().hex * 2
TODAY = datetime.date.today().isoformat()
report = Report()
started = time.monotonic()
data = os.path.join(WORK, "data")
os.makedirs(data)
os.chmod(data, 0o755)
db = embedded_url(data)

shared = {"MTF_TOKEN_SECRET": SECRET, "MTF_DB_POOL_SIZE": "8"}
owner = Server(BIN, os.path.join(WORK, "a.log"), TOKEN, dict(shared, MTF_DATA_DIR=data))
instances = [owner] + [
    Server(BIN, os.path.join(WORK, f"{name}.log"), TOKEN,
           dict(shared, DATABASE_URL=db, MTF_DATA_DIR=os.path.join(WORK, name)))
    for name in ("b", "c")]
report.say("# Three instances on one PostgreSQL")
report.say(f"- instances on ports {', '.join(str(s.port) for s in instances)}; "
           f"the first owns the embedded cluster, the others use DATABASE_URL")
seed_sql(db, CLIENTS, 2)
billable = int(sql(db, "SELECT count(*) FROM contracts WHERE status IN ('active','suspended')"))
report.say(f"- seeded {CLIENTS} clients, one active contract and two past (overdue) invoices each")


def at_once(calls):
    """Runs (instance, method, path, body, key) calls at the same time; a 409 (in progress)
    is retried like a client would, with the same key."""
    def one(call):
        server, method, path, body, key = call
        for _ in range(600):
            status, payload = server.call(method, path, body, key, timeout=300)
            busy = status in (0, 503) or (status == 409 and isinstance(payload, dict)
                                           and payload.get("code") == "idempotency_key_in_use")
            if not busy:
                return status, payload
            time.sleep(0.1)
        return status, payload
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(len(calls), 1)) as pool:
        return list(pool.map(one, calls))


report.say("\n## Billing runs")
run = {"period": "2026-10", "issue_date": "2026-11-01"}
answers = at_once([(s, "POST", "/billing/runs", run, "scale-run-same") for s in instances])
ids = {a[1].get("id") for a in answers if a[0] == 201}
report.say(f"- one key to three instances: statuses {[a[0] for a in answers]}")
report.check("one key, three instances: every answer is the same run", len(ids) == 1
             and all(a[0] == 201 for a in answers), str(ids))
run2 = {"period": "2026-11", "issue_date": "2026-12-01"}
answers = at_once([(s, "POST", "/billing/runs", run2, f"scale-run-{i}") for i, s in enumerate(instances)])
report.say(f"- three keys to three instances: statuses {[a[0] for a in answers]}, invoices issued "
           f"{[a[1].get('invoice_count', a[1].get('code')) if isinstance(a[1], dict) else a[1] for a in answers]}")
report.check("different keys: no 500", all(a[0] and a[0] < 500 for a in answers))
for period in ("2026-10", "2026-11"):
    count = int(sql(db, f"SELECT count(*) FROM invoices WHERE period = '{period}'"))
    report.check(f"one set of invoices for {period}", count == billable, f"{count} for {billable} contracts")
report.check("no duplicate (contract, period)", sql(db,
             "SELECT count(*) FROM (SELECT 1 FROM invoices GROUP BY contract_id, period HAVING count(*) > 1) d") == "0")
gaps = numbering_gaps(db, "FAC", "invoice_number", "invoices")
report.check("gapless FAC numbering", gaps == "", gaps)
report.check("the FAC sequence equals the last number issued", sql(db,
             "SELECT count(*) FROM number_sequences s JOIN (SELECT split_part(invoice_number, '-', 2)::int AS y, "
             "max(split_part(invoice_number, '-', 3)::bigint) AS mx FROM invoices GROUP BY 1) i ON i.y = s.year "
             "WHERE s.name = 'FAC' AND s.last_value <> i.mx") == "0")

report.say("\n## Payments on the same invoices through different instances")
debtors = sql(db, "SELECT string_agg(id, ',') FROM (SELECT id FROM clients ORDER BY id LIMIT 40) c").split(",")
calls = [(instances[n % 3], "POST", "/collections/payments",
          {"client_id": debtors[n % len(debtors)], "amount": 2000 + (n * 37) % 9000, "method": "cash",
           "reference": f"SCALE-{n}"}, f"scale-pay-{n}") for n in range(PAYMENTS)]
t0 = time.monotonic()
with concurrent.futures.ThreadPoolExecutor(max_workers=24) as pool:
    statuses = list(pool.map(lambda c: c[0].call(*c[1:])[0], calls))
ok = statuses.count(201)
report.say(f"- {PAYMENTS} payments by 24 concurrent clients over 3 instances in {time.monotonic() - t0:.1f} s: "
           f"{ok} answered 201, others {sorted(set(statuses) - {201})}")
report.check("every payment answered 201", ok == PAYMENTS)
stored = int(sql(db, "SELECT count(*) FROM payments WHERE reference LIKE 'SCALE-%'"))
report.check("one payment per acknowledged key", stored == ok, f"{stored} stored")
report.check("no invoice paid beyond its total", sql(db,
             "SELECT count(*) FROM invoices WHERE amount_paid > total_incl_tax") == "0")
report.check("amount paid = sum of allocations on every invoice", sql(db,
             "SELECT count(*) FROM invoices i WHERE i.amount_paid <> coalesce((SELECT sum(amount) "
             "FROM payment_allocations a WHERE a.invoice_id = i.id), 0)") == "0")
report.check("no payment allocated beyond its amount", sql(db,
             "SELECT count(*) FROM payments p WHERE p.amount < (SELECT coalesce(sum(amount), 0) "
             "FROM payment_allocations a WHERE a.payment_id = p.id)") == "0")

report.say("\n## Dunning runs on all three at once")
for round_ in (1, 2):
    answers = at_once([(s, "POST", "/collections/dunning/runs", {"as_of": TODAY}, None) for s in instances])
    report.say(f"- round {round_}: statuses {[a[0] for a in answers]}, actions recorded "
               f"{[a[1].get('actions_recorded') if isinstance(a[1], dict) else a[1] for a in answers]}")
    report.check(f"round {round_}: every instance answered 200", all(a[0] == 200 for a in answers))
report.check("one live case per client", sql(db,
             "SELECT count(*) FROM (SELECT client_id FROM collection_cases WHERE status <> 'resolved' "
             "GROUP BY client_id HAVING count(*) > 1) d") == "0")
report.check("each dunning step once per case", sql(db,
             "SELECT count(*) FROM (SELECT 1 FROM case_actions GROUP BY case_id, dunning_step "
             "HAVING count(*) > 1) d") == "0")
report.say(f"- {sql(db, 'SELECT count(*) FROM collection_cases')} cases, "
           f"{sql(db, 'SELECT count(*) FROM case_actions')} actions")

report.say("\n## Landing submit/new, one key sent to two instances")
offer = sql(db, "SELECT id FROM offers WHERE status = 'active' ORDER BY id LIMIT 1")
submits = []
for n in range(10):
    body = {"client": {"cin": f"SC{n:06d}", "first_name": "Scale", "last_name": f"Test{n}",
                       "email": f"scale{n}@example.ma", "phone": f"0677{n:06d}", "address": "1 rue Test",
                       "city": "Rabat", "birth_date": "1990-05-17"},
            "offer_id": offer, "contract_start_date": TODAY,
            "subscriber": {"service_identifier": f"0688{n:06d}"}}
    key = f"scale-submit-{n}"
    submits += [(instances[n % 3], "POST", "/landing/submit/new", body, key),
                (instances[(n + 1) % 3], "POST", "/landing/submit/new", body, key)]
answers = at_once(submits)
pairs = [(answers[2 * n], answers[2 * n + 1]) for n in range(10)]
report.say(f"- statuses {[a[0] for a in answers]}")
report.check("both answers of each key are the same contract", all(
    a[0] == b[0] == 201 and a[1]["contract_id"] == b[1]["contract_id"] for a, b in pairs))
report.check("one contract per landing submit", sql(db,
             "SELECT count(*) FROM contracts c JOIN clients k ON k.id = c.client_id WHERE k.cin LIKE 'SC%'") == "10")

for server in instances[1:] + instances[:1]:
    server.stop()
report.say(f"\nFinished in {time.monotonic() - started:.0f} s. "
           f"{'FAILED: ' + ', '.join(report.failed) if report.failed else 'All checks passed.'}")
report.write(REPORT_FILE)
sys.exit(1 if report.failed else 0)
