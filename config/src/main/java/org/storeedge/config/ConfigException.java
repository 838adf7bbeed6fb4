package org.storeedge.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A config that cannot be used; carries every problem found, not just the first, and the warnings
 * of the same file. Its message is {@link #lines()}, one per line.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<ConfigProblem> problems;
  private final transient List<ConfigWarning> warnings;

  public ConfigException(List<ConfigProblem> problems) {
    this(problems, List.of());
  }

  public ConfigException(List<ConfigProblem> problems, List<ConfigWarning> warnings) {
    super(String.join("\n", lines(problems, warnings)));
    this.problems = List.copyOf(problems);
    this.warnings = List.copyOf(warnings);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  /** The warnings of the file besides its problems; empty if none (or none were looked for). */
  public List<ConfigWarning> warnings() {
    return warnings;
  }

  /**
   * Every problem and warning as printed ({@code file:line:col: key.path: message}, warnings with
   * {@code warning: } before the message), in file order; at one spot problems come first.
   */
  public List<String> lines() {
    return lines(problems, warnings);
  }

  private static List<String> lines(List<ConfigProblem> problems, List<ConfigWarning> warnings) {
    record Line(Location at, String text) {}
    List<Line> all = new ArrayList<>();
    problems.forEach(p -> all.add(new Line(p.location(), p.toString())));
    warnings.forEach(w -> all.add(new Line(w.location(), w.toString())));
    if (!warnings.isEmpty()) {
      // stable: problems keep their order, and come before a warning at the same spot
      all.sort(Comparator.comparingInt((Line l) -> l.at().line()).thenComparingInt(l -> l.at().column()));
    }
    return all.stream().map(Line::text).toList();
  }
}
