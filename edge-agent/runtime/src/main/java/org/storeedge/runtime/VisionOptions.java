package org.storeedge.runtime;

import java.io.PrintWriter;
import org.storeedge.runtime.sim.VisionRig;
import org.storeedge.simulator.camera.CameraPoses;
import picocli.CommandLine.Option;

/** {@code --vision}, {@code --cameras} and {@code --ceiling}, shared by the commands that run a simulated store. */
final class VisionOptions {
  @Option(names = "--vision", description = "shoppers' positions from simulated cameras through the real vision pipeline "
      + "(the sim-person model under vision/models of the storeedge.home directory) instead of from the simulator")
  boolean vision;

  @Option(names = "--cameras", defaultValue = "2", paramLabel = "N",
      description = "with --vision: number of simulated corner cameras, 1.." + VisionRig.MAX_CAMERAS + " (default: ${DEFAULT-VALUE})")
  int cameras;

  @Option(names = "--ceiling", description = "with --vision: ceiling cameras looking straight down instead of corner "
      + "cameras, one per " + CameraPoses.OVERHEAD_CELL_X + " x " + CameraPoses.OVERHEAD_CELL_Y
      + " m of floor (as many as the store needs; --cameras does not apply), with the sim-person-overhead model")
  boolean ceiling;

  /** Cameras to simulate: none without {@code --vision}. */
  VisionRig.Cameras cameraSetup() {
    if (!vision) {
      return VisionRig.Cameras.none();
    }
    return ceiling ? VisionRig.Cameras.overhead() : VisionRig.Cameras.corners(cameras);
  }

  /** False (after saying why) when the options cannot be used. */
  boolean valid(PrintWriter err) {
    if (vision && (cameras < 1 || cameras > VisionRig.MAX_CAMERAS)) {
      err.println("--cameras must be 1.." + VisionRig.MAX_CAMERAS + " (got: " + cameras + ")");
      return false;
    }
    if (ceiling && !vision) {
      err.println("--ceiling needs --vision");
      return false;
    }
    return true;
  }
}
