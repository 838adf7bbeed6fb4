package org.storeedge.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.storeedge.config.ConfigException;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Location;
import org.storeedge.config.StoreConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a scenario YAML file and checks it against the store it will play in. Every problem is
 * collected and thrown at once in a {@link ConfigException}, each as {@code file:line:col:
 * key.path: message}; unknown keys are problems. See the module README for the format.
 */
public final class ScenarioLoader {
  /** Names of the scenarios bundled in this module, for {@link #loadResource}. */
  public static final List<String> BUNDLED = List.of("single-shopper", "generated-hour");

  private static final String RESOURCE_DIR = "/org/storeedge/simulator/scenarios/";
  private static final Set<String> TOP = Set.of("seed", "start", "noise", "shoppers", "generated");
  private static final Set<String> NOISE = Set.of("electricalGrams", "handTransientGrams", "driftGramsPerHour",
      "creepFraction", "creepTimeConstantSeconds", "offCentreFraction", "vibrationGrams", "touchProbability");
  private static final Set<String> SHOPPER = Set.of("token", "enterAt", "exitAt", "actions");
  private static final Set<String> ACTION = Set.of("at", "take", "putBack", "qty", "sku");
  private static final Set<String> GENERATED = Set.of("shoppersPerHour", "durationSeconds", "meanItems",
      "putBackProbability", "overlap");

  private ScenarioLoader() {}

  public static Scenario load(Path file, StoreConfig store) throws IOException, ConfigException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8), store);
  }

  /** Loads a bundled scenario by name, e.g. {@code single-shopper} (see {@link #BUNDLED}). */
  public static Scenario loadResource(String name, StoreConfig store) throws ConfigException {
    String resource = RESOURCE_DIR + name + ".yaml";
    try (InputStream in = ScenarioLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigException(List.of(new ConfigProblem(Location.unknown(name), "scenario",
            "no bundled scenario named '" + name + "' (known: " + String.join(", ", BUNDLED) + ")")));
      }
      return parse("scenarios/" + name + ".yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8), store);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read bundled scenario " + resource + ": " + e.getMessage(), e);
    }
  }

  /** Parses YAML text; {@code sourceName} appears in problem locations. */
  public static Scenario parse(String sourceName, String yaml, StoreConfig store) throws ConfigException {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      Location loc = m == null ? Location.unknown(sourceName) : new Location(sourceName, m.getLine() + 1, m.getColumn() + 1);
      throw new ConfigException(List.of(new ConfigProblem(loc, "", "not valid YAML: " + e.getProblem())));
    } catch (YAMLException e) {
      throw new ConfigException(List.of(new ConfigProblem(Location.unknown(sourceName), "", "not valid YAML: " + e.getMessage())));
    }
    if (root == null) {
      throw new ConfigException(List.of(new ConfigProblem(new Location(sourceName, 1, 1), "", "the scenario is empty")));
    }
    YamlTree tree = new YamlTree(sourceName);
    Scenario s = read(tree, root, sourceName);
    if (!tree.problems.isEmpty() || s == null) {
      throw new ConfigException(tree.problems);
    }
    List<ConfigProblem> semantic = ScenarioChecker.check(s, store);
    if (!semantic.isEmpty()) {
      throw new ConfigException(semantic);
    }
    return s;
  }

  private static Scenario read(YamlTree tree, Node root, String sourceName) {
    YamlTree.Fields top = tree.fields(root, "", TOP);
    if (top == null) {
      return null;
    }
    Long seed = top.integer("seed", true);
    Optional<Instant> start = Optional.empty();
    String startText = top.string("start", false);
    if (startText != null) {
      try {
        start = Optional.of(Instant.parse(startText));
      } catch (DateTimeParseException e) {
        tree.problem(top.values.get("start"), "start", "must be an ISO-8601 instant like 2026-11-25T09:00:00Z (got: '" + startText + "')");
      }
    }
    NoiseModel noise = top.has("noise") ? readNoise(tree, top.values.get("noise")) : NoiseModel.DEFAULT;
    List<ShopperScript> shoppers = new ArrayList<>();
    if (top.has("shoppers")) {
      List<Node> list = tree.list(top.values.get("shoppers"), "shoppers");
      if (list != null) {
        for (int i = 0; i < list.size(); i++) {
          ShopperScript sh = readShopper(tree, list.get(i), "shoppers[" + i + "]");
          if (sh != null) {
            shoppers.add(sh);
          }
        }
      }
    }
    Optional<GeneratedTraffic> generated = Optional.empty();
    if (top.has("generated")) {
      generated = Optional.ofNullable(readGenerated(tree, top.values.get("generated")));
    }
    if (!top.has("shoppers") && !top.has("generated")) {
      tree.problem(root, "", "a scenario needs 'shoppers', 'generated' or both");
    }
    if (seed == null || noise == null) {
      return null;
    }
    return new Scenario(sourceName, seed, start, noise, shoppers, generated);
  }

  private static NoiseModel readNoise(YamlTree tree, Node n) {
    YamlTree.Fields f = tree.fields(n, "noise", NOISE);
    if (f == null) {
      return null;
    }
    NoiseModel d = NoiseModel.DEFAULT;
    int before = tree.problems.size();
    double e = or(f.number("electricalGrams", false, 0, 1e6, ">= 0"), d.electricalGrams());
    double h = or(f.number("handTransientGrams", false, 0, 1e6, ">= 0"), d.handTransientGrams());
    double dr = or(f.number("driftGramsPerHour", false, 0, 1e6, ">= 0"), d.driftGramsPerHour());
    double c = or(f.number("creepFraction", false, 0, 0.1, "in 0..0.1"), d.creepFraction());
    double ct = or(f.number("creepTimeConstantSeconds", false, 0.001, 1e9, "> 0"), d.creepTimeConstantSeconds());
    double oc = or(f.number("offCentreFraction", false, 0, 0.1, "in 0..0.1"), d.offCentreFraction());
    double v = or(f.number("vibrationGrams", false, 0, 1e6, ">= 0"), d.vibrationGrams());
    double t = or(f.number("touchProbability", false, 0, 1, "in 0..1"), d.touchProbability());
    return tree.problems.size() > before ? null : new NoiseModel(e, h, dr, c, ct, oc, v, t);
  }

  private static ShopperScript readShopper(YamlTree tree, Node n, String path) {
    YamlTree.Fields f = tree.fields(n, path, SHOPPER);
    if (f == null) {
      return null;
    }
    String token = f.string("token", true);
    Double enterAt = f.number("enterAt", true);
    Double exitAt = f.number("exitAt", true);
    List<ScenarioAction> actions = new ArrayList<>();
    boolean actionsOk = true;
    if (f.has("actions")) {
      List<Node> list = tree.list(f.values.get("actions"), path + ".actions");
      if (list != null) {
        for (int i = 0; i < list.size(); i++) {
          ScenarioAction a = readAction(tree, list.get(i), path + ".actions[" + i + "]");
          if (a != null) {
            actions.add(a);
          } else {
            actionsOk = false;
          }
        }
      }
    }
    if (token == null || enterAt == null || exitAt == null || !actionsOk) {
      return null;
    }
    return new ShopperScript(token, enterAt, exitAt, actions, f.origin());
  }

  private static ScenarioAction readAction(YamlTree tree, Node n, String path) {
    YamlTree.Fields f = tree.fields(n, path, ACTION);
    if (f == null) {
      return null;
    }
    Double at = f.number("at", true);
    Long qty = f.has("qty") ? f.integer("qty", false) : Long.valueOf(1);
    String sku = f.string("sku", false);
    String take = f.string("take", false);
    String putBack = f.string("putBack", false);
    if (f.has("take") == f.has("putBack")) {
      tree.problem(n, path, "needs exactly one of 'take: LANE' or 'putBack: LANE'");
      return null;
    }
    if (at == null || qty == null || (take == null && putBack == null) || (f.has("sku") && sku == null)) {
      return null;
    }
    if (qty > Integer.MAX_VALUE || qty < Integer.MIN_VALUE) {
      tree.problem(f.values.get("qty"), path + ".qty", "is too large (got: " + qty + ")");
      return null;
    }
    ScenarioAction.Kind kind = take != null ? ScenarioAction.Kind.TAKE : ScenarioAction.Kind.PUT_BACK;
    return new ScenarioAction(at, kind, take != null ? take : putBack, qty.intValue(), Optional.ofNullable(sku), f.origin());
  }

  private static GeneratedTraffic readGenerated(YamlTree tree, Node n) {
    YamlTree.Fields f = tree.fields(n, "generated", GENERATED);
    if (f == null) {
      return null;
    }
    int before = tree.problems.size();
    Double rate = f.number("shoppersPerHour", true, 1e-9, 1e6, "> 0");
    Double duration = f.number("durationSeconds", true, 1e-9, 1e9, "> 0");
    double mean = or(f.number("meanItems", false, 1, 1000, ">= 1"), GeneratedTraffic.DEFAULT_MEAN_ITEMS);
    double pb = or(f.number("putBackProbability", false, 0, 1, "in 0..1"), GeneratedTraffic.DEFAULT_PUT_BACK_PROBABILITY);
    Boolean overlap = f.bool("overlap");
    if (tree.problems.size() > before || rate == null || duration == null) {
      return null;
    }
    return new GeneratedTraffic(rate, duration, mean, pb, overlap != null && overlap);
  }

  private static double or(Double v, double dflt) {
    return v == null ? dflt : v;
  }
}
