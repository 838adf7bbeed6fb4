#!/usr/bin/python3
"""A real RTSP server for the camera tests: GStreamer's gst-rtsp-server serving one H.264
Matroska file on 127.0.0.1.

usage: rtsp_server.py PORT MOUNT FILE
Serves rtsp://127.0.0.1:PORT/MOUNT; every client gets the file from its start, paced to its own
frame rate (as a camera would be). Runs until killed. Needs Debian's python3-gi,
gir1.2-gst-rtsp-server-1.0 and gstreamer1.0-plugins-good (scripts/install-test-deps.sh).
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    port, mount, path = sys.argv[1], sys.argv[2], sys.argv[3]
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    # matroskademux hands out AVC (length-prefixed) access units that rtph264pay takes as they are
    factory.set_launch(
        "( filesrc location=%s ! matroskademux ! queue ! rtph264pay name=pay0 pt=96 config-interval=1 )"
        % path.replace(" ", "\\ "))
    factory.set_shared(False)
    server.get_mount_points().add_factory("/" + mount, factory)
    if server.attach(None) == 0:
        print("cannot listen on 127.0.0.1:%s" % port, file=sys.stderr)
        sys.exit(1)
    print("serving rtsp://127.0.0.1:%s/%s" % (port, mount), flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
