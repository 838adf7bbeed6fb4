#!/usr/bin/env bash
# Rebuilds model.onnx, labels.txt and reference.txt of this directory from MediaPipe's Apache-2.0
# palm detector (palm_detection_full.tflite) carried in npm @mediapipe/hands. Needs node/npm and
# Debian's python3-onnx + python3-numpy (see ../INSTALL.txt). Deterministic: the same inputs give
# a byte-identical model.onnx (its sha256 is checked at the end).
#
# usage: convert.sh [OUT_DIR]    (default: this script's directory)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="$here/../tools"
out="${1:-$here}"
pkg="@mediapipe/hands@0.4.1675469240"
tflite_sha256="2f25e740121983f68ffc05f99991d524dc0ea812134f6316a26125816941ee85"
onnx_sha256="3b2a8366574ae49a9f12583a8ee8ae15238f0b8a551913d5d115b2e70395d877"
python=/usr/bin/python3   # Debian's interpreter: it sees python3-onnx and python3-numpy

"$python" -c 'import onnx, numpy' 2>/dev/null || {
  echo "convert.sh: $python cannot import onnx and numpy; install Debian's python3-onnx python3-numpy" >&2
  exit 2
}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

npm install --prefix "$work" --no-audit --no-fund --loglevel=error "$pkg" >/dev/null
src="$work/node_modules/@mediapipe/hands"
"$python" "$tools/extract_packed_asset.py" "$src/hands_solution_packed_assets_loader.js" \
  "$src/hands_solution_packed_assets.data" palm_detection_full.tflite "$work/palm.tflite"
echo "$tflite_sha256  $work/palm.tflite" | sha256sum -c --quiet - || {
  echo "convert.sh: the TFLite model in $pkg is not the one this recipe was written for" >&2
  exit 2
}

mkdir -p "$out"
"$python" "$tools/tflite2onnx.py" "$work/palm.tflite" "$out/model.onnx" --input-name image \
  --output-names regressors,scores
# Numbers of the TFLite graph itself (run in numpy) that the ONNX model must reproduce in ONNX
# Runtime: vision/onnx's ConversionReferenceTest compares them. The palm model takes pixels / 255.
"$python" "$tools/tflite_reference.py" "$work/palm.tflite" "$out/reference.txt" --names regressors,scores --range 0,1
# one class: a palm (the box is the palm, without the fingers)
echo hand > "$out/labels.txt"
if echo "$onnx_sha256  $out/model.onnx" | sha256sum -c --quiet - 2>/dev/null; then
  echo "model.onnx matches the committed conversion ($onnx_sha256)"
else
  echo "convert.sh: warning: model.onnx differs from the committed conversion (other onnx/numpy version?)" >&2
fi
