package org.storeedge.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.Location;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a composed SnakeYAML node tree, collecting problems with locations instead of throwing.
 * Each accessor returns null when the value is absent or wrong; the problem is already recorded.
 */
final class YamlTree {
  private final String source;
  final List<ConfigProblem> problems = new ArrayList<>();

  YamlTree(String source) {
    this.source = source;
  }

  Location location(Node n) {
    return new Location(source, n.getStartMark().getLine() + 1, n.getStartMark().getColumn() + 1);
  }

  void problem(Node n, String path, String message) {
    problems.add(new ConfigProblem(location(n), path, message));
  }

  /** The keys of a mapping, checked against {@code allowed}; null if {@code n} is no mapping. */
  Fields fields(Node n, String path, Set<String> allowed) {
    if (!(n instanceof MappingNode m)) {
      problem(n, path, "must be a mapping (got: " + describe(n) + ")");
      return null;
    }
    Map<String, Node> values = new LinkedHashMap<>();
    Map<String, Location> keys = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        problem(t.getKeyNode(), path, "keys must be plain names");
        continue;
      }
      String key = k.getValue();
      String keyPath = join(path, key);
      if (!allowed.contains(key)) {
        problem(k, keyPath, "unknown key (known: " + String.join(", ", sorted(allowed)) + ")");
      } else if (values.containsKey(key)) {
        problem(k, keyPath, "duplicate key");
      } else {
        values.put(key, t.getValueNode());
        keys.put(key, location(k));
      }
    }
    return new Fields(path, n, values, keys);
  }

  List<Node> list(Node n, String path) {
    if (n instanceof SequenceNode s) {
      return s.getValue();
    }
    problem(n, path, "must be a list (got: " + describe(n) + ")");
    return null;
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  static String describe(Node n) {
    if (n instanceof ScalarNode s) {
      return s.getTag().equals(Tag.NULL) ? "nothing" : "'" + s.getValue() + "'";
    }
    return n instanceof SequenceNode ? "a list" : "a mapping";
  }

  /** The present keys of one mapping. */
  final class Fields {
    final String path;
    final Node node;
    final Map<String, Node> values;
    final Map<String, Location> keys;

    Fields(String path, Node node, Map<String, Node> values, Map<String, Location> keys) {
      this.path = path;
      this.node = node;
      this.values = values;
      this.keys = keys;
    }

    boolean has(String key) {
      return values.containsKey(key);
    }

    Origin origin() {
      return new Origin(path, location(node), keys);
    }

    Node require(String key) {
      Node v = values.get(key);
      if (v == null) {
        problem(node, join(path, key), "is required");
      }
      return v;
    }

    String string(String key, boolean required) {
      Node v = required ? require(key) : values.get(key);
      if (v == null) {
        return null;
      }
      if (v instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) && !s.getValue().isBlank()) {
        return s.getValue().trim();
      }
      problem(v, join(path, key), "must be a non-empty text (got: " + describe(v) + ")");
      return null;
    }

    Double number(String key, boolean required) {
      Node v = required ? require(key) : values.get(key);
      if (v == null) {
        return null;
      }
      if (v instanceof ScalarNode s && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))) {
        try {
          double d = Double.parseDouble(s.getValue().replace("_", ""));
          if (Double.isFinite(d)) {
            return d;
          }
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      problem(v, join(path, key), "must be a number (got: " + describe(v) + ")");
      return null;
    }

    /** A number checked against [min, max]; null with a problem when out of range. */
    Double number(String key, boolean required, double min, double max, String expectation) {
      Double d = number(key, required);
      if (d != null && (d < min || d > max)) {
        problem(values.get(key), join(path, key), "must be " + expectation + " (got: " + fmt(d) + ")");
        return null;
      }
      return d;
    }

    Long integer(String key, boolean required) {
      Node v = required ? require(key) : values.get(key);
      if (v == null) {
        return null;
      }
      if (v instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
        try {
          return Long.parseLong(s.getValue().replace("_", ""));
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      problem(v, join(path, key), "must be a whole number (got: " + describe(v) + ")");
      return null;
    }

    Boolean bool(String key) {
      Node v = values.get(key);
      if (v == null) {
        return null;
      }
      if (v instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
        return switch (s.getValue().toLowerCase()) {
          case "true", "yes", "on", "y" -> true;
          default -> false;
        };
      }
      problem(v, join(path, key), "must be true or false (got: " + describe(v) + ")");
      return null;
    }
  }

  static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
