package org.storeedge.simulator.camera;

/**
 * A shopper as a camera sees it at one instant: where it stands and how big it is.
 *
 * @param id stable per shopper (e.g. the simulator's track id); seeds its clothing colours
 * @param x floor position, metres
 * @param y floor position, metres
 * @param heightMetres standing height, &gt; 0
 * @param widthMetres shoulder-to-hand width of the upright figure, &gt; 0
 * @param speedMetresPerSecond walking speed; above about 0.2 the legs and arms swing
 */
public record ShopperFigure(String id, double x, double y, double heightMetres, double widthMetres,
    double speedMetresPerSecond) {

  public ShopperFigure {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("shopper figure id must not be blank (got: " + id + ")");
    }
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      throw new IllegalArgumentException("shopper " + id + " position must be finite (got: " + x + ", " + y + ")");
    }
    if (!(heightMetres > 0) || !(widthMetres > 0) || Double.isInfinite(heightMetres) || Double.isInfinite(widthMetres)) {
      throw new IllegalArgumentException("shopper " + id + " size must be > 0 m (got: " + widthMetres + " x " + heightMetres + ")");
    }
    if (!(speedMetresPerSecond >= 0) || Double.isInfinite(speedMetresPerSecond)) {
      throw new IllegalArgumentException("shopper " + id + " speed must be >= 0 (got: " + speedMetresPerSecond + ")");
    }
  }

  /** A standing shopper of the size {@link org.storeedge.vision.geometry.SimulatedCamera} assumes (1.7 x 0.5 m). */
  public static ShopperFigure standing(String id, double x, double y) {
    return new ShopperFigure(id, x, y, 1.7, 0.5, 0);
  }
}
