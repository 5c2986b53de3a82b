#!/usr/bin/env python3
"""Seeds a little data through the API for `fuzz-api.sh`, then writes the schemathesis
configuration: dictionaries of the seeded ids and tokens, bound to the parameters and body
fields that carry them, so that generated requests sometimes reach existing resources (GETs by
id find things, writes pass their 404 guards) and otherwise stay random.

Only operations present in the served OpenAPI document are called, so the seed grows by itself
as features are merged. Standard library only.

Usage: fuzz_seed.py BASE_URL ADMIN_TOKEN CONFIG_OUT
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

BASE, ADMIN, CONFIG_OUT = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
API = f"{BASE}/api/v1"


def call(method, path, body=None, token=ADMIN, key=False):
    """One request; returns (status, parsed JSON or None)."""
    url = path if path.startswith("http") else f"{API}{path}"
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, payload, ctype = response.status, response.read(), response.headers.get("content-type", "")
    except urllib.error.HTTPError as error:
        status, payload, ctype = error.code, error.read(), error.headers.get("content-type", "")
    parsed = json.loads(payload) if payload and "json" in ctype else None
    print(f"  seed {method:6} {url.replace(API, '')[:80]:80} -> {status}")
    if status >= 500:
        sys.exit(f"fuzz seed: server error on {method} {url}: {payload[:300]!r}")
    return status, parsed


document = call("GET", "/openapi.json", token=None)[1]
OPERATIONS = {(path.removeprefix("/api/v1"), method.upper())
              for path, item in document["paths"].items() for method in item}


def has(method, path):
    return (path, method) in OPERATIONS


seen = {name: [] for name in (
    "offer_id", "client_id", "subscriber_id", "contract_id", "invoice_id", "case_id",
    "billing_run_id", "draft_id", "payment_id", "cin", "lookup_token", "token",
)}


def remember(name, value):
    if value and value not in seen[name]:
        seen[name].append(value)


def remember_link(url):
    """Keeps the `token` of a document download URL."""
    for value in urllib.parse.parse_qs(urllib.parse.urlparse(url or "").query).get("token", []):
        remember("token", value)


run = uuid.uuid4().hex[:6].upper()
offers = []
if has("POST", "/offers"):
    for code, service, price in (("MOB-A", "mobile", 9900), ("MOB-B", "mobile", 19900),
                                 ("FIBRE", "internet", 34900)):
        status, offer = call("POST", "/offers", {
            "code": f"{code}-{run}", "name": f"Offre {code}", "description": "fuzz seed",
            "service_type": service, "monthly_price": price, "commitment_months": 12,
        })
        if status == 201:
            offers.append(offer["id"])
            remember("offer_id", offer["id"])

cins = [f"FZ{uuid.uuid4().int % 900000 + 100000}" for _ in range(2)]
clients = []
if has("POST", "/customers"):
    for cin in cins:
        status, client = call("POST", "/customers", {
            "cin": cin, "first_name": "Hajar", "last_name": "Benkirane",
            "email": "hajar@example.ma", "phone": "0612345678", "city": "Fès",
        })
        if status == 201:
            clients.append(client["id"])
            remember("client_id", client["id"])
            remember("cin", cin)

contracts = []
if has("POST", "/contracts/provision") and offers and clients:
    for client_id in clients:
        status, contract = call("POST", "/contracts/provision", {
            "offer_id": offers[0], "client_id": client_id, "contract_start_date": "2026-01-01",
            "commitment_months": 12,
            "subscriber": {"service_identifier": f"+2126{uuid.uuid4().int % 90000000 + 10000000}"},
        })
        if status == 201:
            contracts.append(contract["id"])
            remember("contract_id", contract["id"])
            remember("subscriber_id", (contract.get("subscriber") or {}).get("id")
                     or contract.get("subscriber_id"))

if has("POST", "/landing/drafts"):
    status, draft = call("POST", "/landing/drafts", {"payload": {"step": 1}}, token=None)
    if status == 201:
        remember("draft_id", draft.get("draft_id"))

if has("POST", "/landing/submit/new") and offers:
    status, created = call("POST", "/landing/submit/new", {
        "client": {"cin": cins[0], "first_name": "Hajar", "last_name": "Benkirane"},
        "offer_id": offers[0], "contract_start_date": "2026-02-01",
        "subscriber": {"service_identifier": f"+2126{uuid.uuid4().int % 90000000 + 10000000}"},
    }, token=None, key=True)
    if status == 201:
        remember("contract_id", created.get("contract_id"))
        remember_link(created.get("document_download_url"))

if has("POST", "/landing/clients/verify-cin"):
    for cin in seen["cin"]:
        status, verified = call("POST", "/landing/clients/verify-cin", {"cin": cin}, token=None)
        if status == 200:
            remember("lookup_token", verified.get("lookup_token"))

path = "/landing/contracts/{contract_id}/document-link"
if has("POST", path) and contracts:
    status, link = call("POST", path.replace("{contract_id}", contracts[0]), {"cin": cins[0]},
                        token=None)
    if status == 200:
        remember_link(link.get("document_download_url"))

if has("POST", "/billing/runs"):
    status, billed = call("POST", "/billing/runs", {"period": "2026-01", "issue_date": "2026-02-01"},
                          key=True)
    if status == 201:
        remember("billing_run_id", billed.get("billing_run_id") or billed.get("id"))
        for invoice_id in billed.get("invoice_ids") or []:
            remember("invoice_id", invoice_id)

if seen["lookup_token"] and has("GET", "/landing/clients/{cin}/invoices"):
    query = urllib.parse.urlencode({"lookup_token": seen["lookup_token"][0]})
    status, listed = call("GET", f"/landing/clients/{cins[0]}/invoices?{query}", token=None)
    for item in (listed or {}).get("items", []) if status == 200 else []:
        remember_link(item.get("document_download_url"))

if has("POST", "/collections/payments") and clients:
    status, paid = call("POST", "/collections/payments", {
        "client_id": clients[0], "amount": 1000, "method": "cash", "reference": "FUZZ-1",
    }, key=True)
    if status == 201:
        remember("payment_id", paid.get("payment_id"))

if has("POST", "/collections/dunning/runs"):
    call("POST", "/collections/dunning/runs", {"as_of": "2026-06-30"})
if has("GET", "/collections/cases"):
    status, cases = call("GET", "/collections/cases")
    for case in (cases or {}).get("items", []) if status == 200 else []:
        remember("case_id", case.get("id"))


def toml_string(value):
    return json.dumps(value)


lines = [
    "# Written by scripts/fuzz_seed.py for one fuzz run: seeded values, bound to the",
    "# parameters and body fields that carry them (half the time; the rest stays random).",
    "",
    "# Runs start from nothing: no state carried over from an earlier run.",
    "[cache]",
    "enabled = false",
    "",
    "[checks.positive_data_acceptance]",
    "# A schema-valid request may still break a business rule the schema cannot express",
    "# (dates in the past, cross-field rules, state machines): 422 is a correct answer.",
    'expected-statuses = ["2xx", "401", "403", "404", "409", "422"]',
    "",
    "[dictionaries]",
]
bound = {name: values for name, values in seen.items() if values}
for name, values in bound.items():
    lines.append(f"{name} = {{ values = [{', '.join(toml_string(v) for v in values)}] }}")
lines += ["", "[parameters]"]
for name in bound:
    for location in ("path", "query"):
        lines.append(f'"{location}.{name}" = {{ dictionary = "{name}", probability = 0.5 }}')
    lines.append(f'"body.{name}" = {{ dictionary = "{name}", probability = 0.5 }}')
if "offer_id" in bound:
    lines.append('"body.target_offer_id" = { dictionary = "offer_id", probability = 0.5 }')
with open(CONFIG_OUT, "w", encoding="utf-8") as out:
    out.write("\n".join(lines) + "\n")
print(f"  seeded: {', '.join(f'{k}={len(v)}' for k, v in bound.items())}")
