package org.storeedge.vision;

/**
 * Per-camera pipeline settings.
 *
 * @param personLabel the detector label that is tracked
 * @param minPersonScore person detections below it are dropped before tracking; keep it at the
 *     tracker's {@code lowScore} so low-score (occluded) detections still reach the tracker
 * @param boostedFps inference rate cap while boosted (around weight events), &gt; 0
 * @param idleFps inference rate cap otherwise, &gt; 0 and &lt;= boostedFps
 * @param stallAfterMillis a camera with no new frame for this long is reported stalled and asked
 *     to reconnect, &gt; 0
 * @param watchdogPeriodMillis how often the watchdog looks, &gt; 0
 * @param reconnectInitialMillis first wait between reconnect requests while stalled, &gt; 0;
 *     doubles per attempt
 * @param reconnectMaxMillis cap on that wait, &gt;= reconnectInitialMillis
 */
public record PipelineSettings(String personLabel, double minPersonScore, double boostedFps, double idleFps,
    long stallAfterMillis, long watchdogPeriodMillis, long reconnectInitialMillis, long reconnectMaxMillis) {

  public PipelineSettings {
    if (personLabel == null || personLabel.isBlank()) {
      throw new IllegalArgumentException("pipeline personLabel must not be blank (got: " + personLabel + ")");
    }
    if (!(minPersonScore >= 0 && minPersonScore <= 1)) {
      throw new IllegalArgumentException("pipeline minPersonScore must be in [0, 1] (got: " + minPersonScore + ")");
    }
    if (!(idleFps > 0) || !(boostedFps >= idleFps)) {
      throw new IllegalArgumentException("pipeline fps caps must satisfy 0 < idleFps <= boostedFps (got: "
          + idleFps + ", " + boostedFps + ")");
    }
    if (stallAfterMillis <= 0 || watchdogPeriodMillis <= 0 || reconnectInitialMillis <= 0
        || reconnectMaxMillis < reconnectInitialMillis) {
      throw new IllegalArgumentException("pipeline watchdog times must be > 0 with reconnectMaxMillis >= reconnectInitialMillis (got: "
          + stallAfterMillis + ", " + watchdogPeriodMillis + ", " + reconnectInitialMillis + ", " + reconnectMaxMillis + ")");
    }
  }

  /** 10 fps around events, 2 fps otherwise; stalled after 5 s; reconnect every 1, 2, 4 ... 30 s. */
  public static PipelineSettings defaults() {
    return new PipelineSettings(Detection.PERSON, 0.1, 10, 2, 5000, 1000, 1000, 30_000);
  }

  public PipelineSettings withFps(double boosted, double idle) {
    return new PipelineSettings(personLabel, minPersonScore, boosted, idle, stallAfterMillis, watchdogPeriodMillis,
        reconnectInitialMillis, reconnectMaxMillis);
  }
}
