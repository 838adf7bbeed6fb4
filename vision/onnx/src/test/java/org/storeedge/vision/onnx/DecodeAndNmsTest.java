package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoders and NMS on hand-built output tensors. */
class DecodeAndNmsTest {
  private static final int CLASSES = 3;
  private final SsdAnchors anchors = SsdAnchors.generate(SsdAnchors.Spec.mobileNetSsd(300, 300));
  private final SsdDecoder ssd = new SsdDecoder(anchors, CLASSES, 300, 300, new float[] {10, 10, 5, 5}, true,
      new int[] {0}, 0, 1);

  private static float logit(double p) {
    return (float) Math.log(p / (1 - p));
  }

  private List<FloatTensor> ssdOutputs(float[] boxes, float[] scores) {
    return List.of(new FloatTensor("boxes", boxes, new long[] {1, 1917, 4}),
        new FloatTensor("scores", scores, new long[] {1, 1917, CLASSES}));
  }

  private float[] quietScores() {
    float[] s = new float[1917 * CLASSES];
    java.util.Arrays.fill(s, -10f);
    return s;
  }

  @Test
  void ssdZeroEncodingGivesTheAnchorItself() {
    float[] scores = quietScores();
    int a = 1083; // first anchor of layer 2: centre (0.05, 0.05), 0.35 x 0.35
    scores[a * CLASSES + 2] = logit(0.9);
    List<Candidate> c = ssd.decode(ssdOutputs(new float[1917 * 4], scores), 0.5f);
    assertThat(c).hasSize(1);
    Candidate d = c.get(0);
    assertThat(d.classIndex()).isEqualTo(2);
    assertThat(d.score()).isCloseTo(0.9f, within(1e-4f));
    float half = 0.35f * 300 / 2;
    assertThat(d.x1()).isCloseTo(15 - half, within(1e-2f));
    assertThat(d.y1()).isCloseTo(15 - half, within(1e-2f));
    assertThat(d.x2()).isCloseTo(15 + half, within(1e-2f));
    assertThat(d.y2()).isCloseTo(15 + half, within(1e-2f));
  }

  @Test
  void ssdEncodingShiftsByAnchorSizeAndScalesExponentially() {
    float[] scores = quietScores();
    float[] boxes = new float[1917 * 4];
    int a = 1916; // centred, sqrt(0.95) square
    scores[a * CLASSES + 1] = logit(0.8);
    boxes[a * 4] = 10 * 0.1f; // ty: centre moves down by 0.1 anchor heights
    boxes[a * 4 + 1] = -10 * 0.2f; // tx: left by 0.2 anchor widths
    boxes[a * 4 + 2] = (float) (5 * Math.log(0.5)); // th: half height
    boxes[a * 4 + 3] = 0; // tw: same width
    Candidate d = ssd.decode(ssdOutputs(boxes, scores), 0.5f).get(0);
    double s = Math.sqrt(0.95);
    double xc = 0.5 - 0.2 * s;
    double yc = 0.5 + 0.1 * s;
    assertThat((double) d.x1()).isCloseTo((xc - s / 2) * 300, within(1e-2));
    assertThat((double) d.x2()).isCloseTo((xc + s / 2) * 300, within(1e-2));
    assertThat((double) d.y1()).isCloseTo((yc - s / 4) * 300, within(1e-2));
    assertThat((double) d.y2()).isCloseTo((yc + s / 4) * 300, within(1e-2));
  }

  @Test
  void ssdNeverReportsTheBackgroundClassAndHonoursTheThreshold() {
    float[] scores = quietScores();
    scores[10 * CLASSES] = logit(0.99); // background
    scores[20 * CLASSES + 1] = logit(0.4); // below threshold
    scores[30 * CLASSES + 1] = logit(0.6);
    List<Candidate> c = ssd.decode(ssdOutputs(new float[1917 * 4], scores), 0.5f);
    assertThat(c).extracting(Candidate::classIndex).containsExactly(1);
    assertThat(c.get(0).score()).isCloseTo(0.6f, within(1e-4f));
  }

  @Test
  void ssdRejectsOutputsOfTheWrongShape() {
    assertThatThrownBy(() -> ssd.decode(List.of(new FloatTensor("b", new float[8], new long[] {1, 2, 4}),
        new FloatTensor("s", new float[6], new long[] {1, 2, 3})), 0.5f))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 1917, 4]");
  }

  @Test
  void yoloV5MultipliesObjectnessAndClassScore() {
    // [1, 3, 5 + 2]: cx, cy, w, h, obj, c0, c1
    float[] d = {
        100, 50, 20, 10, 0.9f, 0.1f, 0.8f, // 0.72 class 1
        10, 10, 4, 4, 0.3f, 0.9f, 0.1f, // 0.27: below
        200, 200, 50, 50, 0.95f, 0.9f, 0.2f}; // 0.855 class 0
    List<Candidate> c = new YoloDecoder(YoloDecoder.Version.V5, 2, 0)
        .decode(List.of(new FloatTensor("out", d, new long[] {1, 3, 7})), 0.5f);
    assertThat(c).hasSize(2);
    assertThat(c.get(0).classIndex()).isEqualTo(1);
    assertThat(c.get(0).score()).isCloseTo(0.72f, within(1e-5f));
    assertThat(c.get(0)).extracting(Candidate::x1, Candidate::y1, Candidate::x2, Candidate::y2)
        .containsExactly(90f, 45f, 110f, 55f);
    assertThat(c.get(1).classIndex()).isEqualTo(0);
  }

  @Test
  void yoloV8ReadsChannelMajorAndTransposedLayouts() {
    // [1, 4 + 2, 3] channel-major: rows cx, cy, w, h, c0, c1; columns = boxes
    float[] channelMajor = {
        100, 10, 300,
        50, 10, 300,
        20, 4, 60,
        10, 4, 60,
        0.2f, 0.1f, 0.7f,
        0.6f, 0.1f, 0.1f};
    YoloDecoder v8 = new YoloDecoder(YoloDecoder.Version.V8, 2, 0);
    List<Candidate> a = v8.decode(List.of(new FloatTensor("out", channelMajor, new long[] {1, 6, 3})), 0.5f);
    float[] boxMajor = new float[18];
    for (int box = 0; box < 3; box++) {
      for (int ch = 0; ch < 6; ch++) {
        boxMajor[box * 6 + ch] = channelMajor[ch * 3 + box];
      }
    }
    List<Candidate> b = v8.decode(List.of(new FloatTensor("out", boxMajor, new long[] {1, 3, 6})), 0.5f);
    assertThat(a).containsExactlyElementsOf(b);
    assertThat(a).extracting(Candidate::classIndex).containsExactly(1, 0);
    assertThat(a.get(0)).extracting(Candidate::x1, Candidate::y1, Candidate::x2, Candidate::y2, Candidate::score)
        .containsExactly(90f, 45f, 110f, 55f, 0.6f);
    assertThat(a.get(1)).extracting(Candidate::x1, Candidate::x2).containsExactly(270f, 330f);
  }

  @Test
  void yoloRejectsAnOutputThatDoesNotMatchTheClassCount() {
    assertThatThrownBy(() -> new YoloDecoder(YoloDecoder.Version.V8, 80, 0)
        .decode(List.of(new FloatTensor("out", new float[6 * 5], new long[] {1, 6, 5})), 0.5f))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 84, N]");
  }

  @Test
  void nmsPerClassKeepsOverlappingBoxesOfDifferentClasses() {
    Candidate a = new Candidate(0, 0.9f, 0, 0, 100, 100);
    Candidate aWeaker = new Candidate(0, 0.8f, 5, 5, 105, 105); // IoU ~0.82 with a
    Candidate b = new Candidate(1, 0.85f, 0, 0, 100, 100);
    Candidate far = new Candidate(0, 0.7f, 200, 200, 250, 250);
    assertThat(Nms.apply(List.of(aWeaker, far, b, a), 0.5f, true, 100)).containsExactly(a, b, far);
    assertThat(Nms.apply(List.of(aWeaker, far, b, a), 0.5f, false, 100)).containsExactly(a, far);
  }

  @Test
  void nmsKeepsBoxesOverlappingLessThanTheThresholdAndCapsTheCount() {
    Candidate a = new Candidate(0, 0.9f, 0, 0, 100, 100);
    Candidate half = new Candidate(0, 0.8f, 50, 0, 150, 100); // IoU 1/3
    Candidate third = new Candidate(0, 0.7f, 300, 0, 400, 100);
    assertThat(Nms.apply(List.of(a, half, third), 0.5f, true, 100)).containsExactly(a, half, third);
    assertThat(Nms.apply(List.of(a, half, third), 0.3f, true, 100)).containsExactly(a, third);
    assertThat(Nms.apply(List.of(third, half, a), 0.5f, true, 2)).containsExactly(a, half);
  }
}
