#!/usr/bin/env bash
# Set up (idempotent) and run the main job on the shipped corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export HF_HUB_OFFLINE=1
.venv/bin/policy-assistant inspect
# the web chat arrives with `serve`; until then the main job is the corpus overview above
[ $# -gt 0 ] && exec .venv/bin/policy-assistant "$@"
exit 0
