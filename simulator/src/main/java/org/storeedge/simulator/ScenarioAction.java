package org.storeedge.simulator;

import java.util.List;
import java.util.Optional;

/**
 * One scripted action of a shopper (of one member of a group).
 *
 * <ul>
 *   <li>{@code TAKE} / {@code PUT_BACK}: one hand interaction with one or more lanes of the same
 *       shelf ({@link #parts()}); with several parts all those lanes change within the one
 *       interaction (a mixed grab).
 *   <li>{@code LEAN}: a hand or an elbow rests on {@link #laneId()} for {@link #seconds()} with a
 *       load of about {@link #grams()}; nothing moves.
 *   <li>{@code SET_DOWN}: the shopper sets something that is not for sale (a basket, a bag) on
 *       {@link #laneId()} and lifts it off again {@link #seconds()} later; it weighs
 *       {@link #grams()} and lies still; nothing of the lane's moves. Like a lean, the shopper stays
 *       and may take or put back within reach meanwhile.
 *   <li>{@code BROWSE}: the shopper stands in front of {@link #laneId()} for {@link #seconds()},
 *       looking, without a hand in the shelf: nothing moves and no load is put on it. Like a lean,
 *       it may take or put back within reach meanwhile.
 *   <li>{@code GIVE}: the shopper hands {@link #qty()} x {@link #sku()} to the shopper with token
 *       {@link #to()}; no shelf is involved and {@link #laneId()} is empty.
 * </ul>
 *
 * @param at seconds of virtual time from scenario start when the hand reaches the (first) lane;
 *     the items move 0.6-1.8 s later and the hand leaves 0.3-1.0 s after that
 * @param parts lanes with quantity and optional sku, at least one; for {@code GIVE} a single part
 *     with an empty lane id and the sku given
 * @param from the lane whose standing point the shopper stands at, when it reaches past it to
 *     another lane (crossing hands); empty: in front of the lane(s) acted on
 * @param seconds how long a lean lasts, or a set-down thing lies on the lane; 0 for other kinds
 * @param grams typical load of a lean, or what a set-down thing weighs, grams; 0 for other kinds
 * @param to receiver's token of a {@code GIVE}
 * @param member which member of a group does it, 1-based; 1 for a single shopper
 * @param passing a single-lane take or put-back done without stopping: the shopper walks along
 *     the shelf at half its pace while its hand is in the lane (a hurried shopper grabbing on its
 *     way), instead of standing in front of the lane
 */
public record ScenarioAction(double at, Kind kind, List<Part> parts, Optional<String> from, double seconds,
    double grams, Optional<String> to, int member, Origin origin, boolean passing) {

  public enum Kind {
    TAKE,
    PUT_BACK,
    LEAN,
    SET_DOWN,
    GIVE,
    BROWSE
  }

  /**
   * One lane of an action.
   *
   * @param sku the product moved; empty means the lane's planned sku (needed to return an item to
   *     a lane that does not plan it, or to take such a misplaced item)
   */
  public record Part(String laneId, int qty, Optional<String> sku) {}

  public static final double DEFAULT_LEAN_SECONDS = 5;
  public static final double DEFAULT_LEAN_GRAMS = 80;
  /** A shopping basket with a few things in it, left on the shelf while its owner looks around. */
  public static final double DEFAULT_SET_DOWN_SECONDS = 20;
  public static final double DEFAULT_SET_DOWN_GRAMS = 1200;
  /** Long enough to read a label or two. */
  public static final double DEFAULT_BROWSE_SECONDS = 8;

  public ScenarioAction {
    parts = List.copyOf(parts);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("an action needs at least one part");
    }
    if (passing && !passable(kind, parts, from)) {
      throw new IllegalArgumentException("only a single-lane take or put-back from in front of its lane is done in passing");
    }
  }

  /** An action done standing (not {@link #passing}). */
  public ScenarioAction(double at, Kind kind, List<Part> parts, Optional<String> from, double seconds, double grams,
      Optional<String> to, int member, Origin origin) {
    this(at, kind, parts, from, seconds, grams, to, member, origin, false);
  }

  /** A single-lane take or put-back (the original form). */
  public ScenarioAction(double at, Kind kind, String laneId, int qty, Optional<String> sku, Origin origin) {
    this(at, kind, List.of(new Part(laneId, qty, sku)), Optional.empty(), 0, 0, Optional.empty(), 1, origin);
  }

  /** The first (for most actions: the only) lane; empty for {@code GIVE}. */
  public String laneId() {
    return parts.get(0).laneId();
  }

  /** Units of the first part. */
  public int qty() {
    return parts.get(0).qty();
  }

  /** Sku of the first part. */
  public Optional<String> sku() {
    return parts.get(0).sku();
  }

  /**
   * The shopper stays at a lane for {@link #seconds()}: a lean or a set-down thing (a load on the
   * lane), or a look at it ({@code BROWSE}, no load).
   */
  boolean rests() {
    return kind == Kind.LEAN || kind == Kind.SET_DOWN || kind == Kind.BROWSE;
  }

  boolean movesUnits() {
    return kind == Kind.TAKE || kind == Kind.PUT_BACK;
  }

  public static ScenarioAction take(double at, String laneId, int qty) {
    return new ScenarioAction(at, Kind.TAKE, laneId, qty, Optional.empty(), Origin.of("action"));
  }

  /** Takes {@code qty} x {@code sku} from a lane, e.g. an item someone put back to the wrong lane. */
  public static ScenarioAction take(double at, String laneId, int qty, String sku) {
    return new ScenarioAction(at, Kind.TAKE, laneId, qty, Optional.of(sku), Origin.of("action"));
  }

  public static ScenarioAction putBack(double at, String laneId, int qty) {
    return new ScenarioAction(at, Kind.PUT_BACK, laneId, qty, Optional.empty(), Origin.of("action"));
  }

  public static ScenarioAction putBack(double at, String laneId, int qty, String sku) {
    return new ScenarioAction(at, Kind.PUT_BACK, laneId, qty, Optional.of(sku), Origin.of("action"));
  }

  /** Standing in front of {@code fromLane}, takes from {@code laneId} (crossing hands). */
  public static ScenarioAction reach(double at, String laneId, int qty, String fromLane) {
    return new ScenarioAction(at, Kind.TAKE, List.of(new Part(laneId, qty, Optional.empty())), Optional.of(fromLane), 0, 0,
        Optional.empty(), 1, Origin.of("action"));
  }

  /** Takes from several lanes of one shelf in one hand interaction. */
  public static ScenarioAction grab(double at, List<Part> parts) {
    return new ScenarioAction(at, Kind.TAKE, parts, Optional.empty(), 0, 0, Optional.empty(), 1, Origin.of("action"));
  }

  public static ScenarioAction lean(double at, String laneId, double seconds, double grams) {
    return new ScenarioAction(at, Kind.LEAN, List.of(new Part(laneId, 0, Optional.empty())), Optional.empty(), seconds, grams,
        Optional.empty(), 1, Origin.of("action"));
  }

  public static ScenarioAction setDown(double at, String laneId, double seconds, double grams) {
    return new ScenarioAction(at, Kind.SET_DOWN, List.of(new Part(laneId, 0, Optional.empty())), Optional.empty(), seconds,
        grams, Optional.empty(), 1, Origin.of("action"));
  }

  /** Stands in front of {@code laneId} for {@code seconds}, looking, hands off the shelf. */
  public static ScenarioAction browse(double at, String laneId, double seconds) {
    return new ScenarioAction(at, Kind.BROWSE, List.of(new Part(laneId, 0, Optional.empty())), Optional.empty(), seconds, 0,
        Optional.empty(), 1, Origin.of("action"));
  }

  public static ScenarioAction give(double at, String sku, int qty, String toToken) {
    return new ScenarioAction(at, Kind.GIVE, List.of(new Part("", qty, Optional.of(sku))), Optional.empty(), 0, 0,
        Optional.of(toToken), 1, Origin.of("action"));
  }

  /** The same action done by member {@code m} (1-based) of a group. */
  public ScenarioAction byMember(int m) {
    return new ScenarioAction(at, kind, parts, from, seconds, grams, to, m, origin, passing);
  }

  /** The same action done standing in front of {@code lane}. */
  public ScenarioAction from(String lane) {
    return new ScenarioAction(at, kind, parts, Optional.of(lane), seconds, grams, to, member, origin, passing);
  }

  /** Whether this action can be done {@link #passing}: a take or put-back at one lane, from in front of it. */
  public boolean passable() {
    return passable(kind, parts, from);
  }

  private static boolean passable(Kind kind, List<Part> parts, Optional<String> from) {
    return (kind == Kind.TAKE || kind == Kind.PUT_BACK) && parts.size() == 1 && from.isEmpty();
  }

  /** The same take or put-back done without stopping ({@link #passing}). */
  public ScenarioAction inPassing() {
    return new ScenarioAction(at, kind, parts, from, seconds, grams, to, member, origin, true);
  }
}
