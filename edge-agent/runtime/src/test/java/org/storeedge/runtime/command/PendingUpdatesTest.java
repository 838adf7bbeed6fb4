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

  @Test
  void updatesOfTwoModelsWaitSideBySideAndAFileKeptBeforeModelsHadSlotsIsStillRead() throws Exception {
    Path store = dir.resolve("store.yaml");
    List<String> commands = List.of("config-update", "model-update");
    PendingUpdates p = new PendingUpdates(store, commands);
    byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
    p.put(new PendingUpdates.Pending(PendingUpdates.slotOf("model-update", "sim-person"), 7, payload, 2_000, 9_000));
    p.put(new PendingUpdates.Pending(PendingUpdates.slotOf("model-update", "mediapipe-palm"), 8, payload, 3_000, 9_000));
    // as a run before models had a slot each left it
    Files.writeString(store.resolveSibling("store.yaml.pending-model-update.json"), "{\"command\":\"model-update\","
        + "\"sequence\":5,\"receivedAt\":\"1970-01-01T00:00:01Z\",\"applyBy\":\"1970-01-01T00:00:09Z\","
        + "\"payload\":\"e30=\"}");
    Files.writeString(store.resolveSibling("store.yaml.pending-other-thing.json"), "{}"); // not ours: left alone

    PendingUpdates reread = new PendingUpdates(store, commands);

    assertThat(reread.all()).extracting(PendingUpdates.Pending::slot)
        .containsExactly("model-update", "model-update.sim-person", "model-update.mediapipe-palm"); // as they came
    assertThat(reread.all()).extracting(PendingUpdates.Pending::command).containsOnly("model-update");
    assertThat(reread.get("model-update.mediapipe-palm").orElseThrow().model()).hasValue("mediapipe-palm");
    assertThat(reread.get("model-update").orElseThrow().model()).isEmpty();
    reread.removeUpTo("model-update.sim-person", 7);
    assertThat(new PendingUpdates(store, commands).all()).extracting(PendingUpdates.Pending::sequence)
        .containsExactly(5L, 8L);
    assertThat(store.resolveSibling("store.yaml.pending-other-thing.json")).exists();
  }

  @Test
  void aSlotNamesAModelOnlyByAModelsName() {
    assertThat(PendingUpdates.slotOf("model-update", "sim-person")).isEqualTo("model-update.sim-person");
    assertThat(PendingUpdates.slotOf("config-update", null)).isEqualTo("config-update");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PendingUpdates.slotOf("model-update", "../x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
