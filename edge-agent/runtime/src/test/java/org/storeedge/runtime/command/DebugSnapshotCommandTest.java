package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.runtime.Main;
import org.storeedge.runtime.ProjectModels;
import org.storeedge.sync.testing.MosquittoBroker;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.Poll;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.DebugSnapshots;
import org.storeedge.vision.Frame;

/**
 * The signed {@code debug-snapshot} command end to end: a real Mosquitto, the gateway runtime with
 * an opencv camera on a still image the simulator rendered (a shopper in lane a1's zone), the
 * sim-person model, and the cloud as an outside MQTT client.
 */
@ExtendWith(ProjectModels.Home.class)
class DebugSnapshotCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant ISSUED = Instant.parse("2026-11-25T10:00:00Z");

  @TempDir
  Path dir;

  private StillCameraGateway g;
  private MosquittoBroker broker;
  private KeyPair signing;
  private GatewayRuntime gw;
  private OutsideSubscriber cloud;
  private Frame original;
  private BoundingBox person;
  private Path snapshots;
  private Path storeFile;

  @BeforeEach
  void setUp() throws Exception {
    g = StillCameraGateway.start(dir);
    broker = g.broker;
    signing = g.signing;
    gw = g.gw;
    cloud = g.cloud;
    storeFile = g.storeFile;
    original = g.shot.frame();
    person = g.shot.clearlyVisible().get(0).box();
    snapshots = gw.cameras().snapshotDir("cam-1");
  }

  @AfterEach
  void tearDown() {
    if (g != null) {
      g.close();
    }
  }

  private byte[] signed(long seq, String body) throws Exception {
    return SignedUpdate.sign(signing.getPrivate(), signing.getPublic(), "debug-snapshot", seq, ISSUED,
        body.getBytes(StandardCharsets.UTF_8));
  }

  private List<Path> written() throws IOException {
    if (!Files.isDirectory(snapshots)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(snapshots)) {
      return s.filter(p -> p.toString().endsWith(".ppm")).sorted().toList();
    }
  }

  private void awaitProcessed(int n) {
    g.awaitProcessed("cam-1", n);
  }

  @Test
  void aSignedCommandArmsTheCameraAndWritesBlurredFramesUpToTheLimit() throws Exception {
    byte[] cmd = signed(1, "{\"cameraId\":\"cam-1\",\"frames\":3,\"seconds\":120}");
    OutsideSubscriber.Received r = TestGateway.command(cloud, "debug-snapshot", cmd);

    assertThat(r.property("status")).as(r.text()).contains("ok");
    JsonNode b = JSON.readTree(r.payload());
    assertThat(b.path("armed").asBoolean()).isTrue();
    assertThat(b.path("framesPerCamera").asInt()).isEqualTo(3);
    assertThat(b.path("cameras").get(0).path("cameraId").asText()).isEqualTo("cam-1");
    assertThat(Path.of(b.path("cameras").get(0).path("directory").asText()))
        .isEqualTo(dir.resolve("data").resolve("debug-snapshots").resolve("cam-1").toAbsolutePath());
    assertThat(gw.commands().debugSnapshotsArmed()).isEqualTo(1);

    Poll.until(Duration.ofSeconds(90), () -> uncheckedCount() >= 3, () -> "snapshots written: " + uncheckedCount());
    awaitProcessed(4);
    assertThat(written()).hasSize(3);
    assertThat(gw.cameras().snapshots("cam-1").orElseThrow().armed()).isFalse();

    int x0 = Math.round(person.x() + person.w() * 0.15f);
    int x1 = Math.round(person.right() - person.w() * 0.15f);
    int y0 = Math.round(person.y() + person.h() * 0.1f);
    int y1 = Math.round(person.bottom() - person.h() * 0.1f);
    Ppm before = Ppm.of(original);
    double detailBefore = before.detail(x0, y0, x1, y1);
    // a region the blur fills with 16x16 blocks of one colour each holds at most this many colours
    int blocks = ((x1 - x0 + 15) / 16 + 1) * ((y1 - y0 + 15) / 16 + 1);
    assertThat(before.colours(x0, y0, x1, y1)).as("colours of the rendered shopper").isGreaterThan(2 * blocks);
    assertThat(detailBefore).as("the rendered shopper has detail to lose").isGreaterThan(2.0);
    for (Path f : written()) {
      Ppm snap = Ppm.read(f);
      assertThat(snap.width).isEqualTo(original.width());
      assertThat(snap.height).isEqualTo(original.height());
      // inside the shopper's box only 16-pixel blocks of one colour are left
      assertThat(snap.colours(x0, y0, x1, y1)).as("colours in the shopper's box of %s", f).isLessThanOrEqualTo(blocks);
      assertThat(snap.detail(x0, y0, x1, y1)).as("detail in the shopper's box of %s (before: %.2f)", f, detailBefore)
          .isLessThan(detailBefore * 0.5);
      // the rest of the frame is the camera image as captured
      int[] corner = person.centreX() > original.width() / 2.0 ? new int[] {0, 0, 60, 40}
          : new int[] {original.width() - 60, 0, original.width(), 40};
      assertThat(snap.meanAbsDiff(before, corner[0], corner[1], corner[2], corner[3])).isLessThan(1.0);
      assertThat(snap.detail(corner[0], corner[1], corner[2], corner[3]))
          .isCloseTo(before.detail(corner[0], corner[1], corner[2], corner[3]), org.assertj.core.data.Offset.offset(0.5));
    }

    // the same signed command again is a replay: refused, nothing more written
    OutsideSubscriber.Received again = TestGateway.command(cloud, "debug-snapshot", cmd);
    assertThat(again.property("status")).contains("error");
    assertThat(again.text()).contains("replayed");
    awaitProcessed(2);
    assertThat(written()).hasSize(3);
    // frames stay on the gateway: no message carries an image
    assertThat(cloud.received()).noneSatisfy(m -> assertThat(m.payload()).startsWith("P6".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void disarmStopsWritingAtOnce() throws Exception {
    OutsideSubscriber.Received r = TestGateway.command(cloud, "debug-snapshot",
        signed(5, "{\"cameraId\":\"*\",\"frames\":" + DebugSnapshots.MAX_FRAMES + ",\"seconds\":600}"));
    assertThat(r.property("status")).as(r.text()).contains("ok");
    Poll.until(Duration.ofSeconds(90), () -> uncheckedCount() >= 1, "a first snapshot");

    OutsideSubscriber.Received off = TestGateway.command(cloud, "debug-snapshot",
        signed(6, "{\"cameraId\":\"cam-1\",\"disarm\":true}"));
    assertThat(off.property("status")).as(off.text()).contains("ok");
    assertThat(JSON.readTree(off.payload()).path("armed").asBoolean()).isFalse();
    int n = written().size();
    awaitProcessed(3);
    assertThat(written()).hasSize(n);
    assertThat(gw.commands().debugSnapshotsDisarmed()).isEqualTo(1);
  }

  @Test
  void unsignedForgedUnknownKeyUnknownCameraAndOverLimitRequestsAreRefusedAndNothingIsWritten() throws Exception {
    String body = "{\"cameraId\":\"cam-1\",\"frames\":3,\"seconds\":60}";
    JsonNode good = JSON.readTree(signed(3, body));

    ObjectNode unsigned = ((ObjectNode) good.deepCopy()).put("signature", "");
    assertThat(TestGateway.command(cloud, "debug-snapshot", JSON.writeValueAsBytes(unsigned)).text()).contains("unsigned");

    // a plain, unsigned request as a config-less client would send it
    assertThat(TestGateway.command(cloud, "debug-snapshot", body).text()).contains("unsigned");

    // more frames under the genuine signature
    ObjectNode forged = ((ObjectNode) good.deepCopy()).put("body", Base64.getEncoder()
        .encodeToString("{\"cameraId\":\"cam-1\",\"frames\":100,\"seconds\":900}".getBytes(StandardCharsets.UTF_8)));
    assertThat(TestGateway.command(cloud, "debug-snapshot", JSON.writeValueAsBytes(forged)).text()).contains("bad-signature");

    KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] foreign = SignedUpdate.sign(stranger.getPrivate(), stranger.getPublic(), "debug-snapshot", 4, ISSUED,
        body.getBytes(StandardCharsets.UTF_8));
    assertThat(TestGateway.command(cloud, "debug-snapshot", foreign).text()).contains("unknown-key");

    // a genuine config-update signature does not authorise a snapshot
    byte[] otherKind = SignedUpdate.sign(signing.getPrivate(), signing.getPublic(), "config", 7, ISSUED,
        body.getBytes(StandardCharsets.UTF_8));
    assertThat(TestGateway.command(cloud, "debug-snapshot", otherKind).text()).contains("bad-signature");

    OutsideSubscriber.Received unknown = TestGateway.command(cloud, "debug-snapshot",
        signed(8, "{\"cameraId\":\"cam-9\",\"frames\":3,\"seconds\":60}"));
    assertThat(unknown.property("status")).contains("error");
    assertThat(unknown.text()).contains("unknown-camera").contains("cam-9").contains("cam-1");

    OutsideSubscriber.Received tooMany = TestGateway.command(cloud, "debug-snapshot",
        signed(8, "{\"cameraId\":\"cam-1\",\"frames\":101,\"seconds\":60}"));
    assertThat(tooMany.text()).contains("invalid").contains("frames").contains("1..100");
    OutsideSubscriber.Received tooLong = TestGateway.command(cloud, "debug-snapshot",
        signed(8, "{\"cameraId\":\"cam-1\",\"frames\":3,\"seconds\":901}"));
    assertThat(tooLong.text()).contains("invalid").contains("seconds").contains("1..900");
    assertThat(TestGateway.command(cloud, "debug-snapshot", signed(8, "[1]")).text()).contains("malformed");

    assertThat(gw.commands().rejectedCounts()).containsEntry("unsigned", 2L).containsEntry("bad-signature", 2L)
        .containsEntry("unknown-key", 1L).containsEntry("unknown-camera", 1L).containsEntry("invalid", 2L)
        .containsEntry("malformed", 1L);
    assertThat(gw.commands().debugSnapshotsArmed()).isZero();
    awaitProcessed(4);
    assertThat(written()).isEmpty();
    assertThat(gw.cameras().snapshots("cam-1").orElseThrow().armed()).isFalse();

    // the agent runs on, and a refused request did not use up its sequence
    assertThat(TestGateway.command(cloud, "outbox-status", "{}").property("status")).contains("ok");
    OutsideSubscriber.Received ok = TestGateway.command(cloud, "debug-snapshot", JSON.writeValueAsBytes(good));
    assertThat(ok.property("status")).as(ok.text()).contains("ok");
  }

  @Test
  void aTechnicianArmsItFromTheCommandLineWithTheSigningKey() throws Exception {
    Path key = dir.resolve("signing-key.pem");
    Files.writeString(key, TestGateway.pem(signing), StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        "debug-snapshot", "--config", storeFile.toString(), "--camera", "cam-1", "--frames", "2", "--seconds", "60",
        "--signing-key", key.toString());
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode reply = JSON.readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(reply.path("armed").asBoolean()).isTrue();
    assertThat(reply.path("keyId").asText()).isEqualTo(TrustedKeys.keyId(signing.getPublic()));
    Poll.until(Duration.ofSeconds(90), () -> uncheckedCount() >= 2, () -> "snapshots written: " + uncheckedCount());
    awaitProcessed(3);
    assertThat(written()).hasSize(2);

    // a key the gateway does not pin is refused, and the CLI exits 1 saying why
    Path stranger = dir.resolve("stranger.pem");
    Files.writeString(stranger, TestGateway.pem(KeyPairGenerator.getInstance("Ed25519").generateKeyPair()), StandardCharsets.US_ASCII);
    ByteArrayOutputStream err2 = new ByteArrayOutputStream();
    int refused = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err2, true, StandardCharsets.UTF_8), "debug-snapshot", "--config", storeFile.toString(),
        "--camera", "cam-1", "--frames", "2", "--seconds", "60", "--signing-key", stranger.toString());
    assertThat(refused).isEqualTo(Main.FAILED);
    assertThat(err2.toString(StandardCharsets.UTF_8)).contains("unknown-key");
    // bad input never reaches the agent
    ByteArrayOutputStream err3 = new ByteArrayOutputStream();
    int bad = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err3, true, StandardCharsets.UTF_8), "debug-snapshot", "--config", storeFile.toString(),
        "--camera", "cam-9", "--frames", "2", "--seconds", "60", "--signing-key", key.toString());
    assertThat(bad).isEqualTo(Main.BAD_INPUT);
    assertThat(err3.toString(StandardCharsets.UTF_8)).contains("no camera 'cam-9'");
  }

  private int uncheckedCount() {
    try {
      return written().size();
    } catch (IOException e) {
      return -1;
    }
  }

  /** An 8-bit RGB image (binary PPM as DebugSnapshots writes it, or a BGR frame converted). */
  private static final class Ppm {
    final int width;
    final int height;
    final byte[] rgb;

    Ppm(int width, int height, byte[] rgb) {
      this.width = width;
      this.height = height;
      this.rgb = rgb;
    }

    static Ppm of(Frame f) {
      byte[] rgb = new byte[f.bgr().length];
      for (int i = 0; i < rgb.length; i += 3) {
        rgb[i] = f.bgr()[i + 2];
        rgb[i + 1] = f.bgr()[i + 1];
        rgb[i + 2] = f.bgr()[i];
      }
      return new Ppm(f.width(), f.height(), rgb);
    }

    static Ppm read(Path file) throws IOException {
      byte[] all = Files.readAllBytes(file);
      int pos = 0;
      String[] fields = new String[4];
      for (int i = 0; i < 4; i++) {
        while (Character.isWhitespace(all[pos])) {
          pos++;
        }
        int start = pos;
        while (!Character.isWhitespace(all[pos])) {
          pos++;
        }
        fields[i] = new String(all, start, pos - start, StandardCharsets.US_ASCII);
      }
      pos++; // the single whitespace after maxval
      assertThat(fields[0]).isEqualTo("P6");
      assertThat(fields[3]).isEqualTo("255");
      int w = Integer.parseInt(fields[1]);
      int h = Integer.parseInt(fields[2]);
      assertThat(all.length - pos).isEqualTo(w * h * 3);
      return new Ppm(w, h, java.util.Arrays.copyOfRange(all, pos, all.length));
    }

    int at(int x, int y, int c) {
      return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    /** Mean absolute difference between horizontal and vertical neighbours in a region: texture and edges. */
    double detail(int x0, int y0, int x1, int y1) {
      long sum = 0;
      long n = 0;
      for (int y = Math.max(0, y0); y < Math.min(height, y1) - 1; y++) {
        for (int x = Math.max(0, x0); x < Math.min(width, x1) - 1; x++) {
          for (int c = 0; c < 3; c++) {
            sum += Math.abs(at(x + 1, y, c) - at(x, y, c)) + Math.abs(at(x, y + 1, c) - at(x, y, c));
            n += 2;
          }
        }
      }
      return n == 0 ? 0 : (double) sum / n;
    }

    /** Distinct RGB colours in a region. */
    int colours(int x0, int y0, int x1, int y1) {
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      for (int y = Math.max(0, y0); y < Math.min(height, y1); y++) {
        for (int x = Math.max(0, x0); x < Math.min(width, x1); x++) {
          seen.add(at(x, y, 0) << 16 | at(x, y, 1) << 8 | at(x, y, 2));
        }
      }
      return seen.size();
    }

    double meanAbsDiff(Ppm o, int x0, int y0, int x1, int y1) {
      long sum = 0;
      long n = 0;
      for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
          for (int c = 0; c < 3; c++) {
            sum += Math.abs(at(x, y, c) - o.at(x, y, c));
            n++;
          }
        }
      }
      return (double) sum / n;
    }
  }
}
