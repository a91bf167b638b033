#!/bin/sh
# One-shot (admin-tools image): create the Temporal persistence and visibility databases in PostgreSQL and bring
# both schemas to the version this server image ships. Safe to re-run: create is skipped when the database exists
# and update-schema only applies missing versions.
set -eu

PLUGIN=postgres12
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12
sql() {
  temporal-sql-tool --plugin "$PLUGIN" --ep "${POSTGRES_SEEDS}" -p "${DB_PORT:-5432}" -u "${POSTGRES_USER}" --pw "${POSTGRES_PWD}" "$@"
}

until nc -z "${POSTGRES_SEEDS}" "${DB_PORT:-5432}"; do
  echo "waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT:-5432}"
  sleep 1
done

for db in "${DBNAME:-temporal}" "${VISIBILITY_DBNAME:-temporal_visibility}"; do
  sql --db "$db" create || echo "database $db exists"
done

sql --db "${DBNAME:-temporal}" setup-schema -v 0.0 || true
sql --db "${DBNAME:-temporal}" update-schema -d "$SCHEMA_DIR/temporal/versioned"
sql --db "${VISIBILITY_DBNAME:-temporal_visibility}" setup-schema -v 0.0 || true
sql --db "${VISIBILITY_DBNAME:-temporal_visibility}" update-schema -d "$SCHEMA_DIR/visibility/versioned"
echo "temporal schemas ready"
