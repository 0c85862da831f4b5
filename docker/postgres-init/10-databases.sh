#!/bin/bash
# Runs once, when the PostgreSQL volume is empty (the image runs /docker-entrypoint-initdb.d/*): one login role
# and one UTF-8 database per service, each password read from its secret file, so Keycloak's tables and the
# gateway's never share a database or a schema.
set -euo pipefail
database() { # name password-file
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v name="$1" -v password="$(cat "$2")" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0;
SQL
}
database gateway /run/secrets/gateway_db_password
database keycloak /run/secrets/keycloak_db_password
