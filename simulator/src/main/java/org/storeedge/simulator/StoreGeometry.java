package org.storeedge.simulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.config.ShelfFronts;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Position;

/**
 * Where shoppers walk: the entry gate ({@code entrance}, else the first gate), the exit gate
 * ({@code exit}, else the last gate), and for each lane the point 0.5 m in front of it where a
 * shopper stands to reach it (the front as {@link ShelfFronts} puts it: the shelf's {@code facing},
 * else towards the middle of the store unless another shelf stands there). Each lane also has the
 * two unit vectors shoppers standing there are spread along: along the shelf and away from it.
 */
final class StoreGeometry {
  static final double STAND_OFF_METRES = 0.5;
  static final double WALKING_SPEED_M_PER_S = 1.0;
  /**
   * Farthest a standing shopper reaches: from its standing point to a lane's centre, metres. From
   * 0.5 m in front of a lane this covers the neighbouring lanes of a shelf with lanes up to about
   * 0.85 m apart, not the lanes beyond.
   */
  static final double MAX_REACH_METRES = 1.0;
  /**
   * How far a shopper who is not reaching into the shelf for a while (reading what it took, looking
   * along the shelf) steps back from where it stands to reach a lane, metres: out of the way of
   * the people who come to that shelf, about a step.
   */
  static final double BROWSE_STEP_BACK_METRES = 0.6;
  /** A browsing shopper keeps at least this far from the lanes of other shelves (unless its own spot is nearer). */
  static final double BROWSE_CLEARANCE_METRES = 1.0;

  /** Null when the store has no gates (the store then cannot be played; checks still work). */
  final StoreConfig.Gate entrance;
  final StoreConfig.Gate exit;
  private final Map<String, Position> standing = new HashMap<>();
  private final Map<String, double[]> axes = new HashMap<>();
  private final Map<String, Position> browsing = new HashMap<>();
  private final Position centre;

  StoreGeometry(StoreConfig config) {
    List<StoreConfig.Gate> gates = config.gates();
    entrance = gates.stream().filter(g -> g.id().equals("entrance")).findFirst().orElse(gates.isEmpty() ? null : gates.get(0));
    exit = gates.stream().filter(g -> g.id().equals("exit")).findFirst().orElse(gates.isEmpty() ? null : gates.get(gates.size() - 1));
    centre = ShelfFronts.middle(config);
    Map<String, ShelfFronts.Front> fronts = ShelfFronts.of(config);
    for (StoreConfig.Lane lane : config.lanes()) {
      ShelfFronts.Front f = fronts.get(lane.id());
      Position l = lane.position();
      standing.put(lane.id(), new Position(l.x() + STAND_OFF_METRES * f.outX(), l.y() + STAND_OFF_METRES * f.outY()));
      axes.put(lane.id(), new double[] {f.alongX(), f.alongY(), f.outX(), f.outY()});
    }
    for (StoreConfig.Shelf shelf : config.shelves()) {
      List<Position> others = config.shelves().stream().filter(o -> o != shelf)
          .flatMap(o -> o.lanes().stream().map(StoreConfig.Lane::position)).toList();
      for (StoreConfig.Lane lane : shelf.lanes()) {
        browsing.put(lane.id(), stepBack(standing.get(lane.id()), axes.get(lane.id()), others));
      }
    }
  }

  /**
   * The farthest point up to {@link #BROWSE_STEP_BACK_METRES} behind {@code spot} (away from its
   * shelf) that comes no closer than {@link #BROWSE_CLEARANCE_METRES} to a lane of another shelf
   * (across a narrow aisle it steps back less, or not at all).
   */
  private static Position stepBack(Position spot, double[] axes, List<Position> otherShelves) {
    for (double d = BROWSE_STEP_BACK_METRES; d > 1e-9; d -= 0.1) {
      Position c = new Position(spot.x() + d * axes[2], spot.y() + d * axes[3]);
      boolean clear = otherShelves.stream()
          .allMatch(o -> o.distanceTo(c) >= Math.min(BROWSE_CLEARANCE_METRES, o.distanceTo(spot)) - 1e-9);
      if (clear) {
        return c;
      }
    }
    return spot;
  }

  Position standingPoint(String laneId) {
    Position p = standing.get(laneId);
    if (p == null) {
      throw new IllegalArgumentException("unknown lane " + laneId);
    }
    return p;
  }

  /**
   * Where a shopper stands while it browses at a lane without reaching into the shelf (holding
   * what it took, reading it, waiting to put it back): a step back from {@link #standingPoint},
   * so that it keeps clear of the spots from which others reach this and the neighbouring lanes.
   */
  Position browsingPoint(String laneId) {
    Position p = browsing.get(laneId);
    if (p == null) {
      throw new IllegalArgumentException("unknown lane " + laneId);
    }
    return p;
  }

  /** Unit vectors {alongX, alongY, awayX, awayY} at a lane: along its shelf and away from it. */
  double[] axes(String laneId) {
    double[] a = axes.get(laneId);
    if (a == null) {
      throw new IllegalArgumentException("unknown lane " + laneId);
    }
    return a;
  }

  /**
   * Where people meet who have not stood at a shelf yet: 1.5 m from the entrance towards the
   * middle of the store. Null without gates.
   */
  Position lobby() {
    if (entrance == null) {
      return null;
    }
    Position e = entrance.position();
    double d = e.distanceTo(centre);
    if (d < 1e-6) {
      return e;
    }
    double f = Math.min(1, 1.5 / d);
    return new Position(e.x() + f * (centre.x() - e.x()), e.y() + f * (centre.y() - e.y()));
  }

  /** The middle of the store (mean of all lanes and gates). */
  Position centre() {
    return centre;
  }

  /**
   * Where a shopper stands for a shelf action: in front of its {@code from} lane, else in the
   * middle of the standing points of the lanes it acts on.
   */
  Position standFor(ScenarioAction a) {
    if (a.from().isPresent()) {
      return standingPoint(a.from().get());
    }
    double x = 0;
    double y = 0;
    for (ScenarioAction.Part p : a.parts()) {
      Position s = standingPoint(p.laneId());
      x += s.x();
      y += s.y();
    }
    return new Position(x / a.parts().size(), y / a.parts().size());
  }

  /** The lane whose standing point a shelf action is done from (for the ground truth). */
  static String standingLane(ScenarioAction a) {
    return a.from().orElse(a.laneId());
  }

  static double walkSeconds(Position a, Position b) {
    return walkSeconds(a, b, WALKING_SPEED_M_PER_S);
  }

  /** Seconds to walk from {@code a} to {@code b} at {@code pace} m/s. */
  static double walkSeconds(Position a, Position b, double pace) {
    return a.distanceTo(b) / pace;
  }
}
