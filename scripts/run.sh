#!/usr/bin/env bash
# Set up (idempotent) and run the main job on the shipped corpus: the corpus overview, then
# the web chat + HTTP API (`policy-assistant serve`, http://127.0.0.1:7860/; the index is built
# on first run). With arguments, runs that command instead: scripts/run.sh ask "…" --json
# Another port or address: PA_PORT=7861 scripts/run.sh (PA_HOST likewise), or
# scripts/run.sh serve --port 7861 (serve alone, without the overview).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export HF_HUB_OFFLINE=1
[ $# -gt 0 ] && exec .venv/bin/policy-assistant "$@"
.venv/bin/policy-assistant inspect
exec .venv/bin/policy-assistant serve
