package org.storeedge.simulator.camera;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.storeedge.vision.geometry.CameraPose;

/** Camera poses for a store: four fixed corner cameras, or random wall-mounted ones. */
public final class CameraPoses {
  private CameraPoses() {}

  /**
   * Four cameras in the room's corners, 0.3 m in from both walls, 2.8 m up, each looking at the
   * room's centre, 80 degree horizontal field of view. Order: (min x, max y), (max x, max y),
   * (max x, min y), (min x, min y).
   */
  public static List<CameraPose> corners(StoreLayout layout, int width, int height) {
    double[][] at = {
        {layout.minX() + 0.3, layout.maxY() - 0.3}, {layout.maxX() - 0.3, layout.maxY() - 0.3},
        {layout.maxX() - 0.3, layout.minY() + 0.3}, {layout.minX() + 0.3, layout.minY() + 0.3}};
    double tx = (layout.minX() + layout.maxX()) / 2, ty = (layout.minY() + layout.maxY()) / 2;
    double f = CameraPose.focalForHorizontalFov(width, 80);
    List<CameraPose> out = new ArrayList<>();
    for (double[] p : at) {
      out.add(looking(p[0], p[1], 2.8, tx, ty, f, width, height));
    }
    return out;
  }

  /**
   * A camera on a random point along the walls (0.2-0.5 m in), 2.3-3.4 m up, looking at a random
   * point of the store's floor area, 55-100 degree field of view.
   */
  public static CameraPose random(StoreLayout layout, Random r, int width, int height) {
    double w = layout.maxX() - layout.minX(), d = layout.maxY() - layout.minY();
    double along = r.nextDouble() * 2 * (w + d);
    double in = 0.2 + 0.3 * r.nextDouble();
    double x, y;
    if (along < w) {
      x = layout.minX() + along;
      y = layout.minY() + in;
    } else if (along < w + d) {
      x = layout.maxX() - in;
      y = layout.minY() + (along - w);
    } else if (along < 2 * w + d) {
      x = layout.maxX() - (along - w - d);
      y = layout.maxY() - in;
    } else {
      x = layout.minX() + in;
      y = layout.maxY() - (along - 2 * w - d);
    }
    x = Math.max(layout.minX() + in, Math.min(layout.maxX() - in, x));
    y = Math.max(layout.minY() + in, Math.min(layout.maxY() - in, y));
    double tx, ty;
    do {
      tx = layout.minX() + 0.15 * w + 0.7 * w * r.nextDouble();
      ty = layout.minY() + 0.15 * d + 0.7 * d * r.nextDouble();
    } while (Math.hypot(tx - x, ty - y) < 1.5);
    double h = 2.3 + 1.1 * r.nextDouble();
    double f = CameraPose.focalForHorizontalFov(width, 55 + 45 * r.nextDouble());
    return looking(x, y, h, tx, ty, f, width, height);
  }

  /** Height of the ceiling cameras of {@link #overhead}, metres. */
  public static final double OVERHEAD_HEIGHT = 3.2;
  /** Horizontal field of view of the ceiling cameras, degrees. */
  public static final double OVERHEAD_FOV = 90;
  /** Floor area each ceiling camera is placed to cover, metres (a shopper's head stays in view over it). */
  public static final double OVERHEAD_CELL_X = 2.8;
  public static final double OVERHEAD_CELL_Y = 2.1;

  /**
   * Ceiling cameras looking straight down, {@value #OVERHEAD_HEIGHT} m up, {@value #OVERHEAD_FOV}
   * degree horizontal field of view, image x along the store's x axis: one per cell of a grid of
   * at most {@value #OVERHEAD_CELL_X} x {@value #OVERHEAD_CELL_Y} m cells over the store's floor,
   * at the cells' centres, row by row from (min x, min y). Over each cell a standing shopper's
   * head is in view of its camera, so neighbouring cameras overlap at head height.
   */
  public static List<CameraPose> overhead(StoreLayout layout, int width, int height) {
    return overhead(layout, width, height, OVERHEAD_FOV, OVERHEAD_CELL_X, OVERHEAD_CELL_Y);
  }

  /** As {@link #overhead(StoreLayout, int, int)} with another field of view (degrees) and cell size (metres). */
  public static List<CameraPose> overhead(StoreLayout layout, int width, int height, double fovDegrees, double cellX,
      double cellY) {
    double w = layout.maxX() - layout.minX(), d = layout.maxY() - layout.minY();
    int nx = Math.max(1, (int) Math.ceil(w / cellX)), ny = Math.max(1, (int) Math.ceil(d / cellY));
    double f = CameraPose.focalForHorizontalFov(width, fovDegrees);
    List<CameraPose> out = new ArrayList<>();
    for (int j = 0; j < ny; j++) {
      for (int i = 0; i < nx; i++) {
        double x = layout.minX() + (i + 0.5) * w / nx, y = layout.minY() + (j + 0.5) * d / ny;
        out.add(new CameraPose(x, y, OVERHEAD_HEIGHT, 90, 90, f, width, height));
      }
    }
    return out;
  }

  /**
   * A ceiling camera at a random point of the store, 2.7-3.3 m up, looking down at 70-90 degrees
   * in a random direction, 90-125 degree field of view (for training detectors on views from above).
   */
  public static CameraPose randomOverhead(StoreLayout layout, Random r, int width, int height) {
    double x = layout.minX() + 0.3 + (layout.maxX() - layout.minX() - 0.6) * r.nextDouble();
    double y = layout.minY() + 0.3 + (layout.maxY() - layout.minY() - 0.6) * r.nextDouble();
    double h = 2.7 + 0.6 * r.nextDouble();
    double pitch = 70 + 20 * r.nextDouble();
    double yaw = 360 * r.nextDouble();
    double f = CameraPose.focalForHorizontalFov(width, 90 + 35 * r.nextDouble());
    return new CameraPose(x, y, h, yaw, pitch, f, width, height);
  }

  /** A camera at (x, y, h) whose optical axis passes through floor point (tx, ty). */
  public static CameraPose looking(double x, double y, double h, double tx, double ty, double focalPixels, int width,
      int height) {
    double yaw = Math.toDegrees(Math.atan2(ty - y, tx - x));
    double pitch = Math.toDegrees(Math.atan2(h, Math.hypot(tx - x, ty - y)));
    return new CameraPose(x, y, h, yaw, Math.max(1, Math.min(90, pitch)), focalPixels, width, height);
  }
}
