package org.storeedge.runtime.command;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.core.device.WeightReading;
import org.storeedge.sync.state.CalibrationStore;
import org.storeedge.sync.state.LaneCalibration;

/**
 * The calibration layer between the drivers and the weight pipeline: every OK reading becomes
 * {@code (grams - zero) * gain} with its lane's stored calibration, and the uncorrected value is
 * kept in a short per-lane window from which tare and span are measured.
 *
 * <pre>
 *  driver --raw--> correct() --corrected--> agent sink --> WeightPipeline
 *                     |  \-- window of the last {@value #WINDOW} raw grams per lane
 *  tare/span (command thread) --measure window--> CalibrationStore (durable) --> live table
 * </pre>
 *
 * <p>Threads: {@link #correct} runs on driver threads and never blocks beyond a per-lane monitor
 * held for a few array writes; {@link #tare}/{@link #span} run on the caller's thread (the
 * command thread), write SQLite, then publish the new calibration to the live table, which the
 * next reading of the lane uses.
 */
public final class LaneCalibrator {
  private static final Logger LOG = LoggerFactory.getLogger(LaneCalibrator.class);
  /** Raw readings kept per lane: half a second at 80 Hz. */
  static final int WINDOW = 40;
  /** Fewest readings a measurement needs. */
  static final int MIN_SAMPLES = 8;
  /** A lane is steady when the window's standard deviation is below this plus {@link #STEADY_REL} of the load. */
  static final double STEADY_ABS_GRAMS = 5.0;
  static final double STEADY_REL = 0.002;
  /** The newest reading must be at most this old for a measurement. */
  static final long MAX_AGE_MILLIS = 2000;
  /** The span load must rise at least this far above zero to measure a gain. */
  static final double MIN_SPAN_GRAMS = 20.0;

  private final CalibrationStore store;
  private final InstantSource clock;
  private volatile Set<String> lanes;
  private final Map<String, LaneCalibration> live = new ConcurrentHashMap<>();
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /**
   * Loads every stored calibration (one of a lane no longer configured stays on disk and applies
   * again if the lane comes back).
   *
   * @param laneIds the lanes of the store file; only these can be calibrated
   */
  public LaneCalibrator(CalibrationStore store, InstantSource clock, Set<String> laneIds) {
    this.store = store;
    this.clock = clock;
    this.lanes = Set.copyOf(laneIds);
    live.putAll(store.loadAll());
    if (!live.isEmpty()) {
      LOG.info("calibration loaded for lanes {}", live.keySet());
    }
  }

  /** The measurement behind a tare or span and the calibration it produced. */
  public record Result(LaneCalibration calibration, LaneCalibration previous, double rawMeanGrams, double rawSdGrams,
      int samples) {}

  /** A request that cannot be carried out (unknown lane, no readings, lane not steady...). */
  public static final class CalibrationException extends Exception {
    private static final long serialVersionUID = 1L;

    public CalibrationException(String message) {
      super(message);
    }
  }

  /** The lanes of a new store file; safe from any thread. */
  public void useLanes(Set<String> laneIds) {
    lanes = Set.copyOf(laneIds);
  }

  /** On a driver thread: records the raw value and returns the corrected reading. */
  public WeightReading correct(WeightReading r) {
    if (!r.status().ok()) {
      return r;
    }
    Window w = windows.get(r.laneId());
    if (w == null) {
      if (!lanes.contains(r.laneId())) {
        return r;
      }
      w = windows.computeIfAbsent(r.laneId(), k -> new Window());
    }
    w.add(r.grams(), r.atMillis());
    LaneCalibration c = live.get(r.laneId());
    return c == null ? r : new WeightReading(r.laneId(), r.atMillis(), c.apply(r.grams()), r.status());
  }

  public LaneCalibration current(String laneId) {
    return live.getOrDefault(laneId, LaneCalibration.identity(laneId));
  }

  public Map<String, LaneCalibration> all() {
    return Map.copyOf(live);
  }

  /**
   * Sets the lane's zero so that its present load reads {@code knownGrams} (0: the lane is empty),
   * keeping its gain. Durable on return.
   */
  public Result tare(String laneId, double knownGrams) throws CalibrationException {
    if (!(knownGrams >= 0) || !Double.isFinite(knownGrams)) {
      throw new CalibrationException("tare knownGrams must be >= 0 (got: " + knownGrams + ")");
    }
    double[] m = measure(laneId);
    LaneCalibration prev = current(laneId);
    double zero = m[0] - knownGrams / prev.gain();
    return save(prev, new LaneCalibration(laneId, zero, prev.gain(), clock.millis(), "tare"), m);
  }

  /**
   * Sets the lane's gain so that its present load reads {@code knownGrams}, keeping its zero (tare
   * the empty lane first, or leave the zero at 0 on a cell that reads 0 empty). Durable on return.
   */
  public Result span(String laneId, double knownGrams) throws CalibrationException {
    if (!(knownGrams > 0) || !Double.isFinite(knownGrams)) {
      throw new CalibrationException("span knownGrams must be > 0 (got: " + knownGrams + ")");
    }
    double[] m = measure(laneId);
    LaneCalibration prev = current(laneId);
    double above = m[0] - prev.zeroGrams();
    if (above < MIN_SPAN_GRAMS) {
      throw new CalibrationException("lane " + laneId + " reads only " + round(above) + " g above its zero; put at least "
          + MIN_SPAN_GRAMS + " g of known weight on it (raw mean " + round(m[0]) + " g, zero " + round(prev.zeroGrams()) + " g)");
    }
    double gain = knownGrams / above;
    if (gain < LaneCalibration.MIN_GAIN || gain > LaneCalibration.MAX_GAIN) {
      throw new CalibrationException("lane " + laneId + ": a known weight of " + knownGrams + " g on a reading of "
          + round(above) + " g above zero gives gain " + round(gain) + ", outside [" + LaneCalibration.MIN_GAIN + ", "
          + LaneCalibration.MAX_GAIN + "]: wrong lane or wrong weight?");
    }
    return save(prev, new LaneCalibration(laneId, prev.zeroGrams(), gain, clock.millis(), "span"), m);
  }

  private Result save(LaneCalibration prev, LaneCalibration next, double[] m) {
    store.save(next); // durable first: a calibration in use is one that survives a restart
    live.put(next.laneId(), next);
    LOG.info("lane {} calibrated by {}: zero {} g, gain {} (was zero {} g, gain {}); raw mean {} g sd {} g over {} readings",
        next.laneId(), next.lastStep(), round(next.zeroGrams()), next.gain(), round(prev.zeroGrams()), prev.gain(),
        round(m[0]), round(m[1]), (int) m[2]);
    return new Result(next, prev, m[0], m[1], (int) m[2]);
  }

  /** Mean, standard deviation and count of the lane's recent raw readings. */
  private double[] measure(String laneId) throws CalibrationException {
    if (!lanes.contains(laneId)) {
      throw new CalibrationException("unknown lane '" + laneId + "' (lanes: " + new java.util.TreeSet<>(lanes) + ")");
    }
    Window w = windows.get(laneId);
    double[] v = w == null ? new double[0] : w.snapshot();
    if (w != null && clock.millis() - w.lastAtMillis() > MAX_AGE_MILLIS) {
      throw new CalibrationException("lane " + laneId + " has had no reading for "
          + (clock.millis() - w.lastAtMillis()) + " ms: is its device running?");
    }
    if (v.length < MIN_SAMPLES) {
      throw new CalibrationException("lane " + laneId + " has " + v.length + " recent readings, " + MIN_SAMPLES
          + " needed: is its device running?");
    }
    double mean = 0;
    for (double x : v) {
      mean += x;
    }
    mean /= v.length;
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(var / (v.length - 1));
    double limit = STEADY_ABS_GRAMS + STEADY_REL * Math.abs(mean);
    if (sd > limit) {
      throw new CalibrationException("lane " + laneId + " is not steady (sd " + round(sd) + " g over " + v.length
          + " readings, limit " + round(limit) + " g): keep hands off the shelf and retry");
    }
    return new double[] {mean, sd, v.length};
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** The last {@link #WINDOW} raw readings of one lane. */
  private static final class Window {
    private final double[] values = new double[WINDOW];
    private int next;
    private int size;

    private long lastAtMillis;

    synchronized void add(double grams, long atMillis) {
      lastAtMillis = atMillis;
      values[next] = grams;
      next = (next + 1) % WINDOW;
      size = Math.min(size + 1, WINDOW);
    }

    synchronized long lastAtMillis() {
      return lastAtMillis;
    }

    synchronized double[] snapshot() {
      List<Double> out = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        out.add(values[(next - size + i + WINDOW) % WINDOW]);
      }
      return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }
}
