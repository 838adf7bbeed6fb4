package org.storeedge.vision.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;
import org.storeedge.vision.Detector;
import org.storeedge.vision.Frame;
import org.storeedge.vision.VisionListener;
import org.storeedge.core.event.HandInLane;
import org.storeedge.vision.interaction.HandZones;
import org.storeedge.vision.track.ByteTracker;
import org.storeedge.vision.track.Track;
import org.storeedge.vision.geometry.Point2;
import org.storeedge.vision.geometry.Zone;

/**
 * The converted MediaPipe palm detector on a real photo of a hand (OpenCV's documentation image,
 * see src/test/resources/photos/NOTICE), on photos without hands, and run on shelf-face crops of
 * a camera-sized frame in which the same hand is too small for the whole frame.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PalmDetectorTest {
  /** Where the palm is in hand.jpg (640x480): the palm without the fingers, pixels. */
  private static final BoundingBox PALM = BoundingBox.ofCorners(40, 120, 300, 400);

  private OnnxDetector palm;

  @BeforeAll
  void open() throws Exception {
    palm = OnnxDetector.open(TestModels.palm());
  }

  @AfterAll
  void close() {
    if (palm != null) {
      palm.close();
    }
  }

  @Test
  void findsTheOneHandInHandJpg() {
    List<Detection> found = palm.detect(TestModels.frame(TestModels.photo("hand.jpg")));
    assertThat(found).hasSize(1);
    Detection hand = found.get(0);
    assertThat(hand.label()).isEqualTo("hand");
    assertThat(hand.score()).isGreaterThan(0.9f);
    assertThat(holds(PALM, hand.box().centreX(), hand.box().centreY())).as("palm centre %s", hand.box()).isTrue();
    assertThat(hand.box().iou(PALM)).isGreaterThan(0.5);
  }

  @Test
  void findsNoHandInPhotosWithoutVisibleHands() {
    for (String photo : List.of("dog.jpg", "horses.jpg", "eagle.jpg", "giraffe.jpg")) {
      assertThat(palm.detect(TestModels.frame(TestModels.darknetPhoto(photo)))).as(photo).isEmpty();
    }
  }

  @Test
  void aCropGivesBoxesInFramePixels() {
    Detection alone = palm.detect(TestModels.frame(TestModels.photo("hand.jpg"))).get(0);
    // the photo pasted at (200, 150) into a bigger frame; the crop is exactly the photo
    Frame bigger = pasted(1000, 800, 200, 150, 640, 480);
    List<Detection> cropped = palm.detect(bigger, 200, 150, 640, 480);
    assertThat(cropped).hasSize(1);
    BoundingBox b = cropped.get(0).box();
    assertThat(b.x()).isCloseTo(alone.box().x() + 200, within(1f));
    assertThat(b.y()).isCloseTo(alone.box().y() + 150, within(1f));
    assertThat(b.w()).isCloseTo(alone.box().w(), within(1f));
    assertThatThrownBy(() -> palm.detect(bigger, 500, 0, 600, 400)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not inside");
  }

  @Test
  void aHandTooSmallForTheWholeFrameIsFoundOnItsShelfFaceCrop() throws Exception {
    // a 1280x720 shelf camera frame, the hand shrunk to 128x96 at (900, 420)
    Frame frame = pasted(1280, 720, 900, 420, 128, 96);
    BoundingBox pastedAt = BoundingBox.ofCorners(900, 420, 900 + 128, 420 + 96);
    assertThat(palm.detect(frame)).as("the whole frame at 192x192").isEmpty();

    List<Detection> persons = List.of(new Detection("person", 0.9f, BoundingBox.ofCorners(700, 100, 1000, 700)));
    Detector people = f -> persons;
    Zone face = new Zone("A1", List.of(new Point2(880, 400), new Point2(1060, 400), new Point2(1060, 540),
        new Point2(880, 540)));
    Zone elsewhere = new Zone("B1", List.of(new Point2(100, 100), new Point2(300, 100), new Point2(300, 200),
        new Point2(100, 200)));
    try (OnnxDetector hands = OnnxDetector.open(TestModels.palm());
         ShelfFaceHands both = new ShelfFaceHands(people, hands, "hand", "person", List.of(face, elsewhere))) {
      List<Detection> found = both.detect(frame);
      assertThat(both.cropsRun()).isEqualTo(1);
      assertThat(both.cropsSkipped()).as("nobody stands within reach of B1").isEqualTo(1);
      assertThat(found).first().isEqualTo(persons.get(0));
      List<Detection> handsFound = found.subList(1, found.size());
      assertThat(handsFound).hasSize(1);
      Detection h = handsFound.get(0);
      assertThat(h.label()).isEqualTo("hand");
      assertThat(holds(pastedAt, h.box().centreX(), h.box().centreY())).as("hand at %s", h.box()).isTrue();
      assertThat(face.contains(h.box().centreX(), h.box().centreY())).isTrue();
    }
  }

  @Test
  void aShoppersHandInAShelfFaceIsReportedAsTheirHandInThatLane() throws Exception {
    // person.jpg (the SSD finds the person at x 190-275, y 95-380) in a 1280x720 frame; in the first
    // 10 frames her hand (hand.jpg shrunk to 96x72) reaches into lane A1's shelf face beside her
    Frame reaching = pasted(withPhoto(TestModels.darknetPhoto("person.jpg")), 280, 210, 96, 72);
    Frame standing = framed(withPhoto(TestModels.darknetPhoto("person.jpg")));
    Zone a1 = new Zone("A1", List.of(new Point2(285, 200), new Point2(345, 200), new Point2(345, 300),
        new Point2(285, 300)));
    Zone a2 = new Zone("A2", List.of(new Point2(600, 200), new Point2(700, 200), new Point2(700, 300),
        new Point2(600, 300)));
    List<HandInLane> reported = new ArrayList<>();
    VisionListener listener = new VisionListener() {
      @Override
      public void onHandInLane(HandInLane h) {
        reported.add(h);
      }
    };
    HandZones zones = new HandZones("hand", 0.3, List.of(a1, a2), 600, listener);
    ByteTracker tracker = new ByteTracker();
    try (OnnxDetector people = OnnxDetector.open(TestModels.ssd().withScoreThreshold(0.4f));
         OnnxDetector hands = OnnxDetector.open(TestModels.palm());
         ShelfFaceHands detector = new ShelfFaceHands(people, hands, "hand", "person", List.of(a1, a2))) {
      for (int i = 0; i < 20; i++) {
        long t = 1_000 + i * 200L;
        List<Detection> found = detector.detect(i < 10 ? reaching : standing);
        List<Track> tracks = tracker.update(found, t);
        zones.onFrame(t, found, tracks, id -> "cam:" + id, key -> null);
      }
      assertThat(detector.cropsSkipped()).as("A2, out of her reach, every frame").isEqualTo(20);
    }
    assertThat(reported).singleElement().satisfies(h -> {
      assertThat(h.laneId()).isEqualTo("A1");
      assertThat(h.trackId()).startsWith("cam:");
      assertThat(h.confidence()).isGreaterThan(0.5);
      assertThat(h.toMillis()).as("the last frame with her hand in it").isEqualTo(1_000 + 9 * 200);
    });
    // until the tracker has confirmed her (a few frames), her hand has no body to belong to
    assertThat(zones.unassignedCount()).isBetween(1L, 3L);
  }

  @Test
  void cropsAreSquaresAroundTheFacesInsideTheFrame() {
    Zone middle = new Zone("m", List.of(new Point2(500, 300), new Point2(700, 300), new Point2(700, 400),
        new Point2(500, 400)));
    Zone edge = new Zone("e", List.of(new Point2(1200, 650), new Point2(1280, 650), new Point2(1280, 720),
        new Point2(1200, 720)));
    List<int[]> crops = ShelfFaceHands.cropsOf(List.of(middle, edge), 1280, 720);
    assertThat(crops).hasSize(2);
    // 200 wide, widened by a quarter on each side: 300 square around (600, 350)
    assertThat(crops.get(0)).containsExactly(450, 200, 300, 300);
    // 80 wide: 120 square, moved inside the frame
    assertThat(crops.get(1)).containsExactly(1160, 600, 120, 120);
  }

  @Test
  void facesWhoseCropsMostlyOverlapShareOneCrop() {
    Zone a = new Zone("a", List.of(new Point2(500, 300), new Point2(600, 300), new Point2(600, 400),
        new Point2(500, 400)));
    Zone b = new Zone("b", List.of(new Point2(520, 310), new Point2(610, 310), new Point2(610, 400),
        new Point2(520, 400)));
    Zone far = new Zone("f", List.of(new Point2(900, 300), new Point2(1000, 300), new Point2(1000, 400),
        new Point2(900, 400)));
    List<int[]> crops = ShelfFaceHands.cropsOf(List.of(a, b, far), 1280, 720);
    assertThat(crops).hasSize(2);
    int[] merged = crops.get(0);
    assertThat(merged[2]).isEqualTo(merged[3]).isGreaterThanOrEqualTo(150);
    assertThat(merged[0]).isLessThanOrEqualTo(475);
    assertThat(merged[0] + merged[2]).isGreaterThanOrEqualTo(632);
  }

  /** A grey frame with hand.jpg shrunk to w x h at (x, y). */
  private static Frame pasted(int width, int height, int x, int y, int w, int h) {
    return pasted(new Mat(height, width, CV_8UC3, new Scalar(150, 160, 170, 0)), x, y, w, h);
  }

  /** The canvas (closed here) with hand.jpg shrunk to w x h at (x, y). */
  private static Frame pasted(Mat canvas, int x, int y, int w, int h) {
    try (canvas; Mat hand = imread(TestModels.photo("hand.jpg").toString(), IMREAD_COLOR); Mat small = new Mat()) {
      resize(hand, small, new Size(w, h), 0, 0, INTER_AREA);
      try (Rect r = new Rect(x, y, w, h); Mat dst = canvas.apply(r)) {
        small.copyTo(dst);
      }
      return framed(canvas);
    }
  }

  /** A grey 1280x720 canvas with the photo at its top left. */
  private static Mat withPhoto(java.nio.file.Path photo) {
    Mat canvas = new Mat(720, 1280, CV_8UC3, new Scalar(150, 160, 170, 0));
    try (Mat p = imread(photo.toString(), IMREAD_COLOR); Rect r = new Rect(0, 0, p.cols(), p.rows());
         Mat dst = canvas.apply(r)) {
      p.copyTo(dst);
    }
    return canvas;
  }

  private static Frame framed(Mat canvas) {
    byte[] bgr = new byte[canvas.cols() * canvas.rows() * 3];
    canvas.data().get(bgr);
    return new Frame("shelf-cam", 0, 0, canvas.cols(), canvas.rows(), bgr);
  }

  private static boolean holds(BoundingBox b, double x, double y) {
    return x >= b.x() && x <= b.right() && y >= b.y() && y <= b.bottom();
  }
}
