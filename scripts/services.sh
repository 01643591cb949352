#!/usr/bin/env bash
# Services the tests need, from Debian's packages: a PostgreSQL server on 127.0.0.1:5432 with a role and
# database `trialsieve` (password `trialsieve`, may create databases), and a Java runtime for Spark local mode.
# Idempotent: installs only what is missing, starts only what is stopped.
set -euo pipefail
SUDO=""
AS_PG="runuser -u postgres --"
[ "$(id -u)" = 0 ] || { SUDO="sudo"; AS_PG="sudo -u postgres"; }
missing=""
command -v pg_ctlcluster >/dev/null 2>&1 || missing="$missing postgresql"
command -v java >/dev/null 2>&1 || missing="$missing openjdk-17-jre-headless"
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
ver="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$ver main$"; then
  $SUDO pg_createcluster "$ver" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
  $SUDO pg_ctlcluster "$ver" main start
fi
for _ in $(seq 1 30); do
  $AS_PG psql -qtAc "select 1" >/dev/null 2>&1 && break
  sleep 1
done
$AS_PG psql -qtAc "select 1 from pg_roles where rolname='trialsieve'" | grep -q 1 || \
  $AS_PG psql -qc "create role trialsieve login createdb password 'trialsieve'"
$AS_PG psql -qtAc "select 1 from pg_database where datname='trialsieve'" | grep -q 1 || \
  $AS_PG psql -qc "create database trialsieve owner trialsieve"
echo "services: PostgreSQL $ver on 127.0.0.1:5432 (role trialsieve), $(java -version 2>&1 | head -1)"
