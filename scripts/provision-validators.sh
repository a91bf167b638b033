#!/usr/bin/env bash
# Provisions the independent X12 validator, idempotently, into the git-ignored .tools/validators/venv:
#   PyPI pyx12==4.0.0 (HIPAA X12 validator with the 005010 maps; used by test/integration/x837.pyx12.test.ts).
# Needs python3 (with venv) and PyPI. Prints the interpreter path on success; exits 1 with the reason otherwise, so
# the test that depends on it fails loudly instead of skipping. Safe to run often: a matching install is kept.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$ROOT/.tools/validators/venv"
PIN_NAME=pyx12
PIN_VERSION=4.0.0
PY="$VENV/bin/python"

installed() {
  [ -x "$PY" ] && "$PY" -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('$PIN_NAME') == '$PIN_VERSION' else 1)" 2>/dev/null
}

if installed; then
  echo "$PY"
  exit 0
fi

PYTHON="${RCM_PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
      PYTHON="$candidate"
      break
    fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "[provision-validators] ERROR: python3 >= 3.9 not found (install Debian python3 and python3-venv)" >&2
  exit 1
fi

if [ ! -x "$PY" ]; then
  echo "[provision-validators] creating ${VENV#"$ROOT"/}" >&2
  if ! "$PYTHON" -m venv "$VENV" >&2; then
    echo "[provision-validators] ERROR: '$PYTHON -m venv' failed (Debian: apt-get install python3-venv)" >&2
    exit 1
  fi
fi
echo "[provision-validators] installing $PIN_NAME==$PIN_VERSION from PyPI" >&2
if ! timeout 300 "$PY" -m pip install --disable-pip-version-check --no-input -q "$PIN_NAME==$PIN_VERSION" >&2; then
  echo "[provision-validators] ERROR: pip could not install $PIN_NAME==$PIN_VERSION (is PyPI reachable?)" >&2
  exit 1
fi
if ! installed; then
  echo "[provision-validators] ERROR: $PIN_NAME $PIN_VERSION is not importable after install" >&2
  exit 1
fi
echo "$PY"
