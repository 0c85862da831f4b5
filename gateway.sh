#!/usr/bin/env bash
# Builds the gateway (without tests) and starts it on the embedded defaults, with its authorization
# server: a local Keycloak (downloaded once into the Maven repository, run on a JDK 21+ found on this
# machine) holding the demo realm, and the gateway trusting it.
# FHIR at http://localhost:${SERVER_PORT:-8080}/fhir, Keycloak at http://127.0.0.1:${KEYCLOAK_PORT:-8180},
# H2 database in ./data (kept across restarts), demo patients and documents loaded on the first start;
# the demo identities and how each gets a token are printed once both are up. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -ntp install -DskipTests
exec java -jar keycloak/target/keycloak-0.1.0-SNAPSHOT-exec.jar demo \
  --gateway-jar fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar -- "$@"
