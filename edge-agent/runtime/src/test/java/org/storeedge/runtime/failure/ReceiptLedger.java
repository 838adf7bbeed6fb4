package org.storeedge.runtime.failure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.storeedge.core.outbox.Outbox;
import org.storeedge.core.outbox.Stream;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.Poll;

/**
 * Receipts made by a test and what outside subscribers saw of them: the check every failure test
 * ends with. None may be missing; a duplicate must carry the same receiptId (in payload and
 * idempotency key) and the same payload as the first copy.
 */
final class ReceiptLedger {
  static final String PREFIX = "storeedge/v1/fail-001/gw-01/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReceiptLedger() {}

  /**
   * Mosquitto drops QoS 1 messages beyond 1000 queued per client by default; the outside
   * subscriber must not lose any to the broker's own limit, or a count proves nothing about us.
   */
  static final List<String> NO_BROKER_DROPS = List.of("max_queued_messages 0");

  static org.storeedge.sync.testing.MosquittoBroker broker(java.nio.file.Path dir, boolean persistence,
      String... extra) throws java.io.IOException {
    List<String> conf = new ArrayList<>(NO_BROKER_DROPS);
    conf.addAll(List.of(extra));
    return org.storeedge.sync.testing.MosquittoBroker.create(dir, persistence, conf).startProcess();
  }

  static String id(int i) {
    return String.format("r-%06d", i);
  }

  static byte[] payload(String id) {
    return ("{\"type\":\"receipt\",\"receiptId\":\"" + id + "\",\"customerToken\":\"cust-" + id.substring(2)
        + "\",\"items\":[{\"sku\":\"COLA-330\",\"qty\":1,\"unitPrice\":149}],\"total\":149,\"currency\":\"EUR\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Appends receipts from..to-1; each returns once durable. */
  static void append(Outbox outbox, int from, int to) throws Outbox.OutboxFullException {
    for (int i = from; i < to; i++) {
      outbox.append(Stream.RECEIPTS, "receipts", id(i), payload(id(i)));
    }
  }

  static Set<String> ids(int from, int to) {
    Set<String> s = new TreeSet<>();
    for (int i = from; i < to; i++) {
      s.add(id(i));
    }
    return s;
  }

  static List<OutsideSubscriber.Received> receipts(Collection<OutsideSubscriber> subs) {
    List<OutsideSubscriber.Received> all = new ArrayList<>();
    for (OutsideSubscriber s : subs) {
      all.addAll(s.on(PREFIX + "receipts"));
    }
    return all;
  }

  static Set<String> receivedIds(Collection<OutsideSubscriber> subs) {
    Set<String> ids = new TreeSet<>();
    for (OutsideSubscriber.Received r : receipts(subs)) {
      ids.add(r.property("idempotency-key").orElse("?"));
    }
    return ids;
  }

  /** Waits until every expected id has arrived, then checks duplicates; returns the duplicate count. */
  static int assertAllDelivered(Collection<OutsideSubscriber> subs, Set<String> expected, Duration timeout) throws Exception {
    return assertAllDelivered(subs, expected, expected, timeout);
  }

  /** As above; receipts in {@code allowed} but not {@code expected} may arrive too (e.g. committed as a process died). */
  static int assertAllDelivered(Collection<OutsideSubscriber> subs, Set<String> expected, Set<String> allowed,
      Duration timeout) throws Exception {
    return assertAllDelivered(subs, expected, allowed, timeout, () -> "");
  }

  /** As above; {@code context} (e.g. the broker's log) is added to a failure message. */
  static int assertAllDelivered(Collection<OutsideSubscriber> subs, Set<String> expected, Set<String> allowed,
      Duration timeout, java.util.function.Supplier<String> context) throws Exception {
    Poll.until(timeout, () -> receivedIds(subs).containsAll(expected), () -> {
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(receivedIds(subs));
      return "all " + expected.size() + " receipts at the outside subscriber; missing " + missing.size()
          + (missing.isEmpty() ? "" : " e.g. " + missing.iterator().next()) + context.get();
    });
    Map<String, String> firstPayload = new HashMap<>();
    int duplicates = 0;
    for (OutsideSubscriber.Received r : receipts(subs)) {
      JsonNode n = JSON.readTree(r.payload());
      String id = n.path("receiptId").asText();
      assertThat(r.property("idempotency-key")).as("idempotency key of %s", id).contains(id);
      String prev = firstPayload.putIfAbsent(id, r.text());
      if (prev != null) {
        duplicates++;
        assertThat(r.text()).as("a duplicate of %s carries the same payload", id).isEqualTo(prev);
      }
    }
    assertThat(firstPayload.keySet()).as("only receipts the test made").isSubsetOf(allowed);
    return duplicates;
  }
}
