package org.storeedge.vision.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real RTSP server as a child process of the test: GStreamer's gst-rtsp-server (Debian's
 * {@code gir1.2-gst-rtsp-server-1.0}, driven by {@code rtsp/rtsp_server.py}) serving one H.264
 * Matroska file at {@code rtsp://127.0.0.1:PORT/MOUNT} on a free loopback port. Every client gets
 * the file from its start, paced to its frame rate.
 *
 * <p>Restartable on the same port ({@link #stop} then {@link #start}); {@link #pause} and
 * {@link #resume} stop and continue the process (SIGSTOP/SIGCONT): its sockets stay open and
 * silent, like a camera that hangs.
 */
final class GstRtspServer implements AutoCloseable {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final String INSTALL = "install the RTSP test server with scripts/install-test-deps.sh (Debian: apt-get "
      + "install python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good)";

  private final Path dir;
  private final Path media;
  private final String mount;
  private final int port;
  private Process process;

  GstRtspServer(Path dir, Path media, String mount) throws IOException {
    this.dir = dir;
    this.media = media;
    this.mount = mount;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
  }

  /** Fails (does not skip) with how to install it when the server's packages are missing. */
  static void requireInstalled() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      throw new AssertionError(PYTHON + " not found: " + INSTALL);
    }
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import gi; gi.require_version('Gst', '1.0'); "
        + "gi.require_version('GstRtspServer', '1.0'); from gi.repository import Gst, GstRtspServer; Gst.init(None); "
        + "assert all(Gst.ElementFactory.find(e) for e in ('filesrc', 'matroskademux', 'queue', 'rtph264pay')), "
        + "'GStreamer elements missing'").redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes());
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError("GStreamer RTSP server not usable (" + out.strip() + "): " + INSTALL);
    }
  }

  String url() {
    return "rtsp://127.0.0.1:" + port + "/" + mount;
  }

  synchronized void start() throws Exception {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("RTSP server on port " + port + " is already running");
    }
    Path script = dir.resolve("rtsp_server.py");
    if (!Files.exists(script)) {
      try (InputStream in = GstRtspServer.class.getResourceAsStream("/rtsp/rtsp_server.py")) {
        Files.copy(in, script);
      }
    }
    Path log = dir.resolve("rtsp-server.log");
    Process p = new ProcessBuilder(List.of(PYTHON.toString(), script.toString(), Integer.toString(port), mount,
        media.toString())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    process = p;
    Poll.until(Duration.ofSeconds(60), () -> !p.isAlive() || accepts(), "the RTSP server to listen on port " + port);
    if (!p.isAlive()) {
      throw new AssertionError("RTSP server exited with " + p.exitValue() + ": " + Files.readString(log));
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Ends the process and waits until it is gone. */
  synchronized void stop() throws InterruptedException {
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    p.destroy();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  void pause() throws Exception {
    signal("-STOP");
  }

  void resume() throws Exception {
    signal("-CONT");
  }

  private void signal(String sig) throws Exception {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("RTSP server is not running");
    }
    Process kill = new ProcessBuilder("kill", sig, Long.toString(p.pid())).inheritIO().start();
    if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill " + sig + " " + p.pid() + " failed");
    }
  }

  @Override
  public void close() throws InterruptedException {
    Process p = process;
    if (p != null && p.isAlive()) {
      try {
        resume(); // a stopped process does not act on SIGTERM until continued
      } catch (Exception e) {
        // destroyForcibly below still ends it
      }
    }
    stop();
  }
}
