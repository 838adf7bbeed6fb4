package org.storeedge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.StoreConfig.Device;
import org.storeedge.config.StoreConfig.Lane;
import org.storeedge.config.StoreConfig.Position;
import org.storeedge.config.StoreConfig.Product;
import org.storeedge.config.StoreConfig.Storage;

class ExampleStoresTest {
  static final Path EXAMPLES = Path.of("examples");

  @Test
  void demoStoreLoadsWithItsPublishedIds() throws Exception {
    StoreConfig c = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(EXAMPLES.resolve("demo-store.yaml"));

    assertThat(c.store().id()).isEqualTo("demo-001");
    assertThat(c.store().gatewayId()).isEqualTo("gw-01");
    assertThat(c.store().currency()).isEqualTo("EUR");
    assertThat(c.store().timezone()).isEqualTo("Europe/Berlin");
    assertThat(c.catalog()).hasSize(16);
    assertThat(c.shelves()).extracting(StoreConfig.Shelf::id).containsExactly("shelf-a", "shelf-b", "shelf-c", "shelf-d");
    assertThat(c.lanes()).extracting(Lane::id).containsExactly(
        "a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4", "c1", "c2", "c3", "c4", "d1", "d2", "d3", "d4");
    assertThat(c.devices()).extracting(Device::id).containsExactly("cells-a", "cells-b", "cells-c", "cells-d");
    assertThat(c.devices()).extracting(Device::type).containsOnly("simulated-shelf");
    assertThat(c.gates()).extracting(StoreConfig.Gate::id).containsExactly("entrance", "exit");
  }

  @Test
  void everyExampleStoreLoadsWithNoWarningsAndTheCornerMarketStatesItsPolicy() throws Exception {
    List<Path> files;
    try (var l = java.nio.file.Files.list(EXAMPLES)) {
      files = l.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).extracting(f -> f.getFileName().toString())
        .contains("demo-store.yaml", "candy-wall.yaml", "corner-market.yaml", "gateway-hx711-opcua.yaml");
    for (Path f : files) {
      StoreConfigLoader loader = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL);
      assertThat(loader.load(f).lanes()).as(f.toString()).isNotEmpty();
      assertThat(loader.warnings()).as(f.toString()).isEmpty();
    }
    StoreConfig corner = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(EXAMPLES.resolve("corner-market.yaml"));
    assertThat(corner.checkout()).isEqualTo(StoreConfig.Checkout.defaults());
    assertThat(corner.gates()).hasSize(1);
    assertThat(corner.lanes()).hasSize(20);
  }

  @Test
  void demoStoreValuesRoundTrip() throws Exception {
    Path file = EXAMPLES.resolve("demo-store.yaml");
    StoreConfig c = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(file);

    assertThat(c.source()).isEqualTo(file.toString());
    assertThat(c.product("OJ-1000")).contains(new Product("OJ-1000", "Orange juice 1 l", 1068.0, 8.0, 289, "EUR"));
    assertThat(c.lane("c2")).contains(new Lane("c2", "YOGH-500", 8, 8, "1", new Position(6.0, 1.6)));
    assertThat(c.shelfOfLane("d3").map(StoreConfig.Shelf::device)).contains("cells-d");
    Device cellsB = c.device("cells-b").orElseThrow();
    assertThat(cellsB.settings().values()).containsEntry("sampleRateHz", 80).containsEntry("fullScaleGrams", 20000);
    assertThat(cellsB.settings().pathOf("sampleRateHz")).isEqualTo("devices[1].settings.sampleRateHz");
    assertThat(cellsB.location().line()).isEqualTo(lineOf(file, "id: cells-b"));
    assertThat(cellsB.settings().locationOf("sampleRateHz").line()).isEqualTo(cellsB.location().line());
    assertThat(c.gates().get(1).position()).isEqualTo(new Position(9.5, 4.0));
    assertThat(c.gates().get(1).device()).isNull();
    assertThat(c.sync().brokers()).containsExactly("tcp://127.0.0.1:1883");
    assertThat(c.sync().clientId()).isEqualTo("demo-001-gw-01");
    assertThat(c.sync().topicPrefix(c.store())).isEqualTo("storeedge/v1/demo-001/gw-01/");
    assertThat(c.sync().keepAliveSeconds()).isEqualTo(30);
    assertThat(c.sync().sessionExpirySeconds()).isEqualTo(604800L);
    assertThat(c.sync().tls()).isEqualTo(StoreConfig.Tls.none());
    assertThat(c.sync().credentials()).isEqualTo(StoreConfig.Credentials.none());
    assertThat(c.storage()).isEqualTo(new Storage(
        file.toAbsolutePath().getParent().resolve("data/storeedge.db").normalize(), 2L * 1024 * 1024 * 1024));
  }

  @Test
  void bundledDemoIsTheExampleFileAndResolvesPathsAgainstTheGivenDir(@TempDir Path dir) throws Exception {
    StoreConfig bundled = StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, dir);
    StoreConfig onDisk = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(EXAMPLES.resolve("demo-store.yaml"));

    assertThat(bundled.source()).isEqualTo("classpath:" + StoreConfigLoader.DEMO_RESOURCE);
    assertThat(bundled.storage().database()).isEqualTo(dir.toAbsolutePath().resolve("data/storeedge.db"));
    assertThat(bundled.catalog()).isEqualTo(onDisk.catalog());
    assertThat(bundled.lanes()).isEqualTo(onDisk.lanes());
    assertThat(bundled.gates()).isEqualTo(onDisk.gates());
    assertThat(bundled.sync()).isEqualTo(onDisk.sync());

    StoreConfig moved = bundled.withStorage(new Storage(dir.resolve("other.db"), 1L << 20));
    assertThat(moved.storage().database()).isEqualTo(dir.resolve("other.db"));
    assertThat(moved.lanes()).isEqualTo(bundled.lanes());
    StoreConfig.Sync s = bundled.sync();
    StoreConfig offline = bundled.withSync(new StoreConfig.Sync(List.of(), s.clientId(), s.topicRoot(), s.tls(),
        s.credentials(), s.keepAliveSeconds(), s.sessionExpirySeconds()));
    assertThat(offline.sync().brokers()).isEmpty();
    assertThat(offline.storage()).isEqualTo(bundled.storage());
  }

  @Test
  void gatewayExampleLoadsWithRealDriverSettingsAndSecretsByFile() throws Exception {
    Path file = EXAMPLES.resolve("gateway-hx711-opcua.yaml");
    List<Device> checked = new ArrayList<>();
    StoreConfig c = new StoreConfigLoader(d -> {
      checked.add(d);
      return DeviceSettingsValidator.ACCEPT_ALL.validate(d);
    }).load(file);

    assertThat(checked).extracting(Device::type).containsExactly("hx711", "opcua");
    Device opcua = c.device("plc-chill").orElseThrow();
    assertThat(opcua.settings().get("endpoint")).contains("opc.tcp://plc-chill.store.local:4840");
    assertThat(opcua.settings().get("nodeIds")).get().isInstanceOf(java.util.Map.class);
    Device hx = c.device("cells-snacks").orElseThrow();
    assertThat(hx.settings().get("channels")).get().isInstanceOf(java.util.Map.class);

    Path dir = file.toAbsolutePath().getParent();
    assertThat(c.sync().brokers()).allMatch(b -> b.startsWith("ssl://"));
    assertThat(c.sync().tls().caFile()).contains(dir.resolve("secrets/ca.crt"));
    assertThat(c.sync().credentials().username()).isPresent();
    assertThat(c.sync().credentials().passwordFile()).contains(dir.resolve("secrets/mqtt.password"));
    assertThat(Files.readString(dir.resolve("secrets/mqtt.password")).strip()).isEqualTo("change-me");
    assertThat(c.sync().credentials().toString()).doesNotContain("change-me");
    assertThat(c.storage().maxBytes()).isEqualTo(512L << 20);
    assertThat(c.lanes()).allMatch(l -> c.device(c.shelfOfLane(l.id()).orElseThrow().device()).isPresent());
    StoreConfig.Camera cam = c.camera("cam-aisle-1").orElseThrow();
    assertThat(cam.type()).isEqualTo("opencv");
    assertThat(cam.source()).isEqualTo("/dev/video0");
    assertThat(cam.fps()).isEqualTo(5.0);
    assertThat(cam.model()).isEqualTo("ssd-mobilenetv2-oidv4");
    assertThat(cam.imagePoints()).hasSize(4).first().isEqualTo(new double[] {112, 655});
    assertThat(cam.floorPoints()).hasSize(4).last().isEqualTo(new double[] {0.5, 5.5});
  }

  private static int lineOf(Path file, String text) throws Exception {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text + " not in " + file);
  }
}
