package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.runtime.ProjectModels;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.vision.VisionPipeline;

/**
 * A signed {@code config-update} that changes the store's cameras puts them in place at once: a
 * changed camera is restarted and must run frames again, a removed one is stopped, and a change
 * that stops a running camera from working is rolled back. A real Mosquitto, the gateway runtime
 * with an opencv camera on a still image the simulator rendered, and the cloud as an outside MQTT
 * client.
 */
@ExtendWith(ProjectModels.Home.class)
class ConfigUpdateCamerasTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant ISSUED = Instant.parse("2026-11-27T10:00:00Z");

  @TempDir
  Path dir;

  private StillCameraGateway g;
  private String yaml;

  @BeforeEach
  void setUp() throws Exception {
    g = StillCameraGateway.start(dir);
    yaml = Files.readString(g.storeFile, StandardCharsets.UTF_8);
    assertThat(yaml).contains("fps: 5\n", "id: cam-1");
  }

  @AfterEach
  void tearDown() {
    if (g != null) {
      g.close();
    }
  }

  private OutsideSubscriber.Received send(long seq, String next) throws Exception {
    byte[] signed = SignedUpdate.sign(g.signing.getPrivate(), g.signing.getPublic(), "config", seq, ISSUED,
        next.getBytes(StandardCharsets.UTF_8));
    return TestGateway.command(g.cloud, "config-update", signed);
  }

  private JsonNode update(long seq, String next) throws Exception {
    return JSON.readTree(send(seq, next).payload());
  }

  private VisionPipeline cam1() {
    return g.gw.cameras().pipeline("cam-1").orElseThrow();
  }


  @Test
  void aChangedCameraIsRestartedOnItsNewSetUpAndAnUnchangedOneKeepsRunning() throws Exception {
    VisionPipeline before = cam1();

    // a change elsewhere in the store file leaves the camera (and its tracks) alone
    JsonNode price = update(1, yaml.replace("price: 149", "price: 159"));
    assertThat(price.path("applied").asBoolean()).as(price.toString()).isTrue();
    assertThat(price.path("camerasRestarted")).isEmpty();
    assertThat(cam1()).isSameAs(before);

    // a new frame rate is a new set-up: the camera is restarted on it and runs frames again
    JsonNode fps = update(2, yaml.replace("price: 149", "price: 159").replace("fps: 5\n", "fps: 4\n"));
    assertThat(fps.path("applied").asBoolean()).as(fps.toString()).isTrue();
    assertThat(fps.path("camerasRestarted").toString()).isEqualTo("[\"cam-1\"]");
    assertThat(fps.path("cameraFaults").size()).isZero();
    assertThat(fps.path("takesEffectAtNextProcessRestart")).isEmpty();
    VisionPipeline after = cam1();
    assertThat(after).isNotSameAs(before);
    g.awaitProcessed("cam-1", 2);
    assertThat(after.counters().detectorFailures()).isZero();
    assertThat(g.gw.cameras().faults()).isEmpty();
  }

  @Test
  void aChangeThatStopsARunningCameraFromWorkingIsRolledBack() throws Exception {
    VisionPipeline before = cam1();
    String broken = yaml.replace(g.still.toString(), dir.resolve("no-such-image.png").toString());

    OutsideSubscriber.Received r = send(1, broken);

    assertThat(r.text()).contains("rolled-back").contains("camera cam-1 after applying")
        .contains("after rolling back: healthy; cameras healthy");
    // the store file on disk and the running camera are the previous ones again
    assertThat(Files.readString(g.storeFile, StandardCharsets.UTF_8)).isEqualTo(yaml);
    StoreConfig onDisk = new StoreConfigLoader(TestGateway.drivers()).load(g.storeFile);
    assertThat(onDisk.cameras().get(0).source()).isEqualTo(g.still.toString());
    VisionPipeline back = cam1();
    assertThat(back).isNotSameAs(before);
    g.awaitProcessed("cam-1", 2);
    assertThat(g.gw.commands().rolledBackUpdates()).isEqualTo(1);
  }

  @Test
  void aCameraGoneFromTheStoreFileIsStoppedAndANewOneThatCannotStartIsReportedWithoutHoldingTheUpdateBack()
      throws Exception {
    VisionPipeline before = cam1();
    String renamed = yaml.replace("id: cam-1", "id: cam-2")
        .replace(g.still.toString(), dir.resolve("not-plugged-in.png").toString());

    JsonNode r = update(1, renamed);

    assertThat(r.path("applied").asBoolean()).as(r.toString()).isTrue();
    assertThat(r.path("camerasRemoved").toString()).isEqualTo("[\"cam-1\"]");
    assertThat(r.path("camerasRestarted").toString()).isEqualTo("[\"cam-2\"]");
    assertThat(r.path("cameraFaults").path("cam-2").asText()).isNotEmpty();
    assertThat(g.gw.cameras().pipeline("cam-1")).isEmpty();
    assertThat(g.gw.cameras().pipeline("cam-2")).isEmpty();
    assertThat(g.gw.cameras().configuredCameraIds()).containsExactly("cam-2");
    assertThat(g.gw.cameras().pipelines()).doesNotContain(before).isEmpty();
  }
}
