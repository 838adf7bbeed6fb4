package org.storeedge.vision.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;
import org.storeedge.vision.Frame;
import org.storeedge.vision.track.Appearance;
import org.storeedge.vision.track.ByteTracker;
import org.storeedge.vision.track.Track;

class AppearanceBookTest {
  /** A frame of one colour: every box in it has that colour's look. */
  private static Frame plain(int r, int g, int b, long at) {
    byte[] bgr = new byte[100 * 80 * 3];
    for (int i = 0; i < bgr.length; i += 3) {
      bgr[i] = (byte) b;
      bgr[i + 1] = (byte) g;
      bgr[i + 2] = (byte) r;
    }
    return new Frame("cam", 0, at, 100, 80, bgr);
  }

  @Test
  void aTrackHasTheLookItsTrackerKeeps() {
    AppearanceBook book = new AppearanceBook();
    ByteTracker tracker = new ByteTracker();
    BoundingBox box = new BoundingBox(5, 5, 20, 40);
    List<Track> tracks = List.of();
    for (int i = 0; i < 5; i++) {
      Frame f = plain(200, 30, 30, i * 200L);
      tracks = tracker.update(List.of(new Detection(Detection.PERSON, 0.9f, box)),
          AppearanceBook.looksApart(f, List.of(box), null), f.captureMillis());
      book.put(tracks, tracker, id -> "cam:" + id, f.captureMillis());
    }
    assertThat(tracks).hasSize(1);
    String key = "cam:" + tracks.get(0).id();
    assertThat(book.samples(key)).isEqualTo(tracker.lookSamples(tracks.get(0).id())).isPositive();
    float[] red = Appearance.of(plain(200, 30, 30, 0), box);
    assertThat(Appearance.similarity(book.of(key), red)).isGreaterThan(0.99);
    // a copy: changing it changes nothing held
    book.of(key)[0] = 1;
    assertThat(Appearance.similarity(book.of(key), red)).isGreaterThan(0.99);
  }

  /** Red left of x = 60, blue from there on. */
  private static Frame redThenBlue() {
    Frame f = plain(200, 30, 30, 0);
    for (int y = 0; y < 80; y++) {
      for (int x = 60; x < 100; x++) {
        int i = (y * 100 + x) * 3;
        f.bgr()[i] = (byte) 200;
        f.bgr()[i + 2] = (byte) 30;
      }
    }
    return f;
  }

  @Test
  void whereTwoBoxesOverlapNeitherLookTakesThosePixelsAndABoxMostlyOverAnotherIsLeftOut() {
    // a red shopper's box reaches 10 px into the blue area, where a blue shopper's box is
    BoundingBox red = new BoundingBox(40, 5, 30, 40);
    BoundingBox blue = new BoundingBox(60, 5, 30, 40);
    List<float[]> looks = AppearanceBook.looksApart(redThenBlue(), List.of(red, blue), null);
    float[] pureRed = Appearance.of(plain(200, 30, 30, 0), red);
    float[] pureBlue = Appearance.of(plain(30, 30, 200, 0), blue);
    assertThat(Appearance.similarity(looks.get(0), pureRed)).isGreaterThan(0.99);
    assertThat(Appearance.similarity(looks.get(1), pureBlue)).isGreaterThan(0.99);
    // the whole box would have been partly blue
    assertThat(Appearance.similarity(Appearance.of(redThenBlue(), red), pureRed)).isLessThan(0.9);
    // a box lying mostly over another one's is not read at all
    BoundingBox over = new BoundingBox(43, 6, 30, 40);
    assertThat(AppearanceBook.looksApart(redThenBlue(), List.of(red, over), null)).containsExactly(null, null);
  }

  @Test
  void aTrackNotSeenForAMinuteIsForgotten() {
    AppearanceBook book = new AppearanceBook();
    book.put("cam:1", Appearance.of(plain(200, 30, 30, 0), new BoundingBox(5, 5, 20, 40)), 1, 0);
    assertThat(book.size()).isEqualTo(1);
    book.put("cam:9", new float[Appearance.SIZE], 1, AppearanceBook.FORGET_MILLIS + 1);
    assertThat(book.of("cam:1")).isNull();
    assertThat(book.size()).isEqualTo(1);
  }
}
