package org.storeedge.runtime;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.storeedge.simulator.SimulatedHandSensor;
import picocli.CommandLine.Option;

/**
 * {@code --hands} and the options that shape it, shared by the commands that run a simulated
 * store: a simulated camera that sees hands ({@link SimulatedHandSensor}).
 */
final class HandOptions {
  /** The sensor {@code --hands} starts from. */
  enum Sensor {
    typical, ideal
  }

  /** How the sensor tells whose hand it saw. */
  enum Association {
    boxes, pose
  }

  @Option(names = "--hands", description = "also feed the checkout what a camera that sees hands would report "
      + "(simulated, with misses, wrong lanes, hands joined to the wrong body, browsing hands; see --hand-hit-rate)")
  boolean hands;

  @Option(names = "--hand-sensor", paramLabel = "typical|ideal", description = "with --hands: the sensor to start "
      + "from: typical (90 % of hands seen, 5 % less per bystander within 1 m, 5 % in the next lane, 5 % on a "
      + "bystander's body, browsing hands, 85 % of hand-offs seen, 0.15 s jitter) or ideal (every hand in its lane "
      + "on its own body at the right moment, nothing invented, every hand-off seen and who gave what, pose association); "
      + "--hand-hit-rate, --hand-swap-rate and --hand-association change it (default: ${DEFAULT-VALUE})",
      defaultValue = "typical")
  Sensor sensor = Sensor.typical;

  @Option(names = "--hand-hit-rate", paramLabel = "P", description = "with --hands: chance that a hand in a lane is "
      + "seen (default: the sensor's, 0.9 typical)")
  Double hitRate;

  @Option(names = "--hand-swap-rate", paramLabel = "P", description = "with --hands: chance that a seen hand is "
      + "joined to a bystander's body when one stands within 0.8 m (default: the sensor's, 0.05 typical)")
  Double swapRate;

  @Option(names = "--hand-association", paramLabel = "boxes|pose", description = "with --hands: how the camera "
      + "tells whose hand it saw: boxes (as the vision pipeline does: a hand two people's boxes hold counts for the "
      + "nearer with only its share of the confidence) or pose (a skeleton's own hand, at its full score; wrong only "
      + "at the swap rate) (default: the sensor's, boxes typical)")
  Association association;

  @Option(names = "--hand-model", paramLabel = "NAME=VALUE", split = ",", description = "with --hands: set any of the "
      + "sensor's parameters, after the options above (repeatable or comma-separated): hit, crowd-occlusion (less "
      + "chance to be seen per bystander within 1 m), lane-error (put in the next lane), swap (joined to a bystander's "
      + "body), spurious-per-minute (browsing hands per minute at a shelf), contact-hit (hand-offs seen), "
      + "false-contacts-per-minute (side by side), jitter-seconds, latency-seconds, contact-direction (contacts "
      + "that say who gave), contact-item (of those, naming the product too); e.g. --hand-model "
      + "lane-error=0,jitter-seconds=0 to see what a camera without those errors would buy")
  Map<String, String> parameters = new LinkedHashMap<>();

  /** The simulated hand camera; null without {@code --hands}. */
  SimulatedHandSensor.Model model() {
    return hands ? sensor() : null;
  }

  /** The sensor the options describe, whether or not {@code --hands} is on. */
  private SimulatedHandSensor.Model sensor() {
    SimulatedHandSensor.Model m = sensor == Sensor.ideal ? SimulatedHandSensor.Model.ideal()
        : SimulatedHandSensor.Model.typical();
    if (hitRate != null) {
      m = m.withHitRate(hitRate);
    }
    if (swapRate != null) {
      m = m.withSwapRate(swapRate);
    }
    if (association != null) {
      m = m.withAssociation(association == Association.pose ? SimulatedHandSensor.Association.POSE
          : SimulatedHandSensor.Association.BOXES);
    }
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      m = m.with(p.getKey(), number(p.getKey(), p.getValue()));
    }
    return m;
  }

  private static double number(String name, String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("hand sensor parameter " + name + " must be a number, got '" + text + "'");
    }
  }

  /** False (after saying why) when the options cannot be used. */
  boolean valid(PrintWriter err) {
    if (!(hitRate == null || hitRate >= 0 && hitRate <= 1) || !(swapRate == null || swapRate >= 0 && swapRate <= 1)) {
      err.println("--hand-hit-rate and --hand-swap-rate must be in [0, 1]");
      return false;
    }
    try {
      sensor();
    } catch (IllegalArgumentException e) {
      err.println("--hand-model: " + e.getMessage());
      return false;
    }
    return true;
  }
}
