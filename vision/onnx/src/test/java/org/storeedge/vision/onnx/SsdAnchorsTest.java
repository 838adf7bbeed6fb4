package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SsdAnchorsTest {
  private final SsdAnchors anchors = SsdAnchors.generate(SsdAnchors.Spec.mobileNetSsd(300, 300));

  @Test
  void mobileNetSsd300HasTheModelsAnchorCount() {
    // 19x19x3 (reduced lowest layer) + (10x10 + 5x5 + 3x3 + 2x2 + 1x1) x 6
    assertThat(anchors.count()).isEqualTo(1917);
    assertThat(anchors.data()).hasSize(1917 * 4);
  }

  @Test
  void lowestLayerStartsWithTheThreeReducedAnchorsOfTheFirstCell() {
    float c = 0.5f / 19;
    assertAnchor(0, c, c, 0.1f, 0.1f);
    assertAnchor(1, c, c, (float) (0.2 * Math.sqrt(2)), (float) (0.2 / Math.sqrt(2)));
    assertAnchor(2, c, c, (float) (0.2 / Math.sqrt(2)), (float) (0.2 * Math.sqrt(2)));
    // next cell to the right
    assertAnchor(3, 1.5f / 19, c, 0.1f, 0.1f);
    // first cell of the second row
    assertAnchor(19 * 3, c, 1.5f / 19, 0.1f, 0.1f);
  }

  @Test
  void secondLayerHasSixAnchorsPerCellIncludingTheInterpolatedScale() {
    int first = 19 * 19 * 3;
    float scale = 0.2f + 0.75f / 5; // 0.35
    assertAnchor(first, 0.05f, 0.05f, scale, scale);
    assertAnchor(first + 3, 0.05f, 0.05f, (float) (scale * Math.sqrt(3)), (float) (scale / Math.sqrt(3)));
    float interpolated = (float) Math.sqrt(scale * (0.2 + 0.75 * 2 / 5));
    assertAnchor(first + 5, 0.05f, 0.05f, interpolated, interpolated);
    assertAnchor(first + 6, 0.15f, 0.05f, scale, scale);
  }

  @Test
  void lastAnchorIsTheCentredInterpolatedBoxOfTheTopLayer() {
    float interpolated = (float) Math.sqrt(0.95);
    assertAnchor(1916, 0.5f, 0.5f, interpolated, interpolated);
  }

  @Test
  void rejectsAnEmptyStrideList() {
    assertThatThrownBy(() -> new SsdAnchors.Spec(300, 300, 0.2, 0.95, new int[0], new double[] {1}, true, 1, 0.5, 0.5, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride");
  }

  private void assertAnchor(int i, float x, float y, float w, float h) {
    assertThat(anchors.xCenter(i)).as("x of anchor %d", i).isCloseTo(x, within(1e-5f));
    assertThat(anchors.yCenter(i)).as("y of anchor %d", i).isCloseTo(y, within(1e-5f));
    assertThat(anchors.width(i)).as("w of anchor %d", i).isCloseTo(w, within(1e-4f));
    assertThat(anchors.height(i)).as("h of anchor %d", i).isCloseTo(h, within(1e-4f));
  }

  @Test
  void blazePalmHasTwoThousandSixteenFixedSizeAnchorsWithSameStrideLayersSharingCells() {
    SsdAnchors palm = SsdAnchors.generate(SsdAnchors.Spec.blazePalm(192, 192));
    // stride 8: 24 x 24 cells x 2 anchors; strides 16, 16, 16 share 12 x 12 cells x 6 anchors
    assertThat(palm.count()).isEqualTo(24 * 24 * 2 + 12 * 12 * 6);
    assertThat(palm.xCenter(0)).isEqualTo(0.5f / 24);
    assertThat(palm.xCenter(1)).isEqualTo(0.5f / 24);
    assertThat(palm.xCenter(2)).isEqualTo(1.5f / 24);
    for (int i = 1152; i < 1158; i++) {
      assertThat(palm.xCenter(i)).isEqualTo(0.5f / 12);
      assertThat(palm.yCenter(i)).isEqualTo(0.5f / 12);
    }
    assertThat(palm.xCenter(1158)).isEqualTo(1.5f / 12);
    assertThat(palm.width(2015)).isEqualTo(1f);
    assertThat(palm.height(77)).isEqualTo(1f);
  }
}
