# Steps every convert.sh recipe shares; sourced by them (bash, set -euo pipefail already on).
# After sourcing: $tools (this directory), $python (Debian's interpreter, which sees python3-onnx and
# python3-numpy) and $work (a temporary directory removed on exit).
tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python=/usr/bin/python3

"$python" -c 'import onnx, numpy' 2>/dev/null || {
  echo "convert.sh: $python cannot import onnx and numpy; install Debian's python3-onnx python3-numpy" >&2
  exit 2
}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# npm_install PACKAGE@VERSION: installs it under $work/node_modules
npm_install() {
  npm install --prefix "$work" --no-audit --no-fund --loglevel=error "$1" >/dev/null
}

# expect_source FILE SHA256 PACKAGE: stops unless FILE is the model the recipe was written for
expect_source() {
  echo "$2  $1" | sha256sum -c --quiet - || {
    echo "convert.sh: the TFLite model in $3 is not the one this recipe was written for" >&2
    exit 2
  }
}

# compare_onnx FILE SHA256: says whether FILE is the committed conversion (a warning when not)
compare_onnx() {
  if echo "$2  $1" | sha256sum -c --quiet - 2>/dev/null; then
    echo "model.onnx matches the committed conversion ($2)"
  else
    echo "convert.sh: warning: model.onnx differs from the committed conversion (other onnx/numpy version?)" >&2
  fi
}
