package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingUpdatesTest {
  private static final List<String> COMMANDS = List.of("config-update", "planogram-update");

  @TempDir
  Path dir;

  @Test
  void aHeldUpdateIsOnDiskUntilRemovedAndANewerOneReplacesIt() throws Exception {
    Path store = dir.resolve("store.yaml");
    PendingUpdates p = new PendingUpdates(store, COMMANDS);
    byte[] payload = "{\"sequence\":7}".getBytes(StandardCharsets.UTF_8);
    p.put(new PendingUpdates.Pending("config-update", 7, payload, 1_000, 3_601_000));

    PendingUpdates reread = new PendingUpdates(store, COMMANDS);
    assertThat(reread.all()).singleElement().satisfies(x -> {
      assertThat(x.sequence()).isEqualTo(7);
      assertThat(x.payload()).isEqualTo(payload);
      assertThat(x.applyByMillis()).isEqualTo(3_601_000);
    });
    reread.put(new PendingUpdates.Pending("config-update", 9, payload, 2_000, 5_000));
    reread.removeUpTo("config-update", 8); // an older sequence applied meanwhile leaves the newer one held
    assertThat(new PendingUpdates(store, COMMANDS).get("config-update").orElseThrow().sequence()).isEqualTo(9);
    reread.removeUpTo("config-update", 9);
    assertThat(new PendingUpdates(store, COMMANDS).all()).isEmpty();
    assertThat(reread.fileOf("config-update")).doesNotExist();
  }

  @Test
  void anUnreadableHeldUpdateIsMovedAsideNotDeleted() throws Exception {
    Path store = dir.resolve("store.yaml");
    Path f = new PendingUpdates(store, COMMANDS).fileOf("planogram-update");
    Files.writeString(f, "{ torn");
    PendingUpdates p = new PendingUpdates(store, COMMANDS);
    assertThat(p.all()).isEmpty();
    assertThat(f).doesNotExist();
    assertThat(f.resolveSibling(f.getFileName() + ".unreadable")).hasContent("{ torn");
  }
}
