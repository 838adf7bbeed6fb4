package org.storeedge.sync.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.storeedge.core.lifecycle.Lifecycle;
import org.storeedge.core.outbox.Stream;
import org.storeedge.core.time.Scheduler;
import org.storeedge.sync.outbox.OutboxEntry;
import org.storeedge.sync.outbox.OutboxStats;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox to an MQTT 5 broker (QoS 1) and answers downlink commands.
 *
 * <pre>
 *  outbox commit --wake--> +-------------------------+ --publish QoS1--> Paho --> broker
 *                          | thread storeedge-uplink |
 *  Paho callbacks --post-->| (all Paho calls, state) | <--PUBACK event-- Paho callback thread
 *  scheduler (backoff) --> +-------------------------+ --markDelivered--> outbox
 *                                      ^ reply
 *  cmd/{name} --Paho--> thread storeedge-uplink-cmd (handlers) --+
 * </pre>
 *
 * <p>Guarantees: an entry is deleted from the outbox only after the PUBACK (success reason code)
 * of the publish that carried it; on connection loss everything in flight returns to pending and
 * is sent again after reconnecting (at-least-once). Order is FIFO per stream within a connection;
 * receipts go before alerts, events and telemetry.
 *
 * <p>Message shapes: receipts and alerts go one entry per publish, with the user property {@value
 * #IDEMPOTENCY_KEY} = the entry key. Consecutive events (and telemetry) of one topic go together
 * as {@code {"batch":[{"key":..,"seq":..,"createdMs":..,"payload":<the entry's JSON>},...]}} up
 * to {@link UplinkOptions#maxBatchBytes()}, marked with the user property {@value #BATCH} = the
 * number of entries; an entry whose payload is not valid JSON goes on its own. With GZIP
 * compression every entry publish is gzipped and carries {@value #CONTENT_ENCODING}{@code : gzip}.
 * Telemetry publishes carry the configured MQTT message expiry.
 *
 * <p>Paho's callbacks only post events to the uplink thread; Paho is never called from its own
 * callback threads. A fresh client (memory persistence; the outbox is the durable store) is made
 * for every connection attempt so nothing stale is re-sent behind the outbox's back. Reconnects
 * follow {@link Backoff} on the given {@link Scheduler}; each attempt walks the broker list in
 * order (failover).
 */
public final class MqttUplink implements Lifecycle {
  /** MQTT 5 user property carrying the entry's idempotency key. */
  public static final String IDEMPOTENCY_KEY = "idempotency-key";
  /** MQTT 5 user property on batch envelopes: the number of entries inside. */
  public static final String BATCH = "batch";
  /** MQTT 5 user property naming the payload compression ({@code gzip}); absent when none. */
  public static final String CONTENT_ENCODING = "content-encoding";
  /**
   * Largest downlink command unless its handler was registered with a larger limit: a signed store
   * file of 1 MiB, base64 encoded, plus its envelope.
   */
  public static final int MAX_COMMAND_BYTES = 1_500_000;
  static final byte[] ONLINE = "{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8);
  static final byte[] OFFLINE = "{\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8);
  /** Most entries read from the outbox per refill. */
  private static final int MAX_READ = 4096;
  /** Most entries inside unacknowledged publishes (bounds memory when batches are large). */
  static final int MAX_IN_FLIGHT_ENTRIES = 16_384;
  /** JSON framing per entry in an envelope, besides payload and key. */
  private static final int ENVELOPE_ENTRY_OVERHEAD = 64;
  private static final int MAX_QUEUED_CONTROL = 1000;

  private static final Logger log = LoggerFactory.getLogger(MqttUplink.class);

  private final SqliteOutbox outbox;
  private final UplinkOptions options;
  private final Scheduler scheduler;
  private final Backoff backoff;
  private final Map<String, CommandHandler> handlers = new ConcurrentHashMap<>();
  private final Map<String, Integer> commandLimits = new ConcurrentHashMap<>();
  /** Commands over {@link #MAX_COMMAND_BYTES} queued or running: at most one at a time (memory). */
  private final java.util.concurrent.atomic.AtomicInteger largeCommands = new java.util.concurrent.atomic.AtomicInteger();
  private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
  private final AtomicBoolean wakeQueued = new AtomicBoolean();
  private final Runnable outboxListener = this::wake;
  private Thread loopThread;
  private ThreadPoolExecutor commandExecutor;
  private volatile boolean stopped;

  // ---- uplink-thread state ----
  private MqttAsyncClient client;
  private int generation;
  private boolean connected;
  private boolean stopping;
  private boolean exitLoop;
  private int attempt;
  /** Which broker of the list the next attempt starts with. */
  private int uriOffset;
  /** Longest wait for a broker's answer to CONNECT (Paho's own timeout covers only the socket). */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private Scheduler.Cancellable reconnectTask;
  private Scheduler.Cancellable resumeTask;
  private boolean pausedAfterReject;
  /** Entry publishes not yet acknowledged: publish id -> (connection generation, entry seqs). */
  private final Map<Long, Sent> inFlight = new HashMap<>();
  private long nextPublishId;
  private int inFlightEntryCount;
  private final List<Long> ackedSinceFlush = new ArrayList<>();
  private int controlInFlight;
  private final ArrayDeque<Control> controlQueue = new ArrayDeque<>();
  private int window = 1;

  // ---- counters, read from any thread ----
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong connectionLosses = new AtomicLong();
  private final AtomicLong offlineAccumMillis = new AtomicLong();
  private final AtomicLong commandsHandled = new AtomicLong();
  private final AtomicLong commandErrors = new AtomicLong();
  private final AtomicLong publishes = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong payloadBytes = new AtomicLong();
  private volatile int inFlightEntries;
  private volatile long lastProgress = -1;
  private volatile long offlineSinceMillis = -1;
  private volatile String currentBroker = "";
  private volatile boolean connectedFlag;
  private volatile int inFlightSize;
  private volatile int windowSize;

  public MqttUplink(SqliteOutbox outbox, UplinkOptions options, Scheduler scheduler) {
    this(outbox, options, scheduler, Backoff.standard(new Random()));
  }

  public MqttUplink(SqliteOutbox outbox, UplinkOptions options, Scheduler scheduler, Backoff backoff) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.options = Objects.requireNonNull(options, "options");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /**
   * Registers the handler of {@code cmd/{name}}; replaces an earlier one. Safe before or after
   * start, from any thread.
   */
  public void onCommand(String name, CommandHandler handler) {
    onCommand(name, handler, MAX_COMMAND_BYTES);
  }

  /**
   * As {@link #onCommand(String, CommandHandler)}, taking payloads up to {@code maxBytes} (e.g. a
   * signed model). Payloads over {@link #MAX_COMMAND_BYTES} are held one at a time: another that
   * arrives meanwhile is refused as busy.
   */
  public void onCommand(String name, CommandHandler handler, int maxBytes) {
    if (name == null || name.isEmpty() || name.contains("/") || name.contains("+") || name.contains("#")) {
      throw new IllegalArgumentException("command name must be one topic level without wildcards (got: " + name + ")");
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be > 0 (got: " + maxBytes + ")");
    }
    handlers.put(name, Objects.requireNonNull(handler, "handler"));
    commandLimits.put(name, maxBytes);
  }

  /** Starts the uplink thread and the first connection attempt; does not wait for the broker. */
  @Override
  public synchronized void start() {
    if (loopThread != null) {
      throw new IllegalStateException("uplink already started (an uplink is started once)");
    }
    commandExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64), r -> {
      Thread t = new Thread(r, "storeedge-uplink-cmd");
      t.setDaemon(true);
      return t;
    });
    offlineSinceMillis = scheduler.millis();
    loopThread = new Thread(this::loop, "storeedge-uplink");
    loopThread.setDaemon(true);
    outbox.addListener(outboxListener);
    loopThread.start();
    post(this::connect);
    log.info("uplink starting: {}", options);
  }

  /**
   * Publishes the retained offline status, disconnects gracefully (in-flight acks still arriving
   * are honoured) and stops the threads. Unacknowledged entries stay in the outbox. Never throws.
   */
  @Override
  public synchronized void stop() {
    if (loopThread == null || stopped) {
      return;
    }
    stopped = true;
    post(this::shutdownOnLoop);
    try {
      loopThread.join(TimeUnit.SECONDS.toMillis(20));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (loopThread.isAlive()) {
      log.error("uplink thread did not stop within 20 s");
    }
    outbox.removeListener(outboxListener);
    commandExecutor.shutdownNow();
    log.info("uplink stopped: {}", stats());
  }

  @Override
  public String name() {
    return "MqttUplink";
  }

  /**
   * Blocks the caller until the outbox has nothing pending (everything acknowledged and deleted)
   * or {@code wallTimeout} passes (wall time). Returns true when drained.
   */
  public boolean awaitDrained(Duration wallTimeout) {
    try {
      return outbox.awaitEmpty(wallTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public UplinkStats stats() {
    long offline = offlineAccumMillis.get();
    long since = offlineSinceMillis;
    if (since >= 0) {
      offline += Math.max(0, scheduler.millis() - since);
    }
    OutboxStats os = outbox.stats();
    Map<Stream, Long> lost = new java.util.EnumMap<>(Stream.class);
    for (Stream st : Stream.values()) {
      lost.put(st, os.lost(st));
    }
    long stalled = 0;
    long progress = lastProgress;
    if (connectedFlag && os.totalPending() > 0 && progress >= 0) {
      stalled = Math.max(0, scheduler.millis() - progress);
    }
    return new UplinkStats(connectedFlag, connectedFlag ? currentBroker : "", sent.get(), acknowledged.get(),
        retried.get(), rejected.get(), connects.get(), connectionLosses.get(), offline, inFlightSize, windowSize,
        commandsHandled.get(), commandErrors.get(), publishes.get(), batches.get(), payloadBytes.get(),
        inFlightEntries, stalled, os.pending(), os.oldestPendingAgeMillis(), java.util.Collections.unmodifiableMap(lost),
        os.freeDiskBytes(), os.alarms());
  }

  // ------------------------------------------------------------------ event loop

  private void post(Runnable r) {
    events.add(r);
  }

  /** From the outbox writer thread: new entries or deletions. Coalesced. */
  private void wake() {
    if (wakeQueued.compareAndSet(false, true)) {
      post(() -> wakeQueued.set(false));
    }
  }

  private void loop() {
    List<Runnable> batch = new ArrayList<>();
    while (!exitLoop) {
      try {
        batch.add(events.take());
      } catch (InterruptedException e) {
        continue; // only shutdownOnLoop ends the loop
      }
      events.drainTo(batch);
      for (Runnable r : batch) {
        runSafely(r);
      }
      batch.clear();
      if (!exitLoop) {
        flushAcks();
        runSafely(this::pump);
      }
      inFlightSize = inFlight.size();
      inFlightEntries = inFlightEntryCount;
    }
  }

  private static void runSafely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("uplink event failed", e);
    }
  }

  private void flushAcks() {
    if (!ackedSinceFlush.isEmpty()) {
      outbox.markDelivered(List.copyOf(ackedSinceFlush));
      ackedSinceFlush.clear();
    }
  }

  // ------------------------------------------------------------------ connection

  private void connect() {
    reconnectTask = null;
    if (stopping || client != null) {
      return;
    }
    int gen = ++generation;
    // each attempt starts with the next broker, so one that accepts TCP but never answers the
    // CONNECT cannot hold the uplink on itself (Paho tries the list in order within an attempt)
    List<String> uris = new ArrayList<>(options.brokerUris());
    java.util.Collections.rotate(uris, -(uriOffset % uris.size()));
    try {
      MqttAsyncClient c = new MqttAsyncClient(uris.get(0), options.clientId(), new MemoryPersistence());
      c.setCallback(new PahoCallback(gen));
      client = c;
      scheduler.schedule(CONNECT_TIMEOUT, () -> post(() -> {
        if (gen == generation && !connected && client != null && !stopping) {
          onConnectFailed(gen, new java.util.concurrent.TimeoutException(
              "no answer to CONNECT within " + CONNECT_TIMEOUT.toSeconds() + " s"));
        }
      }));
      c.connect(connectionOptions(uris), null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          post(() -> onConnected(gen, token));
        }

        @Override
        public void onFailure(IMqttToken token, Throwable ex) {
          post(() -> onConnectFailed(gen, ex));
        }
      });
    } catch (MqttException | RuntimeException e) {
      onConnectFailed(gen, e);
    }
  }

  private MqttConnectionOptions connectionOptions(List<String> uris) {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setServerURIs(uris.toArray(new String[0]));
    o.setCleanStart(false);
    o.setSessionExpiryInterval(options.sessionExpirySeconds());
    o.setKeepAliveInterval(options.keepAliveSeconds());
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(10);
    options.socketFactory().ifPresent(o::setSocketFactory);
    options.username().ifPresent(o::setUserName);
    options.password().ifPresent(p -> o.setPassword(new String(p).getBytes(StandardCharsets.UTF_8)));
    MqttMessage will = new MqttMessage(OFFLINE);
    will.setQos(1);
    will.setRetained(true);
    o.setWill(options.topicPrefix() + "status", will);
    return o;
  }

  private void onConnected(int gen, IMqttToken token) {
    if (gen != generation || stopping || client == null) {
      return;
    }
    connected = true;
    connectedFlag = true;
    attempt = 0;
    connects.incrementAndGet();
    MqttProperties props = token.getResponseProperties();
    Integer receiveMax = props == null ? null : props.getReceiveMaximum();
    window = Math.max(1, Math.min(options.maxInFlight(), receiveMax == null ? 65535 : receiveMax));
    windowSize = window;
    lastProgress = scheduler.millis();
    long since = offlineSinceMillis;
    if (since >= 0) {
      offlineAccumMillis.addAndGet(Math.max(0, scheduler.millis() - since));
      offlineSinceMillis = -1;
    }
    currentBroker = String.valueOf(client.getCurrentServerURI());
    log.info("connected to {} as {} (session present: {}, in-flight window {}, {} pending)", currentBroker,
        options.clientId(), token.getSessionPresent(), window, outbox.pendingCount());
    controlQueue.addFirst(new Control(options.topicPrefix() + "status", ONLINE, true, null, List.of()));
    try {
      client.subscribe(options.topicPrefix() + "cmd/+", 1, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken t) {
          log.debug("subscribed to commands");
        }

        @Override
        public void onFailure(IMqttToken t, Throwable ex) {
          log.warn("subscribing to {}cmd/+ failed: {}", options.topicPrefix(), describe(ex));
        }
      });
    } catch (MqttException e) {
      log.warn("subscribing to {}cmd/+ failed: {}", options.topicPrefix(), describe(e));
    }
  }

  private void onConnectFailed(int gen, Throwable ex) {
    if (gen != generation || stopping) {
      return;
    }
    uriOffset++;
    if (attempt == 0) {
      log.warn("cannot connect to {}: {} (retrying with backoff)", options.brokerUris(), describe(ex));
    } else {
      log.debug("connect attempt {} failed: {}", attempt, describe(ex));
    }
    closeClient();
    scheduleReconnect();
  }

  private void onLost(int gen, String cause) {
    if (gen != generation || !connected) {
      return;
    }
    connected = false;
    connectedFlag = false;
    connectionLosses.incrementAndGet();
    offlineSinceMillis = scheduler.millis();
    log.warn("connection to {} lost: {} ({} in flight return to pending)", currentBroker, cause, inFlight.size());
    releaseInFlight();
    closeClient();
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (stopping || reconnectTask != null) {
      return;
    }
    Duration d = backoff.delay(attempt);
    attempt = Math.min(attempt + 1, 30);
    reconnectTask = scheduler.schedule(d, () -> post(this::connect));
  }

  private void releaseInFlight() {
    flushAcks();
    if (!inFlight.isEmpty()) {
      List<Long> back = new ArrayList<>(inFlightEntryCount);
      for (Sent sent : inFlight.values()) {
        for (long seq : sent.seqs()) {
          back.add(seq);
        }
      }
      outbox.release(back);
      retried.addAndGet(back.size());
      inFlight.clear();
      inFlightEntryCount = 0;
    }
    controlInFlight = 0;
  }

  private void closeClient() {
    MqttAsyncClient c = client;
    client = null;
    if (c == null) {
      return;
    }
    try {
      if (c.isConnected()) {
        c.disconnectForcibly(0, 1000, false);
      }
    } catch (MqttException | RuntimeException e) {
      log.debug("forced disconnect: {}", describe(e));
    }
    try {
      c.close(true);
    } catch (MqttException | RuntimeException e) {
      log.debug("close: {}", describe(e));
    }
  }

  private void shutdownOnLoop() {
    stopping = true;
    if (reconnectTask != null) {
      reconnectTask.cancel();
      reconnectTask = null;
    }
    if (resumeTask != null) {
      resumeTask.cancel();
    }
    MqttAsyncClient c = client;
    if (c != null && connected) {
      try {
        MqttMessage m = new MqttMessage(OFFLINE);
        m.setQos(1);
        m.setRetained(true);
        c.publish(options.topicPrefix() + "status", m).waitForCompletion(2000);
      } catch (MqttException | RuntimeException e) {
        log.debug("offline status: {}", describe(e));
      }
      try {
        // Quiesces: acknowledgements of what is in flight still arrive (as events, below).
        c.disconnect(3000).waitForCompletion(5000);
      } catch (MqttException | RuntimeException e) {
        log.debug("disconnect: {}", describe(e));
      }
      List<Runnable> late = new ArrayList<>();
      events.drainTo(late);
      late.forEach(MqttUplink::runSafely);
    }
    connected = false;
    connectedFlag = false;
    if (offlineSinceMillis < 0) {
      offlineSinceMillis = scheduler.millis();
    }
    releaseInFlight();
    flushAcks();
    closeClient();
    exitLoop = true;
  }

  // ------------------------------------------------------------------ publishing

  private int free() {
    return window - inFlight.size() - controlInFlight;
  }

  private void pump() {
    if (!connected || client == null || stopping) {
      return;
    }
    while (!controlQueue.isEmpty() && free() > 0) {
      publishControl(controlQueue.poll());
    }
    if (pausedAfterReject) {
      return;
    }
    int free = free();
    int room = MAX_IN_FLIGHT_ENTRIES - inFlightEntryCount;
    // Refill in chunks: one outbox read per quarter window, not per PUBACK.
    if (free <= 0 || room <= 0
        || (!inFlight.isEmpty() && (free < Math.max(1, window / 4) || room < MAX_IN_FLIGHT_ENTRIES / 4))) {
      return;
    }
    while (free > 0 && room > 0) {
      int perPublish = options.maxBatchBytes() > 0 ? options.maxBatchEntries() : 1;
      List<OutboxEntry> batch = outbox.nextBatch((int) Math.min(Math.min(MAX_READ, room), (long) free * perPublish));
      if (batch.isEmpty()) {
        return;
      }
      List<List<OutboxEntry>> groups = group(batch);
      int g = 0;
      try {
        for (; g < groups.size() && free() > 0; g++) {
          publishEntries(groups.get(g));
        }
      } catch (MqttException | RuntimeException e) {
        List<Long> back = seqsOf(groups.subList(g, groups.size()));
        outbox.release(back);
        if (e instanceof MqttException me && me.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
          window = Math.max(1, inFlight.size() + controlInFlight);
          windowSize = window;
          log.info("client in-flight limit reached; window lowered to {}", window);
        } else if (e instanceof MqttException me && me.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED) {
          // the connection dropped before Paho told us; treat it as lost now
          onLost(generation, "client not connected while publishing");
        } else {
          log.warn("publish failed: {} ({} entries back to pending)", describe(e), back.size());
        }
        return;
      }
      if (g < groups.size()) {
        // Window full: the rest was never sent, it goes back untouched (ahead of newer entries).
        outbox.giveBack(seqsOf(groups.subList(g, groups.size())));
        return;
      }
      free = free();
      room = MAX_IN_FLIGHT_ENTRIES - inFlightEntryCount;
    }
  }

  private static List<Long> seqsOf(List<List<OutboxEntry>> groups) {
    List<Long> seqs = new ArrayList<>();
    for (List<OutboxEntry> grp : groups) {
      for (OutboxEntry e : grp) {
        seqs.add(e.seq());
      }
    }
    return seqs;
  }

  /**
   * Splits entries (receipts first, FIFO per stream) into publishes: consecutive events or
   * telemetry of one topic share an envelope up to the size and count caps; everything else goes
   * alone. Order within each stream is kept.
   */
  List<List<OutboxEntry>> group(List<OutboxEntry> entries) {
    List<List<OutboxEntry>> out = new ArrayList<>();
    List<OutboxEntry> cur = null;
    long curBytes = 0;
    for (OutboxEntry e : entries) {
      if (!batchable(e)) {
        cur = null;
        out.add(List.of(e));
        continue;
      }
      long size = envelopeEntryBytes(e);
      if (cur != null && cur.get(0).stream() == e.stream() && cur.get(0).topic().equals(e.topic())
          && cur.size() < options.maxBatchEntries() && curBytes + size <= options.maxBatchBytes()) {
        cur.add(e);
        curBytes += size;
      } else {
        cur = new ArrayList<>();
        cur.add(e);
        curBytes = 12 + size;
        out.add(cur);
      }
    }
    return out;
  }

  private boolean batchable(OutboxEntry e) {
    return options.maxBatchBytes() > 0 && (e.stream() == Stream.EVENTS || e.stream() == Stream.TELEMETRY)
        && JsonCheck.isValid(e.payload());
  }

  private static long envelopeEntryBytes(OutboxEntry e) {
    return e.payload().length + e.key().length() + ENVELOPE_ENTRY_OVERHEAD;
  }

  /** The {@code {"batch":[...]}} envelope of entries whose payloads are valid JSON. */
  static byte[] envelope(List<OutboxEntry> entries) {
    long size = 16;
    for (OutboxEntry e : entries) {
      size += envelopeEntryBytes(e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, size));
    out.writeBytes("{\"batch\":[".getBytes(StandardCharsets.UTF_8));
    boolean first = true;
    for (OutboxEntry e : entries) {
      if (!first) {
        out.write(',');
      }
      first = false;
      out.writeBytes(("{\"key\":\"" + jsonEscape(e.key()) + "\",\"seq\":" + e.seq() + ",\"createdMs\":"
          + e.createdMillis() + ",\"payload\":").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(e.payload());
      out.write('}');
    }
    out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream(data.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(bos, 8192)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory: does not happen
    }
    return bos.toByteArray();
  }

  private record Sent(int gen, long[] seqs) {}

  private void publishEntries(List<OutboxEntry> group) throws MqttException {
    OutboxEntry head = group.get(0);
    boolean isBatch = batchable(head);
    byte[] body = isBatch ? envelope(group) : head.payload();
    List<UserProperty> props = new ArrayList<>(4);
    props.add(new UserProperty("stream", head.stream().name().toLowerCase(Locale.ROOT)));
    if (isBatch) {
      props.add(new UserProperty(BATCH, Integer.toString(group.size())));
    } else {
      props.add(new UserProperty(IDEMPOTENCY_KEY, head.key()));
    }
    if (options.compression() == UplinkOptions.Compression.GZIP) {
      body = gzip(body);
      props.add(new UserProperty(CONTENT_ENCODING, "gzip"));
    }
    MqttMessage m = new MqttMessage(body);
    m.setQos(1);
    MqttProperties p = new MqttProperties();
    p.setUserProperties(props);
    if (isBatch) {
      p.setContentType("application/json");
    }
    if (head.stream() == Stream.TELEMETRY && options.telemetryExpirySeconds() > 0) {
      p.setMessageExpiryInterval(options.telemetryExpirySeconds());
    }
    m.setProperties(p);
    int gen = generation;
    long id = nextPublishId++;
    long[] seqs = new long[group.size()];
    for (int i = 0; i < seqs.length; i++) {
      seqs[i] = group.get(i).seq();
    }
    client.publish(options.topicPrefix() + head.topic(), m, null, new MqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        int[] rc = token.getReasonCodes();
        post(() -> onEntryAck(gen, id, seqs, rc));
      }

      @Override
      public void onFailure(IMqttToken token, Throwable ex) {
        post(() -> onEntryFailed(gen, id, ex));
      }
    });
    inFlight.put(id, new Sent(gen, seqs));
    inFlightEntryCount += seqs.length;
    sent.addAndGet(seqs.length);
    publishes.incrementAndGet();
    if (isBatch) {
      batches.incrementAndGet();
    }
    payloadBytes.addAndGet(body.length);
  }

  private Sent removeCurrent(int gen, long id) {
    Sent s = inFlight.get(id);
    if (s == null || s.gen() != gen) {
      return null;
    }
    inFlight.remove(id);
    inFlightEntryCount -= s.seqs().length;
    return s;
  }

  private void onEntryAck(int gen, long id, long[] seqs, int[] reasonCodes) {
    if (reasonCodes != null && reasonCodes.length > 0 && reasonCodes[0] >= 0x80) {
      rejected.incrementAndGet();
      Sent s = removeCurrent(gen, id);
      if (s != null) {
        List<Long> back = new ArrayList<>(s.seqs().length);
        for (long seq : s.seqs()) {
          back.add(seq);
        }
        outbox.release(back);
        retried.addAndGet(back.size());
      }
      log.warn("broker refused a publish of {} entries (first seq {}) with reason code 0x{}; kept for retry",
          seqs.length, seqs[0], Integer.toHexString(reasonCodes[0]));
      pauseAfterReject();
      return;
    }
    removeCurrent(gen, id);
    // A late ack from an earlier connection still proves the broker has the message.
    acknowledged.addAndGet(seqs.length);
    for (long seq : seqs) {
      ackedSinceFlush.add(seq);
    }
    lastProgress = scheduler.millis();
  }

  private void onEntryFailed(int gen, long id, Throwable ex) {
    Sent s = removeCurrent(gen, id);
    if (s != null) {
      List<Long> back = new ArrayList<>(s.seqs().length);
      for (long seq : s.seqs()) {
        back.add(seq);
      }
      outbox.release(back);
      retried.addAndGet(back.size());
      log.debug("publish of {} entries not acknowledged: {}", back.size(), describe(ex));
    }
  }

  /** A refusing broker (quota, authorisation) is not hammered: sending pauses for a backoff step. */
  private void pauseAfterReject() {
    if (pausedAfterReject || stopping) {
      return;
    }
    pausedAfterReject = true;
    resumeTask = scheduler.schedule(backoff.delay(0), () -> post(() -> pausedAfterReject = false));
  }

  private record Control(String topic, byte[] payload, boolean retained, byte[] correlationData,
      List<UserProperty> userProperties) {}

  private void publishControl(Control c) {
    MqttMessage m = new MqttMessage(c.payload());
    m.setQos(1);
    m.setRetained(c.retained());
    MqttProperties p = new MqttProperties();
    if (c.correlationData() != null) {
      p.setCorrelationData(c.correlationData());
    }
    if (!c.userProperties().isEmpty()) {
      p.setUserProperties(c.userProperties());
    }
    m.setProperties(p);
    int gen = generation;
    try {
      client.publish(c.topic(), m, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          post(() -> onControlDone(gen));
        }

        @Override
        public void onFailure(IMqttToken token, Throwable ex) {
          post(() -> onControlDone(gen));
        }
      });
      controlInFlight++;
    } catch (MqttException | RuntimeException e) {
      log.warn("publishing {} failed: {}", c.topic(), describe(e));
    }
  }

  private void onControlDone(int gen) {
    if (gen == generation && controlInFlight > 0) {
      controlInFlight--;
    }
  }

  private void enqueueControl(Control c) {
    if (controlQueue.size() >= MAX_QUEUED_CONTROL) {
      Control dropped = controlQueue.pollLast();
      log.warn("control queue full while offline; dropped a message to {}", dropped.topic());
    }
    controlQueue.addLast(c);
  }

  // ------------------------------------------------------------------ commands

  /** On Paho's callback thread: hand off at once. */
  private void commandArrived(String topic, MqttMessage msg) {
    String base = options.topicPrefix() + "cmd/";
    if (!topic.startsWith(base)) {
      log.warn("message on unexpected topic {} ignored", topic);
      return;
    }
    String name = topic.substring(base.length());
    byte[] payload = msg.getPayload();
    MqttProperties props = msg.getProperties();
    byte[] correlation = props == null ? null : props.getCorrelationData();
    boolean large = payload.length > MAX_COMMAND_BYTES && payload.length <= commandLimits.getOrDefault(name, 0);
    if (large && !largeCommands.compareAndSet(0, 1)) {
      commandErrors.incrementAndGet();
      log.warn("command {} of {} bytes refused: another large command is being handled", name, payload.length);
      post(() -> enqueueControl(reply(name, correlation, false, errorJson(name,
          "busy: another large command is being handled; send it again when it is answered"))));
      return;
    }
    try {
      commandExecutor.execute(() -> {
        try {
          runCommand(name, payload, correlation);
        } finally {
          if (large) {
            largeCommands.set(0);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      if (large) {
        largeCommands.set(0);
      }
      commandErrors.incrementAndGet();
      log.warn("command {} refused: too many commands queued", name);
      post(() -> enqueueControl(reply(name, correlation, false, errorJson(name, "busy: too many commands queued"))));
    }
  }

  /** On the command thread. */
  private void runCommand(String name, byte[] payload, byte[] correlation) {
    byte[] body;
    boolean ok = false;
    CommandHandler h = handlers.get(name);
    int max = commandLimits.getOrDefault(name, MAX_COMMAND_BYTES);
    if (payload.length > max) {
      body = errorJson(name, "payload too large: " + payload.length + " bytes (max " + max + ")");
    } else if (h == null) {
      body = errorJson(name, "unknown command");
    } else {
      try {
        byte[] r = h.handle(name, payload);
        body = r == null ? "{}".getBytes(StandardCharsets.UTF_8) : r;
        ok = true;
      } catch (Exception | LinkageError | StackOverflowError e) {
        log.warn("command {} failed: {}", name, e.toString());
        body = errorJson(name, "failed: " + e);
      }
    }
    (ok ? commandsHandled : commandErrors).incrementAndGet();
    Control c = reply(name, correlation, ok, body);
    post(() -> enqueueControl(c));
  }

  private Control reply(String name, byte[] correlation, boolean ok, byte[] body) {
    return new Control(options.topicPrefix() + "cmd-reply", body, false, correlation,
        List.of(new UserProperty("command", name), new UserProperty("status", ok ? "ok" : "error")));
  }

  static byte[] errorJson(String name, String message) {
    return ("{\"command\":\"" + jsonEscape(name) + "\",\"ok\":false,\"error\":\"" + jsonEscape(message) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static String jsonEscape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private static String describe(Throwable e) {
    if (e == null) {
      return "unknown cause";
    }
    StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
    if (e instanceof MqttException me) {
      b.append(" (reason ").append(me.getReasonCode()).append(')');
    }
    if (e.getMessage() != null) {
      b.append(": ").append(e.getMessage());
    }
    if (e.getCause() != null && e.getCause() != e) {
      b.append(" caused by ").append(e.getCause());
    }
    return b.toString();
  }

  /** Paho's callbacks: post to the uplink thread and return. */
  private final class PahoCallback implements MqttCallback {
    private final int gen;

    PahoCallback(int gen) {
      this.gen = gen;
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      String cause = response.getException() != null ? describe(response.getException())
          : "broker sent DISCONNECT reason " + response.getReturnCode()
              + (response.getReasonString() != null ? " (" + response.getReasonString() + ")" : "");
      post(() -> onLost(gen, cause));
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      log.warn("MQTT error: {}", describe(exception));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      commandArrived(topic, message);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
      // acknowledgements are handled per publish by their action listeners
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      // handled by the connect action listener
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
      log.debug("AUTH packet (reason {}) ignored", reasonCode);
    }
  }
}
