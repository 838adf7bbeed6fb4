package org.storeedge.simulator.camera;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.storeedge.config.ConfigException;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.simulator.GeneratedTraffic;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.SimulatedStore;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Frame;
import org.storeedge.vision.geometry.CameraPose;

/**
 * Writes a detection data set of rendered frames of a simulated store: generated, overlapping
 * traffic played by {@link SimulatedStore}, plus (in {@code --extra-share} of the frames, default
 * 70%) 1 to {@code --extras} (default 6) extra shoppers standing or walking anywhere on the free
 * floor; a share {@code --at-shelf} of them (default 0) instead stands still where a shopper
 * reaches into a lane (0.35-0.75 m in front of the shelf, along it or just past its ends, partly
 * hidden by the gondola from many poses); every {@code --block} frames a new camera pose and a new
 * store look (colours). {@code --cameras mixed} alternates blocks of random poses with blocks of
 * the four corner poses the simulated gateway uses; {@code --cameras overhead} alternates blocks of
 * random ceiling cameras looking down ({@link CameraPoses#randomOverhead}) with blocks of a
 * ceiling grid of wide lenses ({@link CameraPoses#overhead} at 120 degrees, one per 4.2 x 3.2 m), in turn.
 *
 * <pre>
 * DatasetExporter --store STORE.yaml --out DIR [--frames 2000] [--seed 1] [--width 320] [--height 240]
 *                 [--cameras random|corners|mixed|overhead] [--block 10] [--extras 6] [--extra-share 0.7]
 *                 [--at-shelf 0] [--min-visible 0.5] [--ignore-below 0]
 * </pre>
 *
 * Output: {@code DIR/images/000000.ppm} (binary PPM, RGB), {@code DIR/labels/000000.txt} (YOLO:
 * {@code 0 cx cy w h}, normalised to the image, one line per clearly visible person, see
 * {@link PersonTruth#clearlyVisible}; with {@code --min-visible} below 0.5 also the persons at
 * least that share visible that meet its other conditions), {@code DIR/ignore/000000.txt} (same
 * format: persons in view but not labelled, except those less than {@code --ignore-below} visible,
 * which are left out so that the shelf or shopper hiding them counts as background; a trainer
 * should neither reward nor punish detections on ignore boxes) and
 * {@code DIR/frames.csv} (pose and time of every frame). Same arguments, same files.
 * Exit status 0, or 2 with a message for bad arguments or an unreadable store.
 */
public final class DatasetExporter {
  private DatasetExporter() {}

  /** Camera poses per block: random wall-mounted, the four corners in turn, or both alternating. */
  public enum Cameras { RANDOM, CORNERS, MIXED, OVERHEAD }

  /**
   * Parsed arguments.
   *
   * @param extras most extra shoppers in a frame, 0..50
   * @param extraShare share of frames with extra shoppers, 0..1
   * @param atShelf share of extra shoppers standing at a shelf front, 0..1
   * @param minVisible visible share from which a person is labelled, 0.05..1 (0.5: exactly the
   *     clearly visible persons)
   * @param ignoreBelow persons less visible than this are neither labelled nor ignore boxes, 0..minVisible
   */
  public record Options(Path store, Path out, int frames, long seed, int width, int height, Cameras cameras,
      int block, int extras, double extraShare, double atShelf, double minVisible, double ignoreBelow) {

    /** The original recipe's options: random cameras, up to 6 extras in 70% of frames, none at shelves. */
    public Options(Path store, Path out, int frames, long seed, int width, int height, boolean randomCameras, int block) {
      this(store, out, frames, seed, width, height, randomCameras ? Cameras.RANDOM : Cameras.CORNERS, block, 6, 0.7, 0,
          0.5, 0);
    }

    public boolean randomCameras() {
      return cameras == Cameras.RANDOM;
    }
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("dataset: " + e.getMessage());
      System.err.println("usage: DatasetExporter --store STORE.yaml --out DIR [--frames N] [--seed S] [--width W] [--height H]"
          + " [--cameras random|corners|mixed|overhead] [--block N] [--extras N] [--extra-share P] [--at-shelf P]"
          + " [--min-visible F] [--ignore-below F]");
      System.exit(2);
      return;
    }
    try {
      int persons = export(o, System.out);
      System.out.printf(Locale.ROOT, "wrote %d frames with %d labelled persons to %s%n", o.frames(), persons, o.out());
    } catch (IOException | RuntimeException e) {
      System.err.println("dataset: " + e.getMessage());
      System.exit(2);
    }
  }

  static Options parse(String[] args) {
    Path store = null, out = null;
    int frames = 2000, width = 320, height = 240, block = 10, extras = 6;
    double extraShare = 0.7, atShelf = 0, minVisible = 0.5, ignoreBelow = 0;
    long seed = 1;
    Cameras cameras = Cameras.RANDOM;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      String v = args[++i];
      try {
        switch (a) {
          case "--store" -> store = Path.of(v);
          case "--out" -> out = Path.of(v);
          case "--frames" -> frames = Integer.parseInt(v);
          case "--seed" -> seed = Long.parseLong(v);
          case "--width" -> width = Integer.parseInt(v);
          case "--height" -> height = Integer.parseInt(v);
          case "--block" -> block = Integer.parseInt(v);
          case "--extras" -> extras = Integer.parseInt(v);
          case "--extra-share" -> extraShare = Double.parseDouble(v);
          case "--at-shelf" -> atShelf = Double.parseDouble(v);
          case "--min-visible" -> minVisible = Double.parseDouble(v);
          case "--ignore-below" -> ignoreBelow = Double.parseDouble(v);
          case "--cameras" -> cameras = switch (v) {
            case "random" -> Cameras.RANDOM;
            case "corners" -> Cameras.CORNERS;
            case "mixed" -> Cameras.MIXED;
            case "overhead" -> Cameras.OVERHEAD;
            default -> throw new IllegalArgumentException("--cameras must be mixed, random, corners or overhead (got: "
                + v + ")");
          };
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("option " + a + " needs a number (got: " + v + ")");
      }
    }
    if (store == null || out == null) {
      throw new IllegalArgumentException("--store and --out are required");
    }
    if (frames <= 0 || width < 32 || height < 32 || block <= 0) {
      throw new IllegalArgumentException("--frames and --block must be > 0, --width and --height >= 32");
    }
    if (extras < 0 || extras > 50 || !(extraShare >= 0 && extraShare <= 1) || !(atShelf >= 0 && atShelf <= 1)
        || !(minVisible >= 0.05 && minVisible <= 1) || !(ignoreBelow >= 0 && ignoreBelow <= minVisible)) {
      throw new IllegalArgumentException("--extras must be 0..50, --extra-share and --at-shelf 0..1, --min-visible 0.05..1,"
          + " --ignore-below 0..min-visible (got: " + extras + ", " + extraShare + ", " + atShelf + ", " + minVisible + ", "
          + ignoreBelow + ")");
    }
    return new Options(store, out, frames, seed, width, height, cameras, block, extras, extraShare, atShelf, minVisible,
        ignoreBelow);
  }

  /** Writes the data set; returns the number of labelled persons. */
  public static int export(Options o, PrintStream progress) throws IOException {
    StoreConfig config;
    try {
      config = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(o.store());
    } catch (ConfigException e) {
      throw new IllegalArgumentException("store " + o.store() + " is not valid:\n" + String.join("\n",
          e.problems().stream().map(Object::toString).toList()), e);
    }
    Files.createDirectories(o.out().resolve("images"));
    Files.createDirectories(o.out().resolve("labels"));
    Files.createDirectories(o.out().resolve("ignore"));
    Instant t0 = Instant.parse("2026-01-05T09:00:00Z");
    double duration = 1800;
    Scenario scenario = Scenario.generated(o.seed(), new GeneratedTraffic(300, duration, 2.5, 0.1, true)).withStart(t0);
    SimulatedStore store = new SimulatedStore(config, scenario, new VirtualScheduler(t0));
    long sceneSeed = SimulatedCameraRenderer.mix(o.seed() ^ 0x5CE11EL);
    StoreScene traffic = new SimulatedStoreScene(store, sceneSeed);
    StoreLayout layout = new StoreLayout(config);
    Random r = new Random(SimulatedCameraRenderer.mix(o.seed()));
    List<CameraPose> corners = CameraPoses.corners(layout, o.width(), o.height());
    // the ceiling grid of wide (120 degree) lenses, one per 4.2 x 3.2 m: the sim-person-overhead model's recipe
    List<CameraPose> ceiling = CameraPoses.overhead(layout, o.width(), o.height(), 120, 4.2, 3.2);
    int labelled = 0;
    SimulatedCameraRenderer renderer = null;
    try (Writer csv = Files.newBufferedWriter(o.out().resolve("frames.csv"), StandardCharsets.UTF_8)) {
      csv.write("frame,x,y,height,yaw,pitch,focal,time,labelled,ignored\n");
      for (int i = 0; i < o.frames(); i++) {
        if (i % o.block() == 0) {
          int b = i / o.block();
          boolean corner = o.cameras() == Cameras.CORNERS || (o.cameras() == Cameras.MIXED && b % 2 == 1);
          int cornerIndex = o.cameras() == Cameras.MIXED ? b / 2 : b;
          CameraPose pose;
          if (o.cameras() == Cameras.OVERHEAD) {
            pose = b % 2 == 1 ? ceiling.get((b / 2) % ceiling.size()) : CameraPoses.randomOverhead(layout, r, o.width(),
                o.height());
          } else {
            pose = corner ? corners.get(cornerIndex % corners.size()) : CameraPoses.random(layout, r, o.width(), o.height());
          }
          renderer = new SimulatedCameraRenderer("cam-" + b, pose, config, SimulatedCameraRenderer.mix(o.seed() * 7919 + b));
        }
        Instant at = t0.plusMillis(60_000 + (long) (r.nextDouble() * (duration - 60) * 1000));
        List<ShopperFigure> figures = new ArrayList<>(traffic.shoppersAt(at));
        if (o.extras() > 0 && r.nextDouble() < o.extraShare()) {
          int extra = 1 + r.nextInt(o.extras());
          for (int k = 0; k < extra; k++) {
            String id = "extra-" + i + "-" + k;
            // the at-shelf draw only with --at-shelf, so the original recipe's stream is unchanged
            if (o.atShelf() > 0 && !layout.segments().isEmpty() && r.nextDouble() < o.atShelf()) {
              figures.add(atShelf(id, layout, r, sceneSeed));
              continue;
            }
            double x, y;
            int tries = 0;
            do {
              x = layout.minX() + r.nextDouble() * (layout.maxX() - layout.minX());
              y = layout.minY() + r.nextDouble() * (layout.maxY() - layout.minY());
            } while (!layout.walkable(x, y, 0.3) && ++tries < 50);
            figures.add(SimulatedStoreScene.figure(id, x, y, r.nextBoolean() ? 0 : 1, sceneSeed));
          }
        }
        RenderedFrame rf = renderer.render(figures, at, i);
        String name = String.format(Locale.ROOT, "%06d", i);
        writePpm(o.out().resolve("images").resolve(name + ".ppm"), rf.frame());
        StringBuilder labels = new StringBuilder(), ignored = new StringBuilder();
        int nl = 0, ni = 0;
        for (PersonTruth p : rf.persons()) {
          if (labelled(p, o.minVisible(), o.height())) {
            yolo(labels, p.box(), o.width(), o.height());
            nl++;
          } else if (p.visibleFraction() >= o.ignoreBelow()) {
            yolo(ignored, p.box(), o.width(), o.height());
            ni++;
          }
        }
        Files.writeString(o.out().resolve("labels").resolve(name + ".txt"), labels, StandardCharsets.UTF_8);
        Files.writeString(o.out().resolve("ignore").resolve(name + ".txt"), ignored, StandardCharsets.UTF_8);
        CameraPose p = renderer.pose();
        csv.write(String.format(Locale.ROOT, "%s,%.3f,%.3f,%.3f,%.2f,%.2f,%.2f,%s,%d,%d%n", name, p.x(), p.y(),
            p.heightMetres(), p.yawDegrees(), p.pitchDegrees(), p.focalPixels(), at, nl, ni));
        labelled += nl;
        if (progress != null && (i + 1) % 500 == 0) {
          progress.println("dataset: " + (i + 1) + " / " + o.frames() + " frames");
        }
      }
    }
    return labelled;
  }

  /**
   * Whether a person gets a label: clearly visible, or (with {@code minVisible} below 0.5) at
   * least that share visible and otherwise meeting {@link PersonTruth#clearlyVisible}'s rule.
   */
  static boolean labelled(PersonTruth p, double minVisible, int imageHeight) {
    if (p.clearlyVisible()) {
      return true;
    }
    return minVisible < 0.5 && p.visibleFraction() >= minVisible && p.inImageFraction() >= 0.6
        && p.box().h() >= 0.08 * imageHeight;
  }

  /**
   * A still shopper where one reaches into a lane: 0.35-0.75 m out from a random segment's front,
   * anywhere along it and up to 0.35 m past its ends (next to the gondola's end panel).
   */
  private static ShopperFigure atShelf(String id, StoreLayout layout, Random r, long sceneSeed) {
    StoreLayout.Segment s = layout.segments().get(r.nextInt(layout.segments().size()));
    double along = (2 * r.nextDouble() - 1) * (s.halfLength() + 0.35);
    double out = StoreLayout.SHELF_DEPTH / 2 + 0.12 + 0.4 * r.nextDouble();
    double x = s.cx() + along * s.ax() + out * s.nx();
    double y = s.cy() + along * s.ay() + out * s.ny();
    return SimulatedStoreScene.figure(id, x, y, r.nextDouble() < 0.8 ? 0 : 0.5, sceneSeed);
  }

  private static void yolo(StringBuilder sb, BoundingBox b, int w, int h) {
    sb.append(String.format(Locale.ROOT, "0 %.6f %.6f %.6f %.6f%n", b.centreX() / w, b.centreY() / h, b.w() / (double) w,
        b.h() / (double) h));
  }

  /** Binary PPM (P6), RGB order. */
  public static void writePpm(Path file, Frame f) throws IOException {
    byte[] rgb = new byte[f.bgr().length];
    for (int i = 0; i < rgb.length; i += 3) {
      rgb[i] = f.bgr()[i + 2];
      rgb[i + 1] = f.bgr()[i + 1];
      rgb[i + 2] = f.bgr()[i];
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      out.write(("P6\n" + f.width() + " " + f.height() + "\n255\n").getBytes(StandardCharsets.US_ASCII));
      out.write(rgb);
    }
  }
}
