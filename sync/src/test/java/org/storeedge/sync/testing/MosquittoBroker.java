package org.storeedge.sync.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker run as a child process of the test, on a free loopback port.
 *
 * <p>Restartable on the same port ({@link #stop} then {@link #start}); {@link #kill} ends it with
 * SIGKILL (no clean shutdown). The process is stopped by its own handle, never by name. With
 * persistence on, queued messages and retained state survive restarts (stored under the given
 * directory). Other modules use it through the sync test-jar.
 *
 * <pre>
 * try (MosquittoBroker broker = MosquittoBroker.start(tempDir)) {
 *   String uri = broker.uri(); // tcp://127.0.0.1:PORT
 * }
 * </pre>
 */
public final class MosquittoBroker implements AutoCloseable {
  public static final Path BINARY = Path.of(System.getProperty("storeedge.mosquitto", "/usr/sbin/mosquitto"));

  private final Path dir;
  private final int port;
  private final boolean persistence;
  private final List<String> extraConfig;
  private Process process;
  private boolean paused;

  private MosquittoBroker(Path dir, int port, boolean persistence, List<String> extraConfig) {
    this.dir = dir;
    this.port = port;
    this.persistence = persistence;
    this.extraConfig = List.copyOf(extraConfig);
  }

  /** Starts a broker without persistence. */
  public static MosquittoBroker start(Path workDir) throws IOException {
    return create(workDir, false, List.of()).startProcess();
  }

  /**
   * Prepares a broker (config, port) without starting it: for "broker down at start" tests.
   *
   * @param extraConfig extra mosquitto.conf lines, e.g. {@code max_inflight_messages 100}
   */
  public static MosquittoBroker create(Path workDir, boolean persistence, List<String> extraConfig) throws IOException {
    requireBinary();
    Path dir = Files.createDirectories(workDir.resolve("mosquitto-" + System.nanoTime()));
    return new MosquittoBroker(dir, freePort(), persistence, extraConfig);
  }

  private static void requireBinary() {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError("Mosquitto is required for the MQTT tests but " + BINARY
          + " is missing: run scripts/install-test-deps.sh (installs Debian's mosquitto) and retry");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  public Path logFile() {
    return dir.resolve("mosquitto.log");
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts (or restarts) the process and waits until it accepts connections. */
  public synchronized MosquittoBroker startProcess() throws IOException {
    if (isRunning()) {
      throw new IllegalStateException("broker on port " + port + " is already running");
    }
    List<String> conf = new ArrayList<>();
    conf.add("listener " + port + " 127.0.0.1");
    conf.add("allow_anonymous true");
    if ("root".equals(System.getProperty("user.name"))) {
      conf.add("user root"); // else mosquitto drops to user 'mosquitto', who cannot write the temp dir
    }
    conf.add("log_dest stdout");
    conf.add("log_type error");
    conf.add("log_type warning");
    conf.add("log_type notice");
    conf.add("log_type information");
    if (persistence) {
      conf.add("persistence true");
      conf.add("persistence_location " + dir.toAbsolutePath() + "/");
      conf.add("autosave_interval 1");
    } else {
      conf.add("persistence false");
    }
    conf.addAll(extraConfig);
    Path confFile = dir.resolve("mosquitto.conf");
    Files.write(confFile, conf, StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "-c", confFile.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    process = pb.start();
    Process p = process;
    try {
      Poll.until(Duration.ofSeconds(20), () -> !p.isAlive() || accepts(), "mosquitto to listen on port " + port);
    } catch (AssertionError e) {
      stop();
      throw new AssertionError(e.getMessage() + "; log: " + readLog(), e);
    }
    if (!p.isAlive()) {
      throw new AssertionError("mosquitto exited at start with code " + p.exitValue() + "; log: " + readLog());
    }
    return this;
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Freezes the broker (SIGSTOP to its own pid): connections stay open but nothing is answered,
   * like a blackholed link. {@link #resume} continues it.
   */
  public synchronized void pause() throws IOException, InterruptedException {
    signal("STOP");
    paused = true;
  }

  /** Continues a paused broker (SIGCONT). */
  public synchronized void resume() throws IOException, InterruptedException {
    signal("CONT");
    paused = false;
  }

  private void signal(String sig) throws IOException, InterruptedException {
    if (!isRunning()) {
      throw new IllegalStateException("broker on port " + port + " is not running");
    }
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
    if (!k.waitFor(15, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IOException("kill -" + sig + " " + process.pid() + " failed");
    }
  }

  /** Graceful stop (SIGTERM; persistence is saved), waiting for the process to exit. */
  public synchronized void stop() {
    end(false);
  }

  /** SIGKILL: the broker dies without saving anything. */
  public synchronized void kill() {
    end(true);
  }

  private void end(boolean force) {
    Process p = process;
    if (p == null) {
      return;
    }
    if (paused) {
      try {
        signal("CONT"); // a paused broker cannot act on SIGTERM
      } catch (IOException | RuntimeException e) {
        // already gone: destroy below is enough
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (force) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(15, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
    paused = false;
  }

  public String readLog() {
    try {
      return Files.exists(logFile()) ? Files.readString(logFile()) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    stop();
  }
}
