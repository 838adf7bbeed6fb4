package org.storeedge.vision.track;

import org.storeedge.vision.BoundingBox;

/**
 * Constant-velocity Kalman filter on a box's centre and size (cx, cy, w, h in pixels, with their
 * velocities in pixels per second). The four axes are independent (diagonal noise), so each is
 * a 2-state filter. Noise scales with the box height, so near and far people behave alike.
 * Time steps are real elapsed seconds: the frame rate may change (event gating).
 * Not thread-safe.
 */
final class KalmanBoxFilter {
  private final TrackerSettings s;
  private final double[] pos = new double[4];
  private final double[] vel = new double[4];
  // per-axis covariance [pp, pv, vv]
  private final double[] pp = new double[4];
  private final double[] pv = new double[4];
  private final double[] vv = new double[4];

  KalmanBoxFilter(BoundingBox b, TrackerSettings s) {
    this.s = s;
    double h = Math.max(b.h(), 1);
    double[] z = measure(b);
    for (int i = 0; i < 4; i++) {
      pos[i] = z[i];
      vel[i] = 0;
      double ps = s.measurementStd() * h * 2;
      double vs = (i < 2 ? s.initialVelocityStd() : s.initialVelocityStd() / 4) * h;
      pp[i] = ps * ps;
      pv[i] = 0;
      vv[i] = vs * vs;
    }
  }

  private static double[] measure(BoundingBox b) {
    return new double[] {b.centreX(), b.centreY(), b.w(), b.h()};
  }

  void predict(double dtSeconds) {
    if (dtSeconds <= 0) {
      return;
    }
    double h = Math.max(pos[3], 1);
    double dt = dtSeconds;
    for (int i = 0; i < 4; i++) {
      double a = (i < 2 ? s.accelerationStd() : s.sizeAccelerationStd()) * h;
      double q = a * a;
      pos[i] += vel[i] * dt;
      // P = F P F' + Q, F = [[1, dt], [0, 1]], Q for piecewise-constant white acceleration
      double npp = pp[i] + 2 * dt * pv[i] + dt * dt * vv[i] + q * dt * dt * dt * dt / 4;
      double npv = pv[i] + dt * vv[i] + q * dt * dt * dt / 2;
      double nvv = vv[i] + q * dt * dt;
      pp[i] = npp;
      pv[i] = npv;
      vv[i] = nvv;
    }
    pos[2] = Math.max(pos[2], 1);
    pos[3] = Math.max(pos[3], 1);
  }

  void update(BoundingBox b) {
    double[] z = measure(b);
    double h = Math.max(b.h(), 1);
    double r = s.measurementStd() * h;
    r *= r;
    for (int i = 0; i < 4; i++) {
      double sInv = 1 / (pp[i] + r);
      double kp = pp[i] * sInv;
      double kv = pv[i] * sInv;
      double innovation = z[i] - pos[i];
      pos[i] += kp * innovation;
      vel[i] += kv * innovation;
      double npp = (1 - kp) * pp[i];
      double npv = (1 - kp) * pv[i];
      double nvv = vv[i] - kv * pv[i];
      pp[i] = npp;
      pv[i] = npv;
      vv[i] = nvv;
    }
    pos[2] = Math.max(pos[2], 1);
    pos[3] = Math.max(pos[3], 1);
  }

  BoundingBox box() {
    return BoundingBox.ofCentre(pos[0], pos[1], pos[2], pos[3]);
  }

  /** Centre velocity, pixels per second {vx, vy}. */
  double[] velocity() {
    return new double[] {vel[0], vel[1]};
  }
}
