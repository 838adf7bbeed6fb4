# Steps the sim-person build.sh recipes share; sourced by them (bash, set -euo pipefail on, $here
# set to the recipe's directory) as: source "$here/../tools/sim-render.sh" "${1:-}"
# After sourcing: the working directory is the repository root, $work is WORK_DIR (or a new
# temporary directory, kept) and $export runs the simulator's DatasetExporter on the demo store.
root="$(cd "$here/../../.." && pwd)"
work="${1:-$(mktemp -d)}"
cd "$root"
mvn -B -o -q -f simulator/pom.xml install -DskipTests
mvn -B -o -q -f simulator/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" >/dev/null
cp="simulator/target/classes:$(cat "$work/classpath.txt")"
export="java -Djava.awt.headless=true -cp $cp org.storeedge.simulator.camera.DatasetExporter --store config/examples/demo-store.yaml"
