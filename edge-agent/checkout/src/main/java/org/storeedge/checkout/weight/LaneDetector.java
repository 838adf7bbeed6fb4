package org.storeedge.checkout.weight;

import org.storeedge.core.event.ShelfEvent;

/**
 * Change detection for one lane: stable-before / active / stable-after, re-tare on every stable
 * window (absolute readings drift, relative changes are reliable), merge of activity bursts less
 * than the merge gap apart, and a net change reported only when it exceeds the lane's minimum.
 *
 * <p>Not thread-safe: fed by one thread, in time order. Allocation-free per sample.
 */
public final class LaneDetector {
  /** Receives settled changes. */
  @FunctionalInterface
  public interface Listener {
    void onChange(LaneChange change);
  }

  private enum State { ACQUIRING, STABLE, ACTIVE, SETTLED }

  private final String laneId;
  private final DetectorSettings s;
  private final double minChange;
  private final double twoWayGrams;
  private final Listener listener;

  // moving window of recent samples, values relative to 'ref' to keep sums small
  private final long[] times;
  private final double[] values;
  private int head; // index of oldest
  private int size;
  private double sum;
  private double sumSq;
  private double ref = Double.NaN;

  // baseline snapshots: stable window means, to take the level "just before" activity
  private final long[] snapTimes = new long[8];
  private final double[] snapMeans = new double[8];
  private final double[] snapVars = new double[8];
  private final int[] snapCounts = new int[8];
  private int snapHead;
  private int snapSize;

  private State state = State.ACQUIRING;
  private double baseline; // absolute grams
  private double baselineVar;
  private int baselineCount;
  private long activeStart;
  private long settledEnd;
  private long settledAt;
  private double rise;
  private double fall;
  // the samples of the current activity (the newest TRAIL of them), to time the step
  private static final int TRAIL = 2048;
  private final long[] trailTimes = new long[TRAIL];
  private final double[] trailValues = new double[TRAIL];
  private int trailHead;
  private int trailSize;
  private double settledLevel;
  private double settledVar;
  private int settledCount;

  // drift of the quiet level, learnt while stable: variance growth rate, grams^2 per second
  private static final long DRIFT_SPAN_MILLIS = 2000;
  private double driftRate;
  private long driftT = -1;
  private double driftLevel;

  /**
   * @param minChangeGrams this lane's smallest reportable net change, grams
   * @param maxSamplesInWindow capacity of the window buffer (e.g. 2x the samples in the stable
   *     window at the highest rate expected)
   */
  public LaneDetector(String laneId, DetectorSettings settings, double minChangeGrams, int maxSamplesInWindow,
      Listener listener) {
    this(laneId, settings, minChangeGrams, Double.POSITIVE_INFINITY, maxSamplesInWindow, listener);
  }

  /**
   * As above; a change whose net is below {@code minChangeGrams} is still reported when the lane
   * went that far past both its levels before and after, by {@code twoWayGrams} or more
   * ({@link LaneChange#overshootGrams}): something of that weight was put on and something taken
   * off (or the other way round) in one activity, which a net change alone hides.
   */
  public LaneDetector(String laneId, DetectorSettings settings, double minChangeGrams, double twoWayGrams,
      int maxSamplesInWindow, Listener listener) {
    this.twoWayGrams = twoWayGrams;
    this.laneId = laneId;
    this.s = settings;
    this.minChange = minChangeGrams;
    this.listener = listener;
    this.times = new long[maxSamplesInWindow];
    this.values = new double[maxSamplesInWindow];
  }

  public String laneId() {
    return laneId;
  }

  /** True while activity is under way or a settled change waits for the merge gap to pass. */
  public boolean busy() {
    return state == State.ACTIVE || state == State.SETTLED;
  }

  /** Start of the current activity (meaningful when {@link #busy()}). */
  public long activeSince() {
    return activeStart;
  }

  /** The current stable level, grams (NaN until the first stable window). */
  public double level() {
    return state == State.ACQUIRING ? Double.NaN : baseline;
  }

  /**
   * The level this lane had at {@code sinceMillis}, before the agent stopped: when the first
   * stable window after the start differs from it by the lane's minimum change or more, that
   * difference is reported as one change spanning from {@code sinceMillis} to then (a pick or a
   * put-back while the agent was down). Call before the first sample.
   */
  public void expectLevel(double grams, long sinceMillis) {
    expectedLevel = grams;
    expectedSince = sinceMillis;
  }

  private double expectedLevel = Double.NaN;
  private long expectedSince;

  /** Forget everything (after a device fault): the next stable window becomes the new baseline. */
  public void reset() {
    size = 0;
    head = 0;
    sum = 0;
    sumSq = 0;
    ref = Double.NaN;
    snapSize = 0;
    state = State.ACQUIRING;
  }

  /** Feeds one good sample: time in epoch ms, load in grams. */
  public void onSample(long t, double grams) {
    if (Double.isNaN(ref)) {
      ref = grams;
    }
    push(t, grams - ref);
    boolean windowFull = size >= 2 && t - times[head] >= s.stableWindowMillis();
    double mean = sum / size;
    double var = Math.max(0, sumSq / size - mean * mean);
    boolean stable = windowFull && var <= s.stableStdGrams() * s.stableStdGrams();
    double absMean = mean + ref;

    switch (state) {
      case ACQUIRING -> {
        if (stable) {
          baseline = absMean;
          baselineVar = var;
          baselineCount = size;
          snapshot(t, absMean, var, size);
          state = State.STABLE;
          if (!Double.isNaN(expectedLevel)) {
            double delta = absMean - expectedLevel;
            expectedLevel = Double.NaN;
            // the level then was a stable mean too; the gap adds drift of unknown size
            double hours = Math.max(0, t - expectedSince) / 3_600_000.0;
            double sigma = Math.sqrt(2 * var / Math.max(1, size) + 0.25 + sq(0.01 * delta) + 4 * hours);
            if (Math.abs(delta) >= minChange) {
              listener.onChange(new LaneChange(laneId, expectedSince, times[head], delta, sigma, Math.max(0, delta),
                  Math.max(0, -delta), expectedSince));
            }
          }
        }
      }
      case STABLE -> {
        double dev = grams - baseline;
        if (Math.abs(dev) > s.triggerGrams()) {
          startActivity(t, dev);
        } else if (stable) {
          snapshot(t, absMean, var, size);
          // follow slow drift and creep: the baseline is the latest quiet level
          baseline = absMean;
          baselineVar = var;
          baselineCount = size;
          learnDrift(t, absMean);
        }
      }
      case ACTIVE -> {
        excursion(t, grams);
        if (stable && times[head] >= activeStart) {
          settledLevel = absMean;
          settledVar = var;
          settledCount = size;
          settledEnd = times[head];
          settledAt = t;
          state = State.SETTLED;
        }
      }
      case SETTLED -> {
        if (Math.abs(grams - settledLevel) > s.triggerGrams()) {
          // activity again within the merge gap: same event continues
          state = State.ACTIVE;
          excursion(t, grams);
        } else {
          trail(t, grams);
          if (stable) {
            settledLevel = absMean;
            settledVar = var;
            settledCount = size;
          }
          if (t - settledAt >= s.mergeGapMillis()) {
            finish();
          }
        }
      }
    }
  }

  private void startActivity(long t, double dev) {
    // the level just before activity: the newest snapshot taken before the rise began
    long cutoff = t - s.stableWindowMillis() / 4;
    for (int i = 0; i < snapSize; i++) {
      int idx = Math.floorMod(snapHead - 1 - i, snapTimes.length);
      if (snapTimes[idx] <= cutoff) {
        baseline = snapMeans[idx];
        baselineVar = snapVars[idx];
        baselineCount = snapCounts[idx];
        break;
      }
    }
    activeStart = t;
    rise = Math.max(0, dev);
    fall = Math.max(0, -dev);
    trailSize = 0;
    trail(t, baseline + dev);
    state = State.ACTIVE;
    driftT = -1;
  }

  /**
   * Learns how fast the quiet level wanders (drift, creep, temperature) as the variance growth of
   * level differences over a couple of seconds, so an event's uncertainty grows with its length.
   */
  private void learnDrift(long t, double level) {
    if (driftT < 0) {
      driftT = t;
      driftLevel = level;
      return;
    }
    long dt = t - driftT;
    if (dt >= DRIFT_SPAN_MILLIS) {
      double d = level - driftLevel;
      double rate = d * d / (dt / 1000.0);
      driftRate = driftRate == 0 ? rate : 0.95 * driftRate + 0.05 * rate;
      driftT = t;
      driftLevel = level;
    }
  }

  /** Learnt drift: growth of the quiet level's variance, grams^2 per second. */
  public double driftRate() {
    return driftRate;
  }

  private void finish() {
    double delta = settledLevel - baseline;
    double se = Math.sqrt(baselineVar / Math.max(1, baselineCount) + settledVar / Math.max(1, settledCount));
    double seconds = (settledEnd - activeStart + s.stableWindowMillis()) / 1000.0;
    double sigma = Math.sqrt(se * se + 0.25 + sq(0.01 * delta) + driftRate * seconds);
    ShelfEvent.Plateau plateau = plateau(delta);
    baseline = settledLevel;
    baselineVar = settledVar;
    baselineCount = settledCount;
    snapSize = 0;
    snapshot(settledAt, settledLevel, settledVar, settledCount);
    state = State.STABLE;
    rebase(settledLevel);
    LaneChange c = new LaneChange(laneId, activeStart, settledEnd, delta, sigma, rise, fall,
        stepTime(settledLevel, delta), plateau);
    if (Math.abs(delta) >= minChange || c.overshootGrams() >= twoWayGrams) {
      listener.onChange(c);
    }
  }

  /** Widens the excursions of the current activity by one sample, and keeps it on the trail. */
  private void excursion(long t, double grams) {
    rise = Math.max(rise, grams - baseline);
    fall = Math.max(fall, baseline - grams);
    trail(t, grams);
  }

  private void trail(long t, double grams) {
    int idx = (trailHead + trailSize) % trailTimes.length;
    trailTimes[idx] = t;
    trailValues[idx] = grams;
    if (trailSize < trailTimes.length) {
      trailSize++;
    } else {
      trailHead = (trailHead + 1) % trailTimes.length;
    }
  }

  /**
   * When the load first came within a quarter of the change (at least three triggers) of the level
   * it settled at: when the item moved, rather than when the activity began or ended (an elbow
   * resting on the lane after the take, a hand lingering before it). The start when the trail
   * does not reach back that far.
   */
  private long stepTime(double level, double delta) {
    double tolerance = Math.max(3 * s.triggerGrams(), 0.25 * Math.abs(delta));
    for (int i = 0; i < trailSize; i++) {
      int idx = (trailHead + i) % trailTimes.length;
      if (Math.abs(trailValues[idx] - level) <= tolerance) {
        return trailTimes[idx];
      }
    }
    return activeStart;
  }

  /**
   * An intermediate level the load dwelled at for {@link #PLATEAU_MILLIS} or more on its way from
   * the level before to the level after: two movements the same way in one activity, such as two
   * shoppers one after the other, each taking from the lane while the other's hand was still on
   * it. The trail is fitted (least absolute deviations, robust to a hand's force) with one step
   * from the level before to the level after, and with two steps through a level in between at
   * each fraction {@code k/n} of the change (n up to {@link #PLATEAU_MAX_UNITS}); the two-step fit
   * is kept when it explains the samples in between at least half as well as a clean two-step
   * signal would. Null when one step explains it.
   */
  private ShelfEvent.Plateau plateau(double delta) {
    if (Math.abs(delta) < 2 * minChange || trailSize < 3) {
      return null;
    }
    int n = trailSize;
    double[] costBefore = prefixCost(baseline);
    double[] costAfter = prefixCost(settledLevel);
    // one step at sample i: samples before it at the level before, from it on at the level after
    double one = Double.POSITIVE_INFINITY;
    for (int i = 0; i <= n; i++) {
      one = Math.min(one, costBefore[i] + costAfter[n] - costAfter[i]);
    }
    ShelfEvent.Plateau best = null;
    double bestGain = 0;
    for (int units = 2; units <= PLATEAU_MAX_UNITS; units++) {
      for (int k = 1; k < units; k++) {
        if (gcd(k, units) != 1) {
          continue;
        }
        double fraction = (double) k / units;
        double[] costMid = prefixCost(baseline + fraction * delta);
        // two steps, at samples i <= j: best i for each j from a running minimum
        double bestLead = Double.POSITIVE_INFINITY;
        int bestI = 0;
        for (int j = 0; j <= n; j++) {
          double lead = costBefore[j] - costMid[j];
          if (lead < bestLead) {
            bestLead = lead;
            bestI = j;
          }
          long from = trailTimes[(trailHead + Math.min(bestI, n - 1)) % TRAIL];
          long to = trailTimes[(trailHead + Math.min(j, n - 1)) % TRAIL];
          if (to - from < PLATEAU_MILLIS) {
            continue;
          }
          double two = bestLead + costMid[j] + costAfter[n] - costAfter[j];
          double gain = one - two;
          double ideal = (j - bestI) * Math.min(fraction, 1 - fraction) * Math.abs(delta);
          if (gain > bestGain && gain >= PLATEAU_MIN_GAIN * ideal) {
            bestGain = gain;
            best = new ShelfEvent.Plateau(fraction, from, to);
          }
        }
      }
    }
    return best;
  }

  /** Running sums over the trail of each sample's absolute deviation from {@code level}. */
  private double[] prefixCost(double level) {
    double[] out = new double[trailSize + 1];
    for (int i = 0; i < trailSize; i++) {
      out[i + 1] = out[i] + Math.abs(trailValues[(trailHead + i) % TRAIL] - level);
    }
    return out;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private static final long PLATEAU_MILLIS = 300;
  private static final int PLATEAU_MAX_UNITS = 6;
  private static final double PLATEAU_MIN_GAIN = 0.5;

  /** Re-centres the window sums on {@code level} so long runs keep full precision. */
  private void rebase(double level) {
    double shift = ref - level;
    sum = 0;
    sumSq = 0;
    for (int i = 0; i < size; i++) {
      int idx = (head + i) % times.length;
      values[idx] += shift;
      sum += values[idx];
      sumSq += values[idx] * values[idx];
    }
    ref = level;
  }

  private void snapshot(long t, double mean, double var, int n) {
    int last = Math.floorMod(snapHead - 1, snapTimes.length);
    if (snapSize > 0 && t - snapTimes[last] < s.stableWindowMillis() / 6) {
      return;
    }
    snapTimes[snapHead] = t;
    snapMeans[snapHead] = mean;
    snapVars[snapHead] = var;
    snapCounts[snapHead] = n;
    snapHead = (snapHead + 1) % snapTimes.length;
    snapSize = Math.min(snapSize + 1, snapTimes.length);
  }

  private void push(long t, double v) {
    // drop samples older than the window (keep at least one)
    while (size > 1 && t - times[head] > s.stableWindowMillis()) {
      double old = values[head];
      sum -= old;
      sumSq -= old * old;
      head = (head + 1) % times.length;
      size--;
    }
    if (size == times.length) {
      double old = values[head];
      sum -= old;
      sumSq -= old * old;
      head = (head + 1) % times.length;
      size--;
    }
    int idx = (head + size) % times.length;
    times[idx] = t;
    values[idx] = v;
    sum += v;
    sumSq += v * v;
    size++;
  }

  private static double sq(double x) {
    return x * x;
  }
}
