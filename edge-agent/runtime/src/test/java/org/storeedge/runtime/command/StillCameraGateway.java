package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.runtime.failure.FaultProxy;
import org.storeedge.simulator.camera.RenderedFrame;
import org.storeedge.sync.testing.MosquittoBroker;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.Poll;

/**
 * A real Mosquitto, the gateway runtime with one opencv camera ({@code cam-1}, sim-person) on a
 * still image the simulator rendered (a shopper in lane a1's zone), an Ed25519 key it pins, and
 * the cloud as an outside MQTT client; optionally the agent reaches the broker over a long link (a
 * loopback proxy that delays every byte). Needs {@code storeedge.home} at the project
 * ({@link org.storeedge.runtime.ProjectModels}).
 */
final class StillCameraGateway implements AutoCloseable {
  final MosquittoBroker broker;
  final KeyPair signing;
  final Path storeFile;
  final RenderedFrame shot;
  final Path still;
  final OutsideSubscriber cloud;
  final GatewayRuntime gw;
  /** The agent's link to the broker when it is a long one, else null. */
  final FaultProxy agentLink;

  private StillCameraGateway(MosquittoBroker broker, KeyPair signing, Path storeFile, RenderedFrame shot, Path still,
      OutsideSubscriber cloud, GatewayRuntime gw, FaultProxy agentLink) {
    this.broker = broker;
    this.signing = signing;
    this.storeFile = storeFile;
    this.shot = shot;
    this.still = still;
    this.cloud = cloud;
    this.gw = gw;
    this.agentLink = agentLink;
  }

  /** Starts it all in {@code dir}; returns once the agent is online and its camera running. */
  static StillCameraGateway start(Path dir) throws Exception {
    return start(dir, List.of());
  }

  /** As {@link #start(Path)}, the broker configured with {@code brokerConfig} lines besides. */
  static StillCameraGateway start(Path dir, List<String> brokerConfig) throws Exception {
    return start(dir, brokerConfig, 0);
  }

  /**
   * As {@link #start(Path, List)}, the agent reaching the broker through a proxy that delays every
   * byte by {@code agentDelayMillis} each way (none at 0); {@link #agentUri()} is what its store
   * file names.
   */
  static StillCameraGateway start(Path dir, List<String> brokerConfig, long agentDelayMillis) throws Exception {
    List<String> conf = new java.util.ArrayList<>(List.of("max_queued_messages 0"));
    conf.addAll(brokerConfig);
    MosquittoBroker broker = MosquittoBroker.create(dir.resolve("mosquitto"), false, conf).startProcess();
    OutsideSubscriber cloud = null;
    GatewayRuntime gw = null;
    FaultProxy link = null;
    try {
      if (agentDelayMillis > 0) {
        link = new FaultProxy(broker.port());
        link.setDelayMillis(agentDelayMillis);
      }
      KeyPair signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      String yaml = TestGateway.yaml(link == null ? broker.uri() : link.uri(), "{ scale: 1.0 }", "ENRG-250");
      Path storeFile = TestGateway.write(dir, yaml);
      RenderedAisle aisle = new RenderedAisle(new StoreConfigLoader(TestGateway.drivers()).load(storeFile));
      RenderedFrame shot = aisle.render(true, 0);
      assertThat(shot.clearlyVisible()).as("the rendered shopper is in view").hasSize(1);
      Path still = RenderedAisle.png(shot.frame(), dir.resolve("aisle.png"));
      TestGateway.write(dir, yaml + aisle.camerasYaml(still.toString(), "sim-person", false));
      cloud = new OutsideSubscriber(broker.uri(), "cloud", TestGateway.PREFIX + "#");
      gw = TestGateway.start(storeFile, TrustedKeys.of(List.of(signing.getPublic())), Duration.ofSeconds(20));
      assertThat(gw.cameras().faults()).isEmpty();
      OutsideSubscriber c = cloud;
      Poll.until(Duration.ofSeconds(60), () -> c.on(TestGateway.PREFIX + "status").stream()
          .anyMatch(r -> r.text().contains("online")), "the agent online (subscribed to its commands)");
      return new StillCameraGateway(broker, signing, storeFile, shot, still, cloud, gw, link);
    } catch (Exception | AssertionError e) {
      if (gw != null) {
        gw.close();
      }
      if (cloud != null) {
        cloud.close();
      }
      if (link != null) {
        link.close();
      }
      broker.close();
      throw e;
    }
  }

  /** Waits until the running camera {@code cameraId} has run {@code n} more frames through its detector. */
  void awaitProcessed(String cameraId, int n) {
    org.storeedge.vision.VisionPipeline p = gw.cameras().pipeline(cameraId).orElseThrow();
    long from = p.counters().processed();
    Poll.until(Duration.ofSeconds(90), () -> p.counters().processed() >= from + n, () -> "frames processed: " + p.counters());
  }

  /** The broker address in the agent's store file: the broker's own, or its long link's. */
  String agentUri() {
    return agentLink == null ? broker.uri() : agentLink.uri();
  }

  @Override
  public void close() {
    gw.close();
    cloud.close();
    if (agentLink != null) {
      agentLink.close();
    }
    broker.close();
  }
}
