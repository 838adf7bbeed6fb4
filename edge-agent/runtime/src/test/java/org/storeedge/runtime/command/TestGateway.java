package org.storeedge.runtime.command;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.storeedge.checkout.cart.CheckoutSettings;
import org.storeedge.checkout.weight.DetectorSettings;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.device.DriverRegistry;
import org.storeedge.sync.testing.OutsideSubscriber;
import org.storeedge.sync.testing.Poll;

/** A small store on {@link FakeShelfDriverFactory} devices, its file, and a cloud-side command sender. */
final class TestGateway {
  static final String PREFIX = "storeedge/v1/t-001/gw-01/";
  static final Map<String, Double> UNIT_WEIGHTS = Map.of("COLA-330", 352.0, "ENRG-250", 276.0);

  private TestGateway() {}

  static DriverRegistry drivers() {
    return new DriverRegistry(List.of(new FakeShelfDriverFactory(UNIT_WEIGHTS)));
  }

  /** The store YAML; {@code deviceSettings} is the flow map of device cells-a's settings. */
  static String yaml(String brokerUri, String deviceSettings, String a2Sku) {
    return """
        store: { id: t-001, gatewayId: gw-01, currency: EUR, timezone: Europe/Berlin }
        catalog:
          - { sku: COLA-330, name: "Cola 330 ml can", unitWeight: 352.0, weightSpread: 3.0, price: 149 }
          - { sku: ENRG-250, name: "Energy drink 250 ml", unitWeight: 276.0, weightSpread: 2.5, price: 199 }
        shelves:
          - id: shelf-a
            device: cells-a
            lanes:
              - { id: a1, sku: COLA-330, capacity: 12, channel: "0", position: { x: 1.0, y: 1.0 } }
              - { id: a2, sku: %s, capacity: 12, channel: "1", position: { x: 1.0, y: 1.6 } }
        devices:
          - { id: cells-a, type: fake-shelf, settings: %s }
        gates:
          - { id: entrance, position: { x: 0.0, y: 4.0 } }
          - { id: exit, position: { x: 9.5, y: 4.0 } }
        sync:
          brokers: [ "%s" ]
          clientId: t-001-gw-01
          topicRoot: storeedge/v1
          keepAliveSeconds: 5
        storage:
          database: data/storeedge.db
          maxBytes: 64MiB
        """.formatted(a2Sku, deviceSettings, brokerUri);
  }

  static Path write(Path dir, String yaml) throws Exception {
    Path f = dir.resolve("store.yaml");
    Files.writeString(f, yaml, StandardCharsets.UTF_8);
    return f;
  }

  /** Starts the gateway as {@code storeedge run} does: an update cut off mid-check undone, the file loaded, started. */
  static GatewayRuntime start(Path storeFile, TrustedKeys keys, Duration healthTimeout) throws Exception {
    java.util.List<UpdateTrial.Undone> undone = GatewayRuntime.undoInterruptedUpdate(storeFile);
    StoreConfig cfg = new StoreConfigLoader(drivers()).load(storeFile);
    cfg = GatewayRuntime.withPlanogram(storeFile, cfg);
    GatewayRuntime gw = GatewayRuntime.start(new GatewayRuntime.Options(storeFile, cfg, drivers(), keys, healthTimeout,
        DetectorSettings.defaults(), CheckoutSettings.defaults()));
    gw.reportUndone(undone);
    return gw;
  }

  /** Publishes {@code cmd/{name}} as the cloud would and waits for the reply with the same correlation data. */
  /** {@code k}'s private key as PKCS#8 PEM, as the command line's {@code --signing-key} reads it. */
  static String pem(java.security.KeyPair k) {
    return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(k.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
  }

  static OutsideSubscriber.Received command(OutsideSubscriber cloud, String name, byte[] payload) throws Exception {
    byte[] corr = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    cloud.publish(PREFIX + "cmd/" + name, payload, corr);
    OutsideSubscriber.Received[] got = new OutsideSubscriber.Received[1];
    Poll.until(Duration.ofSeconds(90), () -> {
      for (OutsideSubscriber.Received r : cloud.on(PREFIX + "cmd-reply")) {
        if (r.correlationData() != null && Arrays.equals(r.correlationData(), corr)) {
          got[0] = r;
          return true;
        }
      }
      return false;
    }, "reply to " + name);
    return got[0];
  }

  static OutsideSubscriber.Received command(OutsideSubscriber cloud, String name, String json) throws Exception {
    return command(cloud, name, json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Every entry the cloud received on {@code PREFIX + suffix} ({@code receipts}, {@code events},
   * ...), one JSON document each: gzipped messages unpacked, batches taken apart.
   */
  static java.util.List<com.fasterxml.jackson.databind.JsonNode> entries(OutsideSubscriber cloud, String suffix) {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
    for (OutsideSubscriber.Received r : cloud.on(PREFIX + suffix)) {
      try {
        byte[] body = r.payload();
        if (body.length > 2 && (body[0] & 0xFF) == 0x1f && (body[1] & 0xFF) == 0x8b) {
          try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            body = in.readAllBytes();
          }
        }
        com.fasterxml.jackson.databind.JsonNode n = json.readTree(body);
        if (r.property("batch").isPresent()) {
          n.path("batch").forEach(e -> out.add(e.path("payload")));
        } else {
          out.add(n);
        }
      } catch (java.io.IOException e) {
        throw new AssertionError("unreadable message on " + r.topic() + ": " + r.text(), e);
      }
    }
    return out;
  }
}
