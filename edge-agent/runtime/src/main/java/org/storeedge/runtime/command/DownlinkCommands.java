package org.storeedge.runtime.command;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.config.ConfigException;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.json.Json;
import org.storeedge.core.outbox.Stream;
import org.storeedge.runtime.Agent;
import org.storeedge.sync.mqtt.MqttUplink;
import org.storeedge.sync.mqtt.UplinkStats;
import org.storeedge.sync.outbox.OutboxStats;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.storeedge.sync.state.LaneCalibration;
import org.storeedge.sync.state.OutboxPurge;
import org.storeedge.sync.state.UpdateLedger;
import org.storeedge.vision.Frame;
import org.storeedge.vision.onnx.DetectorConfig;
import org.storeedge.vision.onnx.ModelRegistry;
import org.storeedge.vision.onnx.OnnxDetector;

/**
 * The agent's downlink commands ({@code {prefix}cmd/{name}}, replies on {@code {prefix}cmd-reply}):
 *
 * <table>
 * <tr><th>name</th><th>payload</th><th>does</th></tr>
 * <tr><td>outbox-status</td><td>any</td><td>pending per stream, oldest age, outbox/uplink/command counters</td></tr>
 * <tr><td>forget-customer</td><td>{customerToken}</td><td>purges the customer's unsent outbox entries, takes
 *     their token out of unsent entries of others that name them (and purges the open cart where the checkout
 *     supports it); the reply says what was purged and rewritten</td></tr>
 * <tr><td>calibrate</td><td>{laneId, step: tare|span, knownGrams}</td><td>measures the lane, stores and applies
 *     the calibration</td></tr>
 * <tr><td>config-update</td><td>{@link SignedUpdate} of the store YAML (plus an optional, unsigned
 *     {@code maxWaitSeconds})</td><td>validate, apply atomically, restart the agent, roll back unless healthy;
 *     while shoppers are inside, held until the store is empty (see {@link PendingUpdates})</td></tr>
 * <tr><td>planogram-update</td><td>{@link SignedUpdate} of {@link Planogram} JSON</td><td>same, for the lane
 *     assignments overlay</td></tr>
 * <tr><td>debug-snapshot</td><td>{@link SignedUpdate} of {@code {cameraId, frames, seconds}} or
 *     {@code {cameraId, disarm: true}}</td><td>arms (or disarms) the camera's {@link
 *     org.storeedge.vision.DebugSnapshots}: blurred frames written under the gateway's data
 *     directory, never published</td></tr>
 * <tr><td>model-update</td><td>{@link SignedUpdate} of a {@link ModelPackage} (plus an optional, unsigned
 *     {@code maxWaitSeconds})</td><td>unpack, load and run the model on each camera's last frame before
 *     anything changes; install it as a new version ({@link InstalledModels}); restart the cameras that use
 *     it; roll back unless each runs frames through it without a failure within the health timeout; held
 *     while shoppers are inside when a camera uses it (one per model; each model has its own replay
 *     sequence, {@link #modelKind}). The body may instead be a manifest naming an archive
 *     sent before in chunks ({@link ModelTransfers})</td></tr>
 * <tr><td>model-chunk</td><td>{sha256, index, count, data} (unsigned)</td><td>keeps one piece of a model archive
 *     on disk until a signed model-update manifest names it; the reply lists the pieces still missing</td></tr>
 * </table>
 *
 * <p>Every refusal is a {@link CommandRejected} (the reply's {@code error} names its reason code
 * and lists each problem) and is counted per reason; nothing a command carries can stop the
 * agent. Handlers run on the uplink's command thread, one at a time; an update blocks it for at
 * most two health timeouts (apply, and roll back). Held updates are applied on their own thread
 * ({@link #start}), never at the same time as another update.
 */
public final class DownlinkCommands implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DownlinkCommands.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final List<String> NAMES = List.of("outbox-status", "forget-customer", "calibrate", "config-update",
      "planogram-update", "debug-snapshot", "model-update", "model-chunk");
  /**
   * Frames each camera an update restarted (its model, or its set-up in the store file) must run
   * through its detector, without a failure, to count as healthy.
   */
  static final int CAMERA_HEALTH_FRAMES = 3;
  /** {@code cameraId} of a debug-snapshot command that means every running camera. */
  public static final String ALL_CAMERAS = "*";

  /**
   * @param storeFile the store YAML the agent was started with; updates replace it
   * @param healthTimeout how long a restarted agent has to show readings from every lane device
   */
  public record Settings(Path storeFile, TrustedKeys keys, Duration healthTimeout) {}

  private final Settings settings;
  private final AgentHost host;
  private final SqliteOutbox outbox;
  private final UpdateLedger ledger;
  private final InstantSource clock;
  private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong rolledBack = new AtomicLong();
  private final AtomicLong calibrations = new AtomicLong();
  private final AtomicLong customersForgotten = new AtomicLong();
  private final AtomicLong debugSnapshotsArmed = new AtomicLong();
  private final AtomicLong debugSnapshotsDisarmed = new AtomicLong();
  private final AtomicLong modelChunks = new AtomicLong();
  private final AtomicLong modelTransfersEvicted = new AtomicLong();
  private volatile MqttUplink uplink;
  private volatile GatewayCameras cameras;
  /** Model archives arriving in chunks, next to the cameras' installed models; one instance, so its lock holds. */
  private volatile ModelTransfers transfers;
  private volatile Function<String, Map<String, Object>> localForget;
  private final PendingUpdates pending;
  /** One update at a time: from the uplink's command thread or the pending updates' thread. */
  private final Object updateLock = new Object();
  private final AtomicLong updatesHeld = new AtomicLong();
  private java.util.concurrent.ScheduledExecutorService applier;

  public DownlinkCommands(Settings settings, AgentHost host, SqliteOutbox outbox, UpdateLedger ledger,
      InstantSource clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.host = host;
    this.outbox = outbox;
    this.ledger = ledger;
    this.clock = clock;
    this.pending = new PendingUpdates(settings.storeFile(), UPDATES);
  }

  private static final List<String> UPDATES = List.of("config-update", "planogram-update", "model-update");
  /** How long an update waits for an empty store unless its payload says otherwise ({@code maxWaitSeconds}). */
  public static final long DEFAULT_MAX_WAIT_SECONDS = 3600;
  /** Longest wait a payload may ask for: a week. */
  public static final long MAX_WAIT_SECONDS = 7 * 24 * 3600;
  private static final long APPLIER_PERIOD_MILLIS = 1000;

  /**
   * Starts applying held updates (see {@link PendingUpdates}): once a second, an update held
   * while shoppers were inside is applied when the store is empty or its deadline has passed.
   */
  public synchronized void start() {
    if (applier != null) {
      return;
    }
    applier = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pending-updates");
      t.setDaemon(true);
      return t;
    });
    applier.scheduleWithFixedDelay(this::applyDue, APPLIER_PERIOD_MILLIS, APPLIER_PERIOD_MILLIS,
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Stops the applier; held updates stay on disk for the next start. An update it is applying
   * right now is let finish (at most two health timeouts) rather than cut off halfway: a store file
   * replaced but its outcome never reported would be refused as a replay at the next start.
   */
  @Override
  public synchronized void close() {
    if (applier != null) {
      applier.shutdown();
      try {
        if (!applier.awaitTermination(settings.healthTimeout().toMillis() * 2 + 5000,
            java.util.concurrent.TimeUnit.MILLISECONDS)) {
          applier.shutdownNow();
        }
      } catch (InterruptedException e) {
        applier.shutdownNow();
        Thread.currentThread().interrupt();
      }
      applier = null;
    }
  }

  /**
   * Where the agent keeps a customer's open cart and presence: given a token, drops them and says
   * what it dropped. Without one, forget-customer purges the outbox only and says so.
   */
  public void setLocalForget(Function<String, Map<String, Object>> f) {
    this.localForget = f;
  }

  /** The cameras debug-snapshot arms; without them every debug-snapshot is refused (unknown-camera). */
  public void setCameras(GatewayCameras c) {
    this.transfers = c == null ? null
        : new ModelTransfers(c.installedModels().root().resolveSibling("model-transfers"));
    this.cameras = c;
  }

  /** Registers every command on the uplink (and reports its counters in outbox-status). */
  public void register(MqttUplink up) {
    this.uplink = up;
    for (String name : NAMES) {
      up.onCommand(name, this::handle, name.equals("model-update") ? SignedUpdate.MAX_MODEL_PAYLOAD_BYTES
          : MqttUplink.MAX_COMMAND_BYTES);
    }
  }

  /** Runs one command; returns the reply body. Throws {@link CommandRejected} (counted) on refusal. */
  public byte[] handle(String name, byte[] payload) throws CommandRejected {
    try {
      String reply = switch (name) {
        case "outbox-status" -> outboxStatus();
        case "forget-customer" -> forgetCustomer(payload);
        case "calibrate" -> calibrate(payload);
        case "config-update", "planogram-update", "model-update" -> update(name, payload, false);
        case "debug-snapshot" -> debugSnapshot(payload);
        case "model-chunk" -> modelChunk(payload);
        default -> throw new CommandRejected("unknown", "unknown command " + name);
      };
      return reply.getBytes(StandardCharsets.UTF_8);
    } catch (CommandRejected e) {
      rejected.computeIfAbsent(e.reason(), k -> new AtomicLong()).incrementAndGet();
      LOG.warn("command {} {}", name, e.toString().replace('\n', ' '));
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      rejected.computeIfAbsent("failed", k -> new AtomicLong()).incrementAndGet();
      throw new CommandRejected("failed", "interrupted");
    } catch (IOException | RuntimeException e) {
      rejected.computeIfAbsent("failed", k -> new AtomicLong()).incrementAndGet();
      LOG.error("command {} failed", name, e);
      throw new CommandRejected("failed", e.toString());
    }
  }

  /** Rejections per reason code since start. */
  public Map<String, Long> rejectedCounts() {
    Map<String, Long> m = new TreeMap<>();
    rejected.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  public long appliedUpdates() {
    return applied.get();
  }

  public long rolledBackUpdates() {
    return rolledBack.get();
  }

  /** debug-snapshot commands that armed cameras, since start. */
  public long debugSnapshotsArmed() {
    return debugSnapshotsArmed.get();
  }

  public long debugSnapshotsDisarmed() {
    return debugSnapshotsDisarmed.get();
  }

  // ------------------------------------------------------------------ outbox-status

  private String outboxStatus() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "outbox-status");
    m.put("ok", true);
    OutboxStats s = outbox.stats();
    Map<String, Object> streams = new LinkedHashMap<>();
    for (Stream st : Stream.values()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("pending", s.pending().get(st));
      one.put("pendingBytes", s.pendingBytes().get(st));
      OptionalLong age = outbox.oldestPendingMillis(st);
      one.put("oldestAgeMillis", age.isPresent() ? age.getAsLong() : null);
      one.put("dropped", s.dropped().get(st));
      one.put("refused", s.refused().get(st));
      one.put("refusedLowDisk", s.refusedLowDisk().get(st));
      one.put("expired", s.expired().get(st));
      streams.put(st.name().toLowerCase(java.util.Locale.ROOT), one);
    }
    m.put("streams", streams);
    m.put("totalPending", s.totalPending());
    m.put("appended", s.appended());
    m.put("delivered", s.delivered());
    m.put("receiptsOverCap", s.receiptsOverCap());
    m.put("writeFailures", s.writeFailures());
    m.put("freeDiskBytes", freeDisk());
    m.put("fileBytes", s.fileBytes());
    m.put("alarms", s.alarms().stream().map(a -> Map.of("kind", a.kind().name(), "message", a.message(),
        "since", java.time.Instant.ofEpochMilli(a.sinceMillis()).toString())).toList());
    MqttUplink up = uplink;
    if (up != null) {
      UplinkStats u = up.stats();
      Map<String, Object> um = new LinkedHashMap<>();
      um.put("connected", u.connected());
      um.put("broker", u.broker());
      um.put("sent", u.sent());
      um.put("acknowledged", u.acknowledged());
      um.put("retried", u.retried());
      um.put("rejected", u.rejected());
      um.put("connects", u.connects());
      um.put("connectionLosses", u.connectionLosses());
      um.put("offlineMillis", u.offlineMillis());
      um.put("inFlight", u.inFlight());
      um.put("window", u.window());
      um.put("commandsHandled", u.commandsHandled());
      um.put("commandErrors", u.commandErrors());
      m.put("uplink", um);
    }
    Agent a = host.agent();
    if (a != null) {
      m.put("agent", Map.of("droppedReadings", a.droppedReadings(), "outboxRefused", a.outboxRefused()));
    }
    Map<String, Object> cm = new LinkedHashMap<>();
    cm.put("appliedUpdates", applied.get());
    cm.put("rolledBackUpdates", rolledBack.get());
    cm.put("calibrations", calibrations.get());
    cm.put("customersForgotten", customersForgotten.get());
    cm.put("debugSnapshotsArmed", debugSnapshotsArmed.get());
    cm.put("debugSnapshotsDisarmed", debugSnapshotsDisarmed.get());
    cm.put("modelChunks", modelChunks.get());
    cm.put("modelTransfersEvicted", modelTransfersEvicted.get());
    cm.put("rejected", rejectedCounts());
    cm.put("heldUpdates", updatesHeld.get());
    cm.put("pendingUpdates", pending.all().stream().map(p -> {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("command", p.command());
      p.model().ifPresent(x -> one.put("model", x));
      one.put("sequence", p.sequence());
      one.put("receivedAt", java.time.Instant.ofEpochMilli(p.receivedMillis()).toString());
      one.put("applyBy", java.time.Instant.ofEpochMilli(p.applyByMillis()).toString());
      return one;
    }).toList());
    m.put("commands", cm);
    GatewayCameras cams = cameras;
    ModelTransfers chunked = transfers;
    if (chunked != null) {
      try {
        m.put("modelTransfers", chunked.all().stream().map(t -> Map.of("sha256", t.sha256(),
            "received", t.received(), "count", t.count(), "bytes", t.bytes())).toList());
      } catch (IOException e) {
        m.put("modelTransfers", e.toString());
      }
    }
    if (cams != null && !cams.configuredCameraIds().isEmpty()) {
      Map<String, Object> running = new LinkedHashMap<>();
      for (String id : cams.configuredCameraIds()) {
        running.put(id, cams.modelsOf(id)); // empty: not running
      }
      m.put("cameraModels", running);
    }
    return Json.write(m);
  }

  private long freeDisk() {
    try {
      Path dir = outbox.file().toAbsolutePath().getParent();
      return java.nio.file.Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  // ------------------------------------------------------------------ forget-customer

  private String forgetCustomer(byte[] payload) throws CommandRejected {
    JsonNode n = object(payload);
    String token = n.path("customerToken").asText("");
    if (token.isBlank()) {
      throw new CommandRejected("malformed", "customerToken is required");
    }
    OutboxPurge.Result r = new OutboxPurge(outbox).purge(token);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "forget-customer");
    m.put("ok", true);
    m.put("customerToken", token);
    Map<String, Object> purged = new LinkedHashMap<>();
    r.purged().forEach((st, c) -> purged.put(st.name().toLowerCase(java.util.Locale.ROOT), c));
    m.put("outboxPurged", purged);
    Map<String, Object> redacted = new LinkedHashMap<>();
    r.redacted().forEach((st, c) -> redacted.put(st.name().toLowerCase(java.util.Locale.ROOT), c));
    m.put("outboxRedacted", redacted);
    m.put("outboxInFlightNotPurged", r.inFlight());
    Function<String, Map<String, Object>> f = localForget;
    m.put("local", f != null ? f.apply(token) : Map.of("purged", false,
        "reason", "no agent is attached to purge open carts and positions"));
    m.put("note", "messages already delivered to the broker are the cloud's to purge");
    customersForgotten.incrementAndGet();
    return Json.write(m);
  }

  // ------------------------------------------------------------------ calibrate

  private String calibrate(byte[] payload) throws CommandRejected {
    JsonNode n = object(payload);
    String lane = n.path("laneId").asText("");
    String step = n.path("step").asText("");
    JsonNode kg = n.get("knownGrams");
    if (lane.isBlank() || !(step.equals("tare") || step.equals("span"))) {
      throw new CommandRejected("malformed", "expected {laneId, step: tare|span, knownGrams}");
    }
    if (kg != null && !kg.isNumber()) {
      throw new CommandRejected("malformed", "knownGrams must be a number (got: " + kg + ")");
    }
    if (step.equals("span") && kg == null) {
      throw new CommandRejected("malformed", "span needs knownGrams: the weight now on the lane, grams");
    }
    double known = kg == null ? 0 : kg.asDouble();
    LaneCalibrator cal = host.tap().calibrator();
    LaneCalibrator.Result r;
    try {
      r = step.equals("tare") ? cal.tare(lane, known) : cal.span(lane, known);
    } catch (LaneCalibrator.CalibrationException e) {
      throw new CommandRejected("calibration-failed", e.getMessage());
    }
    calibrations.incrementAndGet();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "calibrate");
    m.put("ok", true);
    m.put("laneId", lane);
    m.put("step", step);
    m.put("knownGrams", known);
    m.put("calibration", calJson(r.calibration()));
    m.put("previous", calJson(r.previous()));
    m.put("rawMeanGrams", Json.round(r.rawMeanGrams(), 2));
    m.put("rawSdGrams", Json.round(r.rawSdGrams(), 3));
    m.put("samples", r.samples());
    return Json.write(m);
  }

  private static Map<String, Object> calJson(LaneCalibration c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("zeroGrams", Json.round(c.zeroGrams(), 3));
    m.put("gain", c.gain());
    return m;
  }

  // ------------------------------------------------------------------ signed updates

  private String update(String name, byte[] payload, boolean due) throws CommandRejected, IOException,
      InterruptedException {
    synchronized (updateLock) {
      return switch (name) {
        case "config-update" -> configUpdate(payload, due);
        case "model-update" -> modelUpdate(payload, due);
        default -> planogramUpdate(payload, due);
      };
    }
  }

  private String configUpdate(byte[] payload, boolean due) throws CommandRejected, IOException, InterruptedException {
    SignedUpdate u = SignedUpdate.verify("config", payload, settings.keys());
    long maxWait = maxWaitSeconds(payload);
    checkNotReplayed(u);
    String yaml = utf8(u.body());
    Path file = settings.storeFile();
    Path dir = file.toAbsolutePath().getParent();
    StoreConfig next;
    try {
      StoreConfigLoader loader = new StoreConfigLoader(host.tap().base());
      next = loader.parse(file.toString(), yaml, dir);
      // likely mistakes the agent still runs with: logged, as at start
      loader.warnings().forEach(w -> LOG.warn("config-update sequence {}: {}", u.sequence(), w));
    } catch (ConfigException e) {
      throw new CommandRejected("invalid", e.problems().size() + " problem(s) in the new store file",
          e.problems().stream().map(ConfigProblem::toString).toList());
    }
    String held = holdWhileBusy("config-update", u, payload, maxWait, due);
    if (held != null) {
      return held;
    }
    consume(u);
    pending.removeUpTo("config-update", u.sequence());
    Path overlay = Planogram.fileFor(file);
    return applyOrRollBack("config-update", u, next, List.of(file, overlay), () -> {
      AtomicFiles.replace(file, u.body());
      AtomicFiles.remove(overlay);
    });
  }

  private String planogramUpdate(byte[] payload, boolean due) throws CommandRejected, IOException,
      InterruptedException {
    SignedUpdate u = SignedUpdate.verify("planogram", payload, settings.keys());
    long maxWait = maxWaitSeconds(payload);
    checkNotReplayed(u);
    Path file = settings.storeFile();
    StoreConfig base;
    try {
      base = new StoreConfigLoader(host.tap().base()).load(file);
    } catch (ConfigException e) {
      throw new CommandRejected("failed", "the store file on disk no longer loads",
          e.problems().stream().map(ConfigProblem::toString).toList());
    }
    Planogram p = Planogram.parse(u.body(), base);
    StoreConfig planned = p.applyTo(base);
    List<ConfigProblem> load = new ArrayList<>();
    for (StoreConfig.Device d : planned.devices()) {
      load.addAll(host.tap().base().validateInStore(d, planned)); // e.g. a heavier product than the cells are rated for
    }
    if (!load.isEmpty()) {
      throw new CommandRejected("invalid", load.size() + " problem(s) with the lanes as the planogram would fill them",
          load.stream().map(ConfigProblem::toString).toList());
    }
    String held = holdWhileBusy("planogram-update", u, payload, maxWait, due);
    if (held != null) {
      return held;
    }
    consume(u);
    pending.removeUpTo("planogram-update", u.sequence());
    Path overlay = Planogram.fileFor(file);
    return applyOrRollBack("planogram-update", u, planned, List.of(overlay),
        () -> AtomicFiles.replace(overlay, u.body()));
  }

  // ------------------------------------------------------------------ model-update

  /**
   * A new version of a detector model. Nothing changes until the model has been unpacked, loaded
   * by ONNX Runtime and run on the last frame of every camera that uses it (a grey frame of the
   * model's input size when a camera has none): a model that fails any of that is refused as
   * {@code invalid} and its files are deleted. Then, unless held while shoppers are inside, it is
   * put in use, the cameras using it are restarted, and each must run {@link #CAMERA_HEALTH_FRAMES}
   * frames through it without a failure within the health timeout; otherwise the version before it
   * (or the shipped model) is put back and the cameras restarted again ({@code rolled-back}). A
   * model no camera uses is installed at once, for a later store file to name. Sequences are
   * checked per model ({@link #modelKind}), once the archive shows which model it holds.
   */
  private String modelUpdate(byte[] payload, boolean due) throws CommandRejected, IOException,
      InterruptedException {
    SignedUpdate u = SignedUpdate.verify("model", payload, settings.keys());
    long maxWait = maxWaitSeconds(payload);
    GatewayCameras cams = cameras;
    if (cams == null) {
      throw new CommandRejected("failed", "this agent runs no camera set-up to install models for");
    }
    ModelTransfers chunked = transfers;
    ModelTransfers.Manifest manifest = ModelTransfers.Manifest.is(u.body()) ? ModelTransfers.Manifest.parse(u.body())
        : null;
    byte[] archive = manifest == null ? u.body() : chunked.assemble(manifest);
    try {
      ModelPackage pkg = ModelPackage.read(archive);
      String reply = modelUpdate(u, pkg, cams, payload, maxWait, due);
      boolean held = pending.get(PendingUpdates.slotOf("model-update", pkg.name()))
          .filter(p -> p.sequence() == u.sequence()).isPresent();
      if (manifest != null && !held) {
        chunked.remove(manifest.sha256()); // installed: its chunks are no longer needed
      }
      return reply;
    } catch (CommandRejected e) {
      if (manifest != null) {
        chunked.remove(manifest.sha256()); // refused or rolled back: these bytes will not be used
      }
      throw e;
    }
  }

  private String modelUpdate(SignedUpdate u, ModelPackage pkg, GatewayCameras cams, byte[] payload, long maxWait,
      boolean due) throws CommandRejected, IOException, InterruptedException {
    String kind = modelKind(pkg.name());
    checkNotReplayed(u, kind);
    InstalledModels store = cams.installedModels();
    String version = u.sequence() + "-" + pkg.sha256().substring(0, 12);
    List<String> using = cams.camerasUsing(pkg.name());
    long t0 = clock.millis();
    Path dir = store.write(pkg, version);
    List<String> problems = tryModel(pkg.name(), dir, using, cams);
    long tried = clock.millis() - t0;
    if (!problems.isEmpty()) {
      InstalledModels.deleteTree(dir);
      throw new CommandRejected("invalid", "model " + pkg.name() + " does not run on this gateway", problems);
    }
    String slot = PendingUpdates.slotOf("model-update", pkg.name());
    String held = using.isEmpty() ? null : holdWhileBusy(slot, u, payload, maxWait, due);
    if (held != null) {
      InstalledModels.deleteTree(dir); // written again when it is applied
      return held;
    }
    consume(u, kind);
    pending.removeUpTo(slot, u.sequence());
    String before = store.currentVersion(pkg.name()).orElse("shipped");
    store.useOnTrial(pkg.name(), version, "model-update sequence " + u.sequence() + " (" + pkg.name() + " version "
        + version + ", was " + before + ")");
    long t1 = clock.millis();
    if (!using.isEmpty()) {
      Map<String, String> wrong = restartAndCheck(cams, using);
      if (!wrong.isEmpty()) {
        LOG.error("model-update sequence {} ({} version {}) left camera(s) unhealthy {}; rolling back", u.sequence(),
            pkg.name(), version, wrong);
        store.rollBack(pkg.name());
        Map<String, String> back = restartAndCheck(cams, using);
        store.prune(pkg.name());
        rolledBack.incrementAndGet();
        List<String> details = new ArrayList<>();
        wrong.forEach((cam, why) -> details.add("camera " + cam + " with version " + version + ": " + why));
        details.add("after rolling back to " + before + ": "
            + (back.isEmpty() ? "every camera healthy" : "still unhealthy " + back));
        throw new CommandRejected("rolled-back", "model-update sequence " + u.sequence() + " (" + pkg.name()
            + ") was applied and rolled back", details);
      }
    }
    store.confirm(pkg.name());
    store.prune(pkg.name());
    applied.incrementAndGet();
    LOG.info("model-update sequence {}: {} version {} in use (was {}), camera(s) restarted {}", u.sequence(),
        pkg.name(), version, before, using);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "model-update");
    m.put("ok", true);
    m.put("applied", true);
    m.put("model", pkg.name());
    m.put("version", version);
    m.put("sha256", pkg.sha256());
    m.put("bytes", pkg.bytes());
    m.put("previousVersion", before);
    m.put("camerasRestarted", using);
    m.put("healthy", true);
    m.put("triedMillis", tried); // written and run on the cameras' last frames, before anything changed
    m.put("restartMillis", clock.millis() - t1); // cameras restarted and each ran its health frames
    m.put("sequence", u.sequence());
    m.put("keyId", u.keyId());
    return Json.write(m);
  }

  /** Keeps one chunk of a model archive; the reply says which chunks of it are still missing. */
  private String modelChunk(byte[] payload) throws CommandRejected, IOException {
    ModelTransfers.Chunk c = ModelTransfers.Chunk.parse(payload);
    GatewayCameras cams = cameras;
    if (cams == null) {
      throw new CommandRejected("failed", "this agent runs no camera set-up to install models for");
    }
    ModelTransfers.Status s = transfers.put(c); // set with the cameras, before them
    modelChunks.incrementAndGet();
    s.evicted().ifPresent(sha -> {
      modelTransfersEvicted.incrementAndGet();
      LOG.warn("model transfer {} deleted unfinished to make room for {} (at most {} at once)", sha, c.sha256(),
          ModelTransfers.MAX_TRANSFERS);
    });
    if (s.complete()) {
      LOG.info("model archive {}: all {} chunks received ({} bytes); waiting for its signed manifest", c.sha256(),
          s.count(), s.bytes());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "model-chunk");
    m.put("ok", true);
    m.put("sha256", c.sha256());
    m.put("index", c.index());
    m.put("received", s.received());
    m.put("count", s.count());
    m.put("bytes", s.bytes());
    m.put("complete", s.complete());
    m.put("missingCount", s.missingCount());
    m.put("missing", s.missing());
    s.evicted().ifPresent(sha -> m.put("evicted", sha));
    return Json.write(m);
  }

  /** Cameras a store file (re)started that did not start, or did not run their health frames, with why. */
  private Map<String, String> checkCameras(GatewayCameras cams, GatewayCameras.Reconfigured rc)
      throws InterruptedException {
    return checkCameras(cams, rc.restarted(), rc.failed());
  }

  private Map<String, String> restartAndCheck(GatewayCameras cams, List<String> ids) throws InterruptedException {
    return checkCameras(cams, ids, cams.restart(ids));
  }

  /** Of the cameras just (re)started, those that {@code failed} to start or did not run their health frames. */
  private Map<String, String> checkCameras(GatewayCameras cams, List<String> ids, Map<String, String> failed)
      throws InterruptedException {
    Map<String, String> wrong = new LinkedHashMap<>(failed);
    List<String> started = ids.stream().filter(id -> !failed.containsKey(id)).toList();
    wrong.putAll(cams.awaitDetecting(started, CAMERA_HEALTH_FRAMES, settings.healthTimeout()));
    return wrong;
  }

  /** Loads the model written at {@code dir} and runs it on each camera's last frame; every problem found. */
  private static List<String> tryModel(String name, Path dir, List<String> using, GatewayCameras cams) {
    DetectorConfig config;
    try {
      config = ModelRegistry.load(dir, name);
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage().replace(dir.toString(), name));
    }
    List<String> problems = new ArrayList<>();
    try (OnnxDetector d = OnnxDetector.open(config)) {
      List<Frame> frames = new ArrayList<>();
      for (String id : using) {
        cams.lastFrame(id).ifPresent(frames::add);
      }
      if (frames.isEmpty()) {
        byte[] grey = new byte[config.inputWidth() * config.inputHeight() * 3];
        java.util.Arrays.fill(grey, (byte) 114);
        frames.add(new Frame("model-check", 0, 0, config.inputWidth(), config.inputHeight(), grey));
      }
      for (Frame f : frames) {
        try {
          d.detect(f);
        } catch (RuntimeException e) {
          problems.add("running it on a " + f.width() + "x" + f.height() + " frame of " + f.cameraId() + " failed: "
              + e.getMessage());
        }
      }
    } catch (OrtException e) {
      problems.add("ONNX Runtime cannot load it: " + e.getMessage());
    } catch (RuntimeException e) {
      problems.add("it does not match its model.properties: " + e.getMessage());
    }
    return problems;
  }

  // ------------------------------------------------------------------ debug-snapshot

  /**
   * Signed like an update (kind {@code debug-snapshot}, its own sequence in the ledger) because it
   * makes the gateway write images of people. The sequence is used up once the request is valid
   * and names running cameras.
   */
  private String debugSnapshot(byte[] payload) throws CommandRejected {
    SignedUpdate u = SignedUpdate.verify("debug-snapshot", payload, settings.keys());
    checkNotReplayed(u);
    JsonNode n = object(u.body());
    String cameraId = n.path("cameraId").asText("");
    JsonNode disarmNode = n.get("disarm");
    if (cameraId.isBlank() || (disarmNode != null && !disarmNode.isBoolean())) {
      throw new CommandRejected("malformed", "expected {cameraId, frames, seconds} or {cameraId, disarm: true}; "
          + "cameraId \"" + ALL_CAMERAS + "\" means every running camera");
    }
    boolean disarm = disarmNode != null && disarmNode.asBoolean();
    int frames = 0;
    int seconds = 0;
    if (!disarm) {
      frames = boundedInt(n, "frames", org.storeedge.vision.DebugSnapshots.MAX_FRAMES);
      seconds = boundedInt(n, "seconds", (int) (org.storeedge.vision.DebugSnapshots.MAX_DURATION_MILLIS / 1000));
    }
    Map<String, org.storeedge.vision.DebugSnapshots> targets = snapshotTargets(cameraId);
    consume(u);
    long maxBytes = org.storeedge.vision.DebugSnapshots.MAX_BYTES;
    GatewayCameras cams = cameras;
    List<Map<String, Object>> list = new ArrayList<>();
    for (Map.Entry<String, org.storeedge.vision.DebugSnapshots> e : targets.entrySet()) {
      if (disarm) {
        e.getValue().disarm();
      } else {
        e.getValue().arm(frames, maxBytes, seconds * 1000L);
      }
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("cameraId", e.getKey());
      one.put("directory", cams.snapshotDir(e.getKey()).toString());
      one.put("writtenSinceStart", e.getValue().written());
      list.add(one);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "debug-snapshot");
    m.put("ok", true);
    m.put("armed", !disarm);
    m.put("cameras", list);
    if (disarm) {
      debugSnapshotsDisarmed.incrementAndGet();
      LOG.warn("debug snapshots disarmed on camera(s) {} (sequence {}, key {})", targets.keySet(), u.sequence(), u.keyId());
    } else {
      debugSnapshotsArmed.incrementAndGet();
      m.put("framesPerCamera", frames);
      m.put("seconds", seconds);
      m.put("maxBytesPerCamera", maxBytes);
      m.put("until", java.time.Instant.ofEpochMilli(clock.millis() + seconds * 1000L).toString());
      LOG.warn("debug snapshots ARMED on camera(s) {}: up to {} frames and {} bytes per camera for {} s, persons "
          + "blurred, written under {} and never published (sequence {}, key {})", targets.keySet(), frames, maxBytes,
          seconds, cams.snapshotRoot(), u.sequence(), u.keyId());
    }
    m.put("sequence", u.sequence());
    m.put("keyId", u.keyId());
    m.put("note", "frames stay on the gateway; persons are blurred before writing");
    return Json.write(m);
  }

  private static int boundedInt(JsonNode n, String field, int max) throws CommandRejected {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToInt() || v.asInt() < 1 || v.asInt() > max) {
      throw new CommandRejected("invalid", field + " must be an integer in 1.." + max + " (got: " + v + ")");
    }
    return v.asInt();
  }

  /** The running cameras a request names, by id, in config order. */
  private Map<String, org.storeedge.vision.DebugSnapshots> snapshotTargets(String cameraId) throws CommandRejected {
    GatewayCameras cams = cameras;
    List<String> configured = cams == null ? List.of() : cams.configuredCameraIds();
    Map<String, org.storeedge.vision.DebugSnapshots> targets = new LinkedHashMap<>();
    for (String id : configured) {
      if (cameraId.equals(ALL_CAMERAS) || cameraId.equals(id)) {
        cams.snapshots(id).ifPresent(s -> targets.put(id, s));
      }
    }
    if (!targets.isEmpty()) {
      return targets;
    }
    if (cameraId.equals(ALL_CAMERAS)) {
      throw new CommandRejected("unknown-camera", "no camera is running on this gateway (configured: " + configured + ")");
    }
    if (configured.contains(cameraId)) {
      String why = cams.faults().stream().filter(f -> f.cameraId().equals(cameraId)).reduce((a, b) -> b)
          .map(f -> f.status() + ": " + f.reason()).orElse("not started");
      throw new CommandRejected("unknown-camera", "camera " + cameraId + " is configured but not running (" + why + ")");
    }
    throw new CommandRejected("unknown-camera", "no camera " + cameraId + " on this gateway (configured: " + configured + ")");
  }

  /** Writes an update's files (all of them beside the store file). */
  @FunctionalInterface
  private interface Switch {
    void run() throws IOException;
  }

  /**
   * Records what the {@code changed} files hold ({@link UpdateTrial}, beside the store file),
   * writes them with {@code switchIn}, and restarts the agent (and the cameras) on {@code next};
   * unless healthy, puts back what was recorded (or, should the record be unreadable, each file's
   * {@code FILE.previous}: {@link UpdateTrial#rollBack}) and restarts on what ran before. The trial ends
   * either way; a power cut before it does is undone at the next start
   * ({@link GatewayRuntime#undoInterruptedUpdate}).
   */
  private String applyOrRollBack(String name, SignedUpdate u, StoreConfig next, List<Path> changed, Switch switchIn)
      throws CommandRejected, IOException, InterruptedException {
    StoreConfig previous = host.config();
    Path trial = UpdateTrial.markerFor(settings.storeFile());
    UpdateTrial.begin(trial, name + " sequence " + u.sequence(), changed);
    switchIn.run();
    host.restart(next);
    AgentHost.Health h = host.awaitHealthy(settings.healthTimeout());
    if (!h.healthy()) {
      LOG.error("{} sequence {} left the agent unhealthy ({}); rolling back", name, u.sequence(), h.describe());
      UpdateTrial.rollBack(trial, changed);
      host.restart(previous);
      AgentHost.Health back = host.awaitHealthy(settings.healthTimeout());
      rolledBack.incrementAndGet();
      throw new CommandRejected("rolled-back", name + " sequence " + u.sequence() + " was applied and rolled back",
          List.of("after applying: " + h.describe() + " within " + settings.healthTimeout().toSeconds() + " s",
              "after rolling back: " + back.describe()));
    }
    GatewayCameras cams = cameras;
    GatewayCameras.Reconfigured rc = cams == null ? null : cams.reconfigure(next);
    Map<String, String> cameraFaults = new LinkedHashMap<>();
    if (rc != null && !rc.restarted().isEmpty()) {
      cameraFaults.putAll(checkCameras(cams, rc));
      // a camera that ran before the update must run after it; one that did not (new, or already
      // failing) is reported, and does not hold the rest of the store file back
      List<String> broken = cameraFaults.keySet().stream().filter(rc.wereRunning()::contains).toList();
      if (!broken.isEmpty()) {
        LOG.error("{} sequence {} left running camera(s) {} unhealthy ({}); rolling back", name, u.sequence(), broken,
            cameraFaults);
        UpdateTrial.rollBack(trial, changed);
        host.restart(previous);
        AgentHost.Health back = host.awaitHealthy(settings.healthTimeout());
        Map<String, String> camerasBack = checkCameras(cams, cams.reconfigure(previous));
        rolledBack.incrementAndGet();
        List<String> details = new ArrayList<>();
        broken.forEach(id -> details.add("camera " + id + " after applying: " + cameraFaults.get(id)));
        details.add("after rolling back: " + back.describe() + "; cameras "
            + (camerasBack.isEmpty() ? "healthy" : "still unhealthy " + camerasBack));
        throw new CommandRejected("rolled-back", name + " sequence " + u.sequence() + " was applied and rolled back",
            details);
      }
    }
    UpdateTrial.end(trial);
    applied.incrementAndGet();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", name);
    m.put("ok", true);
    m.put("applied", true);
    m.put("sequence", u.sequence());
    m.put("keyId", u.keyId());
    if (rc != null) {
      m.put("camerasRestarted", rc.restarted());
      m.put("camerasRemoved", rc.removed());
      m.put("cameraFaults", cameraFaults);
    }
    List<String> restartNeeded = new ArrayList<>();
    if (!previous.sync().equals(next.sync())) {
      restartNeeded.add("sync");
    }
    if (!previous.storage().equals(next.storage())) {
      restartNeeded.add("storage");
    }
    m.put("healthy", true);
    m.put("takesEffectAtNextProcessRestart", restartNeeded);
    LOG.info("{} sequence {} applied; agent healthy", name, u.sequence());
    return Json.write(m);
  }

  private void checkNotReplayed(SignedUpdate u) throws CommandRejected {
    checkNotReplayed(u, u.kind());
  }

  /**
   * Refuses {@code u} unless its sequence is greater than the last one accepted for {@code kind}
   * (for a model, also than the one a single ledger row for every model held before each model
   * had its own: see {@link #modelKind}).
   */
  private void checkNotReplayed(SignedUpdate u, String kind) throws CommandRejected {
    List<String> kinds = kind.equals(u.kind()) ? List.of(kind) : List.of(kind, u.kind());
    for (String k : kinds) {
      OptionalLong last = ledger.lastSequence(k);
      if (last.isPresent() && u.sequence() <= last.getAsLong()) {
        throw new CommandRejected("replayed", "sequence " + u.sequence() + " is not greater than the last accepted "
            + k + " update (" + last.getAsLong() + ")");
      }
    }
  }

  /**
   * The ledger kind of updates of one model ({@code model/NAME}): each model keeps its own last
   * sequence, so an update held for one model while shoppers are inside is not refused as a
   * replay because a later one for another model was applied meanwhile. The model's name is in
   * the signed archive, so an update of one model cannot be passed off as another's.
   */
  static String modelKind(String model) {
    return "model/" + model;
  }

  private void consume(SignedUpdate u) throws CommandRejected {
    consume(u, u.kind());
  }

  /** Every authentic, valid update uses up its sequence for {@code kind}, also when it is later rolled back. */
  private void consume(SignedUpdate u, String kind) throws CommandRejected {
    if (!ledger.accept(kind, u.sequence(), u.keyId(), clock.millis())) {
      throw new CommandRejected("replayed", "sequence " + u.sequence() + " was accepted meanwhile");
    }
  }

  /**
   * While shoppers are in the store an authentic, valid update waits for it to empty (at most
   * {@code maxWaitSeconds}; 0 applies it at once): a restart hands the open carts to the new agent,
   * but their receipts are flagged {@code agent-restarted} and shelf activity during the restart is
   * seen only as one change over the gap. Returns the reply for a held update, or null to apply now.
   *
   * @param slot what it replaces ({@link PendingUpdates#slotOf}): one update waits per slot
   */
  private String holdWhileBusy(String slot, SignedUpdate u, byte[] payload, long maxWaitSeconds, boolean due)
      throws CommandRejected, IOException {
    int open = openSessions();
    if (due || open == 0 || maxWaitSeconds == 0) {
      return null;
    }
    java.util.Optional<PendingUpdates.Pending> before = pending.get(slot);
    if (before.isPresent() && before.get().sequence() >= u.sequence()) {
      throw new CommandRejected("superseded", "sequence " + u.sequence() + " is not greater than that of the "
          + slot + " already waiting for an empty store (" + before.get().sequence() + ")");
    }
    long now = clock.millis();
    PendingUpdates.Pending p = new PendingUpdates.Pending(slot, u.sequence(), payload, now, now + maxWaitSeconds * 1000);
    pending.put(p);
    updatesHeld.incrementAndGet();
    LOG.info("{} sequence {} waits: {} shopper(s) in the store; applied when it is empty, at the latest {}", slot,
        u.sequence(), open, java.time.Instant.ofEpochMilli(p.applyByMillis()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", p.command());
    p.model().ifPresent(x -> m.put("model", x));
    m.put("ok", true);
    m.put("applied", false);
    m.put("pending", true);
    m.put("sequence", u.sequence());
    m.put("keyId", u.keyId());
    m.put("shoppersInside", open);
    m.put("applyBy", java.time.Instant.ofEpochMilli(p.applyByMillis()).toString());
    before.ifPresent(b -> m.put("replaces", b.sequence()));
    m.put("message", "applied when the store is empty, at the latest at applyBy (the receipts of shoppers "
        + "inside then are flagged agent-restarted); the outcome is published on events as update-applied, "
        + "update-rolled-back or update-refused");
    return Json.write(m);
  }

  private int openSessions() {
    Agent a = host.agent();
    return a == null ? 0 : a.checkout().openSessions();
  }

  /** The payload's optional {@code maxWaitSeconds} (not signed: it decides when, never what). */
  private static long maxWaitSeconds(byte[] payload) throws CommandRejected {
    JsonNode w = object(payload).get("maxWaitSeconds");
    if (w == null || w.isNull()) {
      return DEFAULT_MAX_WAIT_SECONDS;
    }
    if (!w.canConvertToExactIntegral() || !w.canConvertToLong() || w.asLong() < 0 || w.asLong() > MAX_WAIT_SECONDS) {
      throw new CommandRejected("malformed", "maxWaitSeconds must be a whole number of seconds from 0 to "
          + MAX_WAIT_SECONDS + " (got: " + w + ")");
    }
    return w.asLong();
  }

  /** The applier's round: every held update whose store is empty or whose deadline passed is applied. */
  void applyDue() {
    for (PendingUpdates.Pending p : pending.all()) {
      if (host.agent() == null) {
        return; // between agents: the next round looks again
      }
      int open = openSessions();
      long now = clock.millis();
      if (open > 0 && now < p.applyByMillis()) {
        continue;
      }
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("command", p.command());
      p.model().ifPresent(x -> ev.put("model", x));
      ev.put("sequence", p.sequence());
      ev.put("receivedAt", java.time.Instant.ofEpochMilli(p.receivedMillis()).toString());
      ev.put("waitedSeconds", Math.max(0, (now - p.receivedMillis()) / 1000));
      ev.put("shoppersInside", open);
      try {
        JsonNode reply = JSON.readTree(update(p.command(), p.payload(), true));
        ev.put("type", "update-applied");
        ev.put("takesEffectAtNextProcessRestart", reply.path("takesEffectAtNextProcessRestart"));
      } catch (CommandRejected e) {
        rejected.computeIfAbsent(e.reason(), k -> new AtomicLong()).incrementAndGet();
        ev.put("type", e.reason().equals("rolled-back") ? "update-rolled-back" : "update-refused");
        ev.put("reason", e.reason());
        ev.put("message", e.getMessage());
        LOG.warn("held {} sequence {} not applied: {}", p.slot(), p.sequence(), e.toString().replace('\n', ' '));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return; // closing: it stays held for the next start
      } catch (IOException | RuntimeException e) {
        rejected.computeIfAbsent("failed", k -> new AtomicLong()).incrementAndGet();
        ev.put("type", "update-refused");
        ev.put("reason", "failed");
        ev.put("message", e.toString());
        LOG.error("held {} sequence {} failed", p.slot(), p.sequence(), e);
      }
      try {
        pending.removeUpTo(p.slot(), p.sequence());
      } catch (IOException e) {
        LOG.error("held {} sequence {} done but its file could not be removed: {}", p.slot(), p.sequence(),
            e.toString());
      }
      try {
        outbox.append(Stream.EVENTS, "events", "update-" + p.slot() + "-" + p.sequence(),
            Json.write(ev).getBytes(StandardCharsets.UTF_8));
      } catch (Exception e) {
        LOG.error("outcome of held {} sequence {} not stored in the outbox: {}", p.slot(), p.sequence(), e.toString());
      }
    }
  }

  private static String utf8(byte[] body) throws CommandRejected {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new CommandRejected("invalid", "the new store file is not UTF-8 text");
    }
  }

  private static JsonNode object(byte[] payload) throws CommandRejected {
    try {
      JsonNode n = JSON.readTree(payload);
      if (n == null || !n.isObject()) {
        throw new CommandRejected("malformed", "payload must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new CommandRejected("malformed", "payload is not JSON: " + e.getMessage());
    }
  }
}
