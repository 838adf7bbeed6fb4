package org.storeedge.simulator.camera;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.storeedge.config.StoreConfig;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Frame;
import org.storeedge.vision.geometry.CameraPose;
import org.storeedge.vision.geometry.Point2;
import org.storeedge.vision.geometry.SimulatedCamera;

/**
 * Renders what one camera of a simulated store sees: tiled floor with gate mats, walls and a
 * ceiling with light panels (ray-cast per pixel once, 2x2 supersampled, cached), shelves as one
 * box per lane with coloured product blocks on four boards, and shoppers as upright figures
 * (legs, body, arms, head; clothing colours, height and gait per shopper), drawn far to near
 * (painter's algorithm) with Java 2D. Each frame then gets a brightness drift, a fixed colour
 * cast and sensor noise.
 *
 * <p>Geometry is {@link SimulatedCamera}'s: a figure is a sprite held parallel to the image's
 * horizontal axis, so its ground-truth box is exactly {@link SimulatedCamera#standingBox} and
 * {@link SimulatedCamera#calibration} maps its foot back to the floor. A camera looking down at
 * {@value #FROM_ABOVE_PITCH} degrees or more (on the ceiling) sees the shopper as bodies instead:
 * upright elliptic cylinders for legs, arms, torso, neck and head (and a basket), each drawn as
 * its projected outline with its top, far to near; the ground-truth box is then the box around
 * all of them, and the shopper faces a direction fixed per shopper.
 *
 * <p>Deterministic: the same seed, pose, config, figures and instant give the same bytes; the
 * {@code seed} fixes the store's colours and every shopper's look (use one seed for all cameras
 * of a store so a shopper looks the same in each), the camera id and the instant fix the noise.
 * Not thread-safe (reuses its canvas): render from one thread at a time. Headless (no display
 * needed). About 2-4 ms per 320x240 frame.
 */
public final class SimulatedCameraRenderer {

  /**
   * Per-frame image variation.
   *
   * @param noiseSigma Gaussian sensor noise per channel, grey levels (0 = none)
   * @param brightnessJitter relative brightness variation between frames, 0..0.5
   */
  public record Look(double noiseSigma, double brightnessJitter) {
    public static final Look DEFAULT = new Look(3.0, 0.12);
    public static final Look CLEAN = new Look(0, 0);

    public Look {
      if (!(noiseSigma >= 0 && noiseSigma <= 50) || !(brightnessJitter >= 0 && brightnessJitter <= 0.5)) {
        throw new IllegalArgumentException("look needs noiseSigma in 0..50 and brightnessJitter in 0..0.5 (got: "
            + noiseSigma + ", " + brightnessJitter + ")");
      }
    }
  }

  private static final double NEAR = 0.05;
  private static final double[] BOARD_LEVELS = {0.0, 0.38, 0.76, 1.14};
  private static final double BOARD_THICKNESS = 0.06;
  private static final int NOISE_TABLE = 1 << 16;
  /** From this pitch (degrees below horizontal) on, figures are drawn as bodies seen from above. */
  public static final double FROM_ABOVE_PITCH = 60;
  private static final int RIM = 12;

  private final String cameraId;
  private final CameraPose pose;
  private final SimulatedCamera camera;
  private final StoreLayout layout;
  private final StoreConfig config;
  private final long seed;
  private final Look look;
  private final int width;
  private final int height;
  private final double[] right;
  private final double[] down;
  private final double[] forward;
  private final double[] centre;
  private final double focal;
  private final double cu;
  private final double cv;
  private final Palette palette;
  private final double[] colourCast;
  private final byte[] noise;
  private final byte[] background;
  private final BufferedImage canvas;
  private final byte[] canvasBytes;
  private final BufferedImage ids;
  private final int[] idPixels;
  /** A camera looking steeply down (ceiling-mounted) sees shoppers as bodies, not upright sprites. */
  private final boolean fromAbove;

  /** Store colours of one seed. */
  private record Palette(double[] floorA, double[] floorB, double[] grout, double[] mat, double[] wall,
      double[] baseboard, double[] ceiling, double[] panel, Color shelfBody, Color shelfTop, Color shelfBack, Color board) {}

  /** How one shopper looks; fixed per (seed, id). */
  private record Appearance(Color shirt, Color trousers, Color shoes, Color skin, Color hair, boolean coat,
      boolean backFacing, Color basket, double gaitPhase, double heading) {}

  public SimulatedCameraRenderer(String cameraId, CameraPose pose, StoreConfig config, long seed) {
    this(cameraId, pose, config, seed, Look.DEFAULT);
  }

  public SimulatedCameraRenderer(String cameraId, CameraPose pose, StoreConfig config, long seed, Look look) {
    if (cameraId == null || cameraId.isBlank()) {
      throw new IllegalArgumentException("camera id must not be blank (got: " + cameraId + ")");
    }
    this.cameraId = cameraId;
    this.pose = pose;
    this.camera = new SimulatedCamera(pose);
    this.config = config;
    this.layout = new StoreLayout(config);
    this.seed = seed;
    this.look = look;
    this.width = pose.imageWidth();
    this.height = pose.imageHeight();
    // the same camera axes as SimulatedCamera: x right, y down, z forward
    double yaw = Math.toRadians(pose.yawDegrees());
    double pitch = Math.toRadians(pose.pitchDegrees());
    double hx = Math.cos(yaw), hy = Math.sin(yaw);
    this.forward = new double[] {Math.cos(pitch) * hx, Math.cos(pitch) * hy, -Math.sin(pitch)};
    this.right = new double[] {hy, -hx, 0};
    this.down = new double[] {
        forward[1] * right[2] - forward[2] * right[1],
        forward[2] * right[0] - forward[0] * right[2],
        forward[0] * right[1] - forward[1] * right[0]};
    this.centre = new double[] {pose.x(), pose.y(), pose.heightMetres()};
    this.focal = pose.focalPixels();
    this.cu = width / 2.0;
    this.cv = height / 2.0;
    Random r = new Random(mix(seed));
    this.palette = palette(r);
    Random camRandom = new Random(mix(seed ^ mix(cameraId.hashCode())));
    this.colourCast = new double[] {0.95 + 0.1 * camRandom.nextDouble(), 0.97 + 0.06 * camRandom.nextDouble(),
        0.95 + 0.1 * camRandom.nextDouble()};
    this.noise = new byte[NOISE_TABLE];
    for (int i = 0; i < NOISE_TABLE; i++) {
      noise[i] = (byte) Math.max(-127, Math.min(127, Math.round(camRandom.nextGaussian() * look.noiseSigma())));
    }
    this.fromAbove = pose.pitchDegrees() >= FROM_ABOVE_PITCH;
    this.background = renderBackground();
    this.canvas = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    this.canvasBytes = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
    this.ids = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    this.idPixels = ((DataBufferInt) ids.getRaster().getDataBuffer()).getData();
  }

  public String cameraId() {
    return cameraId;
  }

  public CameraPose pose() {
    return pose;
  }

  /** The camera's projection and its exact floor calibration. */
  public SimulatedCamera camera() {
    return camera;
  }

  public StoreLayout layout() {
    return layout;
  }

  public StoreConfig config() {
    return config;
  }

  /** The frame at {@code at} with the scene's shoppers at that instant. */
  public RenderedFrame render(StoreScene scene, Instant at, long sequence) {
    return render(scene.shoppersAt(at), at, sequence);
  }

  /**
   * Renders the store with these shoppers. The frame's capture time is {@code at}; its pixels
   * depend on {@code at} (noise, brightness, gait) but not on {@code sequence}.
   */
  public RenderedFrame render(List<ShopperFigure> shoppers, Instant at, long sequence) {
    long millis = at.toEpochMilli();
    System.arraycopy(background, 0, canvasBytes, 0, background.length);
    java.util.Arrays.fill(idPixels, 0);
    Graphics2D g = canvas.createGraphics();
    Graphics2D gi = ids.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      gi.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      record Item(double depth, int figure, StoreLayout.Segment segment) {}
      List<Item> items = new ArrayList<>();
      for (StoreLayout.Segment s : layout.segments()) {
        double d = depth(s.cx(), s.cy(), StoreLayout.SHELF_HEIGHT / 2);
        if (d > -3) {
          items.add(new Item(d, -1, s));
        }
      }
      for (int i = 0; i < shoppers.size(); i++) {
        ShopperFigure f = shoppers.get(i);
        double d = depth(f.x(), f.y(), f.heightMetres() / 2);
        if (d > 0.3) {
          items.add(new Item(d, i, null));
        }
      }
      items.sort(Comparator.comparingDouble(Item::depth).reversed());
      int[] fullPixels = new int[shoppers.size()];
      BoundingBox[] boxes = new BoundingBox[shoppers.size()];
      double[][] extents = new double[shoppers.size()][]; // bodies seen from above: unclipped image extent
      for (Item it : items) {
        if (it.segment() != null) {
          drawSegment(g, gi, it.segment());
          continue;
        }
        ShopperFigure f = shoppers.get(it.figure());
        if (fromAbove) {
          List<Part> parts = parts(f, millis);
          double[] extent = partsExtent(parts);
          Optional<BoundingBox> box = clippedBox(extent);
          if (box.isEmpty()) {
            continue;
          }
          boxes[it.figure()] = box.get();
          extents[it.figure()] = extent;
          drawParts(g, gi, parts, it.figure() + 1);
          fullPixels[it.figure()] = countIds(box.get(), it.figure() + 1);
          continue;
        }
        Optional<BoundingBox> box = camera.standingBox(f.x(), f.y(), f.widthMetres(), f.heightMetres());
        if (box.isEmpty()) {
          continue;
        }
        boxes[it.figure()] = box.get();
        drawFigure(g, gi, f, it.figure() + 1, millis);
        fullPixels[it.figure()] = countIds(box.get(), it.figure() + 1);
      }
      List<PersonTruth> truths = new ArrayList<>();
      for (Item it : items) {
        int i = it.figure();
        if (i < 0 || boxes[i] == null) {
          continue;
        }
        ShopperFigure f = shoppers.get(i);
        BoundingBox box = boxes[i];
        int visible = countIds(box, i + 1);
        double visibleFraction = fullPixels[i] == 0 ? 0 : (double) visible / fullPixels[i];
        double inImage = fromAbove ? inImageFraction(extents[i]) : inImageFraction(f, box);
        boolean clear = visibleFraction >= 0.5 && inImage >= 0.6 && box.h() >= 0.08 * height && visible > 0;
        truths.add(new PersonTruth(f.id(), box, f.x(), f.y(), visibleFraction, inImage, clear));
      }
      byte[] out = finish(millis);
      return new RenderedFrame(new Frame(cameraId, sequence, millis, width, height, out), truths);
    } finally {
      g.dispose();
      gi.dispose();
    }
  }

  // ---------------------------------------------------------------- per-frame finish

  private byte[] finish(long millis) {
    Random r = new Random(mix(seed ^ mix(cameraId.hashCode() * 31L + millis)));
    double t = millis / 1000.0;
    double phase = (mix(seed ^ cameraId.hashCode()) & 0xffff) / 65536.0 * 2 * Math.PI;
    double gain = 1 + look.brightnessJitter() * (0.6 * Math.sin(2 * Math.PI * t / 41 + phase) + 0.4 * (2 * r.nextDouble() - 1));
    int[][] lut = new int[3][256];
    for (int c = 0; c < 3; c++) {
      // bytes are B, G, R; colourCast is R, G, B
      double k = gain * colourCast[2 - c];
      for (int v = 0; v < 256; v++) {
        lut[c][v] = (int) Math.round(v * k);
      }
    }
    byte[] out = new byte[canvasBytes.length];
    int rowBytes = width * 3;
    boolean noisy = look.noiseSigma() > 0;
    for (int y = 0; y < height; y++) {
      int off = r.nextInt(NOISE_TABLE);
      int base = y * rowBytes;
      for (int i = 0; i < rowBytes; i++) {
        int v = lut[i % 3][canvasBytes[base + i] & 0xff];
        if (noisy) {
          v += noise[(off + i) & (NOISE_TABLE - 1)];
        }
        out[base + i] = (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
      }
    }
    return out;
  }

  private int countIds(BoundingBox box, int id) {
    int x0 = Math.max(0, (int) Math.floor(box.x())), y0 = Math.max(0, (int) Math.floor(box.y()));
    int x1 = Math.min(width, (int) Math.ceil(box.right())), y1 = Math.min(height, (int) Math.ceil(box.bottom()));
    int n = 0;
    for (int y = y0; y < y1; y++) {
      int row = y * width;
      for (int x = x0; x < x1; x++) {
        if ((idPixels[row + x] & 0xffffff) == id) {
          n++;
        }
      }
    }
    return n;
  }

  private double inImageFraction(ShopperFigure f, BoundingBox clipped) {
    double hw = f.widthMetres() / 2;
    double minU = Double.POSITIVE_INFINITY, minV = Double.POSITIVE_INFINITY;
    double maxU = Double.NEGATIVE_INFINITY, maxV = Double.NEGATIVE_INFINITY;
    for (int side = -1; side <= 1; side += 2) {
      for (double z : new double[] {0, f.heightMetres()}) {
        Optional<Point2> p = camera.project(f.x() + side * hw * right[0], f.y() + side * hw * right[1], z);
        if (p.isEmpty()) {
          return 0;
        }
        minU = Math.min(minU, p.get().x());
        maxU = Math.max(maxU, p.get().x());
        minV = Math.min(minV, p.get().y());
        maxV = Math.max(maxV, p.get().y());
      }
    }
    double full = (maxU - minU) * (maxV - minV);
    return full <= 0 ? 0 : Math.min(1, clipped.area() / full);
  }

  // ---------------------------------------------------------------- shelves

  private void drawSegment(Graphics2D g, Graphics2D gi, StoreLayout.Segment s) {
    double hl = s.halfLength(), hd = StoreLayout.SHELF_DEPTH / 2, top = StoreLayout.SHELF_HEIGHT;
    // corners: along sign (a), normal sign (n), z
    double[][] faceFront = quad(s, -hl, hd, hl, hd, 0, top);
    double[][] faceBack = quad(s, hl, -hd, -hl, -hd, 0, top);
    double[][] faceLeft = quad(s, -hl, -hd, -hl, hd, 0, top);
    double[][] faceRight = quad(s, hl, hd, hl, -hd, 0, top);
    double[][] faceTop = {
        point(s, -hl, -hd, top), point(s, hl, -hd, top), point(s, hl, hd, top), point(s, -hl, hd, top)};
    if (facing(s.cx() - s.nx() * hd, s.cy() - s.ny() * hd, top / 2, -s.nx(), -s.ny(), 0)) {
      fill(g, gi, faceBack, palette.shelfBody(), 0);
    }
    if (facing(s.cx() - s.ax() * hl, s.cy() - s.ay() * hl, top / 2, -s.ax(), -s.ay(), 0)) {
      fill(g, gi, faceLeft, palette.shelfBody().darker(), 0);
    }
    if (facing(s.cx() + s.ax() * hl, s.cy() + s.ay() * hl, top / 2, s.ax(), s.ay(), 0)) {
      fill(g, gi, faceRight, palette.shelfBody().darker(), 0);
    }
    if (centre[2] > top) {
      fill(g, gi, faceTop, palette.shelfTop(), 0);
    }
    if (!facing(s.cx() + s.nx() * hd, s.cy() + s.ny() * hd, top / 2, s.nx(), s.ny(), 0)) {
      return;
    }
    fill(g, gi, faceFront, palette.shelfBack(), 0);
    Random pr = new Random(mix(seed ^ mix(s.sku().hashCode())));
    float hue = pr.nextFloat();
    float sat = 0.45f + 0.5f * pr.nextFloat();
    float bri = 0.45f + 0.5f * pr.nextFloat();
    Color product = Color.getHSBColor(hue, sat, bri);
    Color label = Color.getHSBColor((hue + 0.5f) % 1f, 0.2f + 0.3f * pr.nextFloat(), 0.9f);
    double productHeight = 0.14 + 0.16 * pr.nextDouble();
    int perLevel = Math.max(2, (int) Math.round(2 * hl / (0.08 + 0.08 * pr.nextDouble())));
    double slot = 2 * hl / perLevel;
    double inset = hd - 0.03;
    for (double level : BOARD_LEVELS) {
      double z0 = level + BOARD_THICKNESS;
      for (int k = 0; k < perLevel; k++) {
        double a0 = -hl + k * slot + 0.1 * slot, a1 = -hl + (k + 1) * slot - 0.1 * slot;
        float shade = 0.85f + 0.3f * pr.nextFloat();
        fill(g, null, quad(s, a0, inset, a1, inset, z0, z0 + productHeight), scale(product, shade), -1);
        double l0 = z0 + productHeight * 0.35, l1 = z0 + productHeight * 0.65;
        fill(g, null, quad(s, a0, inset, a1, inset, l0, l1), scale(label, shade), -1);
      }
      fill(g, null, quad(s, -hl, hd, hl, hd, level, level + BOARD_THICKNESS), palette.board(), -1);
    }
    // uprights at both ends of the front
    fill(g, null, quad(s, -hl, hd, -hl + 0.03, hd, 0, top), palette.shelfBody(), -1);
    fill(g, null, quad(s, hl - 0.03, hd, hl, hd, 0, top), palette.shelfBody(), -1);
  }

  /** A vertical quad in a segment's frame: from (a0, n0) to (a1, n1) along/normal, z0..z1. */
  private static double[][] quad(StoreLayout.Segment s, double a0, double n0, double a1, double n1, double z0, double z1) {
    return new double[][] {point(s, a0, n0, z0), point(s, a1, n1, z0), point(s, a1, n1, z1), point(s, a0, n0, z1)};
  }

  private static double[] point(StoreLayout.Segment s, double a, double n, double z) {
    return new double[] {s.cx() + a * s.ax() + n * s.nx(), s.cy() + a * s.ay() + n * s.ny(), z};
  }

  /** Whether a face through (px, py, pz) with outward normal (nx, ny, nz) faces the camera. */
  private boolean facing(double px, double py, double pz, double nx, double ny, double nz) {
    return nx * (centre[0] - px) + ny * (centre[1] - py) + nz * (centre[2] - pz) > 0;
  }

  // ---------------------------------------------------------------- shoppers

  private void drawFigure(Graphics2D g, Graphics2D gi, ShopperFigure f, int id, long millis) {
    Appearance a = appearance(f.id());
    double h = f.heightMetres(), w = f.widthMetres() / 2;
    double swing = 0;
    if (f.speedMetresPerSecond() > 0.2) {
      swing = 0.28 * w * Math.sin(2 * Math.PI * 1.8 * (millis / 1000.0) + a.gaitPhase());
    }
    // legs: hip at 0.48 h, ankle at 0.05 h
    for (int side = -1; side <= 1; side += 2) {
      double sw = side * swing;
      double inner = side * 0.04 * w, outer = side * 0.58 * w;
      double fi = side * 0.14 * w + sw, fo = side * 0.52 * w + sw;
      sprite(g, gi, f, id, a.trousers(), new double[][] {{inner, 0.48 * h}, {outer, 0.48 * h}, {fo, 0.05 * h}, {fi, 0.05 * h}});
      sprite(g, gi, f, id, a.shoes(), new double[][] {
          {side * 0.10 * w + sw, 0}, {side * 0.60 * w + sw, 0}, {side * 0.56 * w + sw, 0.055 * h}, {side * 0.12 * w + sw, 0.055 * h}});
    }
    double torsoBottom = a.coat() ? 0.30 * h : 0.46 * h;
    sprite(g, gi, f, id, a.shirt(), new double[][] {
        {-0.62 * w, torsoBottom}, {0.62 * w, torsoBottom}, {0.74 * w, 0.76 * h}, {0.58 * w, 0.815 * h},
        {-0.58 * w, 0.815 * h}, {-0.74 * w, 0.76 * h}});
    for (int side = -1; side <= 1; side += 2) {
      Color sleeve = a.shirt().darker();
      sprite(g, gi, f, id, sleeve, new double[][] {
          {side * 0.70 * w, 0.80 * h}, {side * 0.97 * w, 0.775 * h}, {side * 1.0 * w, 0.47 * h}, {side * 0.78 * w, 0.47 * h}});
      sprite(g, gi, f, id, a.skin(), new double[][] {
          {side * 0.78 * w, 0.47 * h}, {side * 1.0 * w, 0.47 * h}, {side * 0.98 * w, 0.42 * h}, {side * 0.80 * w, 0.42 * h}});
    }
    if (a.basket() != null) {
      sprite(g, gi, f, id, a.basket(), new double[][] {
          {0.50 * w, 0.30 * h}, {1.0 * w, 0.30 * h}, {1.0 * w, 0.43 * h}, {0.50 * w, 0.43 * h}});
    }
    sprite(g, gi, f, id, a.skin(), new double[][] {{-0.13 * w, 0.80 * h}, {0.13 * w, 0.80 * h}, {0.13 * w, 0.85 * h}, {-0.13 * w, 0.85 * h}});
    int n = 18;
    double hc = 0.91 * h, rz = 0.09 * h, rs = 0.36 * w;
    double[][] head = new double[n][];
    for (int i = 0; i < n; i++) {
      double t = 2 * Math.PI * i / n;
      head[i] = new double[] {rs * Math.cos(t), hc + rz * Math.sin(t)};
    }
    sprite(g, gi, f, id, a.backFacing() ? a.hair() : a.skin(), head);
    if (!a.backFacing()) {
      double[][] hair = new double[n / 2 + 3][];
      for (int i = 0; i <= n / 2 + 2; i++) {
        double t = -Math.PI / 12 + (Math.PI + Math.PI / 6) * i / (n / 2 + 2);
        hair[i] = new double[] {1.03 * rs * Math.cos(t), hc + 0.3 * rz + 0.72 * rz * Math.sin(t)};
      }
      sprite(g, null, f, id, a.hair(), hair);
    }
  }

  /**
   * One body part of a figure seen from above: an upright elliptic cylinder centred on (x, y) from
   * z0 to z1, {@code across} and {@code along} its half-axes across and along the shopper's heading.
   */
  private record Part(double x, double y, double z0, double z1, double across, double along, double ax, double ay,
      Color side, Color top) {}

  /**
   * The figure as upright bodies (legs, arms, torso, neck, head, and a basket if it carries one),
   * for cameras looking down. The heading is fixed per shopper; walking swings legs and arms along it.
   */
  private List<Part> parts(ShopperFigure f, long millis) {
    Appearance a = appearance(f.id());
    double h = f.heightMetres(), w = f.widthMetres() / 2;
    double ax = Math.cos(a.heading()), ay = Math.sin(a.heading()); // across the shoulders
    double fx = -ay, fy = ax; // facing
    double swing = 0;
    if (f.speedMetresPerSecond() > 0.2) {
      swing = 0.28 * w * Math.sin(2 * Math.PI * 1.8 * (millis / 1000.0) + a.gaitPhase());
    }
    List<Part> parts = new ArrayList<>();
    for (int side = -1; side <= 1; side += 2) {
      double ox = side * 0.3 * w * ax + side * swing * fx, oy = side * 0.3 * w * ay + side * swing * fy;
      parts.add(new Part(f.x() + ox, f.y() + oy, 0, 0.48 * h, 0.26 * w, 0.32 * w, ax, ay, a.trousers().darker(),
          a.trousers()));
    }
    for (int side = -1; side <= 1; side += 2) {
      double ox = side * 0.86 * w * ax - side * swing * fx, oy = side * 0.86 * w * ay - side * swing * fy;
      parts.add(new Part(f.x() + ox, f.y() + oy, 0.42 * h, 0.79 * h, 0.15 * w, 0.18 * w, ax, ay, a.shirt().darker(),
          a.shirt().darker()));
    }
    if (a.basket() != null) {
      parts.add(new Part(f.x() + 0.95 * w * ax + 0.25 * w * fx, f.y() + 0.95 * w * ay + 0.25 * w * fy, 0.30 * h,
          0.43 * h, 0.25 * w, 0.45 * w, ax, ay, a.basket().darker(), a.basket()));
    }
    double torsoBottom = a.coat() ? 0.30 * h : 0.46 * h;
    parts.add(new Part(f.x(), f.y(), torsoBottom, 0.815 * h, 0.70 * w, 0.40 * w, ax, ay, a.shirt().darker(), a.shirt()));
    parts.add(new Part(f.x(), f.y(), 0.80 * h, 0.85 * h, 0.13 * w, 0.13 * w, ax, ay, a.skin(), a.skin()));
    parts.add(new Part(f.x() + 0.03 * w * fx, f.y() + 0.03 * w * fy, 0.83 * h, h, 0.34 * w, 0.40 * w, ax, ay,
        a.hair(), a.hair()));
    return parts;
  }

  /** Draws parts far to near (distance from the camera to each part's top), sides then top caps. */
  private void drawParts(Graphics2D g, Graphics2D gi, List<Part> parts, int id) {
    List<Part> order = new ArrayList<>(parts);
    order.sort(Comparator.comparingDouble((Part p) -> -Math.hypot(Math.hypot(p.x() - centre[0], p.y() - centre[1]),
        p.z1() - centre[2])));
    for (Part p : order) {
      double[][] bottom = rim(p, p.z0()), top = rim(p, p.z1());
      double[][] both = new double[2 * RIM][];
      System.arraycopy(bottom, 0, both, 0, RIM);
      System.arraycopy(top, 0, both, RIM, RIM);
      double[][] hull = projectedHull(both);
      if (hull != null) {
        fillImage(g, gi, hull, p.side(), id);
      }
      if (centre[2] > p.z1()) {
        double[][] cap = projectedHull(top);
        if (cap != null) {
          fillImage(g, gi, cap, p.top(), id);
        }
      }
    }
  }

  private static double[][] rim(Part p, double z) {
    double fx = -p.ay(), fy = p.ax();
    double[][] out = new double[RIM][];
    for (int i = 0; i < RIM; i++) {
      double t = 2 * Math.PI * i / RIM, c = Math.cos(t) * p.across(), s = Math.sin(t) * p.along();
      out[i] = new double[] {p.x() + c * p.ax() + s * fx, p.y() + c * p.ay() + s * fy, z};
    }
    return out;
  }

  /** Image points of world points, or null when one is behind the near plane. */
  private double[][] projectAll(double[][] world) {
    double[][] out = new double[world.length][];
    for (int i = 0; i < world.length; i++) {
      double dx = world[i][0] - centre[0], dy = world[i][1] - centre[1], dz = world[i][2] - centre[2];
      double z = forward[0] * dx + forward[1] * dy + forward[2] * dz;
      if (z < NEAR) {
        return null;
      }
      out[i] = new double[] {cu + focal * (right[0] * dx + right[1] * dy + right[2] * dz) / z,
          cv + focal * (down[0] * dx + down[1] * dy + down[2] * dz) / z};
    }
    return out;
  }

  /** Convex hull (monotone chain) of the world points' images, or null. */
  private double[][] projectedHull(double[][] world) {
    double[][] pts = projectAll(world);
    if (pts == null) {
      return null;
    }
    java.util.Arrays.sort(pts, Comparator.comparingDouble((double[] q) -> q[0]).thenComparingDouble(q -> q[1]));
    int n = pts.length, k = 0;
    double[][] hull = new double[2 * n][];
    for (int i = 0; i < n; i++) {
      while (k >= 2 && cross(hull[k - 2], hull[k - 1], pts[i]) <= 0) {
        k--;
      }
      hull[k++] = pts[i];
    }
    for (int i = n - 2, lower = k + 1; i >= 0; i--) {
      while (k >= lower && cross(hull[k - 2], hull[k - 1], pts[i]) <= 0) {
        k--;
      }
      hull[k++] = pts[i];
    }
    return k < 4 ? null : java.util.Arrays.copyOf(hull, k - 1);
  }

  private static double cross(double[] o, double[] a, double[] b) {
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  }

  /** An extent of {@link #partsExtent} clipped to the image, or empty when none of it is in the image. */
  private Optional<BoundingBox> clippedBox(double[] b) {
    if (b == null) {
      return Optional.empty();
    }
    double u0 = Math.max(0, b[0]), v0 = Math.max(0, b[1]), u1 = Math.min(width, b[2]), v1 = Math.min(height, b[3]);
    if (u1 <= u0 || v1 <= v0) {
      return Optional.empty();
    }
    return Optional.of(BoundingBox.ofCorners(u0, v0, u1, v1));
  }

  /** Unclipped image extent (min u, min v, max u, max v) of the parts, or null. */
  private double[] partsExtent(List<Part> parts) {
    double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (Part p : parts) {
      for (double z : new double[] {p.z0(), p.z1()}) {
        double[][] pts = projectAll(rim(p, z));
        if (pts == null) {
          return null;
        }
        for (double[] q : pts) {
          b[0] = Math.min(b[0], q[0]);
          b[1] = Math.min(b[1], q[1]);
          b[2] = Math.max(b[2], q[0]);
          b[3] = Math.max(b[3], q[1]);
        }
      }
    }
    return b;
  }

  /** The share of an extent of {@link #partsExtent} that lies in the image. */
  private double inImageFraction(double[] b) {
    if (b == null) {
      return 0;
    }
    double full = (b[2] - b[0]) * (b[3] - b[1]);
    double u0 = Math.max(0, b[0]), v0 = Math.max(0, b[1]), u1 = Math.min(width, b[2]), v1 = Math.min(height, b[3]);
    return full <= 0 || u1 <= u0 || v1 <= v0 ? 0 : Math.min(1, (u1 - u0) * (v1 - v0) / full);
  }

  /** Fills a polygon given in the figure's sprite plane: (across metres, up metres). */
  private void sprite(Graphics2D g, Graphics2D gi, ShopperFigure f, int id, Color c, double[][] local) {
    double[][] world = new double[local.length][];
    for (int i = 0; i < local.length; i++) {
      world[i] = new double[] {f.x() + local[i][0] * right[0], f.y() + local[i][0] * right[1], local[i][1]};
    }
    fill(g, gi, world, c, id);
  }

  private Appearance appearance(String id) {
    Random r = new Random(mix(seed * 0x2545F4914F6CDD1DL ^ mix(id.hashCode())));
    Color shirt = Color.getHSBColor(r.nextFloat(), 0.25f + 0.65f * r.nextFloat(), 0.25f + 0.7f * r.nextFloat());
    Color[] trousers = {new Color(35, 45, 80), new Color(25, 25, 28), new Color(95, 95, 100), new Color(150, 130, 95),
        new Color(60, 80, 120), new Color(90, 60, 40), new Color(30, 60, 40)};
    Color[] skins = {new Color(245, 208, 180), new Color(224, 172, 130), new Color(198, 140, 100), new Color(141, 85, 55),
        new Color(96, 60, 40), new Color(235, 190, 160)};
    Color[] hairs = {new Color(30, 22, 18), new Color(80, 55, 35), new Color(160, 120, 70), new Color(200, 190, 170),
        new Color(120, 40, 25), new Color(55, 50, 50)};
    Color[] shoes = {new Color(20, 20, 20), new Color(230, 230, 230), new Color(90, 60, 40), new Color(60, 60, 70)};
    Color[] baskets = {new Color(190, 30, 30), new Color(30, 70, 170), new Color(25, 25, 25)};
    Color tr = scale(trousers[r.nextInt(trousers.length)], 0.85f + 0.3f * r.nextFloat());
    Color skin = skins[r.nextInt(skins.length)];
    Color hair = hairs[r.nextInt(hairs.length)];
    Color shoe = shoes[r.nextInt(shoes.length)];
    boolean coat = r.nextDouble() < 0.25;
    boolean back = r.nextDouble() < 0.5;
    Color basket = r.nextDouble() < 0.3 ? baskets[r.nextInt(baskets.length)] : null;
    return new Appearance(shirt, tr, shoe, skin, hair, coat, back, basket, 2 * Math.PI * r.nextDouble(),
        2 * Math.PI * r.nextDouble());
  }

  // ---------------------------------------------------------------- projection and filling

  private double depth(double x, double y, double z) {
    return forward[0] * (x - centre[0]) + forward[1] * (y - centre[1]) + forward[2] * (z - centre[2]);
  }

  /**
   * Fills a planar world polygon (metres) clipped at the near plane; also into the id image
   * ({@code id} 0 for occluders, &gt; 0 for figure ids) unless {@code gi} is null or id &lt; 0.
   */
  private void fill(Graphics2D g, Graphics2D gi, double[][] world, Color c, int id) {
    int n = world.length;
    double[][] cam = new double[n][];
    for (int i = 0; i < n; i++) {
      double dx = world[i][0] - centre[0], dy = world[i][1] - centre[1], dz = world[i][2] - centre[2];
      cam[i] = new double[] {
          right[0] * dx + right[1] * dy + right[2] * dz,
          down[0] * dx + down[1] * dy + down[2] * dz,
          forward[0] * dx + forward[1] * dy + forward[2] * dz};
    }
    List<double[]> clipped = new ArrayList<>(n + 2);
    for (int i = 0; i < n; i++) {
      double[] p = cam[i], q = cam[(i + 1) % n];
      boolean pin = p[2] >= NEAR, qin = q[2] >= NEAR;
      if (pin) {
        clipped.add(p);
      }
      if (pin != qin) {
        double t = (NEAR - p[2]) / (q[2] - p[2]);
        clipped.add(new double[] {p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]), NEAR});
      }
    }
    if (clipped.size() < 3) {
      return;
    }
    double[][] image = new double[clipped.size()][];
    for (int i = 0; i < clipped.size(); i++) {
      double[] p = clipped.get(i);
      image[i] = new double[] {cu + focal * p[0] / p[2], cv + focal * p[1] / p[2]};
    }
    fillImage(g, gi, image, c, id);
  }

  /** Fills an image polygon (pixels); also into the id image as {@link #fill} does. */
  private void fillImage(Graphics2D g, Graphics2D gi, double[][] image, Color c, int id) {
    Path2D.Double path = new Path2D.Double();
    for (int i = 0; i < image.length; i++) {
      if (i == 0) {
        path.moveTo(image[i][0], image[i][1]);
      } else {
        path.lineTo(image[i][0], image[i][1]);
      }
    }
    path.closePath();
    g.setColor(c);
    g.fill(path);
    if (gi != null && id >= 0) {
      gi.setColor(new Color(id));
      gi.fill(path);
    }
  }

  // ---------------------------------------------------------------- static background

  private byte[] renderBackground() {
    byte[] bgr = new byte[width * height * 3];
    double rx0 = Math.min(layout.minX(), centre[0] - 0.3), rx1 = Math.max(layout.maxX(), centre[0] + 0.3);
    double ry0 = Math.min(layout.minY(), centre[1] - 0.3), ry1 = Math.max(layout.maxY(), centre[1] + 0.3);
    double ceiling = Math.max(StoreLayout.CEILING, centre[2] + 0.3);
    double[] acc = new double[3];
    double[] col = new double[3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        acc[0] = acc[1] = acc[2] = 0;
        for (int sy = 0; sy < 2; sy++) {
          for (int sx = 0; sx < 2; sx++) {
            double u = x + 0.25 + 0.5 * sx, v = y + 0.25 + 0.5 * sy;
            double a = (u - cu) / focal, b = (v - cv) / focal;
            double dx = forward[0] + a * right[0] + b * down[0];
            double dy = forward[1] + a * right[1] + b * down[1];
            double dz = forward[2] + a * right[2] + b * down[2];
            surface(dx, dy, dz, rx0, rx1, ry0, ry1, ceiling, col);
            acc[0] += col[0];
            acc[1] += col[1];
            acc[2] += col[2];
          }
        }
        int i = (y * width + x) * 3;
        bgr[i] = clampByte(acc[2] / 4);
        bgr[i + 1] = clampByte(acc[1] / 4);
        bgr[i + 2] = clampByte(acc[0] / 4);
      }
    }
    return bgr;
  }

  /** Colour (RGB 0..255) where the ray from the camera centre along d leaves the room. */
  private void surface(double dx, double dy, double dz, double x0, double x1, double y0, double y1, double ceiling,
      double[] out) {
    double tx = dx > 1e-12 ? (x1 - centre[0]) / dx : dx < -1e-12 ? (x0 - centre[0]) / dx : Double.POSITIVE_INFINITY;
    double ty = dy > 1e-12 ? (y1 - centre[1]) / dy : dy < -1e-12 ? (y0 - centre[1]) / dy : Double.POSITIVE_INFINITY;
    double tz = dz < -1e-12 ? -centre[2] / dz : dz > 1e-12 ? (ceiling - centre[2]) / dz : Double.POSITIVE_INFINITY;
    double t = Math.min(tx, Math.min(ty, tz));
    double px = centre[0] + t * dx, py = centre[1] + t * dy, pz = centre[2] + t * dz;
    double dist = t * Math.sqrt(dx * dx + dy * dy + dz * dz);
    double light = Math.max(0.72, 1.0 - 0.025 * dist);
    double[] c;
    if (t == tz && dz < 0) {
      c = floor(px, py);
    } else if (t == tz) {
      double fx = frac(px / 1.5), fy = frac(py / 1.5);
      c = fx < 0.45 && fy < 0.3 ? palette.panel() : palette.ceiling();
      light = 1;
    } else {
      double along = t == tx ? py : px;
      if (pz < 0.12) {
        c = palette.baseboard();
      } else {
        double panel = (Math.floorMod((long) Math.floor(along / 1.2), 2L) == 0) ? 1.0 : 0.94;
        double k = panel * (0.82 + 0.18 * pz / ceiling);
        c = new double[] {palette.wall()[0] * k, palette.wall()[1] * k, palette.wall()[2] * k};
      }
    }
    out[0] = c[0] * light;
    out[1] = c[1] * light;
    out[2] = c[2] * light;
  }

  private double[] floor(double x, double y) {
    for (StoreConfig.Gate gate : layout.gates()) {
      if (Math.abs(x - gate.position().x()) < 0.7 && Math.abs(y - gate.position().y()) < 0.5) {
        double stripe = frac(x / 0.08) < 0.5 ? 1.0 : 0.85;
        double[] m = palette.mat();
        return new double[] {m[0] * stripe, m[1] * stripe, m[2] * stripe};
      }
    }
    double tile = 0.6;
    double fx = frac(x / tile), fy = frac(y / tile);
    if (fx < 0.03 || fy < 0.03) {
      return palette.grout();
    }
    long ix = (long) Math.floor(x / tile), iy = (long) Math.floor(y / tile);
    double[] base = ((ix + iy) & 1) == 0 ? palette.floorA() : palette.floorB();
    double k = 0.94 + 0.12 * ((mix(ix * 73856093L ^ iy * 19349663L ^ seed) & 0xff) / 255.0);
    return new double[] {base[0] * k, base[1] * k, base[2] * k};
  }

  private static Palette palette(Random r) {
    double[][] floors = {{200, 196, 188}, {170, 160, 150}, {120, 110, 100}, {210, 210, 212}, {150, 140, 120},
        {185, 175, 165}};
    double[] fa = jitter(floors[r.nextInt(floors.length)], r, 12);
    double k = 0.8 + 0.12 * r.nextDouble();
    double[] fb = jitter(new double[] {fa[0] * k, fa[1] * k, fa[2] * k}, r, 6);
    double[] grout = {fa[0] * 0.6, fa[1] * 0.6, fa[2] * 0.6};
    double[][] walls = {{235, 232, 222}, {215, 225, 232}, {232, 222, 205}, {210, 215, 200}, {240, 240, 240}};
    double[] wall = jitter(walls[r.nextInt(walls.length)], r, 10);
    double[] mat = jitter(new double[] {60, 62, 70}, r, 15);
    Color[] bodies = {new Color(180, 182, 186), new Color(240, 240, 238), new Color(70, 72, 78), new Color(150, 110, 75)};
    Color body = bodies[r.nextInt(bodies.length)];
    return new Palette(fa, fb, grout, mat, wall, new double[] {70, 66, 60}, new double[] {205, 205, 200},
        new double[] {252, 252, 246}, body, scale(body, 1.1f), scale(body, 0.45f), scale(body, 0.8f));
  }

  private static double[] jitter(double[] c, Random r, double amount) {
    return new double[] {c[0] + (2 * r.nextDouble() - 1) * amount, c[1] + (2 * r.nextDouble() - 1) * amount,
        c[2] + (2 * r.nextDouble() - 1) * amount};
  }

  private static Color scale(Color c, float k) {
    return new Color(Math.min(255, Math.round(c.getRed() * k)), Math.min(255, Math.round(c.getGreen() * k)),
        Math.min(255, Math.round(c.getBlue() * k)));
  }

  private static double frac(double v) {
    return v - Math.floor(v);
  }

  private static byte clampByte(double v) {
    return (byte) Math.max(0, Math.min(255, Math.round(v)));
  }

  /** SplitMix64 finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
