package org.storeedge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.StoreConfig.Camera;

class CameraConfigTest {
  @TempDir
  Path dir;

  private final StoreConfigLoader loader = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL);

  /** MINIMAL (12 lines) and one camera from line 13; {@code extra} goes after {@code source}. */
  private static String store(String extra, String image, String floor) {
    return Stores.MINIMAL + """
        cameras:
          - id: cam-1
            type: opencv
            source: /var/lib/storeedge/aisle.png
        """ + extra + """
            calibration:
              image: %s
              floor: %s
        """.formatted(image, floor);
  }

  private static final String IMAGE = "[ [0, 0], [640, 0], [640, 480], [0, 480] ]";
  private static final String FLOOR = "[ [0, 0], [4, 0], [4, 3], [0, 3] ]";

  private List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("store.yaml", yaml, dir));
    assertThat(e).as("expected problems in:\n" + yaml).isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void aStoreWithoutCamerasHasNone() throws Exception {
    assertThat(loader.parse("s.yaml", Stores.MINIMAL, dir).cameras()).isEmpty();
  }

  @Test
  void aCameraIsReadWithItsDefaults() throws Exception {
    StoreConfig c = loader.parse("store.yaml", store("", IMAGE, FLOOR), dir);

    Camera cam = c.cameras().get(0);
    assertThat(c.camera("cam-1")).containsSame(cam);
    assertThat(cam.id()).isEqualTo("cam-1");
    assertThat(cam.type()).isEqualTo("opencv");
    assertThat(cam.source()).isEqualTo("/var/lib/storeedge/aisle.png");
    assertThat(cam.fps()).isEqualTo(5.0);
    assertThat(cam.model()).isEqualTo("ssd-mobilenetv2-oidv4");
    assertThat(cam.imagePoints()).containsExactly(new double[] {0, 0}, new double[] {640, 0},
        new double[] {640, 480}, new double[] {0, 480});
    assertThat(cam.floorPoints()).containsExactly(new double[] {0, 0}, new double[] {4, 0},
        new double[] {4, 3}, new double[] {0, 3});
    assertThat(cam.settings().values()).isEmpty();
    assertThat(cam.clothingColours()).isTrue();
    assertThat(cam.location()).isEqualTo(new Location("store.yaml", 15, 11));
  }

  @Test
  void givenValuesAndSettingsAreKept() throws Exception {
    String extra = "    fps: 2.5\n    model: tiny\n    settings: { loop: true }\n    appearance: off\n";
    Camera cam = loader.parse("store.yaml", store(extra, IMAGE, FLOOR), dir).cameras().get(0);
    assertThat(cam.clothingColours()).as("appearance: off").isFalse();
    assertThat(cam.fps()).isEqualTo(2.5);
    assertThat(cam.model()).isEqualTo("tiny");
    assertThat(cam.settings().values()).containsEntry("loop", true);
    assertThat(cam.settings().pathOf("loop")).isEqualTo("cameras[0].settings.loop");
  }

  @Test
  void pointsAreCopiedSoTheConfigStaysImmutable() throws Exception {
    Camera cam = loader.parse("store.yaml", store("", IMAGE, FLOOR), dir).cameras().get(0);
    cam.imagePoints().get(0)[0] = 99;
    assertThat(cam.imagePoints().get(0)).isEqualTo(new double[] {0, 0});
  }

  @Test
  void cameraFieldsAreChecked() {
    assertThat(problems(store("    fps: 0\n", IMAGE, FLOOR))).containsExactly(
        "store.yaml:17:10: cameras[0].fps: must be > 0 frames per second (got: 0)");
    assertThat(problems(store("    fps: fast\n", IMAGE, FLOOR))).containsExactly(
        "store.yaml:17:10: cameras[0].fps: must be a number (got: fast)");
    assertThat(problems(store("    lens: wide\n", IMAGE, FLOOR))).containsExactly(
        "store.yaml:17:5: cameras[0].lens: unknown key (expected one of: id, type, source, fps, model, calibration, hands, settings, appearance)");
    assertThat(problems(store("    appearance: faces\n", IMAGE, FLOOR))).containsExactly(
        "store.yaml:17:17: cameras[0].appearance: must be clothing-colours or off (got: faces)");
    assertThat(problems(store("    settings: [1]\n", IMAGE, FLOOR))).containsExactly(
        "store.yaml:17:15: cameras[0].settings: must be a map (got: a list)");
    assertThat(problems(store("", IMAGE, FLOOR).replace("    source: /var/lib/storeedge/aisle.png\n", ""))).containsExactly(
        "store.yaml:14:5: cameras[0].source: is required");
    assertThat(problems(store("", IMAGE, FLOOR).replace("id: cam-1", "id: cam 1"))).containsExactly(
        "store.yaml:14:9: cameras[0].id: must match [A-Za-z0-9._-]+ (got: cam 1)");
    assertThat(problems(Stores.MINIMAL + "cameras: { id: c }\n")).containsExactly(
        "store.yaml:13:10: cameras: must be a list (got: a map)");
  }

  @Test
  void cameraIdsAreUnique() {
    String two = store("", IMAGE, FLOOR) + """
          - id: cam-1
            type: opencv
            source: "0"
            calibration: { image: %s, floor: %s }
        """.formatted(IMAGE, FLOOR);
    assertThat(problems(two)).containsExactly(
        "store.yaml:20:9: cameras[1].id: duplicate camera id, first at cameras[0].id line 14 (got: cam-1)");
  }

  @Test
  void calibrationIsChecked() {
    assertThat(problems(store("", "[ [0, 0], [640, 0], [640, 480] ]", "[ [0, 0], [4, 0], [4, 3] ]"))).containsExactly(
        "store.yaml:18:14: cameras[0].calibration.image: must list at least 4 [x, y] points (got: a list)",
        "store.yaml:19:14: cameras[0].calibration.floor: must list at least 4 [x, y] points (got: a list)");
    assertThat(problems(store("", IMAGE, "[ [0, 0], [4, 0], [4, 3], [0, 3], [2, 2] ]"))).containsExactly(
        "store.yaml:19:14: cameras[0].calibration.floor: must list as many points as image (4), in the same order;"
            + " has 5 (got: a list)");
    assertThat(problems(store("", "[ [0, 0], [640, 0], [10001, 480], [0, -1] ]", FLOOR))).containsExactly(
        "store.yaml:18:35: cameras[0].calibration.image[2][0]: must be between 0 and 10000 pixels (got: 10001)",
        "store.yaml:18:52: cameras[0].calibration.image[3][1]: must be between 0 and 10000 pixels (got: -1)");
    assertThat(problems(store("", "[ [0, 0], [640, 0, 1], x, [0, \"480\"] ]", FLOOR))).containsExactly(
        "store.yaml:18:24: cameras[0].calibration.image[1]: must be a point [x, y] of 2 numbers (got: a list)",
        "store.yaml:18:37: cameras[0].calibration.image[2]: must be a list (got: x)",
        "store.yaml:18:44: cameras[0].calibration.image[3][1]: must be a number (got: \"480\")");
    assertThat(problems(store("", IMAGE, FLOOR).replace("      floor: " + FLOOR + "\n", ""))).containsExactly(
        "store.yaml:18:7: cameras[0].calibration.floor: is required");
    assertThat(problems(store("", IMAGE, FLOOR).replace("      floor:", "      floors:"))).containsExactly(
        "store.yaml:18:7: cameras[0].calibration.floor: is required",
        "store.yaml:19:7: cameras[0].calibration.floors: unknown key (expected one of: image, floor)");
  }

  @Test
  void handsAreReadWithTheirDefaultsAndShelfFacesCopied() throws Exception {
    String hands = "    hands:\n      shelfFaces:\n        - { lane: LANE, points: [ [10, 10], [60, 10], [60, 40], [10, 40] ] }\n"
        .replace("LANE", firstLane());
    Camera cam = loader.parse("store.yaml", store(hands, IMAGE, FLOOR), dir).cameras().get(0);
    assertThat(cam.hands().model()).as("the camera's own model").isNull();
    assertThat(cam.hands().label()).isEqualTo("hand");
    assertThat(cam.hands().minScore()).isEqualTo(0.3);
    assertThat(cam.hands().shelfFaces()).singleElement().satisfies(f -> {
      assertThat(f.laneId()).isEqualTo(firstLane());
      assertThat(f.points()).hasSize(4);
      f.points().get(0)[0] = 99;
      assertThat(f.points().get(0)).isEqualTo(new double[] {10, 10});
    });
    assertThat(loader.parse("store.yaml", store("", IMAGE, FLOOR), dir).cameras().get(0).hands()).isNull();
    String withModel = hands.replace("    hands:\n", "    hands:\n      model: mediapipe-palm\n");
    assertThat(loader.parse("store.yaml", store(withModel, IMAGE, FLOOR), dir).cameras().get(0).hands().model())
        .isEqualTo("mediapipe-palm");
  }

  @Test
  void everyProblemOfTheHandsIsReportedWithItsPlace() {
    String hands = """
            hands:
              model: ""
              label: " "
              minScore: 1.5
              shelfFaces:
                - { lane: nowhere, points: [ [10, 10], [60, 10], [60, 40] ] }
                - { lane: LANE, points: [ [10, 10], [60, 10] ] }
                - { lane: LANE, points: [ [10, 10], [60, 10], [60, 20000] ] }
        """.replace("LANE", firstLane());
    assertThat(problems(store(hands, IMAGE, FLOOR))).containsExactlyInAnyOrder(
        "store.yaml:18:14: cameras[0].hands.model: must not be blank (got: \"\")",
        "store.yaml:19:14: cameras[0].hands.label: must not be blank (got: \" \")",
        "store.yaml:20:17: cameras[0].hands.minScore: must be between 0 and 1 (got: 1.5)",
        "store.yaml:22:19: cameras[0].hands.shelfFaces[0].lane: unknown lane (got: nowhere)",
        "store.yaml:23:31: cameras[0].hands.shelfFaces[1].points: must list at least 3 [x, y] points (got: a list)",
        "store.yaml:24:19: cameras[0].hands.shelfFaces[2].lane: duplicate lane in shelfFaces, first at "
            + "cameras[0].hands.shelfFaces[1].lane line 23 (got: l1)",
        "store.yaml:24:58: cameras[0].hands.shelfFaces[2].points[2][1]: must be between 0 and 10000 pixels (got: 20000)");
  }

  @Test
  void aShelfFaceOfALaneWithAProblemOfItsOwnIsNotAnUnknownLane() {
    String hands = "    hands:\n      shelfFaces:\n        - { lane: l1, points: [ [10, 10], [60, 10], [60, 40] ] }\n";
    assertThat(problems(store(hands, IMAGE, FLOOR).replace("capacity: 5", "capacity: 0"))).containsExactly(
        "store.yaml:8:37: shelves[0].lanes[0].capacity: must be > 0 (got: 0)");
  }

  /** The lane of {@link Stores#MINIMAL}. */
  private static String firstLane() {
    return "l1";
  }
}
