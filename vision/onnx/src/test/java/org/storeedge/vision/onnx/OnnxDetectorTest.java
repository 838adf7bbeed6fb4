package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.storeedge.vision.onnx.TestModels.box;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;
import org.storeedge.vision.Frame;

/**
 * The converted SSD-MobileNetV2 on real photos from Debian's darknet package. Expected regions
 * are the objects' extents in the photos (pixels); a detection must overlap them with IoU &gt;= 0.5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxDetectorTest {
  private OnnxDetector detector;

  @BeforeAll
  void open() throws Exception {
    detector = OnnxDetector.open(TestModels.ssd());
  }

  @AfterAll
  void close() {
    if (detector != null) {
      detector.close();
    }
  }

  @Test
  void findsThePersonInPersonJpg() {
    Frame f = TestModels.frame(TestModels.darknetPhoto("person.jpg"));
    List<Detection> found = detector.detect(f);
    assertFound(found, Detection.PERSON, box(190, 95, 85, 285));
  }

  @Test
  void findsTheDogBicycleAndCarInDogJpg() {
    Frame f = TestModels.frame(TestModels.darknetPhoto("dog.jpg"));
    List<Detection> found = detector.detect(f);
    assertFound(found, "dog", box(130, 220, 180, 320));
    assertFound(found, "bicycle", box(130, 125, 440, 300));
    assertFound(found, "car", box(465, 75, 225, 95));
    assertThat(found).allSatisfy(d -> {
      assertThat(d.box().x()).isBetween(0f, (float) f.width());
      assertThat(d.box().right()).isBetween(0f, (float) f.width());
      assertThat(d.box().bottom()).isBetween(0f, (float) f.height());
    });
  }

  @Test
  void letterboxedInputMapsBoxesBackToTheSamePlace() throws Exception {
    DetectorConfig c = TestModels.ssd();
    DetectorConfig letterboxed = new DetectorConfig(c.name(), c.modelFile(), c.inputWidth(), c.inputHeight(),
        ImageTransform.Mode.LETTERBOX, 127, c.colourOrder(), c.layout(), c.mean(), c.scale(), c.outputNames(),
        c.decoder(), c.labels(), 0.4f, c.iouThreshold(), c.perClassNms(), c.maxDetections(), 1, c.optimisation());
    try (OnnxDetector d = OnnxDetector.open(letterboxed)) {
      List<Detection> found = d.detect(TestModels.frame(TestModels.darknetPhoto("dog.jpg")));
      assertFound(found, "dog", box(130, 220, 180, 320));
    }
  }

  @Test
  void aFlatGreyFrameHasNoPerson() {
    byte[] grey = new byte[320 * 240 * 3];
    Arrays.fill(grey, (byte) 128);
    List<Detection> found = detector.detect(new Frame("cam", 1, 0, 320, 240, grey));
    assertThat(found).noneMatch(d -> d.label().equals(Detection.PERSON));
  }

  @Test
  void theSameFrameGivesTheSameDetections() {
    Frame f = TestModels.frame(TestModels.darknetPhoto("person.jpg"));
    assertThat(detector.detect(f)).isEqualTo(detector.detect(f));
  }

  @Test
  void aConfigThatDoesNotMatchTheModelInputIsRejectedAtOpen() {
    DetectorConfig c = TestModels.ssd();
    DetectorConfig wrong = new DetectorConfig(c.name(), c.modelFile(), 320, 320, c.resize(), 0, c.colourOrder(),
        c.layout(), c.mean(), c.scale(), c.outputNames(), c.decoder(), c.labels(), 0.5f, 0.5f, true, 10, 1,
        c.optimisation());
    assertThatThrownBy(() -> OnnxDetector.open(wrong)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[1, 3, 300, 300]").hasMessageContaining("[1, 3, 320, 320]");
  }

  private static void assertFound(List<Detection> found, String label, BoundingBox expected) {
    assertThat(found).as("detections %s", found)
        .anySatisfy(d -> {
          assertThat(d.label()).isEqualTo(label);
          assertThat(d.score()).isGreaterThanOrEqualTo(0.4f);
          assertThat(d.box().iou(expected)).as("IoU of %s with %s", d.box(), expected).isGreaterThanOrEqualTo(0.5);
        });
  }
}
