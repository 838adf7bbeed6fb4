package org.storeedge.simulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Position;

/**
 * Where shoppers walk: the entry gate ({@code entrance}, else the first gate), the exit gate
 * ({@code exit}, else the last gate), and for each lane the point 0.5 m in front of it where a
 * shopper stands to reach it. "In front" is perpendicular to the shelf's line of lanes, on the
 * side facing the middle of the store (the mean of all lanes and gates).
 */
final class StoreGeometry {
  static final double STAND_OFF_METRES = 0.5;
  static final double WALKING_SPEED_M_PER_S = 1.0;

  final StoreConfig.Gate entrance;
  final StoreConfig.Gate exit;
  private final Map<String, Position> standing = new HashMap<>();

  StoreGeometry(StoreConfig config) {
    List<StoreConfig.Gate> gates = config.gates();
    if (gates.isEmpty()) {
      throw new IllegalArgumentException("store " + config.store().id() + " has no gates; the simulator needs one to let shoppers in");
    }
    entrance = gates.stream().filter(g -> g.id().equals("entrance")).findFirst().orElse(gates.get(0));
    exit = gates.stream().filter(g -> g.id().equals("exit")).findFirst().orElse(gates.get(gates.size() - 1));
    double cx = 0;
    double cy = 0;
    int n = 0;
    for (StoreConfig.Lane l : config.lanes()) {
      cx += l.position().x();
      cy += l.position().y();
      n++;
    }
    for (StoreConfig.Gate g : gates) {
      cx += g.position().x();
      cy += g.position().y();
      n++;
    }
    cx /= n;
    cy /= n;
    for (StoreConfig.Shelf shelf : config.shelves()) {
      List<StoreConfig.Lane> lanes = shelf.lanes();
      if (lanes.isEmpty()) {
        continue;
      }
      Position first = lanes.get(0).position();
      Position last = lanes.get(lanes.size() - 1).position();
      double ax = last.x() - first.x();
      double ay = last.y() - first.y();
      double len = Math.hypot(ax, ay);
      double mx = lanes.stream().mapToDouble(l -> l.position().x()).average().orElse(0);
      double my = lanes.stream().mapToDouble(l -> l.position().y()).average().orElse(0);
      for (StoreConfig.Lane l : lanes) {
        double nx;
        double ny;
        if (len > 1e-6) {
          nx = -ay / len;
          ny = ax / len;
          if (nx * (cx - mx) + ny * (cy - my) < 0) {
            nx = -nx;
            ny = -ny;
          }
        } else {
          double dx = cx - l.position().x();
          double dy = cy - l.position().y();
          double d = Math.hypot(dx, dy);
          nx = d > 1e-6 ? dx / d : 0;
          ny = d > 1e-6 ? dy / d : 1;
        }
        standing.put(l.id(), new Position(l.position().x() + STAND_OFF_METRES * nx, l.position().y() + STAND_OFF_METRES * ny));
      }
    }
  }

  Position standingPoint(String laneId) {
    Position p = standing.get(laneId);
    if (p == null) {
      throw new IllegalArgumentException("unknown lane " + laneId);
    }
    return p;
  }

  static double walkSeconds(Position a, Position b) {
    return a.distanceTo(b) / WALKING_SPEED_M_PER_S;
  }
}
