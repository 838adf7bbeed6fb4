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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a scenario YAML file and checks it against the store it will play in. Every problem is
 * collected and thrown at once in a {@link ConfigException}, each as {@code file:line:col:
 * key.path: message}; unknown keys are problems. See the module README for the format.
 */
public final class ScenarioLoader {
  /** Names of the scenarios bundled in this module, for {@link #loadResource}. */
  public static final List<String> BUNDLED = List.of("single-shopper", "generated-hour");
  /**
   * The hard-case suite (scenarios/suite in the source tree), loadable with
   * {@code loadResource("suite/" + name, store)}.
   */
  public static final List<String> SUITE = List.of("two-at-one-shelf", "crossing-hands", "hand-off",
      "wrong-lane-return-picked-later", "identical-items-at-once", "mixed-grab", "leaning", "basket-on-the-shelf", "crowd-of-four",
      "leaves-with-nothing", "group-one-token", "restock-while-shopping", "re-entry", "looker-at-the-shelf",
      "taken-in-passing", "generated-busy", "generated-popular", "generated-adversarial", "generated-looking",
      "generated-hurrying");

  private static final String RESOURCE_DIR = "/org/storeedge/simulator/scenarios/";
  private static final Set<String> TOP = Set.of("seed", "start", "noise", "shoppers", "generated");
  private static final Set<String> NOISE = Set.of("electricalGrams", "handTransientGrams", "driftGramsPerHour",
      "creepFraction", "creepTimeConstantSeconds", "offCentreFraction", "vibrationGrams", "touchProbability");
  private static final Set<String> SHOPPER = Set.of("token", "enterAt", "exitAt", "actions", "group", "pace");
  private static final Set<String> ACTION = Set.of("at", "take", "putBack", "grab", "lean", "setDown", "give", "browse", "qty", "sku", "from",
      "seconds", "grams", "to", "member", "passing");
  private static final List<String> ACTION_KINDS = List.of("take", "putBack", "grab", "lean", "setDown", "give", "browse");
  private static final Set<String> GRAB_PART = Set.of("lane", "qty", "sku");
  private static final Set<String> GENERATED = Set.of("shoppersPerHour", "durationSeconds", "meanItems",
      "putBackProbability", "overlap", "maxInside", "hardCases", "browseSeconds", "restockEverySeconds", "bursts",
      "popularity", "looks", "hurry");
  private static final Set<String> LOOKS = Set.of("perVisit", "emptyHanded");
  private static final Set<String> HURRY = Set.of("share", "pace", "passing");
  private static final Set<String> BURSTS = Set.of("everySeconds", "meanShoppers", "withinSeconds");
  private static final Set<String> HARD_CASES = Set.of("reach", "handOff", "lean", "wrongLaneReturn", "multiGrab", "group");

  private ScenarioLoader() {}

  public static Scenario load(Path file, StoreConfig store) throws IOException, ConfigException {
    return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8), store);
  }

  /**
   * A scenario file, or a bundled scenario when {@code fileOrName} names one and no such file
   * exists (a file always wins).
   */
  public static Scenario loadFileOrBundled(String fileOrName, StoreConfig store) throws IOException, ConfigException {
    Path p = Path.of(fileOrName);
    boolean bundled = BUNDLED.contains(fileOrName) || SUITE.stream().anyMatch(n -> ("suite/" + n).equals(fileOrName));
    return Files.exists(p) || !bundled ? load(p, store) : loadResource(fileOrName, store);
  }

  /**
   * Loads a bundled scenario by name, e.g. {@code single-shopper} (see {@link #BUNDLED}) or
   * {@code suite/hand-off} (see {@link #SUITE}).
   */
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
    Scenario s = read(tree, root, sourceName, store);
    if (!tree.problems.isEmpty() || s == null) {
      throw new ConfigException(inFileOrder(tree.problems));
    }
    List<ConfigProblem> semantic = ScenarioChecker.check(s, store);
    if (!semantic.isEmpty()) {
      throw new ConfigException(inFileOrder(semantic));
    }
    return s;
  }

  /** Problems as a reader meets them in the file: by line, then column (stable for equal places). */
  private static List<ConfigProblem> inFileOrder(List<ConfigProblem> problems) {
    List<ConfigProblem> sorted = new java.util.ArrayList<>(problems);
    sorted.sort(java.util.Comparator.comparingInt((ConfigProblem p) -> p.location().line())
        .thenComparingInt(p -> p.location().column()));
    return sorted;
  }

  private static Scenario read(YamlTree tree, Node root, String sourceName, StoreConfig store) {
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
      generated = Optional.ofNullable(readGenerated(tree, top.values.get("generated"), store));
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
    Long group = f.has("group") ? f.integer("group", false) : Long.valueOf(1);
    if (group != null && (group < 1 || group > ShopperScript.MAX_GROUP)) {
      tree.problem(f.values.get("group"), path + ".group", "must be a number of people in 1.." + ShopperScript.MAX_GROUP + " (got: " + group + ")");
      group = null;
    }
    Double pace = f.has("pace") ? f.number("pace", false, ShopperScript.MIN_PACE, ShopperScript.MAX_PACE,
        "a walking pace in " + YamlTree.fmt(ShopperScript.MIN_PACE) + ".." + YamlTree.fmt(ShopperScript.MAX_PACE) + " m/s")
        : Double.valueOf(ShopperScript.DEFAULT_PACE);
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
    if (token == null || enterAt == null || exitAt == null || group == null || pace == null || !actionsOk) {
      return null;
    }
    return new ShopperScript(token, enterAt, exitAt, actions, group.intValue(), f.origin(), pace);
  }

  private static ScenarioAction readAction(YamlTree tree, Node n, String path) {
    YamlTree.Fields f = tree.fields(n, path, ACTION);
    if (f == null) {
      return null;
    }
    List<String> kinds = ACTION_KINDS.stream().filter(f::has).toList();
    if (kinds.size() != 1) {
      tree.problem(n, path, "needs exactly one of 'take: LANE', 'putBack: LANE', 'grab: [...]', 'lean: LANE', 'setDown: LANE', 'browse: LANE' or 'give: SKU'"
          + (kinds.isEmpty() ? "" : " (got: " + String.join(", ", kinds) + ")"));
      return null;
    }
    String kind = kinds.get(0);
    int before = tree.problems.size();
    // keys that belong to other kinds of action
    Map<String, List<String>> onlyWith = Map.of("seconds", List.of("lean", "setDown", "browse"), "grams", List.of("lean", "setDown"), "to",
        List.of("give"), "from", List.of("take", "putBack", "grab", "lean", "setDown"), "qty", List.of("take", "putBack", "give"),
        "sku", List.of("take", "putBack"), "passing", List.of("take", "putBack"));
    onlyWith.forEach((key, kindsAllowed) -> {
      if (f.has(key) && !kindsAllowed.contains(kind)) {
        tree.problem(f.values.get(key), YamlTree.join(path, key), "does not go with '" + kind + "'"
            + (kind.equals("grab") && (key.equals("qty") || key.equals("sku")) ? " (give each grabbed lane its own 'qty' and 'sku')" : ""));
      }
    });
    Double at = f.number("at", true);
    Long member = f.has("member") ? f.integer("member", false) : Long.valueOf(1);
    if (member != null && (member < 1 || member > ShopperScript.MAX_GROUP)) {
      tree.problem(f.values.get("member"), path + ".member", "must be a group member number in 1.." + ShopperScript.MAX_GROUP + " (got: " + member + ")");
      member = null;
    }
    String from = f.string("from", false);
    Map<String, org.storeedge.config.Location> extraKeys = new LinkedHashMap<>();
    List<ScenarioAction.Part> parts = new ArrayList<>();
    ScenarioAction.Kind k;
    double seconds = 0;
    double grams = 0;
    String to = null;
    switch (kind) {
      case "take", "putBack" -> {
        k = kind.equals("take") ? ScenarioAction.Kind.TAKE : ScenarioAction.Kind.PUT_BACK;
        List<String> lanes = textOrList(tree, f.values.get(kind), path + "." + kind, kind, extraKeys);
        List<Long> qty = f.has("qty") ? intOrList(tree, f.values.get("qty"), path + ".qty") : null;
        List<String> skus = f.has("sku") ? textOrList(tree, f.values.get("sku"), path + ".sku", "sku", null) : null;
        if (lanes != null) {
          if (qty != null && qty.size() != 1 && qty.size() != lanes.size()) {
            tree.problem(f.values.get("qty"), path + ".qty", "needs one quantity per lane (" + lanes.size() + " lanes, got: " + qty.size() + ")");
          }
          if (skus != null && skus.size() != lanes.size()) {
            tree.problem(f.values.get("sku"), path + ".sku", "needs one sku per lane (" + lanes.size() + " lanes, got: " + skus.size() + ")");
          }
          for (int j = 0; j < lanes.size(); j++) {
            long q = qty == null || qty.size() != 1 && qty.size() != lanes.size() ? 1 : qty.get(qty.size() == 1 ? 0 : j);
            Optional<String> sku = skus == null || skus.size() != lanes.size() ? Optional.empty() : Optional.of(skus.get(j));
            parts.add(new ScenarioAction.Part(lanes.get(j), (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, q)), sku));
          }
        }
      }
      case "grab" -> {
        k = ScenarioAction.Kind.TAKE;
        List<Node> list = tree.list(f.values.get("grab"), path + ".grab");
        if (list != null && list.isEmpty()) {
          tree.problem(f.values.get("grab"), path + ".grab", "needs at least one '{ lane: LANE, qty: N }'");
        }
        for (int j = 0; list != null && j < list.size(); j++) {
          String pp = path + ".grab[" + j + "]";
          YamlTree.Fields g = tree.fields(list.get(j), pp, GRAB_PART);
          if (g == null) {
            continue;
          }
          extraKeys.put("grab[" + j + "]", tree.location(list.get(j)));
          String lane = g.string("lane", true);
          Long q = g.has("qty") ? g.integer("qty", false) : Long.valueOf(1);
          String sku = g.string("sku", false);
          if (lane != null && q != null && (sku != null || !g.has("sku"))) {
            parts.add(new ScenarioAction.Part(lane, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, q)), Optional.ofNullable(sku)));
          }
        }
      }
      case "lean", "setDown" -> {
        boolean lean = kind.equals("lean");
        k = lean ? ScenarioAction.Kind.LEAN : ScenarioAction.Kind.SET_DOWN;
        String lane = f.string(kind, false);
        if (lane != null) {
          parts.add(new ScenarioAction.Part(lane, 0, Optional.empty()));
        }
        seconds = or(f.number("seconds", false), lean ? ScenarioAction.DEFAULT_LEAN_SECONDS : ScenarioAction.DEFAULT_SET_DOWN_SECONDS);
        grams = or(f.number("grams", false), lean ? ScenarioAction.DEFAULT_LEAN_GRAMS : ScenarioAction.DEFAULT_SET_DOWN_GRAMS);
      }
      case "browse" -> {
        k = ScenarioAction.Kind.BROWSE;
        String lane = f.string(kind, false);
        if (lane != null) {
          parts.add(new ScenarioAction.Part(lane, 0, Optional.empty()));
        }
        seconds = or(f.number("seconds", false), ScenarioAction.DEFAULT_BROWSE_SECONDS);
      }
      default -> {
        k = ScenarioAction.Kind.GIVE;
        String sku = f.string("give", false);
        Long q = f.has("qty") ? f.integer("qty", false) : Long.valueOf(1);
        to = f.string("to", true);
        if (sku != null && q != null) {
          parts.add(new ScenarioAction.Part("", (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, q)), Optional.of(sku)));
        }
      }
    }
    Boolean passing = f.has("passing") ? f.bool("passing") : Boolean.FALSE;
    if (Boolean.TRUE.equals(passing) && (kind.equals("take") || kind.equals("putBack")) && (parts.size() > 1 || from != null)) {
      tree.problem(f.values.get("passing"), path + ".passing", "only a take or put-back at one lane, from in front of it, is done "
          + "in passing" + (from != null ? " (not with 'from')" : " (not at " + parts.size() + " lanes at once)"));
    }
    if (tree.problems.size() > before || at == null || member == null || passing == null || parts.isEmpty()) {
      return null;
    }
    Origin o = f.origin();
    Map<String, org.storeedge.config.Location> keys = new LinkedHashMap<>(o.keys());
    keys.putAll(extraKeys);
    return new ScenarioAction(at, k, parts, Optional.ofNullable(from), seconds, grams, Optional.ofNullable(to), member.intValue(),
        new Origin(o.keyPath(), o.location(), keys), passing);
  }

  /** A text or a list of texts; list items get their own locations in {@code keys} as {@code key[i]}. */
  private static List<String> textOrList(YamlTree tree, Node n, String path, String key, Map<String, org.storeedge.config.Location> keys) {
    if (n instanceof SequenceNode seq) {
      if (seq.getValue().isEmpty()) {
        tree.problem(n, path, "needs at least one entry");
        return null;
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < seq.getValue().size(); i++) {
        Node item = seq.getValue().get(i);
        if (item instanceof ScalarNode sc && !sc.getTag().equals(Tag.NULL) && !sc.getValue().isBlank()) {
          out.add(sc.getValue().trim());
          if (keys != null) {
            keys.put(key + "[" + i + "]", tree.location(item));
          }
        } else {
          tree.problem(item, path + "[" + i + "]", "must be a non-empty text (got: " + YamlTree.describe(item) + ")");
          return null;
        }
      }
      return out;
    }
    if (n instanceof ScalarNode sc && !sc.getTag().equals(Tag.NULL) && !sc.getValue().isBlank()) {
      return List.of(sc.getValue().trim());
    }
    tree.problem(n, path, "must be a non-empty text or a list of them (got: " + YamlTree.describe(n) + ")");
    return null;
  }

  private static List<Long> intOrList(YamlTree tree, Node n, String path) {
    List<Node> items = n instanceof SequenceNode seq ? seq.getValue() : List.of(n);
    if (items.isEmpty()) {
      tree.problem(n, path, "needs at least one entry");
      return null;
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      if (item instanceof ScalarNode sc && sc.getTag().equals(Tag.INT)) {
        try {
          out.add(Long.parseLong(sc.getValue().replace("_", "")));
          continue;
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      tree.problem(item, n instanceof SequenceNode ? path + "[" + i + "]" : path, "must be a whole number (got: " + YamlTree.describe(item) + ")");
      return null;
    }
    return out;
  }

  private static GeneratedTraffic readGenerated(YamlTree tree, Node n, StoreConfig store) {
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
    double browse = or(f.number("browseSeconds", false, 0, 3600, "in 0..3600"), 0);
    double popularity = or(f.number("popularity", false, 0, GeneratedTraffic.MAX_POPULARITY,
        "in 0.." + (int) GeneratedTraffic.MAX_POPULARITY), 0);
    Double restock = f.has("restockEverySeconds") ? f.number("restockEverySeconds", false, 60, 86_400, "in 60..86400") : Double.valueOf(0);
    if (restock != null && restock > 0 && store.checkout().staffTokenPrefixes().isEmpty()) {
      tree.problem(f.values.get("restockEverySeconds"), "generated.restockEverySeconds",
          "restocking needs staff: the store file's checkout.staffTokenPrefixes names none");
    }
    Long maxInside = f.has("maxInside") ? f.integer("maxInside", false) : Long.valueOf(GeneratedTraffic.UNLIMITED);
    if (maxInside != null && maxInside < 1) {
      tree.problem(f.values.get("maxInside"), "generated.maxInside", "must be >= 1 (got: " + maxInside + ")");
    }
    GeneratedTraffic.HardCases hard = GeneratedTraffic.HardCases.NONE;
    if (f.has("hardCases")) {
      YamlTree.Fields h = tree.fields(f.values.get("hardCases"), "generated.hardCases", HARD_CASES);
      if (h != null) {
        hard = new GeneratedTraffic.HardCases(
            or(h.number("reach", false, 0, 1, "a share in 0..1"), 0),
            or(h.number("handOff", false, 0, 1, "a share in 0..1"), 0),
            or(h.number("lean", false, 0, 1, "a share in 0..1"), 0),
            or(h.number("wrongLaneReturn", false, 0, 1, "a share in 0..1"), 0),
            or(h.number("multiGrab", false, 0, 1, "a share in 0..1"), 0),
            or(h.number("group", false, 0, 1, "a share in 0..1"), 0));
      }
    }
    Optional<GeneratedTraffic.Bursts> bursts = f.has("bursts") ? readBursts(tree, f.values.get("bursts")) : Optional.empty();
    GeneratedTraffic.Looks looks = GeneratedTraffic.Looks.NONE;
    if (f.has("looks")) {
      YamlTree.Fields l = tree.fields(f.values.get("looks"), "generated.looks", LOOKS);
      if (l != null) {
        // a value out of range is recorded as a problem (and the scenario refused); 0 stands in meanwhile
        looks = new GeneratedTraffic.Looks(or(l.number("perVisit", false, 0, GeneratedTraffic.Looks.MAX_PER_VISIT, "in 0..20"), 0),
            or(l.number("emptyHanded", false, 0, 1, "a share in 0..1"), 0));
      }
    }
    GeneratedTraffic.Hurry hurry = GeneratedTraffic.Hurry.NONE;
    if (f.has("hurry")) {
      YamlTree.Fields h = tree.fields(f.values.get("hurry"), "generated.hurry", HURRY);
      if (h != null) {
        // as for looks: a problem is recorded and the scenario refused; defaults stand in meanwhile
        hurry = new GeneratedTraffic.Hurry(or(h.number("share", false, 0, 1, "a share in 0..1"), 0),
            or(h.number("pace", false, ShopperScript.MIN_PACE, ShopperScript.MAX_PACE, "a walking pace in "
                + YamlTree.fmt(ShopperScript.MIN_PACE) + ".." + YamlTree.fmt(ShopperScript.MAX_PACE) + " m/s"),
                GeneratedTraffic.Hurry.DEFAULT_PACE),
            or(h.number("passing", false, 0, 1, "a share in 0..1"), GeneratedTraffic.Hurry.DEFAULT_PASSING));
      }
    }
    if (tree.problems.size() > before || rate == null || duration == null || maxInside == null || restock == null
        || bursts == null) {
      return null;
    }
    return new GeneratedTraffic(rate, duration, mean, pb, overlap != null && overlap,
        (int) Math.min(maxInside, GeneratedTraffic.UNLIMITED), hard, browse, restock, bursts, popularity, looks, hurry);
  }

  /** {@code generated.bursts}; null when it has a problem (recorded). */
  private static Optional<GeneratedTraffic.Bursts> readBursts(YamlTree tree, Node n) {
    YamlTree.Fields b = tree.fields(n, "generated.bursts", BURSTS);
    if (b == null) {
      return null;
    }
    int before = tree.problems.size();
    Double every = b.number("everySeconds", true, GeneratedTraffic.Bursts.MIN_EVERY_SECONDS,
        GeneratedTraffic.Bursts.MAX_EVERY_SECONDS, "in 10..86400");
    Double mean = b.number("meanShoppers", true, 1e-9, GeneratedTraffic.Bursts.MAX_MEAN_SHOPPERS, "> 0 and <= 100");
    Double within = b.number("withinSeconds", true, 1e-9, GeneratedTraffic.Bursts.MAX_EVERY_SECONDS,
        "> 0 and <= everySeconds");
    if (every != null && within != null && within > every) {
      tree.problem(b.values.get("withinSeconds"), "generated.bursts.withinSeconds", "must be <= everySeconds "
          + YamlTree.fmt(every) + ": one burst would run into the next (got: " + YamlTree.fmt(within) + ")");
    }
    if (tree.problems.size() > before || every == null || mean == null || within == null) {
      return null;
    }
    return Optional.of(new GeneratedTraffic.Bursts(every, mean, within));
  }

  private static double or(Double v, double dflt) {
    return v == null ? dflt : v;
  }
}
