package org.storeedge.vision.onnx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.storeedge.vision.Detection;
import org.storeedge.vision.Detector;
import org.storeedge.vision.Frame;
import org.storeedge.vision.geometry.Point2;
import org.storeedge.vision.geometry.Zone;

/**
 * A camera's detector plus a hand model run on crops around the lanes' shelf faces.
 *
 * <p>A hand model such as MediaPipe's palm detector sees 192x192 pixels, and its smallest anchor is
 * about 15 % of that. A palm in a whole shelf camera's frame (a metre or more of shelf in 1280
 * pixels) shrinks to a few pixels there and is not found. So each frame also goes through the hand
 * model once per crop: the bounding box of one or more shelf faces, widened by {@link #MARGIN} of
 * its larger side on every side (a hand reaching in is partly outside the face), made square
 * (the model keeps the aspect ratio) and moved inside the frame. Shelf faces whose crops overlap by
 * more than half are merged into one crop. Hands found in several crops are kept once (the
 * highest score; overlap {@link #DUPLICATE_IOU}). Every hand is labelled {@code label}, which is
 * what {@code HandZones} looks for.
 *
 * <p>A crop no person of the same frame could reach into is skipped: a hand counts only when a
 * tracked person's box, widened by {@link #REACH_WIDTHS} of its width on each side, holds it, so
 * an empty aisle costs the person detector alone, and a shopper at one shelf the crops around
 * them. {@link #cropsRun()} and {@link #cropsSkipped()} count both.
 *
 * <p>Not thread-safe, like every {@link Detector}: one inference thread calls {@link #detect}.
 */
public final class ShelfFaceHands implements Detector {
  /** Widening of a crop on each side, as a share of the shelf face's larger side. */
  public static final double MARGIN = 0.25;
  /** Two hands from different crops overlapping more than this are one hand. */
  public static final double DUPLICATE_IOU = 0.3;
  /** How far an arm reaches out of a person's box, in box widths (as {@code HandZones} assigns hands). */
  public static final double REACH_WIDTHS = 0.5;

  private final Detector people;
  private final OnnxDetector hands;
  private final String label;
  private final String personLabel;
  private final List<Zone> faces;
  private long cropsRun;
  private long cropsSkipped;
  private int cropsForWidth = -1;
  private int cropsForHeight = -1;
  private List<int[]> crops = List.of();

  /**
   * @param people the camera's own detector (persons)
   * @param hands the hand model; closed with this detector
   * @param label the label every hand gets
   * @param personLabel the people detector's label of a person
   * @param faces shelf faces in this camera's image, pixels
   */
  public ShelfFaceHands(Detector people, OnnxDetector hands, String label, String personLabel, List<Zone> faces) {
    if (faces.isEmpty()) {
      throw new IllegalArgumentException("a hand model needs at least one shelf face to look at");
    }
    this.people = people;
    this.hands = hands;
    this.label = label;
    this.personLabel = personLabel;
    this.faces = List.copyOf(faces);
  }

  @Override
  public List<Detection> detect(Frame frame) {
    List<Detection> out = new ArrayList<>(people.detect(frame));
    List<Detection> found = new ArrayList<>();
    for (int[] c : crops(frame.width(), frame.height())) {
      if (out.stream().noneMatch(p -> p.label().equals(personLabel) && reaches(p, c))) {
        cropsSkipped++;
        continue;
      }
      cropsRun++;
      for (Detection d : hands.detect(frame, c[0], c[1], c[2], c[3])) {
        found.add(new Detection(label, d.score(), d.box()));
      }
    }
    found.sort(Comparator.comparingDouble(Detection::score).reversed());
    List<Detection> kept = new ArrayList<>();
    for (Detection d : found) {
      if (kept.stream().noneMatch(k -> k.box().iou(d.box()) > DUPLICATE_IOU)) {
        kept.add(d);
      }
    }
    out.addAll(kept);
    return out;
  }

  private static boolean reaches(Detection person, int[] crop) {
    double reach = REACH_WIDTHS * person.box().w();
    return person.box().x() - reach < crop[0] + crop[2] && person.box().right() + reach > crop[0]
        && person.box().y() < crop[1] + crop[3] && person.box().bottom() > crop[1];
  }

  /** Crops the hand model ran on. */
  public long cropsRun() {
    return cropsRun;
  }

  /** Crops skipped because no person of the frame could reach into them. */
  public long cropsSkipped() {
    return cropsSkipped;
  }

  /** The crops for frames of this size, as {x, y, width, height}; computed once per frame size. */
  List<int[]> crops(int width, int height) {
    if (width != cropsForWidth || height != cropsForHeight) {
      crops = cropsOf(faces, width, height);
      cropsForWidth = width;
      cropsForHeight = height;
    }
    return crops;
  }

  static List<int[]> cropsOf(List<Zone> faces, int width, int height) {
    List<double[]> boxes = new ArrayList<>(); // x1, y1, x2, y2 of each face, then of merged groups
    for (Zone z : faces) {
      double x1 = Double.MAX_VALUE;
      double y1 = Double.MAX_VALUE;
      double x2 = -Double.MAX_VALUE;
      double y2 = -Double.MAX_VALUE;
      for (Point2 p : z.vertices()) {
        x1 = Math.min(x1, p.x());
        y1 = Math.min(y1, p.y());
        x2 = Math.max(x2, p.x());
        y2 = Math.max(y2, p.y());
      }
      boxes.add(square(x1, y1, x2, y2));
    }
    boolean merged = true;
    while (merged) {
      merged = false;
      outer:
      for (int i = 0; i < boxes.size(); i++) {
        for (int j = i + 1; j < boxes.size(); j++) {
          double[] a = boxes.get(i);
          double[] b = boxes.get(j);
          double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
          double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
          double smaller = Math.min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]));
          if (iw > 0 && ih > 0 && iw * ih > 0.5 * smaller) {
            double[] u = {Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])};
            boxes.remove(j);
            boxes.set(i, squareOfSquares(u));
            merged = true;
            break outer;
          }
        }
      }
    }
    List<int[]> out = new ArrayList<>();
    for (double[] b : boxes) {
      int side = (int) Math.round(Math.min(b[2] - b[0], Math.min(width, height)));
      int w = Math.max(1, Math.min(side, width));
      int h = Math.max(1, Math.min(side, height));
      int x = (int) Math.round((b[0] + b[2]) / 2 - w / 2.0);
      int y = (int) Math.round((b[1] + b[3]) / 2 - h / 2.0);
      x = Math.max(0, Math.min(width - w, x));
      y = Math.max(0, Math.min(height - h, y));
      out.add(new int[] {x, y, w, h});
    }
    return List.copyOf(out);
  }

  /** A face's box widened by the margin and made square around its centre. */
  private static double[] square(double x1, double y1, double x2, double y2) {
    double side = Math.max(x2 - x1, y2 - y1) * (1 + 2 * MARGIN);
    double cx = (x1 + x2) / 2;
    double cy = (y1 + y2) / 2;
    return new double[] {cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2};
  }

  /** The union of two crops, made square around its centre (already widened). */
  private static double[] squareOfSquares(double[] u) {
    double side = Math.max(u[2] - u[0], u[3] - u[1]);
    double cx = (u[0] + u[2]) / 2;
    double cy = (u[1] + u[3]) / 2;
    return new double[] {cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2};
  }

  @Override
  public String name() {
    return people.name() + "+" + hands.name();
  }

  @Override
  public void close() {
    people.close();
    hands.close();
  }
}
