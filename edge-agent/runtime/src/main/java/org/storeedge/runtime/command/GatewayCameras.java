package org.storeedge.runtime.command;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Settings;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.HandContact;
import org.storeedge.core.event.HandInLane;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.core.outbox.Outbox;
import org.storeedge.core.outbox.Stream;
import org.storeedge.core.time.Scheduler;
import org.storeedge.vision.CameraFault;
import org.storeedge.vision.DebugSnapshots;
import org.storeedge.vision.Detection;
import org.storeedge.vision.Detector;
import org.storeedge.vision.Frame;
import org.storeedge.vision.FrameSource;
import org.storeedge.vision.FrameSourceFactory;
import org.storeedge.vision.LatestFrameSlot;
import org.storeedge.vision.PipelineSettings;
import org.storeedge.vision.VisionListener;
import org.storeedge.vision.VisionPipeline;
import org.storeedge.vision.geometry.CameraCalibration;
import org.storeedge.vision.geometry.LaneZones;
import org.storeedge.vision.geometry.Point2;
import org.storeedge.vision.geometry.Zone;
import org.storeedge.vision.interaction.AppearanceBook;
import org.storeedge.vision.interaction.HandZones;
import org.storeedge.vision.interaction.InteractionDetector;
import org.storeedge.vision.interaction.InteractionSettings;
import org.storeedge.vision.interaction.TokenBinder;
import org.storeedge.vision.interaction.TokenCarrier;
import org.storeedge.vision.onnx.ModelRegistry;
import org.storeedge.vision.onnx.OnnxDetector;
import org.storeedge.vision.onnx.ShelfFaceHands;
import org.storeedge.vision.track.ByteTracker;

/**
 * The store file's {@code cameras}, each as a running {@link VisionPipeline} whose shopper
 * positions go to the current agent of an {@link AgentHost}. One {@link TokenBinder} is shared by
 * all cameras and fed with the gate events the agent gets ({@link #onGate}); one
 * {@link TokenCarrier} keeps each shopper's token when the gate's track is lost and gives it to
 * the other cameras' tracks of the same shopper, weighing where each was last seen and what their
 * clothes look like ({@link AppearanceBook}: colour histograms, held in memory while a track lives,
 * never published).
 *
 * <p>A camera that cannot be set up (unknown type, bad settings, missing model, bad calibration,
 * a source that does not open or delivers no first frame within {@link #FIRST_FRAME_TIMEOUT_MILLIS})
 * is logged, counted in {@link #faults()} and reported as a {@code camera-fault} alert on the
 * outbox; the agent and the other cameras run on. Stalls and recoveries seen by a running
 * pipeline's watchdog are reported the same way.
 *
 * <p>Each running camera has a {@link DebugSnapshots}, off until the signed {@code debug-snapshot}
 * command arms it: it then writes the frames the detector sees, persons blurred, as PPM files under
 * {@link #snapshotDir} ({@code <directory of storage.database>/debug-snapshots/<camera id>/}).
 * They stay on the gateway; nothing publishes them.
 *
 * <p>Threads: {@link #start} and {@link #close} on the caller's thread (start-up, shutdown);
 * observations arrive on each camera's inference thread and are posted to the agent, which hands
 * them to its own thread; faults are recorded from any thread.
 */
public final class GatewayCameras implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayCameras.class);

  /** Wall-clock wait for a camera's first frame, which gives the image size the calibration needs. */
  public static final long FIRST_FRAME_TIMEOUT_MILLIS = 10_000;

  /** A camera that failed or stalled ({@code status} {@code FAILED} at start-up, else the watchdog's). */
  public record Fault(String cameraId, String status, String reason, long atMillis) {}

  /** The store file the cameras run on: replaced by {@link #reconfigure}. */
  private volatile StoreConfig config;
  private final Scheduler scheduler;
  private final AgentHost host;
  private final Outbox outbox;
  private final Path modelsDir;
  private final InstalledModels installed;
  private volatile TokenBinder binder;
  /** What each camera's tracks look like (clothing colours, in memory only): weighed at token hand-overs. */
  private final AppearanceBook appearances = new AppearanceBook();
  private final TokenCarrier carrier = TokenCarrier.defaults().withAppearances(appearances);
  /** Running cameras by id, in the order they started. */
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final Map<String, DebugSnapshots> snapshots = new ConcurrentHashMap<>();
  private final Path snapshotRoot;

  /**
   * @param scheduler wall-time scheduler for the pipelines' watchdogs and fault times
   * @param modelsDir directory of named models, e.g. {@link #defaultModelsDir()}
   */
  public GatewayCameras(StoreConfig config, Scheduler scheduler, AgentHost host, Outbox outbox, Path modelsDir) {
    this.config = config;
    this.scheduler = scheduler;
    this.host = host;
    this.outbox = outbox;
    this.modelsDir = modelsDir;
    this.installed = new InstalledModels(InstalledModels.rootFor(config.storage().database()));
    this.binder = new TokenBinder(config.gates());
    Path db = config.storage().database().toAbsolutePath();
    this.snapshotRoot = (db.getParent() == null ? db : db.getParent()).resolve("debug-snapshots");
  }

  /** {@code ${storeedge.home:-.}/vision/models}. */
  public static Path defaultModelsDir() {
    return Path.of(System.getProperty("storeedge.home", "."), "vision", "models");
  }

  /** A running camera: its pipeline, the detectors it opened, and the last frame its detector saw. */
  private record Running(VisionPipeline pipeline, List<OnnxDetector> detectors, SnapshotTap tap,
      Map<String, String> models) {}

  /**
   * The models a running camera runs, each with its installed version ({@link InstalledModels}) or
   * {@code shipped}; empty for a camera that is not running.
   */
  public synchronized Map<String, String> modelsOf(String cameraId) {
    Running r = running.get(cameraId);
    return r == null ? Map.of() : r.models();
  }

  private String versionOf(String model) {
    try {
      return installed.current(model).map(dir -> dir.getFileName().toString()).orElse("shipped"); // the version's directory
    } catch (java.io.IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  /** The models installed on this gateway by {@code model-update}, used in place of shipped ones of the same name. */
  public InstalledModels installedModels() {
    return installed;
  }

  /** Sets up and starts every configured camera; never throws for a camera that fails. */
  public synchronized void start() {
    if (config.cameras().isEmpty()) {
      return;
    }
    Map<String, FrameSourceFactory> factories = factories();
    ModelRegistry models = new ModelRegistry(modelsDir);
    for (StoreConfig.Camera cam : config.cameras()) {
      tryStart(cam, factories, models);
    }
    LOG.info("vision: {} of {} camera(s) running", running.size(), config.cameras().size());
  }

  private static Map<String, FrameSourceFactory> factories() {
    Map<String, FrameSourceFactory> factories = new LinkedHashMap<>();
    for (FrameSourceFactory f : ServiceLoader.load(FrameSourceFactory.class)) {
      factories.putIfAbsent(f.type(), f);
    }
    return factories;
  }

  /** Starts one camera; a failure is logged and recorded as a fault, and returned as its reason. */
  private Optional<String> tryStart(StoreConfig.Camera cam, Map<String, FrameSourceFactory> factories,
      ModelRegistry models) {
    try {
      startCamera(cam, factories, models);
      return Optional.empty();
    } catch (Exception | LinkageError e) {
      String reason = e instanceof InterruptedException ? "interrupted while starting" : e.getMessage() == null
          ? e.toString() : e.getMessage();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.error("camera {} ({} {}) not running: {}", cam.id(), cam.type(), cam.source(), reason);
      fault(new Fault(cam.id(), "FAILED", reason, scheduler.millis()));
      return Optional.of(reason);
    }
  }

  /**
   * What {@link #reconfigure} did: the cameras it started (anew or again), those it stopped for good
   * (gone from the store file), which of the changed ones had been running, and those that did not
   * start, with the reason.
   */
  public record Reconfigured(List<String> restarted, List<String> removed, List<String> wereRunning,
      Map<String, String> failed) {}

  /**
   * Puts a new store file's cameras in place: cameras it no longer has are stopped, new ones
   * started, and changed ones restarted (see {@link #changedCameras}); the others keep running,
   * with their tracks. The store's storage section is kept as it was (it takes effect at the next
   * process start, like the agent's). Never throws for a camera that fails: it is returned in
   * {@code failed} and recorded as a fault.
   */
  public synchronized Reconfigured reconfigure(StoreConfig next) {
    StoreConfig previous = config;
    List<String> changed = changedCameras(previous, next);
    if (changed.isEmpty()) {
      config = next;
      return new Reconfigured(List.of(), List.of(), List.of(), Map.of());
    }
    List<String> wereRunning = new ArrayList<>();
    for (String id : changed) {
      if (running.containsKey(id)) {
        stopCamera(id);
        wereRunning.add(id);
      }
    }
    config = next;
    if (!previous.gates().equals(next.gates())) {
      binder = new TokenBinder(next.gates()); // every camera restarts with the new gates (changedCameras)
    }
    Map<String, FrameSourceFactory> factories = factories();
    ModelRegistry models = new ModelRegistry(modelsDir);
    List<String> restarted = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
    for (StoreConfig.Camera cam : next.cameras()) {
      if (changed.contains(cam.id())) {
        restarted.add(cam.id());
        tryStart(cam, factories, models).ifPresent(r -> failed.put(cam.id(), r));
      }
    }
    List<String> removed = changed.stream().filter(id -> !restarted.contains(id)).toList();
    LOG.info("vision: store file changed camera(s) {}: {} started, {} removed, {} failed", changed, restarted,
        removed, failed.keySet());
    return new Reconfigured(List.copyOf(restarted), removed, List.copyOf(wereRunning), Map.copyOf(failed));
  }

  /**
   * Ids of the cameras whose set-up differs between two store files, those of {@code next} first:
   * added, removed or changed in any key but where the file has it (camera ids, models, sources,
   * settings, calibration points, hands, appearance). Every camera when lanes or gates moved: each
   * camera's lane zones and token hand-overs are built from them.
   */
  static List<String> changedCameras(StoreConfig previous, StoreConfig next) {
    Map<String, StoreConfig.Camera> before = new LinkedHashMap<>();
    previous.cameras().forEach(c -> before.put(c.id(), c));
    boolean all = !previous.gates().equals(next.gates())
        || !LaneZones.defaults().build(previous).equals(LaneZones.defaults().build(next));
    List<String> out = new ArrayList<>();
    for (StoreConfig.Camera c : next.cameras()) {
      StoreConfig.Camera b = before.remove(c.id());
      if (all || b == null || !sameSetUp(b, c)) {
        out.add(c.id());
      }
    }
    out.addAll(before.keySet());
    return out;
  }

  private static boolean sameSetUp(StoreConfig.Camera a, StoreConfig.Camera b) {
    return a.type().equals(b.type()) && a.source().equals(b.source()) && a.fps() == b.fps()
        && a.model().equals(b.model()) && samePoints(a.imagePoints(), b.imagePoints())
        && samePoints(a.floorPoints(), b.floorPoints()) && a.settings().values().equals(b.settings().values())
        && a.clothingColours() == b.clothingColours() && sameHands(a.hands(), b.hands());
  }

  private static boolean sameHands(StoreConfig.Hands a, StoreConfig.Hands b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (!java.util.Objects.equals(a.model(), b.model()) || !java.util.Objects.equals(a.label(), b.label())
        || a.minScore() != b.minScore() || a.shelfFaces().size() != b.shelfFaces().size()) {
      return false;
    }
    for (int i = 0; i < a.shelfFaces().size(); i++) {
      StoreConfig.ShelfFace fa = a.shelfFaces().get(i);
      StoreConfig.ShelfFace fb = b.shelfFaces().get(i);
      if (!fa.laneId().equals(fb.laneId()) || !samePoints(fa.points(), fb.points())) {
        return false;
      }
    }
    return true;
  }

  private static boolean samePoints(List<double[]> a, List<double[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Ids of the configured cameras that run {@code model}, as their detector or their hand model. */
  public List<String> camerasUsing(String model) {
    return config.cameras().stream().filter(c -> c.model().equals(model)
        || (c.hands() != null && model.equals(c.hands().model()))).map(StoreConfig.Camera::id).toList();
  }

  /**
   * Stops the given cameras (those running) and starts them again, resolving their models afresh
   * (a model just installed is picked up). Tracks restart; a camera that fails to start is recorded
   * as a fault. Returns each camera that did not start, with the reason.
   */
  public synchronized Map<String, String> restart(List<String> cameraIds) {
    Map<String, String> failed = new LinkedHashMap<>();
    Map<String, FrameSourceFactory> factories = factories();
    ModelRegistry models = new ModelRegistry(modelsDir);
    for (StoreConfig.Camera cam : config.cameras()) {
      if (!cameraIds.contains(cam.id())) {
        continue;
      }
      stopCamera(cam.id());
      tryStart(cam, factories, models).ifPresent(r -> failed.put(cam.id(), r));
    }
    return failed;
  }

  /**
   * Waits (wall time, at most {@code timeout}) until each of the given cameras has run {@code
   * frames} frames through its detector with no detector failure. Returns the cameras that did
   * not, with what was wrong (not running, failures, too few frames); empty when all did.
   */
  public Map<String, String> awaitDetecting(List<String> cameraIds, int frames, java.time.Duration timeout)
      throws InterruptedException {
    Map<String, VisionPipeline.Counters> from = new LinkedHashMap<>();
    for (String id : cameraIds) {
      pipeline(id).ifPresent(p -> from.put(id, p.counters()));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, String> wrong = new LinkedHashMap<>();
      for (String id : cameraIds) {
        Optional<VisionPipeline> p = pipeline(id);
        VisionPipeline.Counters start = from.get(id);
        if (p.isEmpty() || start == null) {
          wrong.put(id, "not running");
          continue;
        }
        VisionPipeline.Counters now = p.get().counters();
        long failures = now.detectorFailures() - start.detectorFailures();
        long processed = now.processed() - start.processed();
        if (failures > 0) {
          wrong.put(id, "the detector failed on " + failures + " frame(s)");
        } else if (processed < frames) {
          wrong.put(id, "ran " + processed + " of " + frames + " frames");
        }
      }
      boolean settled = wrong.values().stream().allMatch(w -> w.equals("not running") || w.startsWith("the detector"));
      if (wrong.isEmpty() || settled || System.nanoTime() >= deadline) {
        return wrong;
      }
      synchronized (healthPoll) {
        TimeUnit.MILLISECONDS.timedWait(healthPoll, 50); // pipelines signal nothing: look again shortly
      }
    }
  }

  private final Object healthPoll = new Object();

  /** The last frame a running camera's detector saw, if any. */
  public Optional<Frame> lastFrame(String cameraId) {
    Running r;
    synchronized (this) {
      r = running.get(cameraId);
    }
    return r == null ? Optional.empty() : Optional.ofNullable(r.tap().last);
  }

  private void stopCamera(String id) {
    Running r = running.remove(id);
    if (r == null) {
      return;
    }
    try {
      r.pipeline().stop();
    } catch (RuntimeException e) {
      LOG.warn("camera {} failed to stop: {}", id, e.toString());
    }
    DebugSnapshots s = snapshots.remove(id);
    if (s != null) {
      s.disarm();
    }
    closeAll(r.detectors());
  }

  private static void closeAll(List<OnnxDetector> detectors) {
    for (OnnxDetector d : detectors) {
      try {
        d.close();
      } catch (RuntimeException e) {
        LOG.warn("detector failed to close: {}", e.toString());
      }
    }
  }

  private void startCamera(StoreConfig.Camera cam, Map<String, FrameSourceFactory> factories, ModelRegistry models)
      throws Exception {
    FrameSourceFactory factory = factories.get(cam.type());
    if (factory == null) {
      throw new IllegalArgumentException("unknown camera type " + cam.type() + "; known: " + factories.keySet());
    }
    // the camera's top-level source and fps take precedence over the same keys in its settings
    Map<String, Object> values = new LinkedHashMap<>(cam.settings().values());
    values.put("source", cam.source());
    values.put("fps", cam.fps());
    Settings settings = new Settings(cam.settings().pathOf("").replaceFirst("\\.$", ""), cam.location(), values,
        Map.of());
    List<ConfigProblem> problems = factory.validate(settings);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("bad settings: " + problems);
    }
    LatestFrameSlot slot = new LatestFrameSlot();
    CompletableFuture<Frame> first = new CompletableFuture<>();
    FrameSource source = factory.create(cam.id(), settings, scheduler, f -> {
      first.complete(f);
      slot.accept(f);
    });
    source.start();
    Frame frame;
    try {
      frame = first.get(FIRST_FRAME_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      source.stop();
      throw new IllegalStateException("opened, but no frame within " + FIRST_FRAME_TIMEOUT_MILLIS + " ms");
    } catch (Exception e) {
      source.stop();
      throw e;
    }
    VisionPipeline pipeline;
    List<OnnxDetector> detectors = new ArrayList<>();
    SnapshotTap tap;
    try {
      OnnxDetector detector = OnnxDetector.open(installed.resolve(cam.model(), models));
      detectors.add(detector);
      Detector detect = detector;
      PipelineSettings ps = PipelineSettings.defaults();
      DebugSnapshots snaps = new DebugSnapshots(snapshotDir(cam.id()), scheduler);
      CameraCalibration calibration = CameraCalibration.fromPoints(cam.id(), points(cam.imagePoints()),
          points(cam.floorPoints()), frame.width(), frame.height());
      VisionListener listener = new Listener();
      InteractionDetector zones = new InteractionDetector(calibration, LaneZones.defaults().build(config),
          InteractionSettings.defaults(), binder, listener);
      if (cam.clothingColours()) {
        zones.withAppearances(appearances);
      }
      if (cam.hands() != null) {
        // hands in each lane's shelf face as this camera sees it: from the camera's own model (a hand
        // class) or from a hand model run on crops around the shelf faces
        List<Zone> faces = cam.hands().shelfFaces().stream()
            .map(f -> new Zone(f.laneId(), points(f.points()))).toList();
        if (cam.hands().model() != null) {
          OnnxDetector handModel = OnnxDetector.open(installed.resolve(cam.hands().model(), models));
          detectors.add(handModel);
          detect = new ShelfFaceHands(detector, handModel, cam.hands().label(), ps.personLabel(), faces);
        }
        zones.withHands(new HandZones(cam.hands().label(), cam.hands().minScore(), faces,
            InteractionSettings.defaults().exitGraceMillis(), listener));
      }
      tap = new SnapshotTap(detect, snaps, ps.personLabel());
      pipeline = new VisionPipeline(source, slot, tap, new ByteTracker(),
          zones, scheduler, ps.withFps(cam.fps(), Math.min(cam.fps(), ps.idleFps())), listener);
      snapshots.put(cam.id(), snaps);
    } catch (Exception | LinkageError e) {
      source.stop();
      closeAll(detectors);
      throw e;
    }
    try {
      pipeline.start(); // the source is already running; this starts inference and the watchdog
    } catch (Exception e) {
      snapshots.remove(cam.id());
      pipeline.stop();
      closeAll(detectors);
      throw e;
    }
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put(cam.model(), versionOf(cam.model()));
    if (cam.hands() != null && cam.hands().model() != null) {
      versions.put(cam.hands().model(), versionOf(cam.hands().model()));
    }
    running.put(cam.id(), new Running(pipeline, detectors, tap, Map.copyOf(versions)));
    LOG.info("camera {} running: {} {} {}x{}, model {}{}, {} fps", cam.id(), cam.type(), cam.source(), frame.width(),
        frame.height(), cam.model(), cam.hands() != null && cam.hands().model() != null
            ? " + hands " + cam.hands().model() + " on " + cam.hands().shelfFaces().size() + " shelf face(s)" : "",
        cam.fps());
  }

  private static List<Point2> points(List<double[]> xy) {
    return xy.stream().map(p -> new Point2(p[0], p[1])).toList();
  }

  /**
   * Gate events for the token binder; any thread. A check-in runs every camera at its boosted
   * rate while the binder waits for the shopper's track at the gate (at the idle rate a shopper
   * walking in may be past the gate before a track is confirmed).
   */
  public void onGate(GateEvent e) {
    binder.onGateEvent(e);
    carrier.onGate(e);
    if (e.direction() == GateEvent.Direction.ENTER) {
      boostAll(e.atMillis() + TokenBinder.DEFAULT_WINDOW_MILLIS);
    }
  }

  /** Tracks that took over a shopper's token (lost gate track, other cameras). */
  public long tokenHandOvers() {
    return carrier.handOvers();
  }

  /** Runs every camera at its boosted rate until {@code untilMillis}: inference around weight events. */
  public synchronized void boostAll(long untilMillis) {
    for (VisionPipeline p : pipelines()) {
      p.boostUntil(untilMillis);
    }
  }

  public synchronized List<VisionPipeline> pipelines() {
    return running.values().stream().map(Running::pipeline).toList();
  }

  public Optional<VisionPipeline> pipeline(String cameraId) {
    return pipelines().stream().filter(p -> p.cameraId().equals(cameraId)).findFirst();
  }

  /** {@code <directory of storage.database>/debug-snapshots}. */
  public Path snapshotRoot() {
    return snapshotRoot;
  }

  /** Where the debug snapshots of {@code cameraId} are written. */
  public Path snapshotDir(String cameraId) {
    return snapshotRoot.resolve(cameraId);
  }

  /** The debug snapshots of a running camera (empty for a camera that is not configured or failed). */
  public Optional<DebugSnapshots> snapshots(String cameraId) {
    return Optional.ofNullable(snapshots.get(cameraId));
  }

  /** Ids of the configured cameras, running or not, in config order. */
  public List<String> configuredCameraIds() {
    return config.cameras().stream().map(StoreConfig.Camera::id).toList();
  }

  /** Faults so far, oldest first. */
  public List<Fault> faults() {
    return List.copyOf(faults);
  }

  private void fault(Fault f) {
    faults.add(f);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "RECOVERED".equals(f.status()) ? "camera-recovered" : "camera-fault");
    m.put("cameraId", f.cameraId());
    m.put("status", f.status());
    m.put("reason", f.reason());
    m.put("at", Instant.ofEpochMilli(f.atMillis()).toString());
    try {
      byte[] json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(m);
      outbox.append(Stream.ALERTS, "events", "camera-" + f.cameraId() + "-" + f.status() + "-" + f.atMillis(), json);
    } catch (Exception e) {
      LOG.warn("camera {} fault not stored in the outbox: {}", f.cameraId(), e.toString());
    }
  }

  private final class Listener implements VisionListener {
    @Override
    public void onObservation(ShopperObservation o) {
      host.onObservation(carrier.carry(o));
    }

    /** A track's stay in a lane zone, published on {@code events} (pseudonymous: track and token). */
    @Override
    public void onInteractionEnded(org.storeedge.vision.interaction.ZoneInteraction z) {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("type", "interaction");
      m.put("trackId", z.trackId());
      m.put("customerToken", z.customerToken() != null ? z.customerToken() : carrier.tokenOf(z.trackId()));
      m.put("laneId", z.laneId());
      m.put("from", Instant.ofEpochMilli(z.fromMillis()).toString());
      m.put("to", Instant.ofEpochMilli(z.toMillis()).toString());
      try {
        outbox.append(Stream.EVENTS, "events", "interaction-" + z.trackId() + "-" + z.laneId() + "-" + z.fromMillis(),
            org.storeedge.core.json.Json.write(m).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (Exception e) {
        LOG.warn("interaction of {} at {} not stored in the outbox: {}", z.trackId(), z.laneId(), e.toString());
      }
    }

    @Override
    public void onHandInLane(HandInLane h) {
      host.onHandInLane(h);
    }

    @Override
    public void onHandContact(HandContact c) {
      host.onHandContact(c);
    }

    @Override
    public void onCameraFault(CameraFault f) {
      LOG.warn("camera {} {} (reconnects asked: {})", f.cameraId(), f.status(), f.reconnectAttempts());
      fault(new Fault(f.cameraId(), f.status().name(), "watchdog: " + f.status().name().toLowerCase()
          + " after " + f.reconnectAttempts() + " reconnect(s)", f.atMillis()));
    }
  }

  /**
   * The detector as the pipeline sees it, offering each detected frame to the camera's debug
   * snapshots (a no-op unless armed). Inference thread; a snapshot that cannot be written is logged
   * and the frame goes on through tracking.
   */
  private static final class SnapshotTap implements Detector {
    private final Detector detector;
    private final DebugSnapshots snapshots;
    private final String personLabel;
    /** The last frame seen (a model update tries its new model on it before putting it in use). */
    volatile Frame last;

    SnapshotTap(Detector detector, DebugSnapshots snapshots, String personLabel) {
      this.detector = detector;
      this.snapshots = snapshots;
      this.personLabel = personLabel;
    }

    @Override
    public List<Detection> detect(Frame frame) {
      last = frame;
      List<Detection> found = detector.detect(frame);
      if (snapshots.armed()) {
        try {
          // every person box is blurred, also those below the tracking threshold
          snapshots.offer(frame, found, personLabel);
        } catch (java.io.IOException | RuntimeException e) {
          LOG.warn("camera {} debug snapshot not written: {}", frame.cameraId(), e.toString());
        }
      }
      return found;
    }

    @Override
    public String name() {
      return detector.name();
    }
  }

  /** Stops every pipeline (and its camera), then closes the detectors. */
  @Override
  public synchronized void close() {
    List<String> ids = new ArrayList<>(running.keySet());
    java.util.Collections.reverse(ids);
    ids.forEach(this::stopCamera);
    snapshots.values().forEach(DebugSnapshots::disarm);
    snapshots.clear();
  }
}
