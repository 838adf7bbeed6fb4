package org.storeedge.simulator.camera;

import java.util.List;
import org.storeedge.vision.Frame;

/**
 * A rendered camera frame and the ground truth of who is in it.
 *
 * @param persons every shopper figure at least partly in view, nearest last
 */
public record RenderedFrame(Frame frame, List<PersonTruth> persons) {
  public RenderedFrame {
    persons = List.copyOf(persons);
  }

  /** The persons a detector is expected to find ({@link PersonTruth#clearlyVisible}). */
  public List<PersonTruth> clearlyVisible() {
    return persons.stream().filter(PersonTruth::clearlyVisible).toList();
  }
}
