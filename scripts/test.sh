#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs the real peers the tests use, then builds and
# runs every module's unit and integration tests.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/install-test-deps.sh"
cd "$here"
exec mvn -B -ntp verify "$@"
