package org.storeedge.vision.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Frame;
import org.storeedge.vision.track.Appearance;
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

  private static Track track(long id, BoundingBox box) {
    return new Track(id, box, 0.9f, Track.State.TRACKED, 0, 0, box);
  }

  @Test
  void aTracksLookIsAveragedOverItsFrames() {
    AppearanceBook book = new AppearanceBook();
    Track alone = track(1, new BoundingBox(5, 5, 20, 40));
    for (int i = 0; i < 5; i++) {
      book.sample(plain(200, 30, 30, i * 200L), List.of(alone), id -> "cam:" + id);
    }
    assertThat(book.samples("cam:1")).isEqualTo(5);
    float[] red = Appearance.of(plain(200, 30, 30, 0), alone.box());
    assertThat(Appearance.similarity(book.of("cam:1"), red)).isGreaterThan(0.99);
    // the track's look moves towards what it shows now, not at once
    book.sample(plain(30, 30, 200, 1000), List.of(alone), id -> "cam:" + id);
    float[] blue = Appearance.of(plain(30, 30, 200, 0), alone.box());
    assertThat(Appearance.similarity(book.of("cam:1"), red)).isGreaterThan(Appearance.similarity(book.of("cam:1"), blue));
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
    AppearanceBook book = new AppearanceBook();
    // a red shopper's box reaches 10 px into the blue area, where a blue shopper's box is
    Track red = track(1, new BoundingBox(40, 5, 30, 40));
    Track blue = track(2, new BoundingBox(60, 5, 30, 40));
    book.sample(redThenBlue(), List.of(red, blue), id -> "cam:" + id);
    float[] pureRed = Appearance.of(plain(200, 30, 30, 0), red.box());
    float[] pureBlue = Appearance.of(plain(30, 30, 200, 0), blue.box());
    assertThat(Appearance.similarity(book.of("cam:1"), pureRed)).isGreaterThan(0.99);
    assertThat(Appearance.similarity(book.of("cam:2"), pureBlue)).isGreaterThan(0.99);
    // the whole box would have been partly blue
    assertThat(Appearance.similarity(Appearance.of(redThenBlue(), red.box()), pureRed)).isLessThan(0.9);
    // a box lying mostly over another one's is not read at all
    Track over = track(3, new BoundingBox(43, 6, 30, 40));
    AppearanceBook crowded = new AppearanceBook();
    crowded.sample(redThenBlue(), List.of(red, over), id -> "cam:" + id);
    assertThat(crowded.samples("cam:1")).isZero();
    assertThat(crowded.samples("cam:3")).isZero();
  }

  @Test
  void aTrackNotSampledForAMinuteIsForgotten() {
    AppearanceBook book = new AppearanceBook();
    book.sample(plain(200, 30, 30, 0), List.of(track(1, new BoundingBox(5, 5, 20, 40))), id -> "cam:" + id);
    assertThat(book.size()).isEqualTo(1);
    book.add("cam:9", new float[Appearance.SIZE], AppearanceBook.FORGET_MILLIS + 1);
    assertThat(book.of("cam:1")).isNull();
    assertThat(book.size()).isEqualTo(1);
  }
}
