#!/bin/sh
# One-shot (admin-tools image) once the server is healthy: create the namespace and register the journey's search
# attributes (names and types from src/workflows/searchAttributes.ts; a test keeps this list in step). Idempotent.
set -eu

NS="${TEMPORAL_NAMESPACE:-default}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"

until temporal operator cluster health >/dev/null 2>&1; do
  echo "waiting for Temporal at ${TEMPORAL_ADDRESS}"
  sleep 1
done

temporal operator namespace describe --namespace "$NS" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$NS" --retention "${NAMESPACE_RETENTION:-30d}"

existing="$(temporal operator search-attribute list --namespace "$NS" || true)"
register() {
  if echo "$existing" | grep -qw "$1"; then
    echo "search attribute $1 exists"
  else
    temporal operator search-attribute create --namespace "$NS" --name "$1" --type "$2"
  fi
}

register Stage Keyword
register SiteId Keyword
register PayerId Keyword
register SlaState Keyword
register NextDeadline Datetime
register ExceptionQueue KeywordList
register BalanceCents Int
register ClaimIds KeywordList
echo "namespace $NS ready"
