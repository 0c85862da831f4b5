#!/usr/bin/env bash
# Builds the gateway (without tests) and starts it on the embedded defaults:
# FHIR at http://localhost:${SERVER_PORT:-8080}/fhir, H2 database in ./data (kept across
# restarts), demo patients and documents loaded on the first start.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -ntp install -DskipTests
exec java ${JAVA_OPTS:--Xmx1g} -jar fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar "$@"
