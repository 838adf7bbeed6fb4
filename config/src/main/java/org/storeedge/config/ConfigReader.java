package org.storeedge.config;

import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.storeedge.config.ConfigSchema.Field;
import org.storeedge.config.ConfigSchema.Section;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed, located reading of a composed YAML node tree. Every failed read adds a problem and yields
 * an empty {@link Val}; nothing here throws for bad input. One instance per parse, one thread.
 */
final class ConfigReader {
  /** Composed default values by their YAML text; never modified once composed. */
  private static final Map<String, Node> DEFAULTS = new ConcurrentHashMap<>();

  private final String source;
  private final Path baseDir;
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final List<ConfigWarning> warnings = new ArrayList<>();
  private final Scalars scalars = new Scalars();

  ConfigReader(String source, Path baseDir) {
    this.source = source;
    this.baseDir = baseDir;
  }

  String source() {
    return source;
  }

  Path baseDir() {
    return baseDir;
  }

  /** The problems so far, in file order (line, then column; ties keep the order found). */
  List<ConfigProblem> problems() {
    List<ConfigProblem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparingInt((ConfigProblem p) -> p.location().line()).thenComparingInt(p -> p.location().column()));
    return sorted;
  }

  boolean hasProblems() {
    return !problems.isEmpty();
  }

  void problem(Location at, String keyPath, String message) {
    problems.add(new ConfigProblem(at, keyPath, message));
  }

  /** The warnings so far, in file order as {@link #problems()}. */
  List<ConfigWarning> warnings() {
    List<ConfigWarning> sorted = new ArrayList<>(warnings);
    sorted.sort(Comparator.comparingInt((ConfigWarning w) -> w.location().line()).thenComparingInt(w -> w.location().column()));
    return sorted;
  }

  /** Something most likely wrong that still leaves the store usable: reported, but no problem. */
  void warning(Location at, String keyPath, String message) {
    warnings.add(new ConfigWarning(at, keyPath, message));
  }

  void addAll(List<ConfigProblem> more) {
    problems.addAll(more);
  }

  Location at(Node node) {
    return at(node.getStartMark());
  }

  Location at(Mark mark) {
    return mark == null ? Location.unknown(source) : new Location(source, mark.getLine() + 1, mark.getColumn() + 1);
  }

  /** The single document of {@code yaml}; null (with a problem) when empty or not valid YAML. */
  Node compose(String yaml) {
    try {
      Node root = yaml().compose(new StringReader(yaml));
      if (root == null) {
        problem(new Location(source, 1, 1), "", "the file is empty; a store file needs the sections " + String.join(", ", requiredRootKeys()));
      }
      return root;
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      StringBuilder msg = new StringBuilder("YAML syntax error: ").append(e.getProblem());
      if (e.getContext() != null) {
        msg.append(" (").append(e.getContext());
        if (e.getContextMark() != null && mark != e.getContextMark()) {
          msg.append(" at line ").append(e.getContextMark().getLine() + 1).append(", column ").append(e.getContextMark().getColumn() + 1);
        }
        msg.append(')');
      }
      problem(at(mark), "", msg.toString());
      return null;
    } catch (YAMLException e) {
      problem(Location.unknown(source), "", "YAML error: " + e.getMessage());
      return null;
    }
  }

  private static List<String> requiredRootKeys() {
    return ConfigSchema.ROOT.fields().stream().filter(Field::required).map(Field::name).toList();
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowRecursiveKeys(false);
    return new Yaml(options);
  }

  /** A short rendering of a value for "(got: ...)". */
  static String describe(Node node) {
    if (node instanceof ScalarNode s) {
      String v = s.getValue();
      v = v.length() > 80 ? v.substring(0, 77) + "..." : v;
      // Quoted text is shown quoted, so that "99" where a number is expected reads as a string.
      boolean quoted = s.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED
          || s.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED;
      return quoted || v.isEmpty() ? "\"" + v + "\"" : v;
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof MappingNode) {
      return "a map";
    }
    return String.valueOf(node);
  }

  static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode s && Tag.NULL.equals(s.getTag()));
  }

  static String child(String path, String key) {
    String k = key.isEmpty() ? "\"\"" : key;
    return path.isEmpty() ? k : path + "." + k;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  /**
   * A read value: present and valid ({@code ok()}), absent with no default ({@code !given}), or
   * given but invalid (a problem was already reported).
   */
  final class Val<T> {
    final T value;
    final boolean given;
    final Location location;
    final String path;
    final String got;

    Val(T value, boolean given, Location location, String path, String got) {
      this.value = value;
      this.given = given;
      this.location = location;
      this.path = path;
      this.got = got;
    }

    boolean ok() {
      return value != null;
    }

    T get() {
      return value;
    }

    /** Reports this value as wrong: {@code path: message (got: value)}. */
    void reject(String message) {
      problem(location, path, message + " (got: " + got + ")");
    }

    <U> Val<U> with(U newValue) {
      return new Val<>(newValue, given, location, path, got);
    }

    Val<T> invalid() {
      return new Val<>(null, given, location, path, got);
    }
  }

  /** An invalid value at {@code node}, reported as {@code path: message (got: node)}. */
  <T> Val<T> rejected(Node node, String path, String message) {
    Val<T> v = new Val<>(null, true, at(node), path, describe(node));
    v.reject(message);
    return v;
  }

  /** A YAML node with its key path, e.g. an element of a list. */
  record Item(Node node, String path) {}

  /**
   * The entries of a mapping checked against {@code section}: unknown, duplicate and missing keys
   * are reported. {@code what} names the mapping in the message when it is not a map (may be null).
   */
  Obj obj(Node node, String path, Section section, String what) {
    if (!(node instanceof MappingNode m)) {
      problem(at(node), path, (what == null ? "" : what + " ") + "must be a map with keys " + String.join(", ", section.keys()) + " (got: " + describe(node) + ")");
      return null;
    }
    return new Obj(m, path, section);
  }

  final class Obj {
    final MappingNode node;
    final String path;
    final Section section;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    Obj(MappingNode node, String path, Section section) {
      this.node = node;
      this.path = path;
      this.section = section;
      for (NodeTuple t : node.getValue()) {
        String key = key(t, path, entries);
        if (key == null) {
          continue;
        }
        String forbidden = section.forbidden().get(key);
        if (forbidden != null) {
          problem(at(t.getKeyNode()), child(path, key), forbidden);
        } else if (section.find(key).isEmpty()) {
          problem(at(t.getKeyNode()), child(path, key), "unknown key (expected one of: " + String.join(", ", section.keys()) + ")");
        } else {
          entries.put(key, t);
        }
      }
      for (Field f : section.fields()) {
        if (!f.required()) {
          continue;
        }
        NodeTuple t = entries.get(f.name());
        if (t == null) {
          problem(at(node), child(path, f.name()), "is required");
        } else if (isNull(t.getValueNode())) {
          problem(at(t.getKeyNode()), child(path, f.name()), "must have a value");
        }
      }
    }

    Location location() {
      return at(node);
    }

    /** The value node of {@code key}, its default when absent or null, or null without a default. */
    private Item item(String key) {
      section.field(key);
      NodeTuple t = entries.get(key);
      if (t != null && !isNull(t.getValueNode())) {
        return new Item(t.getValueNode(), child(path, key));
      }
      return null;
    }

    private <T> Val<T> absent(String key) {
      return new Val<>(null, false, location(), child(path, key), "nothing");
    }

    private Node defaultNode(String key) {
      Field f = section.field(key);
      return f.defaultYaml() == null ? null : DEFAULTS.computeIfAbsent(f.defaultYaml(), y -> yaml().compose(new StringReader(y)));
    }

    /** Where a default is used, problems point at the enclosing map. */
    private <T> Val<T> read(String key, Converter<T> converter) {
      Item item = item(key);
      if (item != null) {
        return converter.convert(item.node(), at(item.node()), item.path());
      }
      Node def = defaultNode(key);
      if (def == null) {
        return absent(key);
      }
      return converter.convert(def, location(), child(path, key));
    }

    Val<String> text(String key) {
      return read(key, ConfigReader.this::text);
    }

    Val<Long> integer(String key) {
      return read(key, ConfigReader.this::integer);
    }

    Val<Double> number(String key) {
      return read(key, ConfigReader.this::number);
    }

    Val<Path> path(String key) {
      return read(key, (n, loc, p) -> {
        Val<String> s = ConfigReader.this.text(n, loc, p);
        if (!s.ok()) {
          return s.with(null);
        }
        try {
          return s.with(baseDir.resolve(s.get()).normalize());
        } catch (InvalidPathException e) {
          s.reject("is not a valid path: " + e.getReason());
          return s.with(null);
        }
      });
    }

    Val<List<Item>> list(String key) {
      return read(key, ConfigReader.this::list);
    }

    Val<Obj> obj(String key, Section child) {
      return read(key, (n, loc, p) -> {
        Obj o = ConfigReader.this.obj(n, p, child, null);
        return new Val<>(o, true, loc, p, describe(n));
      });
    }

    /** The raw value node of {@code key}, or null when absent. */
    Node raw(String key) {
      Item item = item(key);
      return item == null ? null : item.node();
    }

    /** Location of {@code key}'s value, or of this map when the key is absent. */
    Location locationOf(String key) {
      Node n = raw(key);
      return n == null ? location() : at(n);
    }
  }

  /** Key text of a tuple; reports non-scalar and duplicate keys (returns null for those). */
  private String key(NodeTuple t, String path, Map<String, ?> seen) {
    Node k = t.getKeyNode();
    if (!(k instanceof ScalarNode s)) {
      problem(at(k), path, "keys must be plain strings (got: " + describe(k) + ")");
      return null;
    }
    String key = s.getValue();
    if (seen.containsKey(key)) {
      Object first = seen.get(key);
      String where = first instanceof NodeTuple ft ? " (first at line " + at(ft.getKeyNode()).line() + ")"
          : first instanceof Location l ? " (first at line " + l.line() + ")" : "";
      problem(at(k), child(path, key), "duplicate key" + where);
      return null;
    }
    return key;
  }

  @FunctionalInterface
  interface Converter<T> {
    Val<T> convert(Node node, Location location, String path);
  }

  Val<String> text(Node n, Location loc, String path) {
    if (n instanceof ScalarNode s) {
      Val<String> v = new Val<>(s.getValue(), true, loc, path, describe(n));
      if (s.getValue().isBlank()) {
        v.reject("must not be blank");
        return v.invalid();
      }
      return v;
    }
    Val<String> v = new Val<>(null, true, loc, path, describe(n));
    v.reject("must be a string");
    return v;
  }

  Val<Long> integer(Node n, Location loc, String path) {
    Val<Long> v = new Val<>(null, true, loc, path, describe(n));
    if (n instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
      Object o = scalars.construct(s);
      if (o instanceof BigInteger) {
        v.reject("is out of range");
      } else if (o instanceof Number num) {
        return v.with(num.longValue());
      } else {
        v.reject("must be an integer");
      }
    } else if (n instanceof ScalarNode s && Tag.FLOAT.equals(s.getTag())) {
      v.reject("must be a whole number");
    } else {
      v.reject("must be an integer");
    }
    return v;
  }

  Val<Double> number(Node n, Location loc, String path) {
    Val<Double> v = new Val<>(null, true, loc, path, describe(n));
    if (n instanceof ScalarNode s && (Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()))) {
      Object o = scalars.construct(s);
      if (o instanceof Number num && Double.isFinite(num.doubleValue())) {
        return v.with(num.doubleValue());
      }
      v.reject("must be a finite number");
    } else {
      v.reject("must be a number");
    }
    return v;
  }

  Val<List<Item>> list(Node n, Location loc, String path) {
    Val<List<Item>> v = new Val<>(null, true, loc, path, describe(n));
    if (!(n instanceof SequenceNode seq)) {
      v.reject("must be a list");
      return v;
    }
    List<Item> items = new ArrayList<>();
    List<Node> nodes = seq.getValue();
    for (int i = 0; i < nodes.size(); i++) {
      items.add(new Item(nodes.get(i), index(path, i)));
    }
    return v.with(List.copyOf(items));
  }

  /**
   * A driver's settings map as plain Java values: String, Long/Integer/BigInteger, Double,
   * Boolean, unmodifiable lists and maps. YAML nulls are left out; timestamps and other tags
   * are kept as their text. Each top-level key's location is its value's.
   */
  Settings settings(Node n, String path, Location whenAbsent) {
    if (n == null || isNull(n)) {
      return Settings.empty(path, whenAbsent);
    }
    if (!(n instanceof MappingNode m)) {
      problem(at(n), path, "must be a map (got: " + describe(n) + ")");
      return Settings.empty(path, at(n));
    }
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Location> locations = new LinkedHashMap<>();
    Set<Node> visiting = Collections.newSetFromMap(new IdentityHashMap<>());
    visiting.add(m);
    for (NodeTuple t : m.getValue()) {
      String key = key(t, path, locations);
      if (key == null) {
        continue;
      }
      locations.put(key, at(t.getValueNode()));
      Object value = plain(t.getValueNode(), child(path, key), visiting);
      if (value != null) {
        values.put(key, value);
      }
    }
    return new Settings(path, at(m), values, locations);
  }

  private Object plain(Node n, String path, Set<Node> visiting) {
    if (n instanceof ScalarNode s) {
      Tag tag = s.getTag();
      if (Tag.NULL.equals(tag)) {
        return null;
      }
      if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag) || Tag.BOOL.equals(tag)) {
        Object o = scalars.construct(s);
        return o == null ? s.getValue() : o;
      }
      return s.getValue();
    }
    if (!visiting.add(n)) {
      problem(at(n), path, "recursive aliases are not supported");
      return null;
    }
    try {
      if (n instanceof SequenceNode seq) {
        List<Object> out = new ArrayList<>();
        List<Node> nodes = seq.getValue();
        for (int i = 0; i < nodes.size(); i++) {
          Object o = plain(nodes.get(i), index(path, i), visiting);
          if (o != null) {
            out.add(o);
          }
        }
        return Collections.unmodifiableList(out);
      }
      if (n instanceof MappingNode m) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Location> seen = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
          String key = key(t, path, seen);
          if (key == null) {
            continue;
          }
          seen.put(key, at(t.getKeyNode()));
          Object o = plain(t.getValueNode(), child(path, key), visiting);
          if (o != null) {
            out.put(key, o);
          }
        }
        return Collections.unmodifiableMap(out);
      }
      return null;
    } finally {
      visiting.remove(n);
    }
  }

  /** SnakeYAML's own scalar construction (hex, octal, underscores, .inf), one node at a time. */
  private static final class Scalars extends SafeConstructor {
    Scalars() {
      super(new LoaderOptions());
    }

    Object construct(ScalarNode node) {
      try {
        return constructObject(node);
      } catch (RuntimeException e) {
        return null;
      }
    }
  }
}
