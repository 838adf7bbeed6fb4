package org.storeedge.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatestFrameSlotTest {
  static Frame frame(long seq) {
    return new Frame("cam1", seq, 1000 + seq * 100, 4, 2, new byte[4 * 2 * 3]);
  }

  @Test
  void latestWinsAndReplacedFramesAreCounted() throws Exception {
    LatestFrameSlot slot = new LatestFrameSlot();
    slot.offer(frame(0));
    slot.offer(frame(1));
    slot.offer(frame(2));
    assertThat(slot.take(0, TimeUnit.MILLISECONDS).sequence()).isEqualTo(2);
    assertThat(slot.counters()).isEqualTo(new LatestFrameSlot.Counters(3, 2, 1));
    assertThat(slot.take(0, TimeUnit.MILLISECONDS)).isNull();
    slot.offer(frame(3));
    slot.discard();
    assertThat(slot.poll()).isNull();
    assertThat(slot.counters()).isEqualTo(new LatestFrameSlot.Counters(4, 3, 1));
  }

  @Test
  void takeWaitsForTheCaptureThread() throws Exception {
    LatestFrameSlot slot = new LatestFrameSlot();
    CountDownLatch waiting = new CountDownLatch(1);
    CompletableFuture<Frame> taken = CompletableFuture.supplyAsync(() -> {
      waiting.countDown();
      try {
        return slot.take(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(waiting.await(30, TimeUnit.SECONDS)).isTrue();
    Thread capture = new Thread(() -> slot.offer(frame(5)), "capture");
    capture.start();
    assertThat(taken.get(60, TimeUnit.SECONDS).sequence()).isEqualTo(5);
    capture.join();
  }

  @Test
  void offerNeverWaitsForAConsumer() {
    LatestFrameSlot slot = new LatestFrameSlot();
    for (int i = 0; i < 10_000; i++) {
      slot.offer(frame(i)); // no consumer at all: must return every time
    }
    assertThat(slot.dropped()).isEqualTo(9_999);
    assertThat(slot.offered()).isEqualTo(10_000);
  }

  @Test
  void interruptedTakeThrows() {
    LatestFrameSlot slot = new LatestFrameSlot();
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> slot.take(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
  }

  @Test
  void framesCheckTheirBuffer() {
    assertThatThrownBy(() -> new Frame("cam1", 0, 0, 4, 2, new byte[5]))
        .hasMessage("frame of camera cam1 must have 24 BGR bytes for 4x2 (got: 5)");
    assertThatThrownBy(() -> new Frame(" ", 0, 0, 4, 2, new byte[24])).hasMessageContaining("cameraId");
    assertThat(frame(0).stride()).isEqualTo(12);
  }

  @Test
  void boxesAndDetectionsCheckThemselves() {
    assertThatThrownBy(() -> new BoundingBox(0, 0, -1, 5)).hasMessageContaining("w, h >= 0");
    assertThatThrownBy(() -> new Detection("person", 1.5f, new BoundingBox(0, 0, 1, 1))).hasMessageContaining("score must be in [0, 1] (got: 1.5)");
    BoundingBox a = new BoundingBox(0, 0, 10, 10);
    assertThat(a.iou(new BoundingBox(5, 0, 10, 10))).isEqualTo(50.0 / 150.0);
    assertThat(a.iou(new BoundingBox(20, 20, 5, 5))).isZero();
    assertThat(a.footPoint()).containsExactly(5.0, 10.0);
  }
}
