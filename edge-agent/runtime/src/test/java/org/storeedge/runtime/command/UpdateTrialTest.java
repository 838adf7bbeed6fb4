package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UpdateTrial} on real files: what an update changed is put back when its check never ended. */
class UpdateTrialTest {
  @TempDir
  Path dir;

  @Test
  void anUpdateCutOffBeforeItsCheckEndedIsPutBackFileByFile() throws Exception {
    Path store = Files.writeString(dir.resolve("store.yaml"), "version: 1\n");
    Path overlay = Files.writeString(dir.resolve("store.planogram.json"), "{\"lanes\":[]}");
    Path fresh = dir.resolve("store.extra");
    Path marker = UpdateTrial.markerFor(store);
    UpdateTrial.begin(marker, "config-update sequence 4", List.of(store, overlay, fresh));
    // what the update does: replace one file, remove one, create one; then the power goes
    AtomicFiles.replace(store, "version: 2\n".getBytes());
    AtomicFiles.remove(overlay);
    Files.writeString(fresh, "new");
    assertThat(marker).exists();

    Optional<UpdateTrial.Undone> undone = UpdateTrial.undo(marker);

    assertThat(undone).isPresent();
    assertThat(undone.get().update()).isEqualTo("config-update sequence 4");
    assertThat(undone.get().files()).containsExactly("store.yaml", "store.planogram.json", "store.extra");
    assertThat(undone.get().describe()).contains("config-update sequence 4").contains("health check never ended");
    assertThat(Files.readString(store)).isEqualTo("version: 1\n");
    assertThat(Files.readString(overlay)).isEqualTo("{\"lanes\":[]}");
    assertThat(fresh).doesNotExist();
    assertThat(marker).doesNotExist();
    assertThat(UpdateTrial.undo(marker)).as("undone once").isEmpty();
  }

  @Test
  void anUpdateThatPassedItsCheckStays() throws Exception {
    Path store = Files.writeString(dir.resolve("store.yaml"), "version: 1\n");
    Path marker = UpdateTrial.markerFor(store);
    UpdateTrial.begin(marker, "config-update sequence 5", List.of(store));
    AtomicFiles.replace(store, "version: 2\n".getBytes());
    UpdateTrial.end(marker);

    assertThat(UpdateTrial.undo(marker)).isEmpty();
    assertThat(Files.readString(store)).isEqualTo("version: 2\n");
  }

  @Test
  void aCutBeforeTheSwitchPutsBackWhatIsAlreadyThere() throws Exception {
    Path store = Files.writeString(dir.resolve("store.yaml"), "version: 1\n");
    Path marker = UpdateTrial.markerFor(store);
    UpdateTrial.begin(marker, "config-update sequence 6", List.of(store));

    assertThat(UpdateTrial.undo(marker)).isPresent();
    assertThat(Files.readString(store)).isEqualTo("version: 1\n");
  }

  @Test
  void anUnreadableMarkerIsSetAsideAndReportedAndNothingIsTouched() throws Exception {
    Path store = Files.writeString(dir.resolve("store.yaml"), "version: 2\n");
    Path marker = UpdateTrial.markerFor(store);
    Files.writeString(marker, "{\"update\":\"config-update sequence 7\",\"files\":[{\"name\":\"store.yaml\"}]}");

    UpdateTrial.Undone undone = UpdateTrial.undo(marker).orElseThrow();

    assertThat(undone.problem()).contains("no recorded content for store.yaml");
    assertThat(undone.describe()).contains("cannot be read").contains("nothing was put back");
    assertThat(Files.readString(store)).isEqualTo("version: 2\n");
    assertThat(marker).doesNotExist();
    assertThat(dir.resolve("store.yaml.trial.unreadable")).exists();

    Files.writeString(marker, "{\"update\":\"x\",\"files\":[{\"name\":\"../etc/passwd\",\"content\":\"\"}]}");
    assertThat(UpdateTrial.undo(marker).orElseThrow().problem()).contains("bad file name");
  }

  @Test
  void onlyFilesBesideTheMarkerCanBeRecorded() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("sub"));
    assertThatThrownBy(() -> UpdateTrial.begin(UpdateTrial.markerFor(dir.resolve("store.yaml")), "x",
        List.of(sub.resolve("other.yaml")))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRefusedUpdateWhoseRecordCannotBeReadIsRolledBackFromThePreviousCopies() throws Exception {
    Path store = Files.writeString(dir.resolve("store.yaml"), "version: 1\n");
    Path overlay = Files.writeString(dir.resolve("store.planogram.json"), "{\"lanes\":[]}");
    Path marker = UpdateTrial.markerFor(store);
    UpdateTrial.begin(marker, "config-update sequence 8", List.of(store, overlay));
    AtomicFiles.replace(store, "version: 2\n".getBytes());
    AtomicFiles.remove(overlay);
    Files.writeString(marker, "{ torn"); // the record is lost; the health check refused the update

    Optional<UpdateTrial.Undone> r = UpdateTrial.rollBack(marker, List.of(store, overlay));

    assertThat(r).hasValueSatisfying(u -> assertThat(u.problem()).isNotNull());
    assertThat(Files.readString(store)).isEqualTo("version: 1\n");
    assertThat(Files.readString(overlay)).isEqualTo("{\"lanes\":[]}");
    assertThat(marker.resolveSibling("store.yaml.trial.unreadable")).hasContent("{ torn");
  }

  @Test
  void aRefusedUpdateWithItsRecordIsRolledBackByTheRecordNotThePreviousCopies() throws Exception {
    Path store = Files.writeString(dir.resolve("store.yaml"), "version: 1\n");
    AtomicFiles.replace(store, "version: 2\n".getBytes()); // an earlier update: previous is version 1
    Path marker = UpdateTrial.markerFor(store);
    UpdateTrial.begin(marker, "config-update sequence 9", List.of(store));
    AtomicFiles.replace(store, "version: 3\n".getBytes());

    assertThat(UpdateTrial.rollBack(marker, List.of(store))).hasValueSatisfying(u -> assertThat(u.problem()).isNull());

    assertThat(Files.readString(store)).isEqualTo("version: 2\n");
    assertThat(marker).doesNotExist();
  }
}
