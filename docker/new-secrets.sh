#!/usr/bin/env bash
# Makes each secret file compose.yaml reads (docker/secrets/NAME, readable by the owner only) that does not
# exist yet, holding a random value; existing ones are kept, so running it again changes nothing.
set -euo pipefail
cd "$(dirname "$0")"
umask 077
mkdir -p secrets
for name in postgres_password gateway_db_password keycloak_db_password keycloak_admin_password \
            gateway_client_secret; do
  [ -s "secrets/$name" ] || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "secrets/$name"
done
echo "secrets in $(pwd)/secrets"
