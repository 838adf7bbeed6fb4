package org.storeedge.runtime.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.core.time.Scheduler;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.simulator.SimulatedStore;
import org.storeedge.simulator.camera.CameraPoses;
import org.storeedge.simulator.camera.SimulatedCameraRenderer;
import org.storeedge.simulator.camera.SimulatedCameraSource;
import org.storeedge.simulator.camera.SimulatedStoreScene;
import org.storeedge.simulator.camera.StoreLayout;
import org.storeedge.vision.LatestFrameSlot;
import org.storeedge.vision.PipelineSettings;
import org.storeedge.vision.VisionListener;
import org.storeedge.vision.VisionPipeline;
import org.storeedge.vision.geometry.CameraPose;
import org.storeedge.vision.geometry.LaneZones;
import org.storeedge.vision.geometry.SimulatedCamera;
import org.storeedge.vision.interaction.AppearanceBook;
import org.storeedge.vision.interaction.InteractionDetector;
import org.storeedge.vision.interaction.InteractionSettings;
import org.storeedge.vision.interaction.TokenBinder;
import org.storeedge.vision.interaction.TokenCarrier;
import org.storeedge.vision.interaction.ZoneInteraction;
import org.storeedge.vision.onnx.ModelRegistry;
import org.storeedge.vision.onnx.OnnxDetector;
import org.storeedge.vision.track.ByteTracker;

/**
 * Real vision for a simulated run: the simulator renders each camera's frames and the real
 * pipeline (sim-person model in ONNX Runtime, ByteTracker, floor projection, lane zones) turns
 * them into {@link ShopperObservation}s, which replace the simulator's own positions.
 *
 * <p>Cameras are the store's corner cameras ({@link CameraPoses#corners}), 320x240, rendering at
 * 5 fps; camera {@code cam-i} uses corner 0, 2, 1, 3 in that order (the first two are diagonal).
 * Or ({@link Cameras#overhead()}) the store's grid of ceiling cameras looking straight down
 * ({@link CameraPoses#overhead}), {@code cam-i} row by row, with the sim-person-overhead model.
 * One {@link TokenBinder} is shared by all cameras: the customer token of an ENTER goes to the
 * nearest unbound track near the entry gate, whichever camera sees it first; tracks of the other
 * cameras start unbound. A {@link TokenCarrier} (as on the gateway) gives a track without a token
 * the token of the shopper last seen nearest to it, by any camera, when no other shopper was
 * nearly as likely: so a shopper keeps the token when the gate's track is lost, and other cameras'
 * tracks of the same shopper carry it too (the checkout handles several tracks per token). As on
 * a gateway whose cameras read clothing colours, what a track looks like ({@link AppearanceBook})
 * weighs in, in the trackers and at hand-overs; every camera renders one store and one set of
 * clothes ({@link #STORE_LOOK_SEED}). Unclaimed tracks carry no token and the checkout ignores
 * them.
 *
 * <p>Threads: everything runs on the thread driving the {@link VirtualScheduler}. Frames are
 * rendered by the scheduler's tasks and processed by {@link #processFrames()}, which the
 * simulation loop calls after each {@link #step()} of virtual time, so a run is repeatable.
 * Event gating: weight readings that move by more than {@value #ACTIVITY_GRAMS} g boost every
 * camera for {@link #BOOST} (see {@link #tap}); otherwise the pipeline's idle rate applies.
 */
public final class VisionRig implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VisionRig.class);

  /**
   * Which simulated cameras a run has: none (positions from the simulator), 1..{@value #MAX_CAMERAS}
   * corner cameras ({@link CameraPoses#corners}) with the sim-person model, or the ceiling grid
   * ({@link CameraPoses#overhead}: cameras looking straight down, as many as the store's floor
   * needs) with the sim-person-overhead model.
   */
  public record Cameras(int corners, boolean ceiling) {
    public Cameras {
      if (ceiling ? corners != 0 : corners < 0 || corners > MAX_CAMERAS) {
        throw new IllegalArgumentException(ceiling ? "ceiling cameras take no corner count (got: " + corners + ")"
            : "vision cameras must be 1.." + MAX_CAMERAS + " (got: " + corners + ")");
      }
    }

    public static Cameras none() {
      return new Cameras(0, false);
    }

    /** {@code n} corner cameras; 0 means none. */
    public static Cameras corners(int n) {
      return new Cameras(n, false);
    }

    public static Cameras overhead() {
      return new Cameras(0, true);
    }

    /** Whether the run has cameras at all. */
    public boolean any() {
      return ceiling || corners > 0;
    }
  }

  public static final int WIDTH = 320;
  public static final int HEIGHT = 240;
  public static final double CAMERA_FPS = 5;
  public static final int MAX_CAMERAS = 4;
  /** A change between two readings of one lane larger than this counts as weight activity. */
  public static final double ACTIVITY_GRAMS = 15;
  public static final Duration BOOST = Duration.ofSeconds(3);
  /**
   * The renderer seed of every camera: it fixes the store's colours and each shopper's clothes, so
   * one store looks the same and a shopper wears the same clothes in every camera (each camera's
   * own noise, colour cast and brightness drift come from its id).
   */
  static final long STORE_LOOK_SEED = 7;
  private static final int[] CORNER_ORDER = {0, 2, 1, 3};
  private final AppearanceBook appearances = new AppearanceBook();
  private final TokenCarrier carrier = TokenCarrier.defaults().withAppearances(appearances);
  private final IdentityAudit audit;
  private final Map<String, Long> byCamera = new LinkedHashMap<>();

  private final List<VisionPipeline> pipelines = new ArrayList<>();
  private final List<SimulatedCameraSource> sources = new ArrayList<>();
  private final List<OnnxDetector> detectors = new ArrayList<>();
  private final List<InteractionDetector> interactions = new ArrayList<>();
  private final TokenBinder binder;
  private Consumer<ShopperObservation> sink = o -> {};
  private final Map<String, Double> lastGrams = new HashMap<>();
  private long observations;
  private long tokenObservations;
  private long zoneInteractions;
  private long boosts;

  /** The sim-person model: {@code ${storeedge.home:-.}/vision/models/sim-person}. */
  public static Path defaultModelDir() {
    return modelDir("sim-person");
  }

  /** The model of views from above: {@code ${storeedge.home:-.}/vision/models/sim-person-overhead}. */
  public static Path overheadModelDir() {
    return modelDir("sim-person-overhead");
  }

  private static Path modelDir(String name) {
    return Path.of(System.getProperty("storeedge.home", "."), "vision", "models", name);
  }

  /**
   * Builds {@code cameras} cameras (1..4) over {@code store} and starts their frame sources on
   * {@code scheduler} (rendering begins at {@link #start}). A missing or unreadable model fails
   * here with its path.
   */
  public static VisionRig open(StoreConfig config, SimulatedStore store, VirtualScheduler scheduler, int cameras) {
    return new VisionRig(config, store, scheduler, cameras, defaultModelDir());
  }

  /** As {@link #open(StoreConfig, SimulatedStore, VirtualScheduler, int)} for corner or ceiling cameras. */
  public static VisionRig open(StoreConfig config, SimulatedStore store, VirtualScheduler scheduler, Cameras cameras) {
    if (!cameras.any()) {
      throw new IllegalArgumentException("a vision rig needs cameras");
    }
    return cameras.ceiling()
        ? new VisionRig(config, store, scheduler, CameraPoses.overhead(new StoreLayout(config), WIDTH, HEIGHT),
            overheadModelDir())
        : open(config, store, scheduler, cameras.corners());
  }

  public VisionRig(StoreConfig config, SimulatedStore store, VirtualScheduler scheduler, int cameras, Path modelDir) {
    this(config, store, scheduler, cornerPoses(config, cameras), modelDir);
  }

  private static List<CameraPose> cornerPoses(StoreConfig config, int cameras) {
    if (cameras < 1 || cameras > MAX_CAMERAS) {
      throw new IllegalArgumentException("vision cameras must be 1.." + MAX_CAMERAS + " (got: " + cameras + ")");
    }
    List<CameraPose> corners = CameraPoses.corners(new StoreLayout(config), WIDTH, HEIGHT);
    List<CameraPose> out = new ArrayList<>();
    for (int c = 0; c < cameras; c++) {
      out.add(corners.get(CORNER_ORDER[c]));
    }
    return out;
  }

  /** Cameras at these poses ({@value #WIDTH}x{@value #HEIGHT}), each running the model in {@code modelDir}. */
  public VisionRig(StoreConfig config, SimulatedStore store, VirtualScheduler scheduler, List<CameraPose> poses,
      Path modelDir) {
    if (!Files.isDirectory(modelDir)) {
      throw new IllegalArgumentException("vision model directory not found: " + modelDir.toAbsolutePath()
          + " (set -Dstoreedge.home to the project directory)");
    }
    this.binder = new TokenBinder(config.gates());
    this.audit = new IdentityAudit(store);
    VisionListener listener = new VisionListener() {
      @Override
      public void onObservation(ShopperObservation o) {
        observations++;
        int colon = o.trackId().indexOf(':');
        byCamera.merge(colon < 0 ? "?" : o.trackId().substring(0, colon), 1L, Long::sum);
        ShopperObservation carried = carrier.carry(o);
        deliver(o, carried);
      }

      @Override
      public void onInteractionStarted(ZoneInteraction interaction) {
        zoneInteractions++;
      }
    };
    SimulatedStoreScene scene = new SimulatedStoreScene(store, 7);
    PipelineSettings settings = PipelineSettings.defaults().withFps(CAMERA_FPS, PipelineSettings.defaults().idleFps());
    try {
      for (int c = 0; c < poses.size(); c++) {
        String id = "cam-" + c;
        CameraPose pose = poses.get(c);
        LatestFrameSlot slot = new LatestFrameSlot();
        SimulatedCameraRenderer renderer = new SimulatedCameraRenderer(id, pose, config, STORE_LOOK_SEED);
        SimulatedCameraSource source = new SimulatedCameraSource(renderer, scene, scheduler, slot, CAMERA_FPS);
        OnnxDetector detector = OnnxDetector.open(ModelRegistry.load(modelDir));
        detectors.add(detector);
        InteractionDetector zones = new InteractionDetector(new SimulatedCamera(pose).calibration(id),
            LaneZones.defaults().build(config), InteractionSettings.defaults(), binder, listener)
            .withAppearances(appearances);
        interactions.add(zones);
        VisionPipeline p = new VisionPipeline(source, slot, detector, new ByteTracker(), zones, scheduler, settings,
            listener);
        sources.add(source);
        pipelines.add(p);
      }
    } catch (Exception e) {
      close();
      throw new IllegalStateException("cannot open the vision model in " + modelDir.toAbsolutePath() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Starts rendering (one frame per camera every {@link #step()}) and the pipelines' watchdogs.
   * Observations go to {@code observationSink} on the caller's thread during {@link #processFrames()}.
   */
  public void start(Consumer<ShopperObservation> observationSink) {
    this.sink = observationSink;
    for (int i = 0; i < pipelines.size(); i++) {
      sources.get(i).start();
      pipelines.get(i).startWatchdog();
    }
    LOG.info("vision on {} simulated camera(s), {}x{} at {} fps", pipelines.size(), WIDTH, HEIGHT, CAMERA_FPS);
  }

  /** Virtual time the simulation advances between two {@link #processFrames()} calls: one camera period. */
  public Duration step() {
    return Duration.ofNanos(Math.round(1e9 / CAMERA_FPS));
  }

  /** Processes the latest frame of each camera (if the rate gate lets it through). Caller's thread. */
  private void deliver(ShopperObservation raw, ShopperObservation o) {
    if (o.customerToken() != null) {
      tokenObservations++;
    }
    audit.check(raw, o);
    sink.accept(o);
  }

  public void processFrames() {
    for (VisionPipeline p : pipelines) {
      try {
        p.processNext(0, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // as on the device: a failing frame is logged and the next one runs
        LOG.error("vision {} frame failed: {}", p.cameraId(), e.toString(), e);
      }
    }
  }

  /** Gate events: ENTERs queue a check-in for the token binder; an EXIT retires the token. */
  public void onGate(GateEvent e) {
    binder.onGateEvent(e);
    carrier.onGate(e);
    if (e.direction() == GateEvent.Direction.ENTER) {
      boostUntil(e.atMillis() + TokenBinder.DEFAULT_WINDOW_MILLIS); // as the gateway does at a check-in
    }
  }

  /** Frames captured before {@code epochMillis} are processed at the boosted rate on every camera. */
  public void boostUntil(long epochMillis) {
    for (VisionPipeline p : pipelines) {
      p.boostUntil(epochMillis);
    }
  }

  /**
   * Wraps a driver factory so that weight activity (a lane's reading moving by more than
   * {@value #ACTIVITY_GRAMS} g) boosts the cameras for {@link #BOOST}; readings pass on unchanged.
   */
  public DriverFactory tap(DriverFactory f) {
    return new DriverFactory() {
      @Override
      public String type() {
        return f.type();
      }

      @Override
      public List<ConfigProblem> validate(StoreConfig.Device device) {
        return f.validate(device);
      }

      @Override
      public WeightDriver create(StoreConfig.Device device, List<StoreConfig.Lane> lanes, Scheduler s, ReadingSink sink) {
        return f.create(device, lanes, s, r -> {
          watch(r);
          sink.accept(r);
        });
      }
    };
  }

  private void watch(WeightReading r) {
    if (r.status() != ReadingStatus.OK) {
      return;
    }
    Double before = lastGrams.put(r.laneId(), r.grams());
    if (before != null && Math.abs(r.grams() - before) > ACTIVITY_GRAMS) {
      boosts++;
      boostUntil(r.atMillis() + BOOST.toMillis());
    }
  }

  public int cameras() {
    return pipelines.size();
  }

  /** Counters for the run's report. */
  public Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cameras", pipelines.size());
    m.put("observations", observations);
    m.put("observationsWithToken", tokenObservations);
    m.put("observationsByCamera", new LinkedHashMap<>(byCamera));
    m.put("zoneInteractions", zoneInteractions);
    m.put("weightBoosts", boosts);
    m.put("tokensBound", binder.boundCount());
    m.put("tokensExpired", binder.expiredCount());
    m.put("tokenHandOvers", carrier.handOvers());
    m.put("tokenHandOversAmbiguous", carrier.ambiguous());
    m.put("tokenConflicts", carrier.conflicts());
    m.put("tokensLetGoForLooks", carrier.lostLook());
    m.put("observationsWithoutTokenBecause", carrier.withoutToken());
    m.put("identity", audit.stats());
    Map<String, Object> perCamera = new LinkedHashMap<>();
    for (VisionPipeline p : pipelines) {
      perCamera.put(p.cameraId(), p.counters().toString());
    }
    m.put("pipelines", perCamera);
    return m;
  }

  public long observations() {
    return observations;
  }

  public long tokenObservations() {
    return tokenObservations;
  }

  public long tokensBound() {
    return binder.boundCount();
  }

  @Override
  public void close() {
    for (VisionPipeline p : pipelines) {
      p.stop();
    }
    for (OnnxDetector d : detectors) {
      try {
        d.close();
      } catch (RuntimeException e) {
        LOG.warn("detector failed to close: {}", e.toString());
      }
    }
    detectors.clear();
  }
}
