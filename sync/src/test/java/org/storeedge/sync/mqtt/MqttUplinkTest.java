package org.storeedge.sync.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.core.outbox.Stream;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.storeedge.sync.testing.MosquittoBroker;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.OutsideSubscriber.Received;
import org.storeedge.sync.testing.Poll;

/** The uplink against a real Mosquitto, checked by an independent subscriber. */
class MqttUplinkTest {
  static final String PREFIX = "storeedge/v1/demo-001/gw-01/";
  static final Duration LONG = Duration.ofSeconds(90);

  @TempDir Path dir;
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final SystemScheduler scheduler = new SystemScheduler("test-uplink-timers");

  @AfterEach
  void tearDown() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
    scheduler.close();
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    cleanup.add(c);
    return c;
  }

  private SqliteOutbox outbox(String name) throws Exception {
    return closeLater(SqliteOutbox.open(dir.resolve(name), OutboxOptions.defaults()));
  }

  /** Fast backoff so broker-down tests do not wait minutes; the schedule itself is unit-tested. */
  private MqttUplink uplink(SqliteOutbox outbox, MosquittoBroker broker) {
    return uplink(outbox, broker, o -> o);
  }

  private MqttUplink uplink(SqliteOutbox outbox, MosquittoBroker broker, java.util.function.UnaryOperator<UplinkOptions> tweak) {
    UplinkOptions opts = tweak.apply(UplinkOptions.plain(List.of(broker.uri()), "gw-01-" + System.nanoTime(), PREFIX));
    MqttUplink u = new MqttUplink(outbox, opts, scheduler,
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.25, new Random(5)));
    closeLater(u::stop);
    return u;
  }

  private static byte[] receipt(String id) {
    return ("{\"receiptId\":\"" + id + "\",\"total\":199}").getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, List<Received>> byKey(List<Received> rs) {
    return rs.stream().collect(Collectors.groupingBy(r -> r.property(MqttUplink.IDEMPOTENCY_KEY).orElse("?")));
  }

  @Test
  void deliversReceiptsToAnOutsideSubscriberAndEmptiesTheOutbox() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.start(dir));
    OutsideSubscriber cloud = closeLater(new OutsideSubscriber(broker.uri(), "cloud-1", PREFIX + "#"));
    SqliteOutbox outbox = outbox("o.db");
    int n = 1000;
    for (int i = 0; i < n; i++) {
      outbox.append(Stream.RECEIPTS, "receipts", "r-" + i, receipt("r-" + i));
    }
    outbox.append(Stream.EVENTS, "events", "e-1", "{\"event\":1}".getBytes(StandardCharsets.UTF_8));

    MqttUplink uplink = uplink(outbox, broker);
    uplink.start();
    assertThat(uplink.awaitDrained(LONG)).as("outbox drained").isTrue();
    Poll.until(LONG, () -> cloud.on(PREFIX + "receipts").size() >= n, () -> "receipts at subscriber: " + cloud.on(PREFIX + "receipts").size());

    List<Received> receipts = cloud.on(PREFIX + "receipts");
    List<String> keys = receipts.stream().map(r -> r.property(MqttUplink.IDEMPOTENCY_KEY).orElseThrow()).toList();
    assertThat(keys).hasSize(n); // one connection, no loss: no duplicates either
    for (int i = 0; i < n; i++) {
      assertThat(keys.get(i)).isEqualTo("r-" + i); // FIFO
    }
    assertThat(receipts.get(5).text()).contains("\"receiptId\":\"r-5\"");
    assertThat(receipts.get(5).property("stream")).hasValue("receipts");
    Poll.until(LONG, () -> !cloud.on(PREFIX + "events").isEmpty(), "the event");
    Poll.until(LONG, () -> cloud.on(PREFIX + "status").stream().anyMatch(r -> r.text().contains("online")), "online status");

    assertThat(outbox.pendingCount()).isZero();
    UplinkStats s = uplink.stats();
    assertThat(s.connected()).isTrue();
    assertThat(s.broker()).isEqualTo(broker.uri());
    assertThat(s.acknowledged()).isEqualTo(n + 1);
    assertThat(s.sent()).isEqualTo(n + 1);
    assertThat(s.connectionLosses()).isZero();

    uplink.stop();
    Poll.until(LONG, () -> cloud.on(PREFIX + "status").stream().anyMatch(r -> r.text().contains("offline")), "offline status on stop");
  }

  @Test
  void entriesWaitWhileTheBrokerIsDownAndGoOutOnceItIsUpEvenAcrossARestartOfTheAgent() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.create(dir, true, List.of("max_queued_messages 0")));
    broker.startProcess();
    OutsideSubscriber cloud = closeLater(new OutsideSubscriber(broker.uri(), "cloud-2", PREFIX + "receipts"));
    broker.stop(); // the subscriber's session is persisted and will queue what arrives

    Path file = dir.resolve("o.db");
    SqliteOutbox first = SqliteOutbox.open(file, OutboxOptions.defaults());
    for (int i = 0; i < 40; i++) {
      first.append(Stream.RECEIPTS, "receipts", "r-" + i, receipt("r-" + i));
    }
    MqttUplink u1 = uplink(first, broker);
    u1.start();
    Poll.until(LONG, () -> u1.stats().offlineMillis() > 300, "some time offline");
    assertThat(u1.stats().connected()).isFalse();
    assertThat(u1.awaitDrained(Duration.ofMillis(200))).isFalse();
    u1.stop(); // agent restarts while the broker is still down
    first.close();
    assertThat(first.pendingCount()).isEqualTo(40);

    SqliteOutbox second = outbox("o.db");
    for (int i = 40; i < 60; i++) {
      second.append(Stream.RECEIPTS, "receipts", "r-" + i, receipt("r-" + i));
    }
    MqttUplink u2 = uplink(second, broker);
    u2.start();
    broker.startProcess();
    assertThat(u2.awaitDrained(LONG)).as("drained after the broker came up").isTrue();
    Poll.until(LONG, () -> byKey(cloud.on(PREFIX + "receipts")).size() >= 60, () -> "keys at subscriber: " + byKey(cloud.on(PREFIX + "receipts")).size());
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 60; i++) {
      expected.add("r-" + i);
    }
    assertThat(byKey(cloud.on(PREFIX + "receipts")).keySet()).isEqualTo(expected);
    assertThat(u2.stats().connects()).isEqualTo(1);
  }

  @Test
  void brokerRestartMidStreamLosesNothingAndDuplicatesOnlyWithTheSameKey() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.create(dir, true, List.of("max_queued_messages 0")));
    broker.startProcess();
    OutsideSubscriber cloud = closeLater(new OutsideSubscriber(broker.uri(), "cloud-3", PREFIX + "receipts"));
    SqliteOutbox outbox = outbox("o.db");
    MqttUplink uplink = uplink(outbox, broker);
    uplink.start();

    int n = 3000;
    Thread producer = new Thread(() -> {
      try {
        for (int i = 0; i < n; i++) {
          outbox.append(Stream.RECEIPTS, "receipts", "r-" + i, receipt("r-" + i));
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "test-producer");
    producer.start();
    Poll.until(LONG, () -> uplink.stats().acknowledged() >= 200, "first acknowledgements");
    broker.stop();
    Poll.until(LONG, () -> uplink.stats().connectionLosses() >= 1, "the uplink to notice the loss");
    broker.startProcess();
    producer.join(LONG.toMillis());
    assertThat(producer.isAlive()).isFalse();

    assertThat(uplink.awaitDrained(LONG)).isTrue();
    Poll.until(LONG, () -> byKey(cloud.on(PREFIX + "receipts")).size() >= n, () -> "keys at subscriber: " + byKey(cloud.on(PREFIX + "receipts")).size());
    Map<String, List<Received>> got = byKey(cloud.on(PREFIX + "receipts"));
    assertThat(got).hasSize(n);
    for (Map.Entry<String, List<Received>> e : got.entrySet()) {
      assertThat(e.getKey()).startsWith("r-");
      for (Received r : e.getValue()) {
        assertThat(r.text()).as("duplicate of %s carries the same receipt", e.getKey())
            .contains("\"receiptId\":\"" + e.getKey() + "\"");
      }
    }
    UplinkStats s = uplink.stats();
    assertThat(s.connectionLosses()).isGreaterThanOrEqualTo(1);
    assertThat(s.connects()).isGreaterThanOrEqualTo(2);
    assertThat(s.acknowledged()).isGreaterThanOrEqualTo(n);
    assertThat(outbox.pendingCount()).isZero();
  }

  @Test
  void commandsAreAnsweredOnCmdReplyAndBadOnesGetAnErrorWithoutStoppingTheUplink() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.start(dir));
    OutsideSubscriber cloud = closeLater(new OutsideSubscriber(broker.uri(), "cloud-4", PREFIX + "#"));
    SqliteOutbox outbox = outbox("o.db");
    MqttUplink uplink = uplink(outbox, broker);
    Map<String, String> handledOn = new HashMap<>();
    uplink.onCommand("outbox-status", (name, payload) -> {
      synchronized (handledOn) {
        handledOn.put(name, Thread.currentThread().getName());
      }
      return ("{\"pending\":" + outbox.pendingCount() + "}").getBytes(StandardCharsets.UTF_8);
    });
    uplink.onCommand("calibrate", (name, payload) -> {
      String text = new String(payload, StandardCharsets.UTF_8);
      if (!text.startsWith("{")) {
        throw new IllegalArgumentException("payload is not a JSON object");
      }
      return "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    });
    // a command that takes more than the usual limit (a signed model)
    uplink.onCommand("model-update", (name, payload) -> ("{\"bytes\":" + payload.length + "}")
        .getBytes(StandardCharsets.UTF_8), 4 << 20);
    uplink.start();
    Poll.until(LONG, () -> uplink.stats().connected(), "uplink connected");
    // the uplink subscribes right after connecting; a retained-free request before that is lost,
    // so wait for its online status (published after the subscription was sent)
    Poll.until(LONG, () -> cloud.on(PREFIX + "status").stream().anyMatch(r -> r.text().contains("online")), "online status");

    cloud.publish(PREFIX + "cmd/outbox-status", "{}".getBytes(StandardCharsets.UTF_8), "c-1".getBytes(StandardCharsets.UTF_8));
    Received ok = awaitReply(cloud, "c-1");
    assertThat(ok.text()).isEqualTo("{\"pending\":0}");
    assertThat(ok.property("status")).hasValue("ok");
    synchronized (handledOn) {
      assertThat(handledOn.get("outbox-status")).isEqualTo("storeedge-uplink-cmd");
    }

    cloud.publish(PREFIX + "cmd/calibrate", new byte[] {(byte) 0xff, 0x00, 0x13}, "c-2".getBytes(StandardCharsets.UTF_8));
    Received bad = awaitReply(cloud, "c-2");
    assertThat(bad.property("status")).hasValue("error");
    assertThat(bad.text()).contains("\"ok\":false").contains("not a JSON object");

    cloud.publish(PREFIX + "cmd/self-destruct", "{}".getBytes(StandardCharsets.UTF_8), "c-3".getBytes(StandardCharsets.UTF_8));
    assertThat(awaitReply(cloud, "c-3").text()).contains("unknown command");

    byte[] large = new byte[MqttUplink.MAX_COMMAND_BYTES + 500_000];
    cloud.publish(PREFIX + "cmd/calibrate", large, "c-4".getBytes(StandardCharsets.UTF_8));
    assertThat(awaitReply(cloud, "c-4").text()).contains("payload too large").contains("max " + MqttUplink.MAX_COMMAND_BYTES);
    cloud.publish(PREFIX + "cmd/model-update", large, "c-5".getBytes(StandardCharsets.UTF_8));
    assertThat(awaitReply(cloud, "c-5").text()).isEqualTo("{\"bytes\":" + large.length + "}");

    // still running: a receipt goes out
    outbox.append(Stream.RECEIPTS, "receipts", "after-bad-commands", receipt("after-bad-commands"));
    assertThat(uplink.awaitDrained(LONG)).isTrue();
    Poll.until(LONG, () -> !cloud.on(PREFIX + "receipts").isEmpty(), "receipt after bad commands");
    UplinkStats s = uplink.stats();
    assertThat(s.commandsHandled()).isEqualTo(2);
    assertThat(s.commandErrors()).isEqualTo(3);
    assertThat(s.connected()).isTrue();
    assertThat(s.connectionLosses()).isZero();
  }

  private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("\\{\"key\":\"([^\"]+)\"");

  /** Keys inside a batch envelope, in order. */
  private static List<String> batchKeys(byte[] envelope) {
    String text = new String(envelope, StandardCharsets.UTF_8);
    assertThat(text).startsWith("{\"batch\":[").endsWith("]}");
    List<String> keys = new ArrayList<>();
    java.util.regex.Matcher m = KEY.matcher(text);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  private static byte[] gunzip(byte[] b) throws java.io.IOException {
    try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
      return in.readAllBytes();
    }
  }

  @Test
  void eventsGoOutInBatchEnvelopesInOrderWhileReceiptsStayOnePerMessage() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.start(dir));
    OutsideSubscriber cloud = closeLater(new OutsideSubscriber(broker.uri(), "cloud-5", PREFIX + "#"));
    SqliteOutbox outbox = outbox("o.db");
    Random r = new Random(21);
    int events = 2000;
    List<java.util.concurrent.CompletableFuture<Long>> acks = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      String payload = "{\"event\":\"pick\",\"n\":" + i + ",\"pad\":\"" + "y".repeat(r.nextInt(400)) + "\"}";
      acks.add(outbox.appendAsync(Stream.EVENTS, "events", "e-" + i, payload.getBytes(StandardCharsets.UTF_8)));
      if (i % 100 == 0) {
        acks.add(outbox.appendAsync(Stream.RECEIPTS, "receipts", "r-" + i, receipt("r-" + i)));
      }
    }
    // not JSON: sent on its own, with its key as a property
    outbox.append(Stream.EVENTS, "events", "raw-1", new byte[] {1, 2, 3});
    for (var a : acks) {
      a.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    MqttUplink uplink = uplink(outbox, broker, o -> o.withBatching(16 * 1024, 100));
    uplink.start();
    assertThat(uplink.awaitDrained(LONG)).isTrue();
    Poll.until(LONG, () -> cloud.on(PREFIX + "events").stream().mapToInt(m -> m.property(MqttUplink.BATCH).map(Integer::parseInt).orElse(1)).sum() >= events + 1,
        "all events at the subscriber");

    List<String> eventKeys = new ArrayList<>();
    int envelopes = 0;
    Received raw = null;
    for (Received m : cloud.on(PREFIX + "events")) {
      if (m.property(MqttUplink.BATCH).isPresent()) {
        envelopes++;
        List<String> keys = batchKeys(m.payload());
        assertThat(keys).hasSize(Integer.parseInt(m.property(MqttUplink.BATCH).get()));
        assertThat(m.payload().length).isLessThanOrEqualTo(16 * 1024 + 1024);
        assertThat(keys.size()).isLessThanOrEqualTo(100);
        eventKeys.addAll(keys);
      } else {
        raw = m;
      }
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      expected.add("e-" + i);
    }
    assertThat(eventKeys).isEqualTo(expected); // one connection: each once, in order
    assertThat(envelopes).isLessThan(events / 10);
    assertThat(raw).isNotNull();
    assertThat(raw.property(MqttUplink.IDEMPOTENCY_KEY)).hasValue("raw-1");
    assertThat(raw.payload()).containsExactly(1, 2, 3);
    String sample = new String(cloud.on(PREFIX + "events").get(0).payload(), StandardCharsets.UTF_8);
    assertThat(sample).contains("\"payload\":{\"event\":\"pick\",\"n\":0,");

    List<Received> receipts = cloud.on(PREFIX + "receipts");
    assertThat(receipts).hasSize(events / 100);
    assertThat(receipts).allSatisfy(m -> {
      assertThat(m.property(MqttUplink.BATCH)).isEmpty();
      assertThat(m.text()).contains("\"receiptId\":\"" + m.property(MqttUplink.IDEMPOTENCY_KEY).orElseThrow() + "\"");
    });

    UplinkStats s = uplink.stats();
    assertThat(s.sent()).isEqualTo(events + 1 + events / 100);
    assertThat(s.acknowledged()).isEqualTo(s.sent());
    assertThat(s.publishes()).isEqualTo(envelopes + 1 + events / 100);
    assertThat(s.batches()).isEqualTo(envelopes);
    assertThat(s.pending().values()).allMatch(v -> v == 0);
    assertThat(s.oldestPendingAgeMillis()).isEmpty();
    assertThat(s.freeDiskBytes()).isPositive();
  }

  @Test
  void gzipCompressionIsFlaggedAndTelemetryCarriesAMessageExpiry() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.start(dir));
    OutsideSubscriber cloud = closeLater(new OutsideSubscriber(broker.uri(), "cloud-6", PREFIX + "#"));
    SqliteOutbox outbox = outbox("o.db");
    for (int i = 0; i < 50; i++) {
      outbox.append(Stream.TELEMETRY, "telemetry", "t-" + i, ("{\"lane\":\"L" + i + "\",\"grams\":1234.5}").getBytes(StandardCharsets.UTF_8));
    }
    outbox.append(Stream.RECEIPTS, "receipts", "r-1", receipt("r-1"));
    MqttUplink uplink = uplink(outbox, broker, o -> o.withCompression(UplinkOptions.Compression.GZIP).withTelemetryExpirySeconds(600));
    uplink.start();
    assertThat(uplink.awaitDrained(LONG)).isTrue();
    Poll.until(LONG, () -> cloud.on(PREFIX + "receipts").size() == 1 && !cloud.on(PREFIX + "telemetry").isEmpty(), "messages");

    List<String> keys = new ArrayList<>();
    Poll.until(LONG, () -> cloud.on(PREFIX + "telemetry").stream().mapToInt(m -> Integer.parseInt(m.property(MqttUplink.BATCH).orElse("1"))).sum() >= 50, "telemetry");
    for (Received m : cloud.on(PREFIX + "telemetry")) {
      assertThat(m.property(MqttUplink.CONTENT_ENCODING)).hasValue("gzip");
      assertThat(m.messageExpirySeconds()).isNotNull().isBetween(1L, 600L);
      keys.addAll(batchKeys(gunzip(m.payload())));
    }
    assertThat(keys).hasSize(50).startsWith("t-0", "t-1").endsWith("t-49");
    Received receipt = cloud.on(PREFIX + "receipts").get(0);
    assertThat(receipt.property(MqttUplink.CONTENT_ENCODING)).hasValue("gzip");
    assertThat(receipt.messageExpirySeconds()).isNull();
    assertThat(new String(gunzip(receipt.payload()), StandardCharsets.UTF_8)).contains("\"receiptId\":\"r-1\"");
  }

  @Test
  void theInFlightWindowFollowsTheBrokersReceiveMaximum() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.create(dir, false, List.of("max_inflight_messages 7")).startProcess());
    OutsideSubscriber cloud = closeLater(new OutsideSubscriber(broker.uri(), "cloud-7", PREFIX + "receipts"));
    SqliteOutbox outbox = outbox("o.db");
    MqttUplink uplink = uplink(outbox, broker, o -> o.withMaxInFlight(5000));
    uplink.start();
    int n = 500;
    for (int i = 0; i < n; i++) {
      outbox.appendAsync(Stream.RECEIPTS, "receipts", "r-" + i, receipt("r-" + i));
    }
    Poll.until(LONG, () -> outbox.stats().appended() == n, "appends");
    assertThat(uplink.awaitDrained(LONG)).isTrue();
    assertThat(uplink.stats().window()).isEqualTo(7);
    Poll.until(LONG, () -> cloud.on(PREFIX + "receipts").size() >= n, "receipts");
    assertThat(cloud.on(PREFIX + "receipts")).extracting(m -> m.property(MqttUplink.IDEMPOTENCY_KEY).orElseThrow())
        .startsWith("r-0", "r-1", "r-2").endsWith("r-" + (n - 1)).doesNotHaveDuplicates();
  }

  @Test
  void aFrozenBrokerShowsAsConnectedButNotForwardingAndNothingIsLostWhenItWakes() throws Exception {
    MosquittoBroker broker = closeLater(MosquittoBroker.start(dir));
    OutsideSubscriber cloud = closeLater(new OutsideSubscriber(broker.uri(), "cloud-8", PREFIX + "receipts"));
    SqliteOutbox outbox = outbox("o.db");
    MqttUplink uplink = uplink(outbox, broker);
    uplink.start();
    Poll.until(LONG, () -> uplink.stats().connected(), "connected");
    outbox.append(Stream.RECEIPTS, "receipts", "r-before", receipt("r-before"));
    assertThat(uplink.awaitDrained(LONG)).isTrue();

    broker.pause();
    for (int i = 0; i < 20; i++) {
      outbox.append(Stream.RECEIPTS, "receipts", "r-" + i, receipt("r-" + i));
    }
    Poll.until(LONG, () -> uplink.stats().notForwarding(Duration.ofSeconds(2)), () -> "stall to show: " + uplink.stats());
    UplinkStats stalled = uplink.stats();
    assertThat(stalled.connected()).isTrue();
    assertThat(stalled.pending()).containsEntry(Stream.RECEIPTS, 20L);
    assertThat(stalled.oldestPendingAgeMillis().get(Stream.RECEIPTS)).isPositive();
    assertThat(stalled.inFlightEntries()).isBetween(1, 20); // sent, not acknowledged

    broker.resume();
    assertThat(uplink.awaitDrained(LONG)).isTrue();
    Poll.until(LONG, () -> byKey(cloud.on(PREFIX + "receipts")).size() >= 21, "receipts after the broker woke");
    assertThat(uplink.stats().notForwarding(Duration.ofSeconds(2))).isFalse();
    assertThat(uplink.stats().stalledMillis()).isZero();
  }

  private static Received awaitReply(OutsideSubscriber cloud, String correlation) {
    Poll.until(LONG, () -> findReply(cloud, correlation) != null, "reply " + correlation);
    return findReply(cloud, correlation);
  }

  private static Received findReply(OutsideSubscriber cloud, String correlation) {
    return cloud.on(PREFIX + "cmd-reply").stream()
        .filter(r -> r.correlationData() != null && new String(r.correlationData(), StandardCharsets.UTF_8).equals(correlation))
        .findFirst().orElse(null);
  }
}
