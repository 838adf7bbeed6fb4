#!/usr/bin/env bash
# Rebuilds model.onnx, labels.txt and reference.txt of this directory from MediaPipe's Apache-2.0
# palm detector (palm_detection_full.tflite) carried in npm @mediapipe/hands. Needs node/npm and
# Debian's python3-onnx + python3-numpy (see ../INSTALL.txt). Deterministic: the same inputs give
# a byte-identical model.onnx (its sha256 is checked at the end).
#
# usage: convert.sh [OUT_DIR]    (default: this script's directory)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here}"
pkg="@mediapipe/hands@0.4.1675469240"
tflite_sha256="2f25e740121983f68ffc05f99991d524dc0ea812134f6316a26125816941ee85"
onnx_sha256="3b2a8366574ae49a9f12583a8ee8ae15238f0b8a551913d5d115b2e70395d877"
# shellcheck source=../tools/recipe.sh
. "$here/../tools/recipe.sh"

npm_install "$pkg"
src="$work/node_modules/@mediapipe/hands"
"$python" "$tools/extract_packed_asset.py" "$src/hands_solution_packed_assets_loader.js" \
  "$src/hands_solution_packed_assets.data" palm_detection_full.tflite "$work/palm.tflite"
expect_source "$work/palm.tflite" "$tflite_sha256" "$pkg"

mkdir -p "$out"
"$python" "$tools/tflite2onnx.py" "$work/palm.tflite" "$out/model.onnx" --input-name image \
  --output-names regressors,scores
# Numbers of the TFLite graph itself (run in numpy) that the ONNX model must reproduce in ONNX
# Runtime: vision/onnx's ConversionReferenceTest compares them. The palm model takes pixels / 255.
"$python" "$tools/tflite_reference.py" "$work/palm.tflite" "$out/reference.txt" --names regressors,scores --range 0,1
# one class: a palm (the box is the palm, without the fingers)
echo hand > "$out/labels.txt"
compare_onnx "$out/model.onnx" "$onnx_sha256"
