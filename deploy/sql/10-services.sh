#!/usr/bin/env bash
# Run by the postgres image on first start (every *.sh in /docker-entrypoint-initdb.d).
# Creates each service's schema and role; the passwords come from the container's
# environment (<NAME>_DB_PASSWORD) so that none is written in the repository.
set -euo pipefail

here="$(dirname "${BASH_SOURCE[0]}")"
for service in hazard enforcement supervisor reporting; do
    var="${service^^}_DB_PASSWORD"
    password="${!var:-}"
    if [ -z "$password" ]; then
        echo "10-services.sh: $var is not set" >&2
        exit 1
    fi
    psql -v ON_ERROR_STOP=1 --no-psqlrc \
        --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
        -v service="$service" -v password="$password" \
        -f "$here/service_schema.psql"
done
