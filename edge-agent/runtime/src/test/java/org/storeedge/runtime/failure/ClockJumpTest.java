package org.storeedge.runtime.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.core.outbox.Stream;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.sync.mqtt.Backoff;
import org.storeedge.sync.mqtt.MqttUplink;
import org.storeedge.sync.mqtt.UplinkOptions;
import org.storeedge.sync.outbox.OutboxEntry;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.storeedge.sync.testing.MosquittoBroker;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.Poll;

/**
 * The wall clock jumps (NTP correction, a gateway with a dead RTC syncing late) while the uplink
 * is offline and retrying: the outbox and the uplink take their wall time from one injected
 * {@link InstantSource} that the test moves backwards and forwards by hours.
 */
class ClockJumpTest {
  @TempDir
  Path dir;

  /** Wall time plus an offset the test changes. */
  private static final class JumpingClock implements InstantSource {
    final AtomicLong offsetMillis = new AtomicLong();

    @Override
    public Instant instant() {
      return InstantSource.system().instant().plusMillis(offsetMillis.get());
    }

    void jump(Duration d) {
      offsetMillis.addAndGet(d.toMillis());
    }
  }

  @Test
  void nothingIsLostAndAgesAndRetriesStaySaneWhenTheClockJumps() throws Exception {
    JumpingClock clock = new JumpingClock();
    try (MosquittoBroker broker = ReceiptLedger.broker(dir.resolve("mosquitto"), false);
        OutsideSubscriber cloud = new OutsideSubscriber(broker.uri(), "cloud", ReceiptLedger.PREFIX + "receipts");
        FaultProxy proxy = new FaultProxy(broker.port());
        SystemScheduler timers = new SystemScheduler(clock, "uplink-timers");
        SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("agent.db"), new OutboxOptions(1L << 30, clock))) {
      proxy.setMode(FaultProxy.Mode.REFUSE); // offline: the uplink retries with backoff
      UplinkOptions o = new UplinkOptions(List.of(proxy.uri()), "fail-001-gw-01", ReceiptLedger.PREFIX, Optional.empty(),
          Optional.empty(), Optional.empty(), 5, 3600, 100);
      MqttUplink up = new MqttUplink(outbox, o, timers, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), 0.25,
          new Random(3)));
      up.start();
      try {
        ReceiptLedger.append(outbox, 0, 100);
        outbox.append(Stream.EVENTS, "events", "e-0", "{\"type\":\"shelf\"}".getBytes(StandardCharsets.UTF_8));

        clock.jump(Duration.ofHours(-2)); // backwards, below every entry's creation time
        OptionalLong age = outbox.oldestPendingMillis(Stream.RECEIPTS);
        assertThat(age).isPresent();
        assertThat(age.getAsLong()).as("age never negative").isGreaterThanOrEqualTo(0);
        assertThat(up.stats().offlineMillis()).as("offline time never negative").isGreaterThanOrEqualTo(0);
        ReceiptLedger.append(outbox, 100, 200); // created "earlier" than the first hundred
        long attempts = proxy.accepted();
        Poll.until(Duration.ofSeconds(60), () -> proxy.accepted() >= attempts + 2,
            "reconnect attempts continuing after the clock went back two hours");

        clock.jump(Duration.ofHours(5)); // forwards, three hours past the first entries
        assertThat(outbox.oldestPendingMillis(Stream.RECEIPTS).orElseThrow()).as("age follows the clock")
            .isGreaterThanOrEqualTo(Duration.ofHours(3).toMillis() - 60_000);
        ReceiptLedger.append(outbox, 200, 300);
        long attempts2 = proxy.accepted();
        Poll.until(Duration.ofSeconds(60), () -> proxy.accepted() >= attempts2 + 2,
            "reconnect attempts continuing after the clock went forward five hours");

        // order is by sequence, not by the clock: the first hundred still come first
        List<OutboxEntry> head = outbox.nextBatch(1);
        assertThat(head).extracting(OutboxEntry::key).containsExactly(ReceiptLedger.id(0));
        outbox.release(List.of(head.get(0).seq()));

        proxy.setMode(FaultProxy.Mode.PASS);
        assertThat(up.awaitDrained(Duration.ofSeconds(100))).isTrue();
        ReceiptLedger.assertAllDelivered(List.of(cloud), ReceiptLedger.ids(0, 300), Duration.ofSeconds(60));
        assertThat(outbox.stats().expired().get(Stream.RECEIPTS)).isZero();
        assertThat(up.stats().offlineMillis()).isGreaterThanOrEqualTo(0);
        System.out.printf("clock jumps: %d connection attempts, uplink %s%n", proxy.accepted(), up.stats());
      } finally {
        up.stop();
      }
    }
  }
}
