package org.storeedge.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebugSnapshotsTest {
  @TempDir
  Path dir;

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

  private Frame noisyFrame(long seq) {
    byte[] bgr = new byte[64 * 48 * 3];
    new Random(seq).nextBytes(bgr);
    return new Frame("cam-1", seq, now.get(), 64, 48, bgr);
  }

  @Test
  void nothingIsWrittenUnlessArmed() throws Exception {
    DebugSnapshots s = new DebugSnapshots(dir, clock);
    assertThat(s.offer(noisyFrame(1), List.of(), "person")).isNull();
    assertThat(Files.list(dir)).isEmpty();
  }

  @Test
  void armedSnapshotsAreBoundedInFramesAndTimeAndPersonsAreBlurred() throws Exception {
    DebugSnapshots s = new DebugSnapshots(dir, clock);
    s.arm(2, 1_000_000, 60_000);
    Detection person = new Detection("person", 0.9f, new BoundingBox(16, 8, 20, 30));
    Path f = s.offer(noisyFrame(1), List.of(person), "person");
    assertThat(f).exists();
    byte[] data = Files.readAllBytes(f);
    int header = data.length - 64 * 48 * 3;
    // inside one 16x16 blur cell of the person's box all pixels are equal; outside they are noise
    int a = header + (10 * 64 + 16) * 3;
    int b = header + (11 * 64 + 17) * 3;
    assertThat(new byte[] {data[a], data[a + 1], data[a + 2]}).containsExactly(data[b], data[b + 1], data[b + 2]);
    int o1 = header + (40 * 64 + 60) * 3;
    int o2 = header + (41 * 64 + 61) * 3;
    assertThat(data[o1] == data[o2] && data[o1 + 1] == data[o2 + 1] && data[o1 + 2] == data[o2 + 2]).isFalse();

    assertThat(s.offer(noisyFrame(2), List.of(), "person")).isNotNull();
    assertThat(s.offer(noisyFrame(3), List.of(), "person")).as("frame limit").isNull();

    s.arm(5, 1_000_000, 1_000);
    now.addAndGet(1_001);
    assertThat(s.offer(noisyFrame(4), List.of(), "person")).as("time limit").isNull();
    assertThat(s.written()).isEqualTo(2);
  }

  @Test
  void theByteLimitStopsSnapshotsAndLimitsMustBePositive() throws Exception {
    DebugSnapshots s = new DebugSnapshots(dir, clock);
    s.arm(10, 100, 60_000);
    assertThat(s.offer(noisyFrame(1), List.of(), "person")).isNull();
    assertThat(s.armed()).isFalse();
    assertThatThrownBy(() -> s.arm(0, 1, 1)).hasMessageContaining("> 0");
  }
}
