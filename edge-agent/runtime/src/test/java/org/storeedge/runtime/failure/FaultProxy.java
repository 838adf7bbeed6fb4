package org.storeedge.runtime.failure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on a free loopback port in front of one upstream (a broker), with faults switched at
 * run time:
 *
 * <ul>
 *   <li>{@link Mode#PASS}: bytes flow both ways, delayed by {@link #setLatencyMillis} per chunk;
 *   <li>{@link Mode#REFUSE}: new connections are reset at once (RST), existing ones flow;
 *   <li>{@link Mode#BLACKHOLE}: new connections are accepted and never answered, and existing
 *       ones stop delivering in both directions (bytes are read and thrown away): the peer sees a
 *       healthy socket that says nothing, like a dead route or a hung broker.
 * </ul>
 *
 * {@link #setDelayMillis} makes a long link instead of a slow one: connections opened after it
 * deliver every byte that much later, however many are in flight (a round trip costs twice the delay,
 * bandwidth is not limited).
 *
 * <p>{@link #silenceOpen} turns the connections open now into black holes while new ones follow the
 * mode. {@link #cutAll} resets every open connection (RST, as a crashed middlebox would). Threads are
 * daemon threads named after the proxy; {@link #close} ends them.
 */
public final class FaultProxy implements AutoCloseable {
  public enum Mode { PASS, REFUSE, BLACKHOLE }

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong forwardedBytes = new AtomicLong();
  private volatile Mode mode = Mode.PASS;
  private volatile long latencyNanos;
  private volatile long delayNanos;
  private volatile boolean closed;
  /** Connections numbered below this swallow everything. */
  private volatile long silencedBelow;

  public FaultProxy(int upstreamPort) throws IOException {
    this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "fault-proxy-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  public String uri() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  void setMode(Mode m) {
    mode = m;
  }

  void setLatencyMillis(long ms) {
    latencyNanos = TimeUnit.MILLISECONDS.toNanos(ms);
  }

  /** Connections opened from now on deliver each byte {@code ms} after it was sent (0: at once). */
  public void setDelayMillis(long ms) {
    delayNanos = TimeUnit.MILLISECONDS.toNanos(ms);
  }

  long accepted() {
    return accepted.get();
  }

  long forwardedBytes() {
    return forwardedBytes.get();
  }

  /** The connections open now stop delivering in both directions (sockets stay open). */
  void silenceOpen() {
    silencedBelow = accepted.get() + 1;
  }

  /** Resets every open connection (both sides) with RST. */
  void cutAll() {
    for (Socket s : open) {
      reset(s);
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // close sends RST instead of FIN
    } catch (SocketException e) {
      // already closed
    }
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      long number = accepted.incrementAndGet();
      Mode m = mode;
      if (m == Mode.REFUSE) {
        reset(client);
        continue;
      }
      open.add(client);
      if (m == Mode.BLACKHOLE) {
        start("sink", () -> pump(number, client, null, null));
        continue;
      }
      Socket up = new Socket();
      try {
        up.connect(upstream, 5000);
      } catch (IOException e) {
        reset(client);
        open.remove(client);
        continue;
      }
      open.add(up);
      long delay = delayNanos;
      if (delay > 0) {
        start("up", () -> delayed(client, up, delay));
        start("down", () -> delayed(up, client, delay));
        continue;
      }
      start("up", () -> pump(number, client, up, up));
      start("down", () -> pump(number, up, client, client));
    }
  }

  private void start(String what, Runnable r) {
    Thread t = new Thread(r, "fault-proxy-" + server.getLocalPort() + "-" + what);
    t.setDaemon(true);
    t.start();
  }

  /**
   * Copies from {@code from} to {@code to}, each read written {@code delay} after it arrived (a
   * writer thread keeps the reads in order), until either side closes; then, once what was read is
   * written, resets both.
   */
  private void delayed(Socket from, Socket to, long delay) {
    BlockingQueue<Delayed> line = new LinkedBlockingQueue<>();
    start("delay-line", () -> {
      try {
        OutputStream out = to.getOutputStream();
        for (Delayed d = line.take(); d.bytes() != null; d = line.take()) {
          long wait = d.dueNanos() - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait); // the injected fault itself: a long link
          }
          out.write(d.bytes());
          out.flush();
          forwardedBytes.addAndGet(d.bytes().length);
        }
        // the sending side closed: what it sent is delivered, now end both
      } catch (IOException | InterruptedException e) {
        // the receiving side closed: end both
      }
      reset(from);
      open.remove(from);
      reset(to);
      open.remove(to);
    });
    byte[] buf = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        line.add(new Delayed(System.nanoTime() + delay, Arrays.copyOf(buf, n)));
      }
    } catch (IOException e) {
      // reset or closed: the writer ends both sides
    } finally {
      line.add(new Delayed(0, null));
    }
  }

  /** Bytes read and when to write them; null bytes end the line. */
  private record Delayed(long dueNanos, byte[] bytes) {}

  /** Copies from {@code from} to {@code to} (null: discard) until either side closes; then resets both. */
  private void pump(long number, Socket from, Socket to, Socket peer) {
    byte[] buf = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to == null ? null : to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (out == null || mode == Mode.BLACKHOLE || number < silencedBelow) {
          continue; // swallowed
        }
        long delay = latencyNanos;
        if (delay > 0) {
          LockSupport.parkNanos(delay); // the injected fault itself: a slow link
        }
        out.write(buf, 0, n);
        out.flush();
        forwardedBytes.addAndGet(n);
      }
    } catch (IOException e) {
      // reset or closed: end both sides below
    } finally {
      reset(from);
      open.remove(from);
      if (peer != null) {
        reset(peer);
        open.remove(peer);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
    cutAll();
  }
}
