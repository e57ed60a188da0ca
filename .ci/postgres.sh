#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages, starts a cluster on 127.0.0.1:5432 and creates the
# test database. Idempotent: safe to run on a machine where it already ran. Needs root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
PGVER=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$PGVER main" || pg_createcluster "$PGVER" main
pg_ctlcluster "$PGVER" main status >/dev/null 2>&1 || pg_ctlcluster "$PGVER" main start
until pg_isready -h 127.0.0.1 -p 5432 -q; do sleep 0.2; done
su postgres -c "psql -q -v ON_ERROR_STOP=1 -c \"ALTER USER postgres PASSWORD 'postgres'\""
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='utblick_test'\"" | grep -q 1 \
  || su postgres -c "createdb utblick_test"
echo "postgres ready: $(su postgres -c "psql -tAc 'select version()'" | head -c 60)"
