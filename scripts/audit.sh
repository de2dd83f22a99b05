#!/usr/bin/env bash
# Dependency audit: the packages installed in .venv checked against a public vulnerability
# database with pip-audit (in the dev extra). Needs the network: pip-audit asks the PyPI JSON
# API (default) or OSV (PA_AUDIT_SERVICE=osv) about every installed version.
#
#   scripts/audit.sh            # exit 0: no known vulnerabilities; 1: some found (listed)
#   PA_AUDIT_SERVICE=osv scripts/audit.sh
#
# Exit 3 when nothing could be audited: the database is unreachable (offline), or a PyPI
# mirror/proxy answers the project JSON (/pypi/NAME/json) but not the per-version one
# (/pypi/NAME/VERSION/json) that pip-audit asks. pip-audit then reports every package as
# "Dependency not found on PyPI", prints "No known vulnerabilities found" and exits 0, which
# reads like a clean bill of health; this script says it could not audit instead.
# The project itself (an editable install, not on PyPI) is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
AUDIT=.venv/bin/pip-audit
SERVICE="${PA_AUDIT_SERVICE:-pypi}"
if [ ! -x "$AUDIT" ]; then
    echo "audit: pip-audit is not installed in .venv (run scripts/setup.sh; it is in the dev extra)" >&2
    exit 2
fi
case "$SERVICE" in
    pypi) PROBE="https://pypi.org/pypi/pip/json" ;;
    osv)  PROBE="https://api.osv.dev/v1/query" ;;
    *) echo "audit: PA_AUDIT_SERVICE must be pypi or osv, not '$SERVICE'" >&2; exit 2 ;;
esac

# 1. can the vulnerability service be reached at all? (any HTTP answer counts)
if ! "$PY" - "$PROBE" <<'EOF'
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=15)
except urllib.error.HTTPError:
    pass  # reachable: it answered (OSV answers a GET with 405)
except Exception as exc:  # noqa: BLE001
    print(f"audit: cannot reach {sys.argv[1]} ({type(exc).__name__}: {exc})", file=sys.stderr)
    sys.exit(1)
EOF
then
    echo "audit: OFFLINE - the vulnerability database ($SERVICE) is not reachable from this machine;" \
         "nothing was audited. Run scripts/audit.sh where the network is available." >&2
    exit 3
fi

# 2. the audit, as JSON, then a short report
REPORT="$(mktemp -t pa-audit-XXXXXX.json)"
LOG="$(mktemp -t pa-audit-XXXXXX.log)"
trap 'rm -f "$REPORT" "$LOG"' EXIT
set +e
"$AUDIT" --local --skip-editable --progress-spinner off --vulnerability-service "$SERVICE" \
    --format json --output "$REPORT" --timeout 30 >"$LOG" 2>&1
STATUS=$?
set -e
if [ ! -s "$REPORT" ]; then
    cat "$LOG" >&2
    echo "audit: pip-audit failed (exit $STATUS) without a report" >&2
    exit 2
fi
"$PY" - "$REPORT" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
deps = data.get("dependencies", [])
skipped = [d for d in deps if d.get("skip_reason")]
audited = [d for d in deps if not d.get("skip_reason")]
vulnerable = [d for d in audited if d.get("vulns")]
if audited:  # when nothing was audited, the reason is the same for every package: show three
    shown = skipped
else:
    shown = skipped[:3]
for d in shown:
    print(f"skipped  {d['name']}: {d['skip_reason']}")
for d in vulnerable:
    for v in d["vulns"]:
        fix = ", ".join(v.get("fix_versions") or []) or "no fixed version yet"
        print(f"VULNERABLE  {d['name']} {d['version']}: {v['id']} (fixed in: {fix})")
print(f"audit: {len(audited)} packages audited, {len(skipped)} skipped, "
      f"{sum(len(d['vulns']) for d in vulnerable)} known vulnerabilities in {len(vulnerable)} packages")
if deps and not audited:
    print("audit: NOT AUDITED - no package could be looked up in the vulnerability database "
          "(offline, or a PyPI mirror without the per-version JSON API; try PA_AUDIT_SERVICE=osv)",
          file=sys.stderr)
    sys.exit(3)
sys.exit(1 if vulnerable else 0)
EOF
