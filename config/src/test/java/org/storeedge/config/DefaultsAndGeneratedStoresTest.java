package org.storeedge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.StoreConfig.Product;

/**
 * Defaults, and properties checked over generated stores. Generation is seeded so a failure
 * names a case that can be replayed.
 */
class DefaultsAndGeneratedStoresTest {
  @TempDir
  Path dir;

  private final StoreConfigLoader loader = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL);

  @Test
  void omittedKeysTakeTheirDocumentedDefaults() throws Exception {
    StoreConfig c = loader.parse("min.yaml", Stores.MINIMAL, dir);

    assertThat(c.store()).isEqualTo(new StoreConfig.StoreInfo("s1", "g1", "EUR", "UTC"));
    assertThat(c.catalog()).containsExactly(new Product("A", "Apple", 180.0, 0.0, 59, "EUR"));
    assertThat(c.lanes()).singleElement().satisfies(l -> {
      assertThat(l.initialStock()).isEqualTo(5);
      assertThat(l.channel()).isEqualTo("0");
    });
    assertThat(c.devices().get(0).settings().values()).isEmpty();
    assertThat(c.devices().get(0).settings().pathOf("x")).isEqualTo("devices[0].settings.x");
    assertThat(c.gates().get(0).device()).isNull();
    assertThat(c.sync()).isEqualTo(new StoreConfig.Sync(List.of(), "s1-g1", "storeedge/v1", StoreConfig.Tls.none(),
        StoreConfig.Credentials.none(), 30, 604800));
    assertThat(c.storage()).isEqualTo(new StoreConfig.Storage(dir.toAbsolutePath().resolve("data/storeedge.db"), 1L << 30));
  }

  @Test
  void explicitValuesOverrideDefaults() throws Exception {
    Files.createDirectories(dir.resolve("tls"));
    for (String f : List.of("ca.pem", "c.pem", "k.pem", "pw")) {
      Files.writeString(dir.resolve("tls").resolve(f), "placeholder");
    }
    String yaml = Stores.MINIMAL.replace("capacity: 5,", "capacity: 5, initialStock: 0,") + """
        sync:
          brokers: [ "ssl://a.example:8883", "wss://b.example/mqtt", "mqtt://c", "mqtts://d:8883", "ws://e", "tcp://f:1" ]
          clientId: client.1
          topicRoot: shops/eu
          keepAliveSeconds: 3600
          sessionExpirySeconds: 0
          tls: { caFile: tls/ca.pem, certFile: tls/c.pem, keyFile: ./tls/k.pem }
          credentials: { username: user, passwordFile: tls/pw }
        storage: { database: /var/lib/x.db, maxBytes: 500MB }
        """;
    StoreConfig c = loader.parse("full.yaml", yaml, dir);

    assertThat(c.lanes().get(0).initialStock()).isZero();
    StoreConfig.Sync s = c.sync();
    assertThat(s.brokers()).hasSize(6);
    assertThat(s.clientId()).isEqualTo("client.1");
    assertThat(s.topicPrefix(c.store())).isEqualTo("shops/eu/s1/g1/");
    assertThat(s.keepAliveSeconds()).isEqualTo(3600);
    assertThat(s.sessionExpirySeconds()).isZero();
    Path tls = dir.toAbsolutePath().resolve("tls");
    assertThat(s.tls()).isEqualTo(new StoreConfig.Tls(java.util.Optional.of(tls.resolve("ca.pem")),
        java.util.Optional.of(tls.resolve("c.pem")), java.util.Optional.of(tls.resolve("k.pem")),
        java.util.Optional.empty(), java.util.Optional.empty()));
    assertThat(s.credentials().username()).contains("user");
    assertThat(s.credentials().passwordFile()).contains(tls.resolve("pw"));
    assertThat(c.storage()).isEqualTo(new StoreConfig.Storage(Path.of("/var/lib/x.db"), 500_000_000L));
  }

  @Test
  void byteSizesParse() {
    assertThat(StoreConfigLoader.parseByteSize("512MiB")).isEqualTo(512L << 20);
    assertThat(StoreConfigLoader.parseByteSize("2GiB")).isEqualTo(2L << 30);
    assertThat(StoreConfigLoader.parseByteSize("500MB")).isEqualTo(500_000_000L);
    assertThat(StoreConfigLoader.parseByteSize("64 kB")).isEqualTo(64_000L);
    assertThat(StoreConfigLoader.parseByteSize("1TiB")).isEqualTo(1L << 40);
    assertThat(StoreConfigLoader.parseByteSize("4096")).isEqualTo(4096L);
    assertThat(catchThrowable(() -> StoreConfigLoader.parseByteSize("2 GB of disk"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(catchThrowable(() -> StoreConfigLoader.parseByteSize("9999999TiB"))).hasMessage("is too large");
  }

  @Test
  void generatedCatalogsRoundTrip() throws Exception {
    for (long seed = 1; seed <= 300; seed++) {
      Random rnd = new Random(seed);
      List<Product> expected = new ArrayList<>();
      Set<String> skus = new LinkedHashSet<>();
      int n = 1 + rnd.nextInt(12);
      while (skus.size() < n) {
        skus.add(text(rnd, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", 1 + rnd.nextInt(12)));
      }
      StringBuilder yaml = new StringBuilder("store: { id: s, gatewayId: g, currency: CHF }\ncatalog:\n");
      for (String sku : skus) {
        String name = text(rnd, "abc XYZ 09:#,{}[]&*!|>'\"%@`\\äöü€\t", 1 + rnd.nextInt(30)).strip();
        if (name.isEmpty()) {
          name = "x";
        }
        double weight = rnd.nextBoolean() ? 0.001 + rnd.nextDouble() * 20_000 : 1 + rnd.nextInt(5000);
        double spread = rnd.nextInt(4) == 0 ? 0.0 : rnd.nextDouble() * Math.min(50, weight); // less than a unit
        long price = rnd.nextInt(3) == 0 ? rnd.nextInt(100) : Math.abs(rnd.nextLong() % 10_000_000_000L);
        expected.add(new Product(sku, name, weight, spread, price, "CHF"));
        yaml.append("  - sku: ").append(quoted(sku)).append('\n')
            .append("    name: ").append(quoted(name)).append('\n')
            .append("    unitWeight: ").append(weight).append('\n');
        if (spread != 0.0 || rnd.nextBoolean()) {
          yaml.append("    weightSpread: ").append(spread).append('\n');
        }
        yaml.append("    price: ").append(price).append('\n');
        if (rnd.nextBoolean()) {
          yaml.append("    currency: CHF\n");
        }
      }
      String first = skus.iterator().next();
      yaml.append("""
          shelves:
            - { id: sh, device: d, lanes: [ { id: l, sku: %s, capacity: 1, channel: 0, position: { x: 0, y: 0 } } ] }
          devices: [ { id: d, type: t } ]
          gates: [ { id: g, position: { x: 2, y: 0 } } ]
          """.formatted(quoted(first)));

      StoreConfig c = loader.parse("gen-" + seed + ".yaml", yaml.toString(), dir);
      assertThat(c.catalog()).as("seed %d:\n%s", seed, yaml).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void damagedFilesFailOnlyWithLocatedProblems() throws Exception {
    String demo = Files.readString(Path.of("examples/demo-store.yaml"));
    String junk = ":{}[]-#&*!|>'\"%@`,?\t\n 0.-x";
    int failures = 0;
    for (long seed = 1; seed <= 400; seed++) {
      Random rnd = new Random(seed);
      StringBuilder text = new StringBuilder(demo);
      int edits = 1 + rnd.nextInt(4);
      for (int i = 0; i < edits; i++) {
        int at = rnd.nextInt(text.length());
        switch (rnd.nextInt(3)) {
          case 0 -> text.delete(at, Math.min(text.length(), at + 1 + rnd.nextInt(20)));
          case 1 -> text.insert(at, text(rnd, junk, 1 + rnd.nextInt(4)));
          default -> text.setCharAt(at, junk.charAt(rnd.nextInt(junk.length())));
        }
      }
      String name = "damaged-" + seed + ".yaml";
      int lines = text.toString().split("\n", -1).length;
      Throwable t = catchThrowable(() -> loader.parse(name, text.toString(), dir));
      if (t == null) {
        continue;
      }
      failures++;
      assertThat(t).as("seed %d", seed).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) t).problems()).as("seed %d", seed).isNotEmpty().allSatisfy(p -> {
        assertThat(p.location().file()).isEqualTo(name);
        assertThat(p.location().line()).isBetween(1, lines + 1);
        assertThat(p.location().column()).isPositive();
        assertThat(p.keyPath()).doesNotStartWith(".").doesNotEndWith(".");
      });
    }
    assertThat(failures).as("damage that was caught").isGreaterThan(200);
  }

  private static String text(Random rnd, String alphabet, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private static String quoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\t' -> b.append("\\t");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
