#!/usr/bin/env python3
"""Walks the process map's handover order P0 -> P15 against a running server with real HTTP
calls, printing each step and saving the contract and invoice PDFs. Exits non-zero on any
unexpected status. Standard library only.

Processes whose operations this build does not serve yet (absent from /openapi.json) are
reported as SKIPPED; with DEMO_STRICT=1 they fail the demo instead.

Usage: demo.py BASE_URL ADMIN_TOKEN OUT_DIR
"""
import datetime
import json
import os
import sys
import time
import uuid
import urllib.error
import urllib.request
from pathlib import Path

BASE, ADMIN, OUT = sys.argv[1].rstrip("/"), sys.argv[2], Path(sys.argv[3])
OUT.mkdir(parents=True, exist_ok=True)
STEP = [0]


def call(method, path, expect, body=None, token=None, key=None, raw=False, show=(),
         content_type=None):
    url = path if path.startswith("http") else f"{BASE}{path}"
    headers = {"Accept": "application/json"}
    data = None
    if content_type is not None:
        data = body
        headers["Content-Type"] = content_type
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            status, payload, ctype = response.status, response.read(), response.headers.get("content-type", "")
    except urllib.error.HTTPError as error:
        status, payload, ctype = error.code, error.read(), error.headers.get("content-type", "")
    STEP[0] += 1
    shown = ""
    parsed = None
    if not raw and payload and "json" in ctype:
        parsed = json.loads(payload)
        if isinstance(parsed, dict):
            shown = "  " + ", ".join(f"{k}={parsed.get(k)}" for k in show if k in parsed)
    elif raw:
        shown = f"  {ctype}, {len(payload)} bytes"
    print(f"{STEP[0]:>3}. {method:6} {path.replace(BASE, '')[:90]:90} -> {status}{shown}")
    if status not in (expect if isinstance(expect, tuple) else (expect,)):
        print(f"     expected {expect}; body: {payload[:500]!r}", file=sys.stderr)
        sys.exit(1)
    return payload if raw else parsed


def section(title):
    print(f"\n== {title}")


SKIPPED = []


def cleared(path, token):
    """Waits until the document at `path` is cleared by the tax authority (e-invoicing on);
    returns at once for a document without clearance (e-invoicing off)."""
    document = call("GET", path, 200, token=token)
    for _ in range(100):
        clearance = document.get("clearance")
        if clearance is None or clearance["status"] == "cleared":
            if clearance:
                print(f"     cleared: reference {clearance['reference']}")
            return document
        if clearance["status"] == "rejected":
            print(f"{path}: rejected by the tax authority: {clearance['reasons']}", file=sys.stderr)
            sys.exit(1)
        time.sleep(0.2)
        document = quiet_get(path, token)
    print(f"{path}: not cleared after 20 s", file=sys.stderr)
    sys.exit(1)


def quiet_get(path, token):
    request = urllib.request.Request(f"{BASE}{path}", headers={
        "Accept": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def served(title, *paths):
    """Whether every path is an operation of this build; prints why a process is skipped."""
    missing = [p for p in paths if p not in OPERATIONS]
    if not missing:
        return True
    if os.environ.get("DEMO_STRICT") == "1":
        print(f"{title}: not served by this build: {', '.join(missing)}", file=sys.stderr)
        sys.exit(1)
    print(f"   SKIPPED {title}: not served by this build ({', '.join(missing)})")
    SKIPPED.append(title)
    return False


section("P0 environment and access")
call("GET", "/api/v1/health", 200, show=("status", "database", "version"))
OPERATIONS = set(call("GET", "/api/v1/openapi.json", 200, show=("openapi",))["paths"])
call("GET", "/api/v1/me", 200, token=ADMIN, show=("actor_id", "roles"))
call("GET", "/api/v1/admin/ping", 200, token=ADMIN, show=("pong",))
tokens = {}
for role in ("agent", "billing", "collections", "viewer"):
    actor = call("POST", "/api/v1/admin/actors", 201, {"name": f"demo {role}", "roles": [role]},
                 token=ADMIN, show=("id", "roles"))
    tokens[role] = actor["token"]
AGENT, BILLING, COLLECTIONS, VIEWER = (tokens[r] for r in ("agent", "billing", "collections", "viewer"))

section("P1 catalog")
run_id = uuid.uuid4().hex[:6].upper()
offers = {}
for code, name, service, price in (
    ("MOB-ESSENTIEL", "Mobile Essentiel 20 Go", "mobile", 9900),
    ("MOB-PREMIUM", "Mobile Premium 100 Go", "mobile", 19900),
    ("FIBRE-100", "Fibre 100 Mb/s", "internet", 34900),
):
    offer = call("POST", "/api/v1/offers", 201, {
        "code": f"{code}-{run_id}", "name": name, "description": f"Offre {name}",
        "service_type": service, "monthly_price": price, "commitment_months": 12,
    }, token=AGENT, show=("id", "code", "monthly_price", "monthly_price_incl_tax"))
    offers[code] = offer["id"]
call("GET", "/api/v1/offer-categories", 200, token=VIEWER)
call("GET", "/api/v1/offer-families", 200, token=VIEWER)
call("GET", f"/api/v1/offers/{offers['MOB-ESSENTIEL']}", 200, token=VIEWER, show=("code", "status"))

section("P3 clients")
cin = f"DM{uuid.uuid4().int % 900000 + 100000}"
client = call("POST", "/api/v1/customers", 201, {
    "cin": cin, "first_name": "Hajar", "last_name": "Benkirane", "email": "hajar@example.ma",
    "phone": "0612345678", "address": "12 rue Talaa", "city": "Fès", "birth_date": "1990-04-12",
}, token=AGENT, show=("id", "cin", "phone"))
call("GET", f"/api/v1/customers?q=benkirane", 200, token=VIEWER)
call("GET", f"/api/v1/customers/{client['id']}", 200, token=VIEWER, show=("cin",))

section("P4 provisioning")
line = f"+2126{uuid.uuid4().int % 90000000 + 10000000}"
contract = call("POST", "/api/v1/contracts/provision", 201, {
    "offer_id": offers["FIBRE-100"], "client_id": client["id"], "contract_start_date": "2026-02-01",
    "commitment_months": 12, "subscriber": {"service_identifier": f"FTTH-{run_id}"},
    "provisioning_intent": "auto",
}, token=AGENT, show=("id", "contract_number", "status"))
call("GET", f"/api/v1/contracts/{contract['id']}", 200, token=VIEWER, show=("status",))
call("GET", f"/api/v1/contracts/{contract['id']}/audit", 200, token=VIEWER)

section("P8 public subscription")
new = lookup = None
if served("P8-P10 landing", "/api/v1/landing/submit/new", "/api/v1/landing/clients/verify-cin",
          "/api/v1/landing/submit/plan-change", "/api/v1/landing/contracts/{contract_id}/document-link"):
    # The CIN already belongs to a client (P3): the client proves it first (verify-cin; with
    # MTF_LANDING_OTP=on, a one-time code too), then subscribes with the lookup token.
    verified = call("POST", "/api/v1/landing/clients/verify-cin", 200, {"cin": cin}, show=("expires_at",))
    lookup = verified["lookup_token"]
    new = call("POST", "/api/v1/landing/submit/new", 201, {
        "client": {"cin": cin, "first_name": "Hajar", "last_name": "Benkirane", "phone": "0612345678"},
        "offer_id": offers["MOB-ESSENTIEL"], "contract_start_date": "2026-02-10",
        "subscriber": {"service_identifier": line}, "lookup_token": lookup,
    }, key=str(uuid.uuid4()), show=("contract_id", "contract_number", "status"))
    pdf = call("GET", new["document_download_url"], 200, raw=True)
    (OUT / "contract-v1.pdf").write_bytes(pdf)

    section("P9 plan change")
    call("GET", f"/api/v1/landing/clients/{cin}/subscriptions?lookup_token={lookup}", 200)
    change = call("POST", "/api/v1/landing/submit/plan-change", 200, {
        "cin": cin, "lookup_token": lookup, "contract_id": new["contract_id"],
        "offer_id": offers["MOB-PREMIUM"], "contract_start_date": "2026-02-20",
    }, key=str(uuid.uuid4()), show=("direction", "document_version"))
    pdf = call("GET", change["document_download_url"], 200, raw=True)
    (OUT / "contract-v2.pdf").write_bytes(pdf)

    section("P10 document link")
    link = call("POST", f"/api/v1/landing/contracts/{contract['id']}/document-link", 200, {"cin": cin})
    call("GET", link["document_download_url"], 200, raw=True)

section("P11 billing run")
invoices = []
if served("P11-P12 billing", "/api/v1/billing/runs", "/api/v1/invoices",
          "/api/v1/invoices/{invoice_id}", "/api/v1/invoices/{invoice_id}/pdf"):
    call("POST", "/api/v1/billing/runs", 201, {"period": "2026-02", "issue_date": "2026-03-01"},
         token=BILLING, key=str(uuid.uuid4()), show=("billing_run_id", "invoice_count", "totals"))

    section("P12 invoices")
    invoices = call("GET", f"/api/v1/invoices?client_id={client['id']}", 200, token=VIEWER)["items"]
    for invoice in invoices:
        call("GET", f"/api/v1/invoices/{invoice['id']}", 200, token=VIEWER,
             show=("invoice_number", "total_incl_tax", "status"))
        # E-invoicing (issue #18): a pending invoice is not offered yet; once the simulator
        # has cleared it, its PDF prints the reference and the QR code.
        # The worker may clear it between the list and this call: then it is already offered.
        if invoice.get("clearance", {}).get("status") == "pending":
            call("GET", f"/api/v1/invoices/{invoice['id']}/pdf", (409, 200), token=VIEWER)
        cleared(f"/api/v1/invoices/{invoice['id']}", VIEWER)
        pdf = call("GET", f"/api/v1/invoices/{invoice['id']}/pdf", 200, token=VIEWER, raw=True)
        (OUT / f"{invoice['invoice_number']}.pdf").write_bytes(pdf)
        if "/api/v1/invoices/{invoice_id}/ubl" in OPERATIONS:
            ubl = call("GET", f"/api/v1/invoices/{invoice['id']}/ubl", 200, token=VIEWER, raw=True)
            (OUT / f"{invoice['invoice_number']}.xml").write_bytes(ubl)
    if "/api/v1/einvoicing/status" in OPERATIONS:
        call("GET", "/api/v1/einvoicing/status", 200, token=VIEWER, show=("enabled", "counts"))

section("P13 client billing self-service")
if lookup and invoices and served("P13 self-service", "/api/v1/landing/clients/{cin}/invoices"):
    listed = call("GET", f"/api/v1/landing/clients/{cin}/invoices?lookup_token={lookup}", 200)["items"]
    call("GET", listed[0]["document_download_url"], 200, raw=True)
elif not (lookup and invoices):
    print("   SKIPPED P13: needs the landing lookup token (P9) and invoices (P11)")
    SKIPPED.append("P13")

section("P14 payments")
if invoices:
    first = invoices[0]
    call("POST", "/api/v1/collections/payments", 201, {
        "client_id": client["id"], "amount": first["total_incl_tax"] // 2, "method": "card",
        "reference": "CB-0001", "invoice_id": first["id"],
    }, token=COLLECTIONS, key=str(uuid.uuid4()),
       show=("payment_id", "allocation_state", "unallocated_amount"))
    if len(invoices) > 1:
        call("POST", f"/api/v1/collections/invoices/{invoices[1]['id']}/approve-paid", 201,
             {"note": "paid at the agency"}, token=COLLECTIONS, key=str(uuid.uuid4()),
             show=("payment_id", "amount"))
else:
    # Without invoices the payment is kept as the client's credit.
    call("POST", "/api/v1/collections/payments", 201, {
        "client_id": client["id"], "amount": 5000, "method": "card", "reference": "CB-0001",
    }, token=COLLECTIONS, key=str(uuid.uuid4()),
       show=("payment_id", "allocation_state", "unallocated_amount"))

section("Credit note (facture d'avoir)")
if invoices and served("credit notes", "/api/v1/invoices/{invoice_id}/credit-notes",
                       "/api/v1/credit-notes", "/api/v1/credit-notes/{credit_note_id}/pdf"):
    # A partial note on the half-paid invoice: 10.00 MAD excl. tax off its first line.
    first = invoices[0]
    note = call("POST", f"/api/v1/invoices/{first['id']}/credit-notes", 201, {
        "reason": "Geste commercial : coupure réseau",
        "lines": [{"position": 1, "amount_excl_tax": 1000}],
    }, token=BILLING, key=str(uuid.uuid4()),
       show=("credit_note_number", "total_incl_tax", "applied_to_invoice", "invoice_status",
             "invoice_outstanding"))
    call("GET", f"/api/v1/credit-notes?invoice_id={first['id']}", 200, token=VIEWER)
    call("GET", f"/api/v1/invoices/{first['id']}", 200, token=VIEWER,
         show=("credited_amount", "outstanding", "credit_note_ids"))
    cleared(f"/api/v1/credit-notes/{note['id']}", VIEWER)
    pdf = call("GET", f"/api/v1/credit-notes/{note['id']}/pdf", 200, token=VIEWER, raw=True)
    (OUT / f"{note['credit_note_number']}.pdf").write_bytes(pdf)
    if lookup:
        listed = call("GET", f"/api/v1/landing/clients/{cin}/invoices?lookup_token={lookup}", 200)
        mine = [i for i in listed["items"] if i.get("kind") == "credit_note"]
        call("GET", mine[0]["document_download_url"], 200, raw=True)

section("P15 collections")
call("POST", "/api/v1/collections/dunning/runs", 200, {"as_of": "2026-04-20"}, token=COLLECTIONS,
     show=("cases_opened", "actions_recorded", "contracts_suspended"))
call("GET", "/api/v1/collections/overview", 200, token=VIEWER,
     show=("outstanding_total", "overdue_total"))
cases = call("GET", f"/api/v1/collections/cases?client_id={client['id']}", 200, token=VIEWER)["items"]
if cases:
    case = cases[0]
    call("GET", f"/api/v1/collections/cases/{case['id']}/actions", 200, token=VIEWER)
    call("POST", f"/api/v1/collections/cases/{case['id']}/actions", 201,
         {"action_type": "call", "note": "client promises to pay Friday"}, token=COLLECTIONS)
    if case["overdue_amount"] > 0:
        friday = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
        call("POST", f"/api/v1/collections/cases/{case['id']}/actions", 201,
             {"action_type": "promise_to_pay", "promised_date": friday,
              "amount": case["overdue_amount"], "note": "Friday"}, token=COLLECTIONS)
        call("GET", f"/api/v1/collections/cases/{case['id']}", 200, token=VIEWER,
             show=("status", "promise"))
elif invoices:
    print("no collection case opened for overdue invoices", file=sys.stderr)
    sys.exit(1)
call("GET", "/api/v1/collections/payments", 200, token=VIEWER)

section("Ledger: balance, refund, reversal, statement")
if served("ledger", "/api/v1/collections/refunds"):
    owed = call("GET", f"/api/v1/customers/{client['id']}/balance", 200, token=VIEWER,
                show=("outstanding", "credit_available"))["outstanding"]
    settle = call("POST", "/api/v1/collections/payments", 201, {
        "client_id": client["id"], "amount": owed + 3000, "method": "transfer",
        "reference": "VIR-SETTLE",
    }, token=COLLECTIONS, key=str(uuid.uuid4()),
       show=("payment_id", "allocation_state", "credit_available"))
    cheque = call("POST", "/api/v1/collections/payments", 201, {
        "client_id": client["id"], "amount": 1500, "method": "agency", "reference": "CHQ-77",
    }, token=COLLECTIONS, key=str(uuid.uuid4()),
       show=("payment_id", "allocation_state", "credit_available"))
    call("POST", "/api/v1/collections/refunds", 201, {
        "client_id": client["id"], "amount": 1000, "method": "transfer", "reference": "REMB-1",
    }, token=COLLECTIONS, key=str(uuid.uuid4()), show=("id", "amount", "credit_available"))
    call("POST", f"/api/v1/collections/payments/{cheque['payment_id']}/reversal", 201,
         {"reason": "cheque returned unpaid"}, token=COLLECTIONS, key=str(uuid.uuid4()),
         show=("id", "amount", "credit_removed", "credit_available"))
    # The refund took the settling payment's credit: undoing that payment would go negative.
    call("POST", f"/api/v1/collections/payments/{settle['payment_id']}/reversal", 422,
         {"reason": "posted by mistake"}, token=COLLECTIONS, key=str(uuid.uuid4()))
    call("GET", f"/api/v1/customers/{client['id']}/balance", 200, token=VIEWER,
         show=("invoiced", "paid", "refunded", "outstanding", "credit_available"))
    call("GET", f"/api/v1/customers/{client['id']}/statement", 200, token=VIEWER,
         show=("opening_balance", "closing_balance"))
    releve = call("GET", f"/api/v1/customers/{client['id']}/statement/pdf", 200, token=VIEWER,
                  raw=True)
    (OUT / "releve-de-compte.pdf").write_bytes(releve)

section("Company account billed per account")
company = None
if served("companies", "/api/v1/customers/{client_id}/audit"):
    ice = f"{uuid.uuid4().int % 10**15:015d}"
    company = call("POST", "/api/v1/customers", 201, {
        "kind": "company", "company_name": f"Atlas Logistique {run_id} SARL", "ice": ice,
        "if": "40123456", "address": "Zone industrielle", "city": "Casablanca",
        "legal_representative": {"name": "Karim Alaoui", "cin": "BK998877"},
    }, token=AGENT, show=("id", "kind", "display_name", "invoicing"))
    for n in range(2):
        call("POST", "/api/v1/contracts/provision", 201, {
            "offer_id": offers["MOB-ESSENTIEL"], "client_id": company["id"],
            "contract_start_date": "2026-03-01", "commitment_months": 12,
            "subscriber": {"service_identifier": f"+2126{uuid.uuid4().int % 90000000 + 10000000}"},
            "provisioning_intent": "auto",
        }, token=AGENT, show=("contract_number",))
    call("POST", "/api/v1/billing/runs", 201, {"period": "2026-03", "issue_date": "2026-04-01"},
         token=BILLING, key=str(uuid.uuid4()), show=("invoice_count", "totals"))
    account = call("GET", f"/api/v1/invoices?client_id={company['id']}", 200,
                   token=VIEWER)["items"]
    if len(account) != 1 or len(account[0]["lines"]) != 2:
        print("a per-account company must get one invoice with a line per contract",
              file=sys.stderr)
        sys.exit(1)
    call("GET", f"/api/v1/invoices/{account[0]['id']}", 200, token=VIEWER,
         show=("invoice_number", "invoicing", "total_incl_tax"))
    cleared(f"/api/v1/invoices/{account[0]['id']}", VIEWER)
    pdf = call("GET", f"/api/v1/invoices/{account[0]['id']}/pdf", 200, token=VIEWER, raw=True)
    (OUT / f"{account[0]['invoice_number']}-societe.pdf").write_bytes(pdf)
    call("GET", f"/api/v1/customers/{company['id']}/audit", 200, token=VIEWER)

section("Month-end: bank file, unidentified money, exports")
if served("finance", "/api/v1/collections/payment-imports", "/api/v1/exports/sales-journal"):
    # A bank statement: one transfer naming the client's CIN (kept as its credit), one that
    # names nobody (kept as unidentified money), then the same file again (all duplicates).
    bank = (
        "date;amount;reference;payer;invoice_number\n"
        f"2026-04-25;120,00;VIR-DEMO-1;{cin};\n"
        "2026-04-25;75.50;VIR-DEMO-2;INCONNU;\n"
        + (f"2026-04-26;99,00;VIR-DEMO-3;{company['ice']};\n" if company else "")
    ).encode()
    imported = call("POST", "/api/v1/collections/payment-imports", 201, bank, token=COLLECTIONS,
                    key=str(uuid.uuid4()), content_type="text/csv", show=("import_id", "totals"))
    call("POST", "/api/v1/collections/payment-imports", 201, bank, token=COLLECTIONS,
         key=str(uuid.uuid4()), content_type="text/csv", show=("totals",))
    unidentified = call("GET", "/api/v1/collections/unidentified?status=unidentified", 200,
                        token=VIEWER)["items"]
    if unidentified:
        call("POST", f"/api/v1/collections/unidentified/{unidentified[0]['id']}/assign", 201,
             {"client_id": client["id"]}, token=COLLECTIONS, key=str(uuid.uuid4()),
             show=("payment_id", "status"))
    journal = call("GET", "/api/v1/exports/sales-journal?from=2026-01-01&to=2026-12-31", 200,
                   token=VIEWER, raw=True)
    (OUT / "journal-des-ventes.csv").write_bytes(journal)
    receipts = call("GET", "/api/v1/exports/receipts-journal?from=2026-01-01&to=2026-12-31",
                    200, token=VIEWER, raw=True)
    (OUT / "journal-des-encaissements.csv").write_bytes(receipts)
    call("GET", "/api/v1/reports/tva?period=2026-03&regime=debits", 200, token=VIEWER)
    call("GET", "/api/v1/reports/tva?period=2026-04&regime=encaissements", 200, token=VIEWER)
    call("GET", "/api/v1/reports/revenue?period=2026-03", 200, token=VIEWER)

section("Usage: a plan with allowances, records from the network, out-of-bundle lines")
if served("usage", "/api/v1/usage/records", "/api/v1/contracts/{contract_id}/usage"):
    forfait = call("POST", "/api/v1/offers", 201, {
        "code": f"MOB-FORFAIT-{run_id}", "name": "Forfait Mobile 1h", "service_type": "mobile",
        "monthly_price": 4900, "description": "1 h d'appels, 100 SMS, 5 Go",
        "allowances": {"voice_seconds": 3600, "sms": 100, "data_bytes": 5 * 1024 ** 3},
        "overage_rates": {"voice_per_minute": 150, "sms_each": 50, "data_per_mb": 10},
    }, token=AGENT, show=("id", "code", "allowances", "overage_rates"))
    mediation = call("POST", "/api/v1/admin/actors", 201,
                     {"name": "demo mediation", "roles": ["mediation"]}, token=ADMIN,
                     show=("id", "roles"))["token"]
    usage_cin = f"DU{uuid.uuid4().int % 900000 + 100000}"
    subscriber = call("POST", "/api/v1/customers", 201, {
        "cin": usage_cin, "first_name": "Omar", "last_name": "Tazi", "phone": "0698765432",
        "address": "3 avenue Mohammed V", "city": "Rabat", "birth_date": "1985-06-01",
    }, token=AGENT, show=("id", "cin"))
    lines = {}
    for name in ("sobre", "bavard"):
        number = f"+2126{uuid.uuid4().int % 90000000 + 10000000}"
        created = call("POST", "/api/v1/contracts/provision", 201, {
            "offer_id": forfait["id"], "client_id": subscriber["id"],
            "contract_start_date": "2026-05-01", "commitment_months": 0,
            "subscriber": {"service_identifier": number}, "provisioning_intent": "auto",
        }, token=AGENT, show=("id", "contract_number"))
        lines[name] = (number, created["id"])

    def record(n, line, kind, quantity, day):
        return json.dumps({"record_id": f"CDR-{run_id}-{n}", "service_identifier": line,
                           "kind": kind, "started_at": f"2026-05-{day:02d}T10:00:00+01:00",
                           "quantity": quantity})

    sobre, bavard = lines["sobre"][0], lines["bavard"][0]
    cdrs = "\n".join([
        # Inside the allowances: 30 min of calls, 20 SMS, 1 Go.
        record(1, sobre, "voice", 1800, 3), record(2, sobre, "sms", 20, 4),
        record(3, sobre, "data", 1024 ** 3, 5),
        # Beyond them: 75 min 20 s of calls (16 started minutes over), 120 SMS (20 over).
        record(4, bavard, "voice", 2400, 6), record(5, bavard, "voice", 2120, 7),
        record(6, bavard, "sms", 120, 8), record(7, bavard, "data", 2 * 1024 ** 3, 9),
        # A line nobody holds: rejected, the rest of the batch goes through.
        record(8, "+212600000001", "voice", 60, 9),
    ]).encode() + b"\n"
    call("POST", "/api/v1/usage/records", 200, cdrs, token=mediation,
         content_type="application/x-ndjson", show=("accepted", "duplicates", "rejected"))
    # The mediation system resends the whole file: nothing is counted twice.
    call("POST", "/api/v1/usage/records", 200, cdrs, token=mediation,
         content_type="application/x-ndjson", show=("accepted", "duplicates"))
    call("GET", f"/api/v1/contracts/{lines['bavard'][1]}/usage?period=2026-05", 200,
         token=VIEWER, show=("kinds", "overage_excl_tax"))
    call("POST", "/api/v1/billing/runs", 201, {"period": "2026-05", "issue_date": "2026-06-01"},
         token=BILLING, key=str(uuid.uuid4()), show=("invoice_count", "totals"))
    billed = call("GET", f"/api/v1/invoices?client_id={subscriber['id']}", 200,
                  token=VIEWER)["items"]
    usage_lines = [l for i in billed for l in i["lines"] if l.get("kind") == "usage"]
    if len(usage_lines) != 2:
        print(f"the talkative line must get 2 out-of-bundle lines, got {usage_lines}",
              file=sys.stderr)
        sys.exit(1)
    for invoice in billed:
        call("GET", f"/api/v1/invoices/{invoice['id']}", 200, token=VIEWER,
             show=("invoice_number", "total_incl_tax", "usage"))
        cleared(f"/api/v1/invoices/{invoice['id']}", VIEWER)
        pdf = call("GET", f"/api/v1/invoices/{invoice['id']}/pdf", 200, token=VIEWER, raw=True)
        (OUT / f"{invoice['invoice_number']}-consommation.pdf").write_bytes(pdf)
    token = call("POST", "/api/v1/landing/clients/verify-cin", 200,
                 {"cin": usage_cin})["lookup_token"]
    call("GET", f"/api/v1/landing/clients/{usage_cin}/usage?lookup_token={token}", 200)

skipped = f"; skipped (not in this build): {', '.join(SKIPPED)}" if SKIPPED else ""
print(f"\nDemo complete: {STEP[0]} calls; PDFs in {OUT}{skipped}")
