#!/usr/bin/env bash
# Best-effort extras for CI on a fresh machine: a compose implementation so test/integration/compose.test.ts can
# validate docker-compose.yml (`config` needs no Docker engine). Never fatal: without it that test skips and says why.
set -u
if docker compose version >/dev/null 2>&1 || docker-compose version >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[ci] installing docker-compose (Debian package) for the compose config check"
  timeout 240 apt-get update -qq >/dev/null 2>&1 && timeout 240 apt-get install -y -qq docker-compose >/dev/null 2>&1 \
    || echo "[ci] docker-compose not installed; the compose config check will be skipped"
fi
exit 0
