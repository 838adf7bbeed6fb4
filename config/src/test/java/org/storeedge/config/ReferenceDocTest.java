package org.storeedge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Keeps docs/config-reference.md equal to what the loader accepts. */
class ReferenceDocTest {
  static final Path DOC = Path.of("../docs/config-reference.md");
  static String doc;

  @TempDir
  Path dir;

  @BeforeAll
  static void readDoc() throws Exception {
    doc = Files.readString(DOC);
  }

  @Test
  void everySectionTableIsInTheReferenceAsRendered() {
    for (ConfigSchema.Section s : ConfigSchema.sections()) {
      assertThat(doc).as("table of section '%s' in %s; expected:%n%s", s.path(), DOC, s.markdownTable())
          .contains(s.markdownTable());
    }
  }

  @Test
  void theReferenceDocumentsNoKeyTheLoaderDoesNotAccept() {
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(doc);
    while (m.find()) {
      documented.add(m.group(1));
    }
    Set<String> schema = new TreeSet<>();
    ConfigSchema.keyPaths().values().forEach(schema::addAll);
    assertThat(documented).isEqualTo(schema);
  }

  /** A file using every key of the schema is read with no unknown key, so every accepted key is documented. */
  @Test
  void everyKeyOfTheSchemaIsAcceptedByTheLoader() throws Exception {
    Files.createDirectories(dir.resolve("s"));
    for (String f : List.of("ca", "cert", "key", "ks", "kspw", "pw")) {
      Files.writeString(dir.resolve("s").resolve(f), "placeholder");
    }
    String yaml = """
        store: { id: s, gatewayId: g, currency: EUR, timezone: UTC }
        catalog: [ { sku: A, name: a, unitWeight: 10, weightSpread: 0, price: 1, currency: EUR } ]
        shelves:
          - id: sh
            device: d
            facing: +y
            lanes: [ { id: l, sku: A, capacity: 1, initialStock: 1, channel: 0, position: { x: 0, y: 0 } } ]
        devices: [ { id: d, type: t, settings: { any: 1 } } ]
        gates: [ { id: g, position: { x: 2, y: 0 }, device: d } ]
        sync:
          brokers: [ "tcp://h" ]
          clientId: c
          topicRoot: r
          tls: { caFile: s/ca, certFile: s/cert, keyFile: s/key, keyStore: s/ks, keyStorePasswordFile: s/kspw }
          credentials: { username: u, passwordFile: s/pw }
          keepAliveSeconds: 1
          sessionExpirySeconds: 1
        storage: { database: x.db, maxBytes: 1GiB }
        checkout: { reviewThreshold: 0.9, handOffs: taker-pays, staffTokenPrefixes: [ staff- ], handHitRate: 0.95, handFalseRate: 0.02,
                    handContactPrecision: 0.9 }
        cameras:
          - id: c
            type: t
            source: /dev/video0
            fps: 5
            model: m
            calibration: { image: [ [0, 0], [1, 0], [1, 1], [0, 1] ], floor: [ [0, 0], [1, 0], [1, 1], [0, 1] ] }
            hands: { model: p, label: hand, minScore: 0.3, shelfFaces: [ { lane: l, points: [ [0, 0], [1, 0], [1, 1] ] } ] }
            settings: { any: 1 }
            appearance: off
        """;
    Set<String> used = new TreeSet<>();
    collect(new Yaml().compose(new StringReader(yaml)), "", used);
    used.remove("devices[].settings.any");
    used.remove("cameras[].settings.any");
    Set<String> schema = new TreeSet<>();
    ConfigSchema.keyPaths().values().forEach(schema::addAll);
    assertThat(used).isEqualTo(schema);

    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).parse("all.yaml", yaml, dir));
    // keyStore together with certFile is refused on purpose; nothing else may be wrong.
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        "all.yaml:14:68: sync.tls.keyStore: give either keyStore or certFile and keyFile, not both");
  }

  @Test
  void theMinimalStoreOfTheReferenceLoadsWithTheDocumentedDefaults() throws Exception {
    int marker = doc.indexOf("<!-- minimal-store -->");
    assertThat(marker).isPositive();
    String block = yamlBlocks(doc.substring(marker)).get(0);
    StoreConfig c = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).parse("minimal", block, dir);
    assertThat(c.sync().brokers()).isEmpty();
    assertThat(c.storage().database()).isEqualTo(dir.toAbsolutePath().resolve("data/storeedge.db"));
    assertThat(c.storage().maxBytes()).isEqualTo(1L << 30);
  }

  @Test
  void exampleExcerptsAreCopiedFromTheExamples() throws Exception {
    String examples = Files.readString(Path.of("examples/demo-store.yaml"))
        + Files.readString(Path.of("examples/gateway-hx711-opcua.yaml"));
    String beforeMinimal = doc.substring(0, doc.indexOf("<!-- minimal-store -->"));
    List<String> blocks = yamlBlocks(beforeMinimal);
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
    for (String block : blocks) {
      for (String line : block.split("\n")) {
        if (!line.isBlank()) {
          assertThat(examples).as("excerpt line in %s", DOC).contains(line);
        }
      }
    }
  }

  private static List<String> yamlBlocks(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?s)```yaml\\n(.*?)```").matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Key paths as documented: list indices as [], both kinds of position as "position". */
  private static void collect(Node node, String path, Set<String> out) {
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        String key = ((ScalarNode) t.getKeyNode()).getValue();
        String full = path.isEmpty() ? key : path + "." + key;
        out.add(full);
        collect(t.getValueNode(), key.equals("position") ? "position" : full, out);
      }
    } else if (node instanceof SequenceNode s) {
      for (Node n : s.getValue()) {
        collect(n, path + "[]", out);
      }
    }
  }
}
