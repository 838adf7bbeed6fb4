package org.storeedge.vision;

/**
 * One object found in a frame.
 *
 * @param label class name as the model's class list spells it (e.g. {@code person})
 * @param score confidence in [0, 1]
 * @param box in pixels of the frame given to the detector (not of the model's input)
 */
public record Detection(String label, float score, BoundingBox box) {

  /** The label the pipeline tracks. */
  public static final String PERSON = "person";

  public Detection {
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("detection label must not be blank (got: " + label + ")");
    }
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("detection score must be in [0, 1] (got: " + score + ")");
    }
    if (box == null) {
      throw new IllegalArgumentException("detection box must not be null");
    }
  }
}
