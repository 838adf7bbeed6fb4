package org.storeedge.vision.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.track.TrackingMetrics.LabelledBox;

class TrackingMetricsTest {
  private static LabelledBox box(long id, double x) {
    return new LabelledBox(id, new BoundingBox((float) x, 100, 50, 100));
  }

  @Test
  void perfectTrackingScoresOne() {
    TrackingMetrics m = new TrackingMetrics();
    for (int f = 0; f < 10; f++) {
      m.addFrame(List.of(box(1, f * 10), box(2, 500 - f * 10)), List.of(box(7, f * 10), box(8, 500 - f * 10)));
    }
    TrackingMetrics.Result r = m.result();
    assertThat(r.mota()).isEqualTo(1.0);
    assertThat(r.motp()).isCloseTo(1.0, within(1e-9));
    assertThat(r.matches()).isEqualTo(20);
    assertThat(r.idSwitches()).isZero();
  }

  @Test
  void swappedIdsCountAsTwoSwitches() {
    TrackingMetrics m = new TrackingMetrics();
    m.addFrame(List.of(box(1, 0), box(2, 300)), List.of(box(7, 0), box(8, 300)));
    m.addFrame(List.of(box(1, 0), box(2, 300)), List.of(box(8, 0), box(7, 300)));
    TrackingMetrics.Result r = m.result();
    assertThat(r.idSwitches()).isEqualTo(2);
    assertThat(r.mota()).isCloseTo(1 - 2.0 / 4, within(1e-9));
  }

  @Test
  void missesAndGhostsAreCounted() {
    TrackingMetrics m = new TrackingMetrics();
    // frame 1: truth 1 missed, hypothesis 9 is a ghost; truth 2 matched
    m.addFrame(List.of(box(1, 0), box(2, 300)), List.of(box(8, 300), box(9, 700)));
    // frame 2: hypothesis overlaps truth 1 too little (IoU 1/3 < 0.5)
    m.addFrame(List.of(box(1, 0)), List.of(box(5, 25)));
    TrackingMetrics.Result r = m.result();
    assertThat(r.falseNegatives()).isEqualTo(2);
    assertThat(r.falsePositives()).isEqualTo(2);
    assertThat(r.matches()).isEqualTo(1);
    assertThat(r.mota()).isCloseTo(1 - 4.0 / 3, within(1e-9));
  }

  @Test
  void aTrackReturningAfterAGapUnderANewIdIsOneSwitch() {
    TrackingMetrics m = new TrackingMetrics();
    m.addFrame(List.of(box(1, 0)), List.of(box(7, 0)));
    m.addFrame(List.of(box(1, 0)), List.of());
    m.addFrame(List.of(box(1, 0)), List.of(box(9, 0)));
    assertThat(m.result().idSwitches()).isEqualTo(1);
    assertThat(m.result().falseNegatives()).isEqualTo(1);
  }

  @Test
  void anExistingMatchIsKeptOverABetterNewcomer() {
    TrackingMetrics m = new TrackingMetrics();
    m.addFrame(List.of(box(1, 0)), List.of(box(7, 0)));
    // 7 drifted a bit but still overlaps >= 0.5; 8 sits exactly on the truth: no switch (CLEAR MOT)
    m.addFrame(List.of(box(1, 0)), List.of(box(7, 10), box(8, 0)));
    assertThat(m.result().idSwitches()).isZero();
    assertThat(m.result().falsePositives()).isEqualTo(1);
  }

  @Test
  void duplicateIdsAreRejected() {
    TrackingMetrics m = new TrackingMetrics();
    assertThatThrownBy(() -> m.addFrame(List.of(box(1, 0), box(1, 100)), List.of())).hasMessageContaining("truth id 1 twice");
  }
}
