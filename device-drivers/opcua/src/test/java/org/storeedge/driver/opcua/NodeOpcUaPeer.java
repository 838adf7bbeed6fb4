package org.storeedge.driver.opcua;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node-opcua test server (src/test/node/shelf-server.js) as a child process owned by the test:
 * started with {@code node}, ready when it prints {@code ready <port>}, driven over its stdin, and
 * stopped by closing its stdin (then by its own handle if it does not exit).
 */
final class NodeOpcUaPeer implements AutoCloseable {
  static final Path NODE_DIR = Path.of(System.getProperty("basedir", "."), "src", "test", "node");
  static final String PASSWORD = "weigh-it-2024";

  final int port;
  final Path pkiDir;
  private final Process process;
  private final Writer stdin;
  private final List<String> output = new ArrayList<>();

  private NodeOpcUaPeer(int port, Path pkiDir, Process process) {
    this.port = port;
    this.pkiDir = pkiDir;
    this.process = process;
    this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readOutput, "node-opcua-output-" + port);
    reader.setDaemon(true);
    reader.start();
  }

  /** Fails (never skips) when node-opcua is not installed. */
  static void requireInstalled() {
    if (!Files.isRegularFile(NODE_DIR.resolve("node_modules/node-opcua/package.json"))) {
      fail("node-opcua is not installed in " + NODE_DIR.toAbsolutePath()
          + ": run scripts/install-test-deps.sh (it runs: npm ci --prefix device-drivers/opcua/src/test/node)");
    }
  }

  /**
   * Starts the server on {@code port} with its PKI in {@code pkiDir}, trusting the client certificate
   * {@code trustedClientDer} (may be null), and waits for its ready line.
   */
  static NodeOpcUaPeer start(int port, Path pkiDir, Path trustedClientDer, Duration patience) throws Exception {
    requireInstalled();
    List<String> cmd = new ArrayList<>(List.of("node", "shelf-server.js", String.valueOf(port), pkiDir.toString()));
    if (trustedClientDer != null) {
      cmd.add(trustedClientDer.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(NODE_DIR.toFile()).redirectErrorStream(true);
    pb.environment().put("SHELF_PASSWORD", PASSWORD);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new AssertionError("cannot run 'node' (Node.js must be installed, see scripts/install-test-deps.sh): " + e.getMessage(), e);
    }
    NodeOpcUaPeer peer = new NodeOpcUaPeer(port, pkiDir, p);
    try {
      peer.awaitLine("ready " + port, patience);
    } catch (Throwable t) {
      peer.close();
      throw t;
    }
    return peer;
  }

  String endpointUrl() {
    return "opc.tcp://127.0.0.1:" + port + "/shelves";
  }

  Path serverCertificate() {
    return pkiDir.resolve("server-cert.der");
  }

  /** Sets a good value and waits until the server has it. */
  void set(String variable, double value, Duration patience) throws Exception {
    command("set " + variable + " " + value, patience);
  }

  /** Sets a bad status, e.g. {@code BadSensorFailure}, and waits until the server has it. */
  void bad(String variable, String statusName, Duration patience) throws Exception {
    command("bad " + variable + " " + statusName, patience);
  }

  private void command(String line, Duration patience) throws Exception {
    synchronized (stdin) {
      stdin.write(line + "\n");
      stdin.flush();
    }
    awaitLine("ok " + line, patience);
  }

  private void readOutput() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (output) {
          output.add(line);
          output.notifyAll();
        }
      }
    } catch (IOException e) {
      // process ended
    } finally {
      synchronized (output) {
        output.add("<exit>");
        output.notifyAll();
      }
    }
  }

  private void awaitLine(String expected, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    synchronized (output) {
      while (!output.contains(expected)) {
        if (output.contains("<exit>")) {
          throw new AssertionError("node-opcua server exited; its output: " + output);
        }
        if (output.stream().anyMatch(l -> l.startsWith("error "))) {
          throw new AssertionError("node-opcua server refused a command: " + output);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no '" + expected + "' from the node-opcua server within " + patience + "; output: " + output);
        }
        TimeUnit.NANOSECONDS.timedWait(output, left);
      }
    }
  }

  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
