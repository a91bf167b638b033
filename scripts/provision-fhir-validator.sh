#!/usr/bin/env bash
# Independent FHIR validator for the test suite: PyPI fhir.resources (pinned) in its own venv under the git-ignored
# .tools/, so a fresh machine gets it from project files. Idempotent: a venv that already imports the pinned version
# is left alone. Exits non-zero when it cannot provision (the FHIR validation test then fails with this output,
# it never skips). Separate from the pyx12 venv on purpose: no shared lock, no shared state.
set -euo pipefail
cd "$(dirname "$0")/.."
FHIR_RESOURCES_VERSION="8.3.0"
VENV=".tools/fhir-validator/venv"
PY="$VENV/bin/python"

if [ -x "$PY" ] && "$PY" -c "import fhir.resources, sys; sys.exit(0 if fhir.resources.__version__ == '$FHIR_RESOURCES_VERSION' else 1)" 2>/dev/null; then
  exit 0
fi
command -v python3 >/dev/null 2>&1 || { echo "[fhir-validator] python3 is required (>= 3.8)" >&2; exit 1; }
# Build in a scratch dir and move it into place, so a concurrent or interrupted run never leaves a half venv behind.
TMP=".tools/fhir-validator/venv.tmp.$$"
mkdir -p .tools/fhir-validator
rm -rf "$TMP"
trap 'rm -rf "$TMP"' EXIT
python3 -m venv "$TMP"
if ! "$TMP/bin/python" -m pip install --quiet --no-input "fhir.resources==$FHIR_RESOURCES_VERSION"; then
  echo "[fhir-validator] pip could not install fhir.resources==$FHIR_RESOURCES_VERSION (is PyPI reachable?)" >&2
  exit 1
fi
# Only bin/ entry-point scripts hard-code the path; we always run "$VENV/bin/python -m …", which works after a move.
rm -rf "$VENV"
mv "$TMP" "$VENV"
"$PY" -c "import fhir.resources; print('[fhir-validator] fhir.resources', fhir.resources.__version__)"
