#!/usr/bin/env bash
# Rebuilds the sim-person detector: renders the training and held-out frames with the simulator's
# cameras, trains (5-20 minutes on 2 CPU cores, depending on load) and exports model.onnx next to this script.
# Needs: Java 17 + Maven (the simulator module built), Debian's python3-torch and python3-numpy:
#   apt-get -o DPkg::Lock::Timeout=600 install -y python3-torch python3-numpy python3-onnx
# Usage: vision/models/sim-person/build.sh [WORK_DIR]   (default: a temporary directory, ~2 GB)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../tools/sim-render.sh" "${1:-}"
# training: random wall cameras alternating with the gateway's four corner cameras, crowds,
# shoppers standing at shelf fronts and ends; persons labelled from 40% visible, persons under 20%
# visible left out (the shelf hiding them is background); two more seeds of corner views only
# (other traffic, other store colours: a new look every 5 frames in the last set)
shelves="--at-shelf 0.4 --min-visible 0.4 --ignore-below 0.2"
$export --out "$work/train" --frames 4000 --seed 1 --cameras mixed --extras 8 $shelves
$export --out "$work/train2" --frames 2000 --seed 2 --cameras corners --extras 6 --extra-share 0.8 --at-shelf 0.5 \
  --min-visible 0.4 --ignore-below 0.2
$export --out "$work/train3" --frames 2000 --seed 3 --cameras corners --block 5 --extras 8 --extra-share 0.8 $shelves
# held-out: the original recipe (random cameras, clearly visible persons), so figures stay comparable
$export --out "$work/test" --frames 500 --seed 1001
OMP_NUM_THREADS=2 /usr/bin/python3 "$here/train.py" --train "$work/train,$work/train2,$work/train3" --test "$work/test" \
  --out "$work/model" --steps 2200 --seed 7
cp "$work/model/model.onnx" "$here/model.onnx"
cp "$work/model/metrics.json" "$here/metrics.json"
echo "model written to $here/model.onnx; held-out metrics in $here/metrics.json"
