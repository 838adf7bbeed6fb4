#!/usr/bin/env bash
# Rebuilds model.onnx, labels.txt and reference.txt of this directory from the Apache-2.0 SSD-MobileNetV2
# (OpenImages v4) TFLite model carried in npm @mediapipe/objectron. Needs node/npm and Debian's
# python3-onnx + python3-numpy (see ../INSTALL.txt). Deterministic: the same inputs give a
# byte-identical model.onnx (its sha256 is checked at the end).
#
# usage: convert.sh [OUT_DIR]    (default: this script's directory)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here}"
pkg="@mediapipe/objectron@0.4.1675468480"
tflite_sha256="d0a5255bf8c4f5a0bc4240741a76c41d5e939f7655078f945f50ab53a9375da6"
onnx_sha256="7588f1b45397778ba33be26f69a60090e4e600a385aab502b6e61ea3b5d50a2d"
# shellcheck source=../tools/recipe.sh
. "$here/../tools/recipe.sh"

npm_install "$pkg"
src="$work/node_modules/@mediapipe/objectron"
"$python" "$tools/extract_packed_asset.py" "$src/objectron_solution_packed_assets_loader.js" \
  "$src/objectron_solution_packed_assets.data" object_detection_ssd_mobilenetv2_oidv4_fp16.tflite "$work/ssd.tflite"
"$python" "$tools/extract_packed_asset.py" "$src/objectron_solution_packed_assets_loader.js" \
  "$src/objectron_solution_packed_assets.data" object_detection_oidv4_labelmap.txt "$work/labelmap.txt"
expect_source "$work/ssd.tflite" "$tflite_sha256" "$pkg"

mkdir -p "$out"
"$python" "$tools/tflite2onnx.py" "$work/ssd.tflite" "$out/model.onnx" --input-name image \
  --output-names box_encodings,class_logits
# Numbers of the TFLite graph itself (run in numpy) that the ONNX model must reproduce in ONNX
# Runtime: vision/onnx's ConversionReferenceTest compares them.
"$python" "$tools/tflite_reference.py" "$work/ssd.tflite" "$out/reference.txt"
# Label i names class logit i; index 0 ("???") is the background class the decoder ignores.
# Lower case so that the pipeline's "person" matches the map's "Person".
tr '[:upper:]' '[:lower:]' < "$work/labelmap.txt" | sed -e 's/[[:space:]]*$//' -e '/^$/d' > "$out/labels.txt"
[ "$(wc -l < "$out/labels.txt")" -eq 24 ] || { echo "convert.sh: expected 24 labels" >&2; exit 2; }
compare_onnx "$out/model.onnx" "$onnx_sha256"
