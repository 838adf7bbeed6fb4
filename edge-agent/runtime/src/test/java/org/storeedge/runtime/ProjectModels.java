package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Points the agent at the repository's vision/models from tests, which run in a module directory. */
public final class ProjectModels {
  private ProjectModels() {}

  /** Sets {@code storeedge.home} to the project root, where vision/models is; returns the previous value. */
  public static String use() {
    Path home = Path.of("").toAbsolutePath();
    while (home != null && !Files.isDirectory(home.resolve("vision/models/sim-person"))) {
      home = home.getParent();
    }
    assertThat(home).as("vision/models/sim-person above " + Path.of("").toAbsolutePath()).isNotNull();
    return System.setProperty("storeedge.home", home.toString());
  }

  /** Puts back what {@link #use} returned. */
  public static void restore(String previous) {
    if (previous == null) {
      System.clearProperty("storeedge.home");
    } else {
      System.setProperty("storeedge.home", previous);
    }
  }
}
