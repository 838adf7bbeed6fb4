package org.storeedge.runtime.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.storeedge.config.ConfigException;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.json.Json;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.ScenarioLoader;
import org.storeedge.simulator.SimulatedStore;
import org.storeedge.simulator.camera.CameraPoses;
import org.storeedge.simulator.camera.PersonTruth;
import org.storeedge.simulator.camera.RenderedFrame;
import org.storeedge.simulator.camera.ShopperFigure;
import org.storeedge.simulator.camera.SimulatedCameraRenderer;
import org.storeedge.simulator.camera.SimulatedStoreScene;
import org.storeedge.simulator.camera.StoreLayout;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;
import org.storeedge.vision.Detector;
import org.storeedge.vision.PipelineSettings;
import org.storeedge.vision.geometry.CameraPose;
import org.storeedge.vision.onnx.ModelRegistry;
import org.storeedge.vision.onnx.OnnxDetector;
import org.storeedge.vision.track.ByteTracker;
import org.storeedge.vision.track.Track;
import org.storeedge.vision.track.TrackerSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Tracking accuracy on rendered sequences: scenarios played by the simulator, rendered by the
 * store's corner cameras, run through the sim-person ONNX detector and {@link ByteTracker}, and
 * scored frame by frame against the renderer's ground-truth boxes ({@link TrackingScore}: MOTA,
 * ID switches, fragmentations, FP, FN).
 *
 * <p>The same frames also go through a reference without the detector: the ground-truth boxes
 * of persons at least {@value #REF_MIN_VISIBLE} visible, jittered (centre and size, Gaussian
 * {@value #REF_JITTER} of the box height), {@value #REF_MISS} of them dropped at random, scored
 * 0.9 when clearly visible and 0.3 (a low-score detection) otherwise. What the tracker loses
 * there is its own share of the errors.
 *
 * <p>Per camera: the corner poses ({@link CameraPoses#corners}) in the order the simulated
 * gateway uses them (corner 0, 2, 1, 3), 320x240, one frame every 1/fps store seconds from the
 * scenario's start to its end (or {@code --max-seconds}), one tracker per camera with the
 * default settings, person detections from score {@link PipelineSettings#minPersonScore()} as in
 * the pipeline. The renderer and scene use the scenario seed, so each seed changes both the
 * walks' timing and the shoppers' and store's looks. No rate gating: every frame is processed.
 *
 * <p>Deterministic apart from the timings. Single-threaded (the detector with its configured
 * one intra-op thread).
 */
@Command(name = "tracking", mixinStandardHelpOptions = true,
    description = "Tracking accuracy (MOTA, ID switches) of the sim-person detector and ByteTracker on rendered "
        + "simulator sequences with crossing shoppers, against the renderer's ground-truth boxes.")
public final class TrackingHarness implements Callable<Integer> {
  public static final int WIDTH = 320;
  public static final int HEIGHT = 240;
  private static final int[] CORNER_ORDER = {0, 2, 1, 3};
  /** The crossing scenario bundled with this harness, loadable by this name. */
  public static final String CROSSINGS = "crossings";
  public static final List<String> DEFAULT_SCENARIOS = List.of(CROSSINGS, "suite/crossing-hands",
      "suite/two-at-one-shelf", "suite/crowd-of-four", "suite/generated-busy");
  static final double REF_MIN_VISIBLE = 0.3;
  static final double REF_JITTER = 0.04;
  static final double REF_MISS = 0.03;
  /** Two persons' boxes start an overlap episode at this IoU and end it below {@link #OVERLAP_END}. */
  static final double OVERLAP_START = 0.2;
  static final double OVERLAP_END = 0.05;

  @Option(names = "--config", paramLabel = "FILE", description = "store YAML file (default: the bundled example store)")
  Path config;

  @Option(names = "--scenario", paramLabel = "FILE|NAME", description = "scenario file, '" + CROSSINGS
      + "' or a bundled name such as suite/crowd-of-four; repeatable (default: " + "crossings, suite/crossing-hands, "
      + "suite/two-at-one-shelf, suite/crowd-of-four, suite/generated-busy)")
  List<String> scenarios = new ArrayList<>();

  @Option(names = "--seeds", defaultValue = "3", paramLabel = "N",
      description = "run each scenario with seeds s, s+1, ... s+N-1 (s: the scenario's seed; default: ${DEFAULT-VALUE})")
  int seeds;

  @Option(names = "--cameras", defaultValue = "4", paramLabel = "N",
      description = "corner cameras 1..4 (default: ${DEFAULT-VALUE})")
  int cameras;

  @Option(names = "--fps", defaultValue = "5", description = "frames per store second per camera (default: ${DEFAULT-VALUE})")
  double fps;

  @Option(names = "--max-seconds", defaultValue = "300", paramLabel = "S",
      description = "score at most this many store seconds of each scenario (default: ${DEFAULT-VALUE})")
  double maxSeconds;

  @Option(names = "--model", paramLabel = "DIR",
      description = "detector model directory (default: vision/models/sim-person under -Dstoreedge.home, else .)")
  Path model;

  @Option(names = "--no-reference", description = "skip the jittered ground-truth reference")
  boolean noReference;

  @Option(names = "--reference-only", description = "jittered ground-truth reference only, no detector (fast)")
  boolean referenceOnly;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
  Path json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * What to run per sequence.
   *
   * @param cameras corner cameras, 1..4
   * @param fps frames per store second per camera
   * @param maxSeconds store seconds scored from the scenario's start
   * @param reference also score the jittered ground-truth reference
   */
  public record Settings(int cameras, double fps, double maxSeconds, boolean reference) {
    public Settings {
      if (cameras < 1 || cameras > 4) {
        throw new IllegalArgumentException("cameras must be 1..4 (got: " + cameras + ")");
      }
      if (!(fps > 0 && fps <= 30)) {
        throw new IllegalArgumentException("fps must be in (0, 30] (got: " + fps + ")");
      }
      if (!(maxSeconds > 0)) {
        throw new IllegalArgumentException("max seconds must be > 0 (got: " + maxSeconds + ")");
      }
    }
  }

  /**
   * One scenario with one seed over all cameras.
   *
   * @param model detector + tracker; null when run without a detector
   * @param detections the detector's boxes alone, each its own hypothesis (FP, FN); null likewise
   * @param reference jittered truth + tracker; null when not run
   * @param cameraFrames frames scored, summed over cameras
   * @param overlaps pair overlap episodes in the images (box IoU reaching {@value #OVERLAP_START}),
   *     summed over cameras: how many crossings/occlusions the sequence holds
   * @param renderNanos wall time rendering; {@code detectNanos}, {@code trackNanos} likewise
   * @param consistent the fragmentation matcher agreed with TrackingMetrics
   * @param matchedFrames detector + tracker: frames each shopper (simulator track id) was matched
   *     in, summed over cameras; empty without a detector
   * @param countedFrames frames each shopper was clearly visible in (counted), summed over
   *     cameras; empty without a detector
   */
  public record SequenceResult(String scenario, long seed, TrackingScore.Summary model,
      TrackingScore.Summary detections, TrackingScore.Summary reference, long cameraFrames, long overlaps,
      long renderNanos, long detectNanos, long trackNanos, boolean consistent, Map<String, Long> matchedFrames,
      Map<String, Long> countedFrames) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrackingHarness()).execute(args));
  }

  /** The model directory the simulated gateway uses: {@code ${storeedge.home:-.}/vision/models/sim-person}. */
  public static Path defaultModelDir() {
    return Path.of(System.getProperty("storeedge.home", "."), "vision", "models", "sim-person");
  }

  /**
   * A scenario by name: {@value #CROSSINGS} (bundled here), a file, or a simulator-bundled name
   * ({@code single-shopper}, {@code suite/NAME}).
   */
  public static Scenario loadScenario(String nameOrFile, StoreConfig store) throws IOException, ConfigException {
    if (CROSSINGS.equals(nameOrFile) && !Files.exists(Path.of(nameOrFile))) {
      try (InputStream in = TrackingHarness.class.getResourceAsStream("crossings.yaml")) {
        if (in == null) {
          throw new IllegalStateException("bundled scenario crossings.yaml missing from the class path");
        }
        return ScenarioLoader.parse("bench/crossings.yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8), store);
      }
    }
    return ScenarioLoader.loadFileOrBundled(nameOrFile, store);
  }

  /**
   * Plays {@code scenario} and scores its rendered frames. {@code detector} null skips the
   * detector run (then {@code settings.reference()} should be true). The caller keeps ownership
   * of the detector.
   */
  public static SequenceResult run(StoreConfig config, Scenario scenario, String name, Detector detector,
      Settings settings) {
    Instant t0 = scenario.start().orElse(Instant.parse("2026-01-05T09:00:00Z"));
    SimulatedStore store = new SimulatedStore(config, scenario.withStart(t0), new VirtualScheduler(t0));
    SimulatedStoreScene scene = new SimulatedStoreScene(store, scenario.seed());
    List<CameraPose> poses = CameraPoses.corners(new StoreLayout(config), WIDTH, HEIGHT);
    double minScore = PipelineSettings.defaults().minPersonScore();
    int n = settings.cameras();
    SimulatedCameraRenderer[] renderers = new SimulatedCameraRenderer[n];
    ByteTracker[] modelTrackers = new ByteTracker[n];
    ByteTracker[] refTrackers = new ByteTracker[n];
    TrackingScore[] modelScores = new TrackingScore[n];
    TrackingScore[] refScores = new TrackingScore[n];
    TrackingScore[] detScores = new TrackingScore[n];
    Random[] jitter = new Random[n];
    List<Set<String>> overlapping = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      renderers[c] = new SimulatedCameraRenderer("cam-" + c, poses.get(CORNER_ORDER[c]), config, scenario.seed());
      modelTrackers[c] = new ByteTracker(TrackerSettings.defaults());
      refTrackers[c] = new ByteTracker(TrackerSettings.defaults());
      modelScores[c] = new TrackingScore();
      refScores[c] = new TrackingScore();
      detScores[c] = new TrackingScore();
      jitter[c] = new Random(scenario.seed() * 1_000_003L + c);
      overlapping.add(new HashSet<>());
    }
    Instant end = store.endTime();
    Instant cap = t0.plusNanos(Math.round(settings.maxSeconds() * 1e9));
    if (cap.isBefore(end)) {
      end = cap;
    }
    Duration period = Duration.ofNanos(Math.round(1e9 / settings.fps()));
    long frames = 0;
    long overlaps = 0;
    long renderNanos = 0;
    long detectNanos = 0;
    long trackNanos = 0;
    long sequence = 0;
    for (Instant t = t0.plus(period); !t.isAfter(end); t = t.plus(period)) {
      List<ShopperFigure> figures = scene.shoppersAt(t);
      sequence++;
      for (int c = 0; c < n; c++) {
        // wall time of the harness' own stages, for the throughput figures only
        long a = System.nanoTime();
        RenderedFrame rf = renderers[c].render(figures, t, sequence);
        long b = System.nanoTime();
        renderNanos += b - a;
        frames++;
        long millis = rf.frame().captureMillis();
        overlaps += countNewOverlaps(rf.persons(), overlapping.get(c));
        if (detector != null) {
          List<Detection> found = detector.detect(rf.frame());
          long d = System.nanoTime();
          List<Detection> persons = new ArrayList<>(found.size());
          for (Detection x : found) {
            if (x.label().equals(Detection.PERSON) && x.score() >= minScore) {
              persons.add(x);
            }
          }
          List<Track> tracks = modelTrackers[c].update(persons, millis);
          long e = System.nanoTime();
          detectNanos += d - b;
          trackNanos += e - d;
          modelScores[c].addFrame(rf.persons(), tracks);
          detScores[c].addDetections(rf.persons(), persons);
        }
        if (settings.reference()) {
          refScores[c].addFrame(rf.persons(), refTrackers[c].update(jitteredTruth(rf.persons(), jitter[c]), millis));
        }
      }
    }
    TrackingScore.Summary model = detector == null ? null : TrackingScore.Summary.EMPTY;
    TrackingScore.Summary dets = model;
    TrackingScore.Summary ref = settings.reference() ? TrackingScore.Summary.EMPTY : null;
    boolean consistent = true;
    Map<String, Long> matched = new java.util.TreeMap<>();
    Map<String, Long> counted = new java.util.TreeMap<>();
    for (int c = 0; c < n; c++) {
      if (detector != null) {
        modelScores[c].matchedFramesByPerson().forEach((k, v) -> matched.merge(k, v, Long::sum));
        modelScores[c].countedFramesByPerson().forEach((k, v) -> counted.merge(k, v, Long::sum));
      }
      if (model != null) {
        model = model.plus(modelScores[c].summary());
        dets = dets.plus(detScores[c].summary());
        consistent &= modelScores[c].consistent();
      }
      if (ref != null) {
        ref = ref.plus(refScores[c].summary());
        consistent &= refScores[c].consistent();
      }
    }
    return new SequenceResult(name, scenario.seed(), model, dets, ref, frames, overlaps, renderNanos, detectNanos, trackNanos,
        consistent, matched, counted);
  }

  /**
   * The reference detector: ground-truth boxes of persons at least {@value #REF_MIN_VISIBLE}
   * visible and half in the image, jittered, a few dropped.
   */
  static List<Detection> jitteredTruth(List<PersonTruth> persons, Random r) {
    List<Detection> out = new ArrayList<>(persons.size());
    for (PersonTruth p : persons) {
      // draw every number for every person so one person's fate does not shift the others'
      double miss = r.nextDouble();
      double gx = r.nextGaussian();
      double gy = r.nextGaussian();
      double gw = r.nextGaussian();
      double gh = r.nextGaussian();
      if (p.visibleFraction() < REF_MIN_VISIBLE || p.inImageFraction() < 0.5 || miss < REF_MISS) {
        continue;
      }
      BoundingBox b = p.box();
      double s = REF_JITTER * b.h();
      double w = Math.max(1, b.w() * (1 + REF_JITTER * gw));
      double h = Math.max(1, b.h() * (1 + REF_JITTER * gh));
      out.add(new Detection(Detection.PERSON, p.clearlyVisible() ? 0.9f : 0.3f,
          BoundingBox.ofCentre(b.centreX() + s * gx, b.centreY() + s * gy, w, h)));
    }
    return out;
  }

  /** Pairs of persons (both at least 60% in the image) whose boxes start overlapping in this frame. */
  static int countNewOverlaps(List<PersonTruth> persons, Set<String> overlapping) {
    Set<String> now = new HashSet<>();
    int started = 0;
    for (int i = 0; i < persons.size(); i++) {
      for (int j = i + 1; j < persons.size(); j++) {
        PersonTruth p = persons.get(i);
        PersonTruth q = persons.get(j);
        if (p.inImageFraction() < 0.6 || q.inImageFraction() < 0.6) {
          continue;
        }
        String key = p.id().compareTo(q.id()) < 0 ? p.id() + "|" + q.id() : q.id() + "|" + p.id();
        double iou = p.box().iou(q.box());
        boolean was = overlapping.contains(key);
        if (iou >= OVERLAP_START || (was && iou >= OVERLAP_END)) {
          now.add(key);
          if (!was) {
            started++;
          }
        }
      }
    }
    overlapping.clear();
    overlapping.addAll(now);
    return started;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (noReference && referenceOnly) {
      err.println("tracking: --no-reference and --reference-only exclude each other");
      return 2;
    }
    if (seeds < 1) {
      err.println("tracking: --seeds must be >= 1 (got: " + seeds + ")");
      return 2;
    }
    Settings settings;
    StoreConfig cfg;
    List<Scenario> list = new ArrayList<>();
    List<String> names = scenarios.isEmpty() ? DEFAULT_SCENARIOS : scenarios;
    try {
      settings = new Settings(cameras, fps, maxSeconds, !noReference);
      cfg = config == null
          ? StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, Files.createTempDirectory("se-tracking"))
          : new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(config);
      for (String s : names) {
        list.add(loadScenario(s, cfg));
      }
    } catch (java.nio.file.NoSuchFileException e) {
      err.println("tracking: no such scenario file or bundled scenario: " + e.getFile() + " (bundled: " + CROSSINGS
          + ", " + String.join(", ", ScenarioLoader.BUNDLED) + ", suite/" + String.join(", suite/", ScenarioLoader.SUITE)
          + ")");
      return 2;
    } catch (ConfigException e) {
      err.println("tracking: " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException | IOException e) {
      err.println("tracking: " + e.getMessage());
      return 2;
    }
    Path modelDir = model == null ? defaultModelDir() : model;
    OnnxDetector detector = null;
    if (!referenceOnly) {
      if (!Files.isDirectory(modelDir)) {
        err.println("tracking: model directory not found: " + modelDir.toAbsolutePath()
            + " (give --model DIR or set -Dstoreedge.home to the project directory)");
        return 2;
      }
      detector = OnnxDetector.open(ModelRegistry.load(modelDir));
    }
    out.printf(Locale.ROOT, "tracking on rendered sequences: %d corner camera(s) %dx%d at %.1f fps, detector %s, "
        + "ByteTracker defaults, IoU >= %.1f; counted: clearly visible persons (>= 50%% visible, >= 60%% in image, "
        + ">= 8%% of image height)%n", settings.cameras(), WIDTH, HEIGHT, settings.fps(),
        detector == null ? "none (reference only)" : modelDir.getFileName(), TrackingScore.MIN_IOU);
    out.println(header());
    List<SequenceResult> results = new ArrayList<>();
    long wall0 = System.nanoTime();
    try {
      for (int k = 0; k < list.size(); k++) {
        Scenario base = list.get(k);
        String name = names.get(k);
        List<SequenceResult> mine = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
          SequenceResult r = run(cfg, base.withSeed(base.seed() + i), name, detector, settings);
          mine.add(r);
          out.println(row(name, String.valueOf(r.seed()), List.of(r)));
          out.flush();
        }
        if (seeds > 1) {
          out.println(row(name, "all", mine));
        }
        results.addAll(mine);
      }
    } finally {
      if (detector != null) {
        detector.close();
      }
    }
    long wall = System.nanoTime() - wall0;
    out.println(row("OVERALL", "all", results));
    long frames = results.stream().mapToLong(SequenceResult::cameraFrames).sum();
    long render = results.stream().mapToLong(SequenceResult::renderNanos).sum();
    long detect = results.stream().mapToLong(SequenceResult::detectNanos).sum();
    long track = results.stream().mapToLong(SequenceResult::trackNanos).sum();
    out.printf(Locale.ROOT, "%d camera frames in %.1f s (%.1f frames/s overall): render %.2f ms/frame, detect %.2f "
        + "ms/frame, track %.3f ms/frame; detector + tracker %.1f frames/s%n", frames, wall / 1e9, frames / (wall / 1e9),
        render / 1e6 / frames, detect / 1e6 / frames, track / 1e6 / frames,
        detect + track == 0 ? 0 : frames / ((detect + track) / 1e9));
    boolean consistent = results.stream().allMatch(SequenceResult::consistent);
    if (!consistent) {
      err.println("tracking: the fragmentation matcher disagreed with TrackingMetrics; Frag and MT/ML are approximate");
    }
    if (json != null) {
      Files.writeString(json, Json.write(toJson(settings, results, frames, wall, render, detect, track)));
    }
    return 0;
  }

  static String header() {
    return String.format(Locale.ROOT, "%-22s %4s %6s %6s %4s | %-52s | %-11s | %s%n%-22s %4s %6s %6s %4s | %-52s | %-11s | %s",
        "", "", "camera", "", "", "detector + tracker", "detector", "jittered truth + tracker",
        "scenario", "seed", "frames", "truths", "ovl", "  MOTA IDSW xfer back Frag    FP    FN  match MT/ML", "   FP    FN",
        "  MOTA IDSW xfer back Frag    FP    FN");
  }

  static String row(String scenario, String seed, List<SequenceResult> rs) {
    TrackingScore.Summary m = sum(rs, SequenceResult::model);
    TrackingScore.Summary d = sum(rs, SequenceResult::detections);
    TrackingScore.Summary r = sum(rs, SequenceResult::reference);
    TrackingScore.Summary any = m != null ? m : r;
    long frames = rs.stream().mapToLong(SequenceResult::cameraFrames).sum();
    long ovl = rs.stream().mapToLong(SequenceResult::overlaps).sum();
    String model = m == null ? "-" : String.format(Locale.ROOT, "%6.3f %4d %4d %4d %4d %5d %5d %6d %2d/%-2d", m.mota(),
        m.idSwitches(), m.transfers(), m.returns(), m.fragmentations(), m.falsePositives(), m.falseNegatives(), m.matches(),
        m.mostlyTracked(), m.mostlyLost());
    String det = d == null ? "-" : String.format(Locale.ROOT, "%5d %5d", d.falsePositives(), d.falseNegatives());
    String ref = r == null ? "-" : String.format(Locale.ROOT, "%6.3f %4d %4d %4d %4d %5d %5d", r.mota(), r.idSwitches(),
        r.transfers(), r.returns(), r.fragmentations(), r.falsePositives(), r.falseNegatives());
    return String.format(Locale.ROOT, "%-22s %4s %6d %6d %4d | %-52s | %-11s | %s", scenario, seed, frames,
        any == null ? 0 : any.truths(), ovl, model, det, ref);
  }

  private static TrackingScore.Summary sum(List<SequenceResult> rs,
      java.util.function.Function<SequenceResult, TrackingScore.Summary> which) {
    TrackingScore.Summary s = null;
    for (SequenceResult r : rs) {
      TrackingScore.Summary x = which.apply(r);
      if (x != null) {
        s = s == null ? x : s.plus(x);
      }
    }
    return s;
  }

  private static Map<String, Object> toJson(Settings settings, List<SequenceResult> results, long frames, long wall,
      long render, long detect, long track) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cameras", settings.cameras());
    m.put("fps", settings.fps());
    m.put("maxSeconds", settings.maxSeconds());
    List<Object> rows = new ArrayList<>();
    for (SequenceResult r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("scenario", r.scenario());
      row.put("seed", r.seed());
      row.put("cameraFrames", r.cameraFrames());
      row.put("overlaps", r.overlaps());
      if (r.model() != null) {
        row.put("model", summaryJson(r.model()));
        row.put("detections", Map.of("falsePositives", r.detections().falsePositives(), "falseNegatives",
            r.detections().falseNegatives(), "truths", r.detections().truths()));
      }
      if (r.reference() != null) {
        row.put("reference", summaryJson(r.reference()));
      }
      rows.add(row);
    }
    m.put("sequences", rows);
    TrackingScore.Summary all = sum(results, SequenceResult::model);
    TrackingScore.Summary ref = sum(results, SequenceResult::reference);
    if (all != null) {
      m.put("overallModel", summaryJson(all));
    }
    if (ref != null) {
      m.put("overallReference", summaryJson(ref));
    }
    m.put("cameraFrames", frames);
    m.put("wallSeconds", Json.round(wall / 1e9, 2));
    m.put("renderMsPerFrame", Json.round(render / 1e6 / Math.max(1, frames), 3));
    m.put("detectMsPerFrame", Json.round(detect / 1e6 / Math.max(1, frames), 3));
    m.put("trackMsPerFrame", Json.round(track / 1e6 / Math.max(1, frames), 4));
    return m;
  }

  private static Map<String, Object> summaryJson(TrackingScore.Summary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mota", Json.round(s.mota(), 4));
    m.put("motp", Json.round(s.motp(), 4));
    m.put("idSwitches", s.idSwitches());
    m.put("transfers", s.transfers());
    m.put("returns", s.returns());
    m.put("fragmentations", s.fragmentations());
    m.put("falsePositives", s.falsePositives());
    m.put("falseNegatives", s.falseNegatives());
    m.put("matches", s.matches());
    m.put("truths", s.truths());
    m.put("frames", s.frames());
    m.put("objects", s.objects());
    m.put("mostlyTracked", s.mostlyTracked());
    m.put("mostlyLost", s.mostlyLost());
    m.put("dontCareHypotheses", s.dontCareHypotheses());
    return m;
  }
}
