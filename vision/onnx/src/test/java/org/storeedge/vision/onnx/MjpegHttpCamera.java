package org.storeedge.vision.onnx;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * An IP camera's MJPEG endpoint: a real HTTP server on a free loopback port answering
 * {@code GET /video.mjpg} with {@code multipart/x-mixed-replace} JPEG parts at a fixed frame rate,
 * the way store IP cameras serve MJPEG. Frame {@code i} of the camera (counted across clients) is
 * {@link CounterPattern#bgr}(i).
 *
 * <p>Faults: {@link #stop} closes the server and every open response (the camera went away);
 * {@link #start} again serves on the same port; {@link #freeze} keeps connections open but sends
 * nothing (a camera that hangs, or a network that blackholes).
 */
final class MjpegHttpCamera implements AutoCloseable {
  static final String BOUNDARY = "storeedgeframe";
  private static final byte[] POISON = new byte[0];

  private final int port;
  private final int fps;
  private final AtomicInteger counter = new AtomicInteger();
  private final AtomicLong served = new AtomicLong();
  private final Set<BlockingQueue<byte[]>> clients = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean frozen;
  private HttpServer server;
  private ExecutorService handlers;
  private ScheduledExecutorService ticker;

  MjpegHttpCamera(int fps) throws IOException {
    this.fps = fps;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
  }

  String url() {
    return "http://127.0.0.1:" + port + "/video.mjpg";
  }

  /** JPEG parts written to clients so far. */
  long served() {
    return served.get();
  }

  /** Requests answered so far (each open of the stream is one). */
  int connections() {
    return connections.get();
  }

  synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("camera on port " + port + " already serving");
    }
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
    handlers = Executors.newCachedThreadPool(r -> daemon(r, "mjpeg-client-" + port));
    s.setExecutor(handlers);
    s.createContext("/video.mjpg", this::serve);
    s.start();
    server = s;
    ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "mjpeg-ticker-" + port));
    ticker.scheduleAtFixedRate(this::tick, 0, 1000 / fps, TimeUnit.MILLISECONDS);
  }

  /** Ends every response and closes the listening socket. */
  synchronized void stop() {
    if (server == null) {
      return;
    }
    ticker.shutdownNow();
    for (BlockingQueue<byte[]> q : clients) {
      q.clear();
      q.offer(POISON);
    }
    server.stop(0);
    handlers.shutdownNow();
    try {
      handlers.awaitTermination(10, TimeUnit.SECONDS);
      ticker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server = null;
  }

  /** While frozen, connections stay open and nothing is sent. */
  void freeze(boolean frozen) {
    this.frozen = frozen;
  }

  @Override
  public void close() {
    stop();
  }

  private void tick() {
    if (frozen || clients.isEmpty()) {
      return;
    }
    byte[] jpeg = jpeg(counter.getAndIncrement() & 0xff);
    for (BlockingQueue<byte[]> q : clients) {
      if (!q.offer(jpeg)) { // a slow reader loses frames, as on a real camera
        q.poll();
        q.offer(jpeg);
      }
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    connections.incrementAndGet();
    BlockingQueue<byte[]> q = new ArrayBlockingQueue<>(4);
    clients.add(q);
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
      ex.getResponseHeaders().set("Cache-Control", "no-cache");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      while (true) {
        byte[] jpeg = q.take();
        if (jpeg == POISON) {
          return;
        }
        String head = "--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(jpeg);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        served.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away
    } finally {
      clients.remove(q);
    }
  }

  static byte[] jpeg(int counter) {
    try (Mat m = new Mat(CounterPattern.HEIGHT, CounterPattern.WIDTH, CV_8UC3);
        BytePointer buf = new BytePointer();
        IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, 90)) {
      m.data().put(CounterPattern.bgr(counter));
      if (!imencode(".jpg", m, buf, params)) {
        throw new IllegalStateException("JPEG encoding failed");
      }
      byte[] out = new byte[(int) buf.limit()];
      buf.get(out);
      return out;
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
