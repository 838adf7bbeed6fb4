package org.storeedge.sync.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  void theCustomersOwnEntriesArePurgedOthersNamingThemAreRewrittenAndAllStillDrainInOrder() throws Exception {
    try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("o.db"), new OutboxOptions(1 << 30, InstantSource.system()))) {
      outbox.append(Stream.RECEIPTS, "receipts", "r1", receipt("r1", "cust-7"));
      outbox.append(Stream.RECEIPTS, "receipts", "r2", receipt("r2", "cust-8"));
      outbox.append(Stream.RECEIPTS, "receipts", "r3", receipt("r3", "cust-70")); // a longer token, not a match
      outbox.append(Stream.EVENTS, "events", "e1",
          "{\"type\":\"unattributed\",\"candidateShoppers\":[\"cust-9\",\"cust-7\"]}".getBytes(StandardCharsets.UTF_8));
      outbox.append(Stream.EVENTS, "events", "e2", "{\"type\":\"shelf\"}".getBytes(StandardCharsets.UTF_8));
      outbox.append(Stream.RECEIPTS, "receipts", "r4", receipt("r4", "cust-7"));

      OutboxPurge.Result r = new OutboxPurge(outbox).purge("cust-7");

      assertThat(r.purged()).containsOnly(Map.entry(Stream.RECEIPTS, 2));
      assertThat(r.redacted()).containsOnly(Map.entry(Stream.EVENTS, 1));
      assertThat(r.inFlight()).isZero();
      Poll.untilPending(outbox, 4);
      // what is left is handed out again, receipts first, in order; the event no longer names cust-7
      List<String> keys = new ArrayList<>();
      Map<String, String> payloads = new HashMap<>();
      for (OutboxEntry e : outbox.nextBatch(100)) {
        keys.add(e.key());
        payloads.put(e.key(), new String(e.payload(), StandardCharsets.UTF_8));
      }
      assertThat(keys).containsExactly("r2", "r3", "e1", "e2");
      assertThat(payloads.get("e1")).isEqualTo("{\"type\":\"unattributed\",\"candidateShoppers\":[\"cust-9\",\"erased-customer\"]}");
      assertThat(payloads.get("r3")).isEqualTo(new String(receipt("r3", "cust-70"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void anotherShoppersReceiptNamingTheCustomerIsKeptAndSentWithoutTheirToken() throws Exception {
    String other = "{\"type\":\"receipt\",\"receiptId\":\"r9\",\"customerToken\":\"cust-8\",\"items\":[{\"sku\":\"cola\","
        + "\"evidence\":[{\"shopperProbability\":0.88,\"others\":[{\"customerToken\":\"cust-7\",\"probability\":0.12}]}]}],"
        + "\"reviewReasons\":[{\"code\":\"ambiguous-shopper\",\"message\":\"lane a1 charged to cust-8 or cust-7\"}]}";
    try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("o.db"), new OutboxOptions(1 << 30, InstantSource.system()))) {
      outbox.append(Stream.RECEIPTS, "receipts", "r9", other.getBytes(StandardCharsets.UTF_8));
      outbox.append(Stream.RECEIPTS, "receipts", "r1", receipt("r1", "cust-7"));

      OutboxPurge.Result r = new OutboxPurge(outbox).purge("cust-7");

      assertThat(r.purged()).containsOnly(Map.entry(Stream.RECEIPTS, 1));
      assertThat(r.redacted()).containsOnly(Map.entry(Stream.RECEIPTS, 1));
      Poll.untilPending(outbox, 1);
      List<OutboxEntry> left = outbox.nextBatch(10);
      assertThat(left).extracting(OutboxEntry::key).containsExactly("r9");
      String sent = new String(left.get(0).payload(), StandardCharsets.UTF_8);
      assertThat(sent).isEqualTo(other.replace("cust-7", "erased-customer"));
      // the byte count is that of the rewritten receipt alone, as if it had been appended so
      try (SqliteOutbox fresh = SqliteOutbox.open(dir.resolve("p.db"), new OutboxOptions(1 << 30, InstantSource.system()))) {
        fresh.append(Stream.RECEIPTS, "receipts", "r9", sent.getBytes(StandardCharsets.UTF_8));
        assertThat(outbox.stats().totalPendingBytes()).isEqualTo(fresh.stats().totalPendingBytes());
      }
    }

    // and it is on disk so: a restart sends the rewritten receipt
    try (SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("o.db"), new OutboxOptions(1 << 30, InstantSource.system()))) {
      List<OutboxEntry> left = outbox.nextBatch(10);
      assertThat(left).extracting(OutboxEntry::key).containsExactly("r9");
      assertThat(new String(left.get(0).payload(), StandardCharsets.UTF_8)).doesNotContain("cust-7").contains("cust-8");
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
