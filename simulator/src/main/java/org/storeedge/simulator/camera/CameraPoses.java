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

  /** A camera at (x, y, h) whose optical axis passes through floor point (tx, ty). */
  public static CameraPose looking(double x, double y, double h, double tx, double ty, double focalPixels, int width,
      int height) {
    double yaw = Math.toDegrees(Math.atan2(ty - y, tx - x));
    double pitch = Math.toDegrees(Math.atan2(h, Math.hypot(tx - x, ty - y)));
    return new CameraPose(x, y, h, yaw, Math.max(1, Math.min(90, pitch)), focalPixels, width, height);
  }
}
