package org.storeedge.sync.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.core.outbox.Stream;
import org.storeedge.sync.outbox.OutboxEntry;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.SqliteOutbox;

class OutboxPurgeTest {
  @TempDir
  Path dir;

  private static byte[] receipt(String id, String token) {
    return ("{\"type\":\"receipt\",\"receiptId\":\"" + id + "\",\"customerToken\":\"" + token + "\",\"total\":100}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void pendingEntriesCarryingTheTokenArePurgedAndTheRestStillDrainsInOrder() throws Exception {
    try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("o.db"), new OutboxOptions(1 << 30, InstantSource.system()))) {
      outbox.append(Stream.RECEIPTS, "receipts", "r1", receipt("r1", "cust-7"));
      outbox.append(Stream.RECEIPTS, "receipts", "r2", receipt("r2", "cust-8"));
      outbox.append(Stream.RECEIPTS, "receipts", "r3", receipt("r3", "cust-70")); // a longer token, not a match
      outbox.append(Stream.EVENTS, "events", "e1",
          "{\"type\":\"unattributed\",\"candidateShoppers\":[\"cust-9\",\"cust-7\"]}".getBytes(StandardCharsets.UTF_8));
      outbox.append(Stream.EVENTS, "events", "e2", "{\"type\":\"shelf\"}".getBytes(StandardCharsets.UTF_8));
      outbox.append(Stream.RECEIPTS, "receipts", "r4", receipt("r4", "cust-7"));

      OutboxPurge.Result r = new OutboxPurge(outbox).purge("cust-7");

      assertThat(r.purged()).containsEntry(Stream.RECEIPTS, 2).containsEntry(Stream.EVENTS, 1);
      assertThat(r.totalPurged()).isEqualTo(3);
      assertThat(r.inFlight()).isZero();
      Poll.untilPending(outbox, 3);
      // what is left is handed out again, receipts first, in order
      List<String> keys = new ArrayList<>();
      for (OutboxEntry e : outbox.nextBatch(100)) {
        keys.add(e.key());
      }
      assertThat(keys).containsExactly("r2", "r3", "e2");
    }
  }

  @Test
  void anEntryBeingSentIsReportedNotPurged() throws Exception {
    try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("o.db"), new OutboxOptions(1 << 30, InstantSource.system()))) {
      outbox.append(Stream.RECEIPTS, "receipts", "r1", receipt("r1", "cust-7"));
      List<OutboxEntry> sending = outbox.nextBatch(1); // the uplink has it in flight
      outbox.append(Stream.RECEIPTS, "receipts", "r2", receipt("r2", "cust-7"));

      OutboxPurge.Result r = new OutboxPurge(outbox).purge("cust-7");

      assertThat(r.totalPurged()).isEqualTo(1);
      assertThat(r.inFlight()).isEqualTo(1);
      assertThat(sending).hasSize(1);
      Poll.untilPending(outbox, 1);
    }
  }

  @Test
  void noMatchTakesNothingOut() throws Exception {
    try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("o.db"), new OutboxOptions(1 << 30, InstantSource.system()))) {
      outbox.append(Stream.RECEIPTS, "receipts", "r1", receipt("r1", "cust-1"));
      assertThat(new OutboxPurge(outbox).purge("cust-2").totalPurged()).isZero();
      assertThat(outbox.nextBatch(10)).extracting(OutboxEntry::key).containsExactly("r1");
    }
  }

  /** The outbox commits deletions on its writer thread: wait for the count (bounded). */
  private static final class Poll {
    static void untilPending(SqliteOutbox outbox, long n) {
      org.storeedge.sync.testing.Poll.until(java.time.Duration.ofSeconds(30), () -> outbox.pendingCount() == n,
          () -> n + " pending (now " + outbox.pendingCount() + ")");
    }
  }
}
