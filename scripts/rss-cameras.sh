#!/usr/bin/env bash
# Memory of the agent itself (`storeedge run`, the gateway's process) with N cameras running,
# against the same store without cameras. The store has one shelf of three lanes read over OPC UA
# from node-opcua's server (device-drivers/opcua/src/test/node, installed by
# scripts/install-test-deps.sh) and N cameras, each an opencv source looping a real photo
# (Debian's darknet sample photo of a person) through the shipped SSD-MobileNetV2 model at 5 fps.
# No broker: the outbox keeps everything. With HANDS=1 each camera also runs the palm (hand)
# model on a shelf face beside the person (one crop per frame).
#   [HANDS=1] scripts/rss-cameras.sh [cameras=2] [seconds=120]
# Prints the resident set size (RSS, from /proc) every 10 s and the peak, for 0 and N cameras.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cameras="${1:-2}"
seconds="${2:-120}"
photo=/usr/share/darknet/data/person.jpg
[ -r "$photo" ] || { echo "missing $photo (run scripts/install-test-deps.sh)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'kill "${SHELF_PID:-0}" 2>/dev/null; rm -rf "$work"' EXIT

store() { # $1 = number of cameras, $2 = file
  cat > "$2" <<YAML
store: { id: rss-001, gatewayId: gw-01, currency: EUR, timezone: UTC }
catalog:
  - { sku: COLA-330, name: "Cola 330 ml can", unitWeight: 352.0, weightSpread: 3.0, price: 149 }
  - { sku: WATR-500, name: "Still water 500 ml", unitWeight: 521.0, weightSpread: 4.0, price: 99 }
  - { sku: CHOC-100, name: "Dark chocolate 100 g", unitWeight: 106.0, weightSpread: 2.0, price: 219 }
shelves:
  - id: shelf-1
    device: plc
    lanes:
      - { id: l1, sku: COLA-330, capacity: 12, channel: lane1, position: { x: 1.0, y: 1.0 } }
      - { id: l2, sku: WATR-500, capacity: 10, channel: lane2, position: { x: 1.0, y: 1.6 } }
      - { id: l3, sku: CHOC-100, capacity: 20, channel: lane3, position: { x: 1.0, y: 2.2 } }
devices:
  - id: plc
    type: opcua
    settings:
      endpoint: opc.tcp://127.0.0.1:$port/shelves
      certificateDir: $work/pki-client-$1
      samplingIntervalMs: 50
      publishingIntervalMs: 100
      nodes:
        lane1: "ns=1;s=Shelf1.Lane1.WeightGrams"
        lane2: "ns=1;s=Shelf1.Lane2.WeightGrams"
        lane3: "ns=1;s=Shelf1.Lane3.WeightGrams"
gates:
  - { id: entrance, position: { x: 0.0, y: 4.0 } }
  - { id: exit, position: { x: 9.5, y: 4.0 } }
sync: { brokers: [], topicRoot: storeedge/v1 }
storage: { database: $work/db-$1/storeedge.db, maxBytes: 1GiB }
YAML
  if [ "$1" -gt 0 ]; then
    echo "cameras:" >> "$2"
    for i in $(seq 1 "$1"); do
      cat >> "$2" <<YAML
  - id: cam-$i
    type: opencv
    source: "$photo"
    fps: 5
    model: ssd-mobilenetv2-oidv4
    settings: { loop: true }
    calibration:
      image: [ [ 0, 424 ], [ 640, 424 ], [ 640, 0 ], [ 0, 0 ] ]
      floor: [ [ 0, 0 ], [ 10, 0 ], [ 10, 5 ], [ 0, 5 ] ]
YAML
      if [ "${HANDS:-0}" = 1 ]; then
        cat >> "$2" <<YAML
    hands:
      model: mediapipe-palm
      shelfFaces:
        - { lane: l1, points: [ [ 280, 200 ], [ 340, 200 ], [ 340, 260 ], [ 280, 260 ] ] }
YAML
      fi
    done
  fi
}

measure() { # $1 = number of cameras
  local f="$work/store-$1.yaml" log="$work/run-$1.log" peak=0 rss pid
  mkdir -p "$work/db-$1"
  store "$1" "$f"
  "$here/storeedge" validate "$f" > /dev/null
  "$here/storeedge" run --config "$f" > "$log" 2>&1 &
  pid=$!
  sleep 5
  # the launcher execs java: the same pid
  for ((t = 10; t <= seconds; t += 10)); do
    sleep 10
    kill -0 "$pid" 2>/dev/null || { echo "agent exited; log:" >&2; tail -20 "$log" >&2; exit 1; }
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    peak=$(( rss > peak ? rss : peak ))
    echo "cameras=$1 t=${t}s rss=$((rss / 1024)) MB"
  done
  kill -TERM "$pid"; wait "$pid" || true
  echo "cameras=$1 peak rss=$((peak / 1024)) MB; $(grep -c 'camera cam-.* running' "$log") camera(s) started"
  grep -m2 -i "plc" "$log" | cut -c1-200 || true
}

node_dir="$here/device-drivers/opcua/src/test/node"
[ -d "$node_dir/node_modules/node-opcua" ] || { echo "missing node-opcua (run scripts/install-test-deps.sh)" >&2; exit 2; }
port=$(( 20000 + RANDOM % 20000 ))
coproc SHELF { cd "$node_dir" && exec node shelf-server.js "$port" "$work/pki-server"; }
read -r ready <&"${SHELF[0]}"
[[ "$ready" == ready* ]] || { echo "shelf server did not start: $ready" >&2; exit 1; }
for lane in 1 2 3; do echo "set Shelf1.Lane$lane.WeightGrams 2000" >&"${SHELF[1]}"; done
measure 0
measure "$cameras"
