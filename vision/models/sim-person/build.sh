#!/usr/bin/env bash
# Rebuilds the sim-person detector: renders the training and held-out frames with the simulator's
# cameras, trains (about 10 minutes on 2 CPU cores) and exports model.onnx next to this script.
# Needs: Java 17 + Maven (the simulator module built), Debian's python3-torch and python3-numpy:
#   apt-get -o DPkg::Lock::Timeout=600 install -y python3-torch python3-numpy python3-onnx
# Usage: vision/models/sim-person/build.sh [WORK_DIR]   (default: a temporary directory, ~1.1 GB)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="${1:-$(mktemp -d)}"
cd "$root"
mvn -B -o -q -f simulator/pom.xml install -DskipTests
mvn -B -o -q -f simulator/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/classpath.txt" >/dev/null
cp="simulator/target/classes:$(cat "$work/classpath.txt")"
export="java -Djava.awt.headless=true -cp $cp org.storeedge.simulator.camera.DatasetExporter --store config/examples/demo-store.yaml"
$export --out "$work/train" --frames 4000 --seed 1
$export --out "$work/test" --frames 500 --seed 1001
OMP_NUM_THREADS=2 /usr/bin/python3 "$here/train.py" --train "$work/train" --test "$work/test" --out "$work/model" \
  --steps 1100 --seed 7
cp "$work/model/model.onnx" "$here/model.onnx"
cp "$work/model/metrics.json" "$here/metrics.json"
echo "model written to $here/model.onnx; held-out metrics in $here/metrics.json"
