package org.storeedge.sync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDatabaseTest {
  @TempDir
  Path dir;

  @Test
  void siblingFileSitsNextToTheOutbox() {
    assertThat(StateDatabase.siblingOf(Path.of("/var/lib/se/storeedge.db")))
        .isEqualTo(Path.of("/var/lib/se/storeedge-state.db"));
    assertThat(StateDatabase.siblingOf(Path.of("/x/agent"))).isEqualTo(Path.of("/x/agent-state.db"));
  }

  @Test
  void calibrationSurvivesReopening() throws IOException {
    Path f = dir.resolve("s.db");
    try (StateDatabase db = StateDatabase.open(f)) {
      CalibrationStore store = new CalibrationStore(db);
      store.save(new LaneCalibration("a1", 12.5, 1.25, 1000, "span"));
      store.save(new LaneCalibration("a2", -3, 1, 1000, "tare"));
      store.save(new LaneCalibration("a1", 10.0, 1.2, 2000, "span"));
    }
    try (StateDatabase db = StateDatabase.open(f)) {
      CalibrationStore store = new CalibrationStore(db);
      assertThat(store.loadAll()).containsOnlyKeys("a1", "a2");
      LaneCalibration a1 = store.load("a1").orElseThrow();
      assertThat(a1.zeroGrams()).isEqualTo(10.0);
      assertThat(a1.gain()).isEqualTo(1.2);
      assertThat(a1.updatedMillis()).isEqualTo(2000);
      assertThat(a1.apply(110.0)).isEqualTo(120.0);
      assertThat(store.delete("a2")).isTrue();
      assertThat(store.delete("a2")).isFalse();
    }
  }

  @Test
  void absurdGainIsRefusedWithTheLaneNamed() {
    assertThatThrownBy(() -> new LaneCalibration("b3", 0, 40, 0, "span"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b3").hasMessageContaining("40");
  }

  @Test
  void ledgerRefusesSequencesNotGreaterThanTheLastAcceptedAcrossRestarts() throws IOException {
    Path f = dir.resolve("s.db");
    try (StateDatabase db = StateDatabase.open(f)) {
      UpdateLedger ledger = new UpdateLedger(db);
      assertThat(ledger.lastSequence("config")).isEmpty();
      assertThat(ledger.accept("config", 5, "k1", 1)).isTrue();
      assertThat(ledger.accept("config", 5, "k1", 2)).isFalse();
      assertThat(ledger.accept("config", 4, "k1", 2)).isFalse();
      assertThat(ledger.accept("planogram", 1, "k1", 2)).isTrue(); // kinds are independent
    }
    try (StateDatabase db = StateDatabase.open(f)) {
      UpdateLedger ledger = new UpdateLedger(db);
      assertThat(ledger.lastSequence("config")).hasValue(5);
      assertThat(ledger.accept("config", 5, "k1", 3)).isFalse();
      assertThat(ledger.accept("config", 6, "k1", 3)).isTrue();
    }
  }

  @Test
  void aFileThatIsNotSqliteIsReportedAndLeftAlone() throws IOException {
    Path f = dir.resolve("s.db");
    Files.writeString(f, "this is not a database, just some text long enough to fill a header", StandardCharsets.UTF_8);
    byte[] before = Files.readAllBytes(f);
    assertThatThrownBy(() -> StateDatabase.open(f)).isInstanceOf(IOException.class).hasMessageContaining(f.toString());
    assertThat(Files.readAllBytes(f)).isEqualTo(before);
  }

  @Test
  void theCheckoutSnapshotIsReplacedOnEachSaveAndSurvivesReopening() throws IOException {
    Path f = dir.resolve("s.db");
    try (StateDatabase db = StateDatabase.open(f)) {
      CheckoutStateStore store = new CheckoutStateStore(db);
      assertThat(store.load()).isEmpty();
      store.save("{\"visits\":[1]}", 1000);
      store.save("{\"visits\":[1,2]}", 2000);
    }
    try (StateDatabase db = StateDatabase.open(f)) {
      assertThat(new CheckoutStateStore(db).load()).contains(new CheckoutStateStore.Saved("{\"visits\":[1,2]}", 2000));
    }
  }

  @Test
  void aVersionOneFileGainsTheCheckoutTableAndKeepsItsCalibrations() throws Exception {
    Path f = dir.resolve("s.db");
    // a state file as the first schema wrote it
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f);
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE TABLE state_schema_version(version INTEGER NOT NULL)");
      s.execute("CREATE TABLE lane_calibration(lane_id TEXT PRIMARY KEY, zero_grams REAL NOT NULL, gain REAL NOT NULL,"
          + " updated_ms INTEGER NOT NULL, last_step TEXT NOT NULL)");
      s.execute("CREATE TABLE update_ledger(kind TEXT PRIMARY KEY, sequence INTEGER NOT NULL, key_id TEXT NOT NULL,"
          + " accepted_ms INTEGER NOT NULL)");
      s.execute("INSERT INTO state_schema_version(version) VALUES (1)");
      s.execute("INSERT INTO lane_calibration VALUES ('a1', 1.5, 1.1, 5, 'span')");
    }
    try (StateDatabase db = StateDatabase.open(f)) {
      assertThat(new CalibrationStore(db).load("a1")).isPresent();
      CheckoutStateStore store = new CheckoutStateStore(db);
      store.save("{}", 7);
      assertThat(store.load()).contains(new CheckoutStateStore.Saved("{}", 7));
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + f);
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT max(version) FROM state_schema_version")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(StateDatabase.SCHEMA_VERSION).isEqualTo(2);
    }
  }
}
