package org.storeedge.runtime;

import java.io.PrintWriter;
import org.storeedge.runtime.sim.VisionRig;
import picocli.CommandLine.Option;

/** {@code --vision} and {@code --cameras}, shared by the commands that run a simulated store. */
final class VisionOptions {
  @Option(names = "--vision", description = "shoppers' positions from simulated cameras through the real vision pipeline "
      + "(the sim-person model under vision/models of the storeedge.home directory) instead of from the simulator")
  boolean vision;

  @Option(names = "--cameras", defaultValue = "2", paramLabel = "N",
      description = "with --vision: number of simulated corner cameras, 1.." + VisionRig.MAX_CAMERAS + " (default: ${DEFAULT-VALUE})")
  int cameras;

  /** Cameras to simulate: 0 without {@code --vision}. */
  int cameraCount() {
    return vision ? cameras : 0;
  }

  /** False (after saying why) when the options cannot be used. */
  boolean valid(PrintWriter err) {
    if (vision && (cameras < 1 || cameras > VisionRig.MAX_CAMERAS)) {
      err.println("--cameras must be 1.." + VisionRig.MAX_CAMERAS + " (got: " + cameras + ")");
      return false;
    }
    return true;
  }
}
