package org.storeedge.runtime;

import java.io.PrintWriter;
import org.storeedge.simulator.SimulatedHandSensor;
import picocli.CommandLine.Option;

/**
 * {@code --hands}, {@code --hand-hit-rate} and {@code --hand-swap-rate}, shared by the commands
 * that run a simulated store: a simulated camera that sees hands ({@link SimulatedHandSensor}).
 */
final class HandOptions {
  @Option(names = "--hands", description = "also feed the checkout what a camera that sees hands would report "
      + "(simulated, with misses, wrong lanes, hands joined to the wrong body, browsing hands; see --hand-hit-rate)")
  boolean hands;

  @Option(names = "--hand-hit-rate", paramLabel = "P", description = "with --hands: chance that a hand in a lane is "
      + "seen (default: ${DEFAULT-VALUE})", defaultValue = "0.9")
  double hitRate;

  @Option(names = "--hand-swap-rate", paramLabel = "P", description = "with --hands: chance that a seen hand is "
      + "joined to a bystander's body when one stands within 0.8 m (default: ${DEFAULT-VALUE})", defaultValue = "0.05")
  double swapRate;

  /** The simulated hand camera: the typical one with the given rates; null without {@code --hands}. */
  SimulatedHandSensor.Model model() {
    return hands ? SimulatedHandSensor.Model.typical().withHitRate(hitRate).withSwapRate(swapRate) : null;
  }

  /** False (after saying why) when the options cannot be used. */
  boolean valid(PrintWriter err) {
    if (!(hitRate >= 0 && hitRate <= 1 && swapRate >= 0 && swapRate <= 1)) {
      err.println("--hand-hit-rate and --hand-swap-rate must be in [0, 1]");
      return false;
    }
    return true;
  }
}
