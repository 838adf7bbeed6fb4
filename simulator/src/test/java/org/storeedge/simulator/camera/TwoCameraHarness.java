package org.storeedge.simulator.camera;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.simulator.GeneratedTraffic;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.SimulatedStore;
import org.storeedge.vision.LatestFrameSlot;
import org.storeedge.vision.PipelineSettings;
import org.storeedge.vision.VisionListener;
import org.storeedge.vision.VisionPipeline;
import org.storeedge.vision.geometry.CameraPose;
import org.storeedge.vision.geometry.LaneZones;
import org.storeedge.vision.geometry.SimulatedCamera;
import org.storeedge.vision.interaction.InteractionDetector;
import org.storeedge.vision.interaction.InteractionSettings;
import org.storeedge.vision.onnx.ModelRegistry;
import org.storeedge.vision.onnx.OnnxDetector;
import org.storeedge.vision.track.ByteTracker;

/**
 * Two simulated cameras through the real vision pipeline (sim-person model in ONNX Runtime,
 * tracker, floor projection, lane-zone interactions) over generated busy traffic: milliseconds of
 * gateway work per processed frame and the process's resident memory with both running. Rendering
 * the frames is the simulator's cost and is not counted.
 *
 * <pre>
 * java -cp simulator/target/test-classes:simulator/target/classes:CLASSPATH \
 *   org.storeedge.simulator.camera.TwoCameraHarness [STORE_SECONDS] [FPS]
 * </pre>
 */
public final class TwoCameraHarness {
  private TwoCameraHarness() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    double fps = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    StoreConfig store = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL)
        .load(Path.of("config/examples/demo-store.yaml"));
    Instant t0 = Instant.parse("2026-03-02T12:00:00Z");
    VirtualScheduler vs = new VirtualScheduler(t0);
    SimulatedStore sim = new SimulatedStore(store,
        Scenario.generated(7, new GeneratedTraffic(200, seconds, 2.5, 0.1, true)).withStart(t0), vs);
    SimulatedStoreScene scene = new SimulatedStoreScene(sim, 7);
    StoreLayout layout = new StoreLayout(store);
    List<CameraPose> poses = CameraPoses.corners(layout, 320, 240);
    AtomicLong observations = new AtomicLong();
    VisionListener listener = new VisionListener() {
      @Override
      public void onObservation(ShopperObservation o) {
        observations.incrementAndGet();
      }
    };
    List<VisionPipeline> pipelines = new ArrayList<>();
    List<OnnxDetector> detectors = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      String id = "cam-" + c;
      CameraPose pose = poses.get(c * 2);
      LatestFrameSlot slot = new LatestFrameSlot();
      SimulatedCameraSource source = new SimulatedCameraSource(new SimulatedCameraRenderer(id, pose, store, 7 + c),
          scene, vs, slot, fps);
      OnnxDetector detector = OnnxDetector.open(ModelRegistry.load(Path.of("vision/models/sim-person")));
      detectors.add(detector);
      InteractionDetector interactions = new InteractionDetector(new SimulatedCamera(pose).calibration(id),
          LaneZones.defaults().build(store), InteractionSettings.defaults(), null, listener);
      VisionPipeline p = new VisionPipeline(source, slot, detector, new ByteTracker(), interactions, vs,
          PipelineSettings.defaults(), listener);
      source.start();
      p.startWatchdog();
      pipelines.add(p);
    }
    sim.start(g -> {}, o -> {});
    long workNanos = 0;
    long processed = 0;
    Instant end = t0.plusSeconds(seconds);
    while (vs.instant().isBefore(end)) {
      vs.advance(Duration.ofMillis(Math.round(1000 / fps)));
      for (VisionPipeline p : pipelines) {
        long t = System.nanoTime();
        if (p.processNext(0, TimeUnit.MILLISECONDS)) {
          workNanos += System.nanoTime() - t;
          processed++;
        }
      }
    }
    System.out.printf(Locale.ROOT, "2 cameras at %.0f fps cap, %d store seconds: %d frames processed, %.2f ms per frame "
        + "(detector + tracker + floor projection + zones), %d observations, RSS %s MB, heap used %d MB%n", fps, seconds,
        processed, workNanos / 1e6 / Math.max(1, processed), observations.get(), rss(),
        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    for (VisionPipeline p : pipelines) {
      System.out.println(p.cameraId() + " " + p.counters());
    }
    for (OnnxDetector d : detectors) {
      d.close();
    }
  }

  private static String rss() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return String.valueOf(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
      }
    }
    return "?";
  }
}
