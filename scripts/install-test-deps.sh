#!/usr/bin/env bash
# Installs what the test suite talks to: a real MQTT broker (Debian's Mosquitto), the
# node-opcua server used as an independent OPC UA peer and GStreamer's RTSP server for the camera
# tests. Safe to run again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ ! -f /tmp/.storeedge-apt-updated ]; then
    $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
    touch /tmp/.storeedge-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}

need=()
[ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v mosquitto_sub >/dev/null || need+=(mosquitto-clients)
command -v mvn >/dev/null || need+=(maven)
# the broker fixture pauses and resumes Mosquitto with kill(1) (a shell builtin does not count)
[ -x /bin/kill ] || [ -x /usr/bin/kill ] || need+=(procps)
command -v node >/dev/null || need+=(nodejs npm)
# real photos (person.jpg, dog.jpg, ...) for the vision tests
[ -f /usr/share/darknet/data/person.jpg ] || need+=(darknet)
# a real RTSP server for the camera tests: GStreamer's gst-rtsp-server, driven from Debian's python3
if ! /usr/bin/python3 -c "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer" \
    >/dev/null 2>&1 || [ ! -d /usr/share/doc/gstreamer1.0-plugins-good ]; then
  need+=(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt_install "${need[@]}"
fi
# the Debian package enables a system broker on 1883; tests start their own on free ports
systemctl disable --now mosquitto >/dev/null 2>&1 || true

node_dir="$here/device-drivers/opcua/src/test/node"
if [ -f "$node_dir/package.json" ]; then
  if [ ! -d "$node_dir/node_modules/node-opcua" ]; then
    echo "installing node-opcua test peer"
    if [ -f "$node_dir/package-lock.json" ]; then
      npm ci --prefix "$node_dir" --no-audit --no-fund --loglevel=error
    else
      npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error
    fi
  fi
fi
