#!/usr/bin/env bash
# Rebuilds the sim-person-overhead detector: the sim-person network (../sim-person/train.py)
# trained on frames of ceiling cameras looking down (random ceiling poses, 70-90 degrees down,
# alternating with a ceiling grid of wide lenses), rendered by the simulator. About 5-10 minutes on
# 2 CPU cores. Needs what ../sim-person/build.sh needs (Java 17, Maven, Debian's python3-torch,
# python3-numpy, python3-onnx).
# Usage: vision/models/sim-person-overhead/build.sh [WORK_DIR]   (default: a temporary directory, ~1 GB)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../tools/sim-render.sh" "${1:-}"
# training: crowds and shoppers at shelf fronts, persons labelled from 40% visible, persons under
# 20% visible left out (what hides them is background)
$export --out "$work/train" --frames 3000 --seed 11 --cameras overhead --extras 8 --extra-share 0.8 --at-shelf 0.4 \
  --min-visible 0.4 --ignore-below 0.2
# held-out: clearly visible persons, other traffic and poses
$export --out "$work/test" --frames 300 --seed 1011 --cameras overhead
OMP_NUM_THREADS=2 /usr/bin/python3 "$here/../sim-person/train.py" --train "$work/train" --test "$work/test" \
  --out "$work/model" --steps 1500 --seed 7
cp "$work/model/model.onnx" "$here/model.onnx"
cp "$work/model/metrics.json" "$here/metrics.json"
echo "model written to $here/model.onnx; held-out metrics in $here/metrics.json"
