package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.runtime.ProjectModels;
import org.storeedge.sync.outbox.OutboxEntry;
import org.storeedge.sync.testing.MosquittoBroker;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.Poll;
import org.storeedge.vision.VisionPipeline;

/**
 * {@code storeedge run} with cameras in the store file: a real OpenCV source and the real models
 * (SSD on a drawn aisle; sim-person on the simulator's rendered aisle, published through a real
 * Mosquitto to an outside subscriber).
 */
@ExtendWith(ProjectModels.Home.class)
class GatewayCamerasTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** The test store without uplink, plus one opencv camera reading {@code source}. */
  private Path store(String source) throws Exception {
    String yaml = TestGateway.yaml("tcp://127.0.0.1:1", "{ scale: 1.0 }", "ENRG-250")
        .replace("brokers: [ \"tcp://127.0.0.1:1\" ]", "brokers: []") + "cameras:\n" + camera("cam-1", source);
    assertThat(yaml).contains("brokers: []");
    return TestGateway.write(dir, yaml);
  }

  /** One opencv camera's entry in the {@code cameras} list of a store file. */
  private static String camera(String id, String source) {
    return """
          - id: %s
            type: opencv
            source: "%s"
            fps: 5
            calibration:
              image: [ [0, 240], [320, 240], [320, 0], [0, 0] ]
              floor: [ [0, 0], [10, 0], [10, 5], [0, 5] ]
        """.formatted(id, source);
  }

  private Path floorImage() throws Exception {
    BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(180, 170, 150));
    g.fillRect(0, 0, 320, 240);
    g.setColor(new Color(60, 60, 160));
    g.fillRect(140, 60, 40, 140);
    g.dispose();
    Path f = dir.resolve("aisle.png");
    assertThat(ImageIO.write(img, "png", f.toFile())).isTrue();
    return f;
  }

  private org.storeedge.config.StoreConfig parsed(String yaml) throws Exception {
    return new StoreConfigLoader(TestGateway.drivers()).parse(dir.resolve("store.yaml").toString(), yaml, dir);
  }

  @Test
  void aStoreFileChangesTheCamerasWhoseSetUpDiffersOrAllOfThemWhenLanesOrGatesMoved() throws Exception {
    String base = Files.readString(store(floorImage().toString()), StandardCharsets.UTF_8)
        + camera("cam-2", dir.resolve("aisle.png").toString());
    org.storeedge.config.StoreConfig before = parsed(base);
    assertThat(before.cameras()).hasSize(2);

    // the same cameras further down the file (other line numbers), and a new price: nothing to restart
    assertThat(GatewayCameras.changedCameras(before, parsed("\n\n" + base.replace("price: 149", "price: 159"))))
        .isEmpty();
    // one calibration point of cam-2 moved (points are arrays: compared by value)
    String moved = base.substring(0, base.lastIndexOf("[320, 240]")) + "[321, 240]"
        + base.substring(base.lastIndexOf("[320, 240]") + "[320, 240]".length());
    assertThat(GatewayCameras.changedCameras(before, parsed(moved))).containsExactly("cam-2");
    // cam-1 gone, a camera added
    String swapped = base.replaceFirst("id: cam-1", "id: cam-3");
    assertThat(GatewayCameras.changedCameras(before, parsed(swapped))).containsExactly("cam-3", "cam-1");
    // a lane moved: every camera's lane zones change
    assertThat(GatewayCameras.changedCameras(before, parsed(base.replace("x: 1.0, y: 1.6", "x: 1.2, y: 1.6"))))
        .containsExactly("cam-1", "cam-2");
    // a gate moved: every camera hands tokens over from the gates
    assertThat(GatewayCameras.changedCameras(before, parsed(base.replace("x: 9.5, y: 4.0", "x: 9.0, y: 4.0"))))
        .containsExactly("cam-1", "cam-2");
  }

  @Test
  void aCameraOnAStillImageRunsItsPipelineNextToTheAgent() throws Exception {
    Path storeFile = store(floorImage().toString());
    try (GatewayRuntime rt = TestGateway.start(storeFile, TrustedKeys.none(), Duration.ofSeconds(30))) {
      assertThat(rt.cameras().faults()).isEmpty();
      VisionPipeline p = rt.cameras().pipeline("cam-1").orElseThrow();
      Poll.until(Duration.ofSeconds(90), () -> p.counters().processed() >= 2, () -> "frames processed: " + p.counters());
      assertThat(p.counters().detectorFailures()).isZero();
      assertThat(rt.host().agent()).isNotNull();
      assertThat(rt.host().awaitHealthy(Duration.ofSeconds(30)).healthy()).isTrue();
    }
  }

  @Test
  void aCameraWithAHandModelRunsItOnTheShelfFacesNextToThePersonDetector() throws Exception {
    String hands = """
            hands:
              model: mediapipe-palm
              shelfFaces:
                - { lane: a1, points: [ [130, 50], [190, 50], [190, 110], [130, 110] ] }
        """;
    Path storeFile = store(floorImage().toString());
    TestGateway.write(dir, Files.readString(storeFile) + hands);
    try (GatewayRuntime rt = TestGateway.start(storeFile, TrustedKeys.none(), Duration.ofSeconds(30))) {
      assertThat(rt.cameras().faults()).isEmpty();
      VisionPipeline p = rt.cameras().pipeline("cam-1").orElseThrow();
      Poll.until(Duration.ofSeconds(90), () -> p.counters().processed() >= 2, () -> "frames processed: " + p.counters());
      assertThat(p.counters().detectorFailures()).isZero();
    }
    // a hand model that is not there is a camera fault, and the agent runs on
    TestGateway.write(dir, Files.readString(storeFile).replace("model: mediapipe-palm", "model: no-such-hands"));
    try (GatewayRuntime rt = TestGateway.start(storeFile, TrustedKeys.none(), Duration.ofSeconds(30))) {
      assertThat(rt.cameras().pipelines()).isEmpty();
      assertThat(rt.cameras().faults()).singleElement().satisfies(f -> assertThat(f.reason()).contains("no-such-hands"));
      assertThat(rt.host().awaitHealthy(Duration.ofSeconds(30)).healthy()).isTrue();
    }
  }

  @Test
  void aCameraThatCannotBeOpenedIsReportedAndTheAgentRunsOn() throws Exception {
    Path missing = dir.resolve("no-such-camera.png");
    Path storeFile = store(missing.toString());
    try (GatewayRuntime rt = TestGateway.start(storeFile, TrustedKeys.none(), Duration.ofSeconds(30))) {
      assertThat(rt.cameras().pipelines()).isEmpty();
      assertThat(rt.cameras().faults()).singleElement().satisfies(f -> {
        assertThat(f.cameraId()).isEqualTo("cam-1");
        assertThat(f.status()).isEqualTo("FAILED");
        assertThat(f.reason()).contains("no-such-camera.png");
      });
      List<OutboxEntry> pending = rt.outbox().nextBatch(100);
      assertThat(pending).anySatisfy(e -> {
        assertThat(e.key()).startsWith("camera-cam-1-FAILED-");
        assertThat(new String(e.payload(), StandardCharsets.UTF_8)).contains("\"type\":\"camera-fault\"")
            .contains("no-such-camera.png");
      });
      assertThat(rt.host().agent()).isNotNull();
      assertThat(rt.host().awaitHealthy(Duration.ofSeconds(30)).healthy()).isTrue();
    }
  }

  @Test
  void aShopperStandingInALaneZoneIsPublishedAsAnInteractionOnEvents() throws Exception {
    MosquittoBroker broker = MosquittoBroker.create(dir.resolve("mosquitto"), false, List.of()).startProcess();
    try (OutsideSubscriber cloud = new OutsideSubscriber(broker.uri(), "cloud", TestGateway.PREFIX + "#")) {
      String yaml = TestGateway.yaml(broker.uri(), "{ scale: 1.0 }", "ENRG-250");
      Path storeFile = TestGateway.write(dir, yaml);
      RenderedAisle aisle = new RenderedAisle(new StoreConfigLoader(TestGateway.drivers()).load(storeFile));
      // 4 s of a shopper standing in lane a1's zone, then 4 s of the empty aisle, looped
      Path clip = aisle.video(dir.resolve("aisle.mp4"), 40, 40);
      TestGateway.write(dir, yaml + aisle.camerasYaml(clip.toString(), "sim-person", true));
      try (GatewayRuntime rt = TestGateway.start(storeFile, TrustedKeys.none(), Duration.ofSeconds(30))) {
        assertThat(rt.cameras().faults()).isEmpty();
        VisionPipeline p = rt.cameras().pipeline("cam-1").orElseThrow();
        Poll.until(Duration.ofSeconds(120), () -> interactions(cloud).stream().anyMatch(i -> i.path("laneId").asText()
            .equals("a1")), () -> "an interaction at a1 on " + TestGateway.PREFIX + "events; got " + interactions(cloud)
            + "; frames: " + p.counters());
        JsonNode i = interactions(cloud).stream().filter(n -> n.path("laneId").asText().equals("a1")).findFirst()
            .orElseThrow();
        assertThat(i.path("trackId").asText()).startsWith("cam-1:");
        assertThat(i.has("customerToken")).as(i.toString()).isTrue();
        assertThat(i.path("customerToken").isNull()).as("nobody checked in at a gate: %s", i).isTrue();
        java.time.Instant from = java.time.Instant.parse(i.path("from").asText());
        java.time.Instant to = java.time.Instant.parse(i.path("to").asText());
        // an interaction starts only after the minimum dwell in the zone (capture times, not test timing)
        assertThat(Duration.between(from, to)).isGreaterThanOrEqualTo(
            Duration.ofMillis(org.storeedge.vision.interaction.InteractionSettings.defaults().minDwellMillis()));
      }
    } finally {
      broker.close();
    }
  }

  /** Every {@code type: interaction} entry received on {@code events}, batched or not. */
  private static List<JsonNode> interactions(OutsideSubscriber cloud) {
    return TestGateway.entries(cloud, "events").stream().filter(e -> e.path("type").asText().equals("interaction"))
        .toList();
  }

}
