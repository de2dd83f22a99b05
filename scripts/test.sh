#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/system-deps.sh || echo "test: system packages not installed; browser tests will be skipped" >&2
export HF_HUB_OFFLINE=1
exec .venv/bin/python -m pytest "$@"
