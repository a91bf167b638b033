#!/usr/bin/env bash
# Extras for CI on a fresh machine (Debian packages, root only; never fatal here, the tests say what is missing):
# - a compose implementation so test/integration/compose.test.ts can validate docker-compose.yml (`config` needs no
#   Docker engine); without it that test skips and says why.
# - Chromium (Debian `chromium`) for test/integration/inbox.browser.test.ts; that test is required in CI and FAILS
#   with the reason when Chromium is absent (outside CI it skips with a printed reason).
set -u
need_compose=1
if docker compose version >/dev/null 2>&1 || docker-compose version >/dev/null 2>&1; then need_compose=0; fi
need_chromium=1
if [ -x /usr/bin/chromium ] || [ -n "${RCM_CHROMIUM_PATH:-}" ]; then need_chromium=0; fi
[ "$need_compose" = "0" ] && [ "$need_chromium" = "0" ] && exit 0

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  [ "$need_chromium" = "1" ] && echo "[ci] Chromium missing and cannot be installed here (needs root + apt-get): the browser test will fail in CI; install the Debian package 'chromium' or set RCM_CHROMIUM_PATH"
  exit 0
fi
timeout 300 apt-get update -qq >/dev/null 2>&1 || echo "[ci] apt-get update failed"
if [ "$need_compose" = "1" ]; then
  echo "[ci] installing docker-compose (Debian package) for the compose config check"
  timeout 300 apt-get install -y -qq docker-compose >/dev/null 2>&1 \
    || echo "[ci] docker-compose not installed; the compose config check will be skipped"
fi
if [ "$need_chromium" = "1" ]; then
  echo "[ci] installing chromium (Debian package) for the inbox browser test"
  if timeout 600 apt-get install -y -qq chromium >/dev/null 2>&1 && [ -x /usr/bin/chromium ]; then
    echo "[ci] chromium installed: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
  else
    echo "[ci] ERROR: chromium could not be installed; test/integration/inbox.browser.test.ts will fail (it is required in CI)"
  fi
fi
exit 0
