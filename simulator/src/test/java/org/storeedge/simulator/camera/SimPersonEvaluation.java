package org.storeedge.simulator.camera;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.simulator.GeneratedTraffic;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.SimulatedStore;
import org.storeedge.vision.Detection;
import org.storeedge.vision.Detector;
import org.storeedge.vision.geometry.CameraPose;
import org.storeedge.vision.onnx.ModelRegistry;
import org.storeedge.vision.onnx.OnnxDetector;

/**
 * Precision/recall (IoU >= 0.5, clearly visible persons) and milliseconds per {@code detect} of
 * a detector on freshly rendered frames: generated traffic of {@code seed} plus 0-4 extra
 * shoppers per frame, from the four corner cameras and random wall cameras in turn (with
 * {@code overhead}: the store's ceiling grid and random ceiling cameras looking down).
 *
 * <pre>
 * java -cp simulator/target/test-classes:simulator/target/classes:CLASSPATH \
 *   org.storeedge.simulator.camera.SimPersonEvaluation [MODEL_DIR] [FRAMES] [SEED] [overhead]
 * </pre>
 */
public final class SimPersonEvaluation {
  private SimPersonEvaluation() {}

  record Result(CameraTestSupport.Score score, int frames, double msPerFrame, List<Detection> sample) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d frames, precision %.3f, recall %.3f (tp %d, fp %d, fn %d), %.2f ms/frame",
          frames, score.precision(), score.recall(), score.tp(), score.fp(), score.fn(), msPerFrame);
    }
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Path dir = Path.of(args.length > 0 ? args[0] : "vision/models/sim-person");
    int frames = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 2024;
    boolean overhead = args.length > 3 && args[3].equals("overhead");
    StoreConfig store = new org.storeedge.config.StoreConfigLoader(org.storeedge.config.DeviceSettingsValidator.ACCEPT_ALL)
        .load(Path.of("config/examples/demo-store.yaml"));
    try (OnnxDetector detector = OnnxDetector.open(ModelRegistry.load(dir))) {
      System.out.println(run(detector, store, seed, frames, 320, 240, overhead));
    }
  }

  static Result run(Detector detector, StoreConfig store, long seed, int frames, int width, int height) {
    return run(detector, store, seed, frames, width, height, false);
  }

  static Result run(Detector detector, StoreConfig store, long seed, int frames, int width, int height,
      boolean overhead) {
    Instant t0 = Instant.parse("2026-03-02T12:00:00Z");
    Scenario scenario = Scenario.generated(seed, new GeneratedTraffic(300, 1800, 2.5, 0.1, true)).withStart(t0);
    SimulatedStore sim = new SimulatedStore(store, scenario, new VirtualScheduler(t0));
    SimulatedStoreScene scene = new SimulatedStoreScene(sim, seed);
    StoreLayout layout = new StoreLayout(store);
    List<CameraPose> corners = overhead ? CameraPoses.overhead(layout, width, height)
        : CameraPoses.corners(layout, width, height);
    Random r = new Random(seed);
    CameraTestSupport.Score total = new CameraTestSupport.Score(0, 0, 0);
    long nanos = 0;
    List<Detection> sample = new ArrayList<>();
    SimulatedCameraRenderer renderer = null;
    for (int i = 0; i < frames; i++) {
      if (i % 4 == 0) {
        int b = i / 4;
        CameraPose pose = b % 2 == 0 ? corners.get((b / 2) % corners.size())
            : overhead ? CameraPoses.randomOverhead(layout, r, width, height) : CameraPoses.random(layout, r, width, height);
        renderer = new SimulatedCameraRenderer("eval-" + b, pose, store, seed * 31 + b);
      }
      Instant at = t0.plusMillis(60_000 + (long) (r.nextDouble() * 1_700_000));
      List<ShopperFigure> figures = new ArrayList<>(scene.shoppersAt(at));
      int extra = r.nextInt(5);
      for (int k = 0; k < extra; k++) {
        double x, y;
        do {
          x = layout.minX() + r.nextDouble() * (layout.maxX() - layout.minX());
          y = layout.minY() + r.nextDouble() * (layout.maxY() - layout.minY());
        } while (!layout.walkable(x, y, 0.3));
        figures.add(SimulatedStoreScene.figure("x" + i + "-" + k, x, y, r.nextBoolean() ? 0 : 1, seed));
      }
      RenderedFrame rf = renderer.render(figures, at, i);
      if (i == 0) {
        detector.detect(rf.frame()); // warm-up, not timed
      }
      long start = System.nanoTime();
      List<Detection> found = detector.detect(rf.frame());
      nanos += System.nanoTime() - start;
      if (sample.size() < 20) {
        sample.addAll(found);
      }
      total = total.plus(CameraTestSupport.score(found, rf));
    }
    return new Result(total, frames, nanos / 1e6 / frames, sample);
  }
}
