#!/usr/bin/env bash
# Runs a JMH benchmark of a module's test classes.
#   scripts/bench.sh edge-agent/checkout WeightPipelineBenchmark [jmh options]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$1"; shift
cd "$here"
mvn -B -q -DskipTests install -pl "$module" -am >/dev/null
cd "$module"
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main "$@"
