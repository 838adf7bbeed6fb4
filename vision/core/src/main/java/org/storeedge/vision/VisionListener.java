package org.storeedge.vision;

import org.storeedge.core.event.HandContact;
import org.storeedge.core.event.HandInLane;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.vision.interaction.ZoneInteraction;

/**
 * Receives what the vision pipeline sees. Observations and interactions arrive on the camera's
 * inference thread, camera faults on the scheduler's thread; implementations hand off at once
 * (post to their own thread) and never throw. A listener that throws is logged and counted.
 */
public interface VisionListener {
  /** One visible track's floor position in one processed frame. */
  default void onObservation(ShopperObservation observation) {}

  /** A track has stayed in a lane zone for the minimum dwell; {@code toMillis} is that moment. */
  default void onInteractionStarted(ZoneInteraction interaction) {}

  /** The track left the zone (or was lost for good); {@code toMillis} is its last time inside. */
  default void onInteractionEnded(ZoneInteraction interaction) {}

  /** A tracked person's hand was in a lane's shelf face (cameras whose model sees hands). */
  default void onHandInLane(HandInLane hand) {}

  /** Two tracked people's hands met away from the shelves (cameras whose model sees hands). */
  default void onHandContact(HandContact contact) {}

  /** A camera stopped delivering frames, or recovered. */
  default void onCameraFault(CameraFault fault) {}
}
