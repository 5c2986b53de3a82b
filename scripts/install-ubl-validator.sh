#!/usr/bin/env bash
# Installs xmllint (Debian libxml2-utils), the validator the UBL tests run against the vendored
# OASIS UBL 2.1 schemas (crates/adapters-ubl/xsd/ubl-2.1, decision 0301). Does nothing when it
# is already there. Then `MTF_UBL_XSD_REQUIRED=1 cargo test -p adapters-ubl` fails rather than
# skips if the validator is missing.
set -euo pipefail
# `head` would close the pipe early and, under pipefail, fail the script with SIGPIPE (141).
print_version() {
    local version
    version=$(xmllint --version 2>&1)
    printf '%s\n' "${version%%$'\n'*}"
}
if command -v xmllint >/dev/null 2>&1; then
    print_version
    exit 0
fi
echo "== installing Debian's libxml2-utils (xmllint)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils >/dev/null
print_version
