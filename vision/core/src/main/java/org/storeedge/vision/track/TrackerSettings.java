package org.storeedge.vision.track;

/**
 * ByteTrack-style tracker parameters. Scores are detector confidences in [0, 1]; noise figures
 * are in box heights (per second, per second squared), so they hold for near and far people.
 *
 * @param highScore detections at or above it are matched first and may start tracks
 * @param lowScore detections in [lowScore, highScore) only extend tracks already being followed
 *     (partly occluded people); below it they are ignored
 * @param newTrackScore a high detection left unmatched starts a tentative track only from this
 *     score
 * @param firstMatchIou minimum IoU for high detections against tracks (first stage)
 * @param secondMatchIou minimum IoU for low detections against tracks (second stage)
 * @param tentativeMatchIou minimum IoU for a tentative track's next detection
 * @param maxSpeedHeightsPerSecond fallback when IoU finds no match (low frame rates, fast
 *     walkers): a track may take the nearest leftover high detection whose centre is within
 *     {@code 0.5 + maxSpeed * dt} box heights of its prediction and of similar height; 0 turns
 *     the fallback off
 * @param minHits consecutive matched frames (including the first) before a tentative track is
 *     confirmed and gets an id; a tentative track that misses one frame is discarded
 * @param maxLostMillis a confirmed track not matched for longer than this is removed
 * @param maxLostFrames ... or for more frames than this, whichever comes first
 * @param measurementStd detector box noise, box heights
 * @param initialVelocityStd prior velocity spread of a new track, box heights per second
 * @param accelerationStd centre acceleration noise, box heights per second squared
 * @param sizeAccelerationStd width/height acceleration noise, box heights per second squared
 */
public record TrackerSettings(
    double highScore,
    double lowScore,
    double newTrackScore,
    double firstMatchIou,
    double secondMatchIou,
    double tentativeMatchIou,
    double maxSpeedHeightsPerSecond,
    int minHits,
    long maxLostMillis,
    int maxLostFrames,
    double measurementStd,
    double initialVelocityStd,
    double accelerationStd,
    double sizeAccelerationStd) {

  public TrackerSettings {
    check(0 <= lowScore && lowScore <= highScore && highScore <= 1, "scores must satisfy 0 <= lowScore <= highScore <= 1",
        lowScore + ", " + highScore);
    check(newTrackScore >= highScore && newTrackScore <= 1, "newTrackScore must be in [highScore, 1]", newTrackScore);
    check(firstMatchIou > 0 && firstMatchIou <= 1, "firstMatchIou must be in (0, 1]", firstMatchIou);
    check(secondMatchIou > 0 && secondMatchIou <= 1, "secondMatchIou must be in (0, 1]", secondMatchIou);
    check(tentativeMatchIou > 0 && tentativeMatchIou <= 1, "tentativeMatchIou must be in (0, 1]", tentativeMatchIou);
    check(maxSpeedHeightsPerSecond >= 0, "maxSpeedHeightsPerSecond must be >= 0", maxSpeedHeightsPerSecond);
    check(minHits >= 1, "minHits must be >= 1", minHits);
    check(maxLostMillis >= 0, "maxLostMillis must be >= 0", maxLostMillis);
    check(maxLostFrames >= 0, "maxLostFrames must be >= 0", maxLostFrames);
    check(measurementStd > 0, "measurementStd must be > 0", measurementStd);
    check(initialVelocityStd > 0, "initialVelocityStd must be > 0", initialVelocityStd);
    check(accelerationStd > 0, "accelerationStd must be > 0", accelerationStd);
    check(sizeAccelerationStd > 0, "sizeAccelerationStd must be > 0", sizeAccelerationStd);
  }

  private static void check(boolean ok, String what, Object got) {
    if (!ok) {
      throw new IllegalArgumentException("tracker " + what + " (got: " + got + ")");
    }
  }

  /**
   * Defaults for shoppers seen by a ceiling camera at 2 to 30 fps: a track survives 2 s of
   * occlusion and is confirmed after 3 consecutive detections.
   */
  public static TrackerSettings defaults() {
    return new TrackerSettings(0.5, 0.1, 0.6, 0.2, 0.5, 0.3, 1.5, 3, 2000, 60, 0.05, 1.5, 1.0, 0.2);
  }

  public TrackerSettings withMinHits(int hits) {
    return new TrackerSettings(highScore, lowScore, newTrackScore, firstMatchIou, secondMatchIou, tentativeMatchIou,
        maxSpeedHeightsPerSecond, hits, maxLostMillis, maxLostFrames, measurementStd, initialVelocityStd,
        accelerationStd, sizeAccelerationStd);
  }

  public TrackerSettings withMaxLost(long millis, int frames) {
    return new TrackerSettings(highScore, lowScore, newTrackScore, firstMatchIou, secondMatchIou, tentativeMatchIou,
        maxSpeedHeightsPerSecond, minHits, millis, frames, measurementStd, initialVelocityStd,
        accelerationStd, sizeAccelerationStd);
  }
}
