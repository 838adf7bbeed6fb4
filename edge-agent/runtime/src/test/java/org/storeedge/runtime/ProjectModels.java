package org.storeedge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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

  /**
   * {@code @ExtendWith(ProjectModels.Home.class)}: {@link #use} before a test class's tests, {@link
   * #restore} after them.
   */
  public static final class Home implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Home.class);

    @Override
    public void beforeAll(ExtensionContext context) {
      context.getStore(NS).put("previous", java.util.Optional.ofNullable(use()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
      java.util.Optional<?> previous = context.getStore(NS).remove("previous", java.util.Optional.class);
      restore(previous == null ? null : (String) previous.orElse(null));
    }
  }
}
