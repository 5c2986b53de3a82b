#!/usr/bin/env python3
"""Backup and restore check (`just backup-check`): takes `mt-facturation backup` of the
embedded cluster while billing runs and payments are being written, restores it into a new
data folder, starts a server on it and checks that every write acknowledged before the backup
started is there, that the books are consistent, and that the invoice numbering goes on
without a gap. Standard library + psql only.

Usage: backup_restore.py BINARY WORK_DIR REPORT_FILE
Environment: BACKUP_CLIENTS (300). Exits non-zero when a check fails.
"""
import concurrent.futures
import os
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from mtf import Report, Server, embedded_url, numbering_gaps, seed_sql, sql  # noqa: E402

BIN, WORK, REPORT_FILE = sys.argv[1], sys.argv[2], sys.argv[3]
CLIENTS = int(os.environ.get("BACKUP_CLIENTS", "300"))
TOKEN = f"backup-admin-{uuid.uuid4().hex}"
SECRET = uuid.uuid4().hex * 2
report = Report()
source_dir, restored_dir = os.path.join(WORK, "source"), os.path.join(WORK, "restored")
dump = os.path.join(WORK, "mtf.dump")
for folder in (source_dir, restored_dir):
    os.makedirs(folder)
    os.chmod(folder, 0o755)


def env(data):
    return {"MTF_DATA_DIR": data, "MTF_TOKEN_SECRET": SECRET}


report.say("# Backup during writes, restore, serve")
source = Server(BIN, os.path.join(WORK, "source.log"), TOKEN, env(source_dir))
source_db = embedded_url(source_dir)
seed_sql(source_db, CLIENTS, 1)
clients = sql(source_db, "SELECT string_agg(id, ',') FROM clients").split(",")
report.say(f"- seeded {CLIENTS} clients with one active contract and one past invoice each")

acked_runs, acked_payments, stop = [], [], threading.Event()


def bill():
    for month in range(1, 11):
        if stop.is_set():
            return
        period = f"2026-{month:02d}"
        body = {"period": period, "issue_date": f"2026-{month + 1:02d}-01"}
        status, run = source.call("POST", "/billing/runs", body, f"bk-run-{period}", timeout=300)
        if status == 201:
            acked_runs.append((time.monotonic(), period, run["invoice_count"]))


def pay(worker):
    n = 0
    while not stop.is_set():
        n += 1
        body = {"client_id": clients[(worker * 97 + n) % len(clients)], "amount": 500 + n % 5000,
                "method": "cash", "reference": f"BK-{worker}-{n}"}
        status, payment = source.call("POST", "/collections/payments", body, f"bk-pay-{worker}-{n}")
        if status == 201:
            acked_payments.append((time.monotonic(), payment["payment_id"]))


with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
    writers = [pool.submit(bill)] + [pool.submit(pay, w) for w in range(4)]
    while len(acked_runs) < 2 and not writers[0].done():
        time.sleep(0.05)
    backup_started = time.monotonic()
    taken = subprocess.run([BIN, "backup", dump], env=dict(os.environ, **env(source_dir),
                                                            RUST_LOG="warn"),
                           capture_output=True, text=True)
    backup_ended = time.monotonic()
    time.sleep(1)
    stop.set()
    concurrent.futures.wait(writers)
report.check("backup succeeded while the server wrote", taken.returncode == 0,
             (taken.stdout + taken.stderr).strip())
before = [p for t, p in acked_payments if t < backup_started]
runs_before = [(period, count) for t, period, count in acked_runs if t < backup_started]
during = sum(1 for t, _ in acked_payments if backup_started <= t <= backup_ended)
report.say(f"- backup took {backup_ended - backup_started:.1f} s; {len(before)} payments and "
           f"{len(runs_before)} billing runs acknowledged before it, {during} payments during it; "
           f"{len(acked_payments)} payments and {len(acked_runs)} runs in all")
numbers_source = {period: sql(source_db, f"SELECT string_agg(invoice_number, ',' ORDER BY invoice_number) "
                                         f"FROM invoices WHERE period = '{period}'")
                  for period, _ in runs_before}
source.stop()

restored = subprocess.run([BIN, "restore", dump], env=dict(os.environ, **env(restored_dir),
                                                            RUST_LOG="warn"),
                          capture_output=True, text=True)
report.check("restore into an empty data folder succeeded", restored.returncode == 0,
             (restored.stdout + restored.stderr).strip())
again = subprocess.run([BIN, "restore", dump], env=dict(os.environ, **env(restored_dir),
                                                         RUST_LOG="warn"),
                       capture_output=True, text=True)
report.check("a second restore into the now full data folder is refused",
             again.returncode != 0 and "not empty" in again.stderr, again.stderr.strip())
server = Server(BIN, os.path.join(WORK, "restored.log"), TOKEN, env(restored_dir))
db = embedded_url(restored_dir)
present = set(sql(db, "SELECT string_agg(id, ',') FROM payments").split(","))
missing = [p for p in before if p not in present]
report.check("every payment acknowledged before the backup is restored", not missing,
             f"{len(missing)} of {len(before)} missing")
for period, count in runs_before:
    numbers = sql(db, f"SELECT string_agg(invoice_number, ',' ORDER BY invoice_number) "
                      f"FROM invoices WHERE period = '{period}'")
    report.check(f"billing run {period}: its {count} invoices and their numbers are restored",
                 numbers == numbers_source[period] and len(numbers.split(",")) == count)
report.check("no invoice paid beyond its total", sql(db,
             "SELECT count(*) FROM invoices i WHERE i.amount_paid > i.total_incl_tax OR i.amount_paid <> "
             "coalesce((SELECT sum(amount) FROM payment_allocations a WHERE a.invoice_id = i.id), 0)") == "0")
report.check("every restored allocation belongs to a restored payment", sql(db,
             "SELECT count(*) FROM payment_allocations a LEFT JOIN payments p ON p.id = a.payment_id "
             "WHERE p.id IS NULL") == "0")
gaps = numbering_gaps(db, "FAC", "invoice_number", "invoices")
report.check("FAC numbering gapless after restore", gaps == "", gaps)
last = int(sql(db, "SELECT coalesce(max(split_part(invoice_number, '-', 3)::bigint), 0) "
                   "FROM invoices WHERE invoice_number LIKE 'FAC-2026-%'"))
status, run = server.call("POST", "/billing/runs", {"period": "2026-11", "issue_date": "2026-12-01"},
                          "bk-after-restore", timeout=300)
report.check("the restored server bills", status == 201, str(status))
first_new = sql(db, "SELECT min(split_part(invoice_number, '-', 3)::bigint) FROM invoices "
                    "WHERE period = '2026-11' AND invoice_number LIKE 'FAC-2026-%'")
report.check("numbering goes on from the last restored number", first_new == str(last + 1),
             f"last restored {last}, first new {first_new}")
gaps = numbering_gaps(db, "FAC", "invoice_number", "invoices")
report.check("FAC numbering still gapless after the new run", gaps == "", gaps)
server.stop()
report.say(f"\n{'FAILED: ' + ', '.join(report.failed) if report.failed else 'All checks passed.'}")
report.write(REPORT_FILE)
sys.exit(1 if report.failed else 0)
