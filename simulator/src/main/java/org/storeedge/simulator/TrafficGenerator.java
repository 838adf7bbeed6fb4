package org.storeedge.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Position;

/**
 * Turns {@link GeneratedTraffic} into concrete shopper scripts, deterministically from the seed.
 *
 * <p>Stock is reserved conservatively: every generated take is subtracted from the lane's stock
 * of its planned sku and put-backs are not credited back. So no take can find its lane short,
 * whatever order overlapping shoppers end up acting in. An item returned to the wrong lane is
 * tracked on its own and taken again by at most one later shopper.
 *
 * <p>The hard cases draw from their own random stream, so traffic without them is the same as
 * it always was for a seed. Bursts draw their times from their own stream too and are merged
 * with the background arrivals in time order; each arrival, background or burst, then waits at
 * the door for {@code overlap} and {@code maxInside} alike.
 */
final class TrafficGenerator {
  private TrafficGenerator() {}

  /** A generated visit, as far as later visits need to know it (hand-off receivers). */
  private static final class Visit {
    final String token;
    final double enter;
    final double exit;
    /** {start, end, x, y}: busy over [start, end) standing at (x, y). */
    final List<double[]> busy = new ArrayList<>();

    Visit(String token, double enter, double exit) {
      this.token = token;
      this.enter = enter;
      this.exit = exit;
    }

    boolean freeDuring(double from, double to) {
      return busy.stream().noneMatch(b -> b[0] < to && from < b[1]);
    }

    /**
     * Free for a hand-off at {@code when} at {@code meet}, with time to walk there from its last
     * place and from there to its next place (or the exit) afterwards.
     */
    boolean canMeet(double when, Position meet, StoreGeometry geo) {
      if (!freeDuring(when, when + ScenarioChecker.MIN_ACTION_GAP_SECONDS)) {
        return false;
      }
      double[] last = null;
      double[] next = null;
      for (double[] b : busy) {
        if (b[0] < when && (last == null || b[0] > last[0])) {
          last = b;
        }
        if (b[0] > when && (next == null || b[0] < next[0])) {
          next = b;
        }
      }
      Position from = last == null ? geo.entrance.position() : new Position(last[2], last[3]);
      double ready = last == null ? enter : last[1];
      Position to = next == null ? geo.exit.position() : new Position(next[2], next[3]);
      double due = next == null ? exit : next[0];
      return ready + StoreGeometry.walkSeconds(from, meet) + 1.0 <= when
          && when + Person.HAND_OFF_SECONDS + StoreGeometry.walkSeconds(meet, to) + 1.0 <= due;
    }
  }

  /** A unit returned to a lane that does not plan it; {@code readyAt}: stable on the lane from here. */
  private static final class Misplaced {
    final String laneId;
    final String sku;
    final double readyAt;
    boolean taken;

    Misplaced(String laneId, String sku, double readyAt) {
      this.laneId = laneId;
      this.sku = sku;
      this.readyAt = readyAt;
    }
  }

  /**
   * How likely a take is to be from each lane ({@link GeneratedTraffic#popularity}): the products
   * in an order drawn from the seed (its own stream), the k-th weighing k^-exponent, shared
   * equally by its lanes. Empty for exponent 0 (every lane alike, as the traffic always was).
   */
  static Map<String, Double> popularity(double exponent, long seed, List<StoreConfig.Lane> lanes) {
    if (exponent == 0) {
      return Map.of();
    }
    List<String> skus = new ArrayList<>(lanes.stream().map(StoreConfig.Lane::sku).distinct().toList());
    java.util.Collections.shuffle(skus, Seeds.random(seed, "generated-popularity"));
    Map<String, Long> lanesOf = new HashMap<>();
    lanes.forEach(l -> lanesOf.merge(l.sku(), 1L, Long::sum));
    Map<String, Double> out = new LinkedHashMap<>();
    for (StoreConfig.Lane l : lanes) {
      out.put(l.id(), Math.pow(skus.indexOf(l.sku()) + 1, -exponent) / lanesOf.get(l.sku()));
    }
    return out;
  }

  /** One of {@code open}, each as likely as its weight. */
  private static StoreConfig.Lane pick(List<StoreConfig.Lane> open, Map<String, Double> weight, Random r) {
    double total = 0;
    for (StoreConfig.Lane l : open) {
      total += weight.get(l.id());
    }
    double x = r.nextDouble() * total;
    for (StoreConfig.Lane l : open) {
      x -= weight.get(l.id());
      if (x < 0) {
        return l;
      }
    }
    return open.get(open.size() - 1);
  }

  /** How much of the usual time looking around before a take a hurried shopper spends. */
  static final double HURRIED_BROWSING = 0.2;

  static List<ShopperScript> generate(GeneratedTraffic g, long seed, StoreConfig store, StoreGeometry geo,
      List<ShopperScript> scripted) {
    Random r = Seeds.random(seed, "generated-traffic");
    Random hr = Seeds.random(seed, "generated-hard-cases");
    Random br = Seeds.random(seed, "generated-browsing");
    Random pr = Seeds.random(seed, "generated-popular-picks");
    // looks draw from their own stream: without them, exactly the traffic from before they existed
    Random lr = Seeds.random(seed, "generated-looks");
    GeneratedTraffic.Looks lk = g.looks();
    // and so does hurry: without it, every visit as before
    Random ur = Seeds.random(seed, "generated-hurry");
    GeneratedTraffic.Hurry hu = g.hurry();
    GeneratedTraffic.HardCases hard = g.hardCases();
    Map<String, Integer> stock = new HashMap<>();
    for (StoreConfig.Lane l : store.lanes()) {
      stock.put(l.id(), l.initialStock());
    }
    double begin = 0;
    for (ShopperScript s : scripted) {
      begin = Math.max(begin, s.exitOf(Math.max(1, s.group())) + 5);
      for (ScenarioAction a : s.actions()) {
        if (!a.movesUnits()) {
          continue;
        }
        for (ScenarioAction.Part p : a.parts()) {
          StoreConfig.Lane l = store.lane(p.laneId()).orElseThrow();
          if (p.sku().orElse(l.sku()).equals(l.sku())) {
            stock.merge(l.id(), a.kind() == ScenarioAction.Kind.TAKE ? -p.qty() : p.qty(), Integer::sum);
          }
        }
      }
    }
    List<StoreConfig.Lane> lanes = store.lanes();
    Map<String, Double> popular = popularity(g.popularity(), seed, lanes);
    double ratePerSecond = g.shoppersPerHour() / 3600.0;
    double end = begin + g.durationSeconds();
    List<Double> burstArrivals = new ArrayList<>();
    if (g.bursts().isPresent()) {
      bursts(g.bursts().get(), seed, begin, end).forEach(b -> burstArrivals.addAll(b.arrivals()));
      burstArrivals.sort(null);
    }
    int nextBurstArrival = 0;
    // the next background (Poisson) arrival, drawn when the one before it has come in: without
    // bursts exactly the draws, in the order, of the generator before bursts existed
    double background = begin;
    boolean backgroundDrawn = false;
    double arrival;
    double previousExit = Double.NEGATIVE_INFINITY;
    double previousEnter = Double.NEGATIVE_INFINITY;
    List<ShopperScript> out = new ArrayList<>();
    List<Visit> visits = new ArrayList<>();
    List<Misplaced> misplaced = new ArrayList<>();
    // restocking staff: their own stream and token series, so traffic without them is unchanged
    Random sr = Seeds.random(seed, "generated-restocks");
    String staffPrefix = g.restockEverySeconds() > 0 ? store.checkout().staffTokenPrefixes().get(0) : null;
    double nextRestock = begin + g.restockEverySeconds();
    List<ShopperScript> staff = new ArrayList<>();
    List<Restocked> restocked = new ArrayList<>(); // units put on lanes, counted for later arrivals
    while (true) {
      if (!backgroundDrawn) {
        background += -Math.log(1 - r.nextDouble()) / ratePerSecond;
        backgroundDrawn = true;
      }
      if (nextBurstArrival < burstArrivals.size() && burstArrivals.get(nextBurstArrival) < background) {
        arrival = burstArrivals.get(nextBurstArrival++);
      } else if (background <= end) {
        arrival = background;
        backgroundDrawn = false;
      } else {
        break;
      }
      while (staffPrefix != null && nextRestock <= arrival) {
        ShopperScript visit = restock(staffPrefix + "restock-" + (staff.size() + 1), round(nextRestock), store, geo, stock,
            restocked, sr);
        if (visit != null) {
          staff.add(visit);
        }
        nextRestock += g.restockEverySeconds();
      }
      for (java.util.Iterator<Restocked> it = restocked.iterator(); it.hasNext(); ) {
        Restocked x = it.next();
        if (x.readyAt() <= arrival) {
          stock.merge(x.laneId(), x.units(), Integer::sum);
          it.remove();
        }
      }
      double enter = g.overlap() ? arrival : Math.max(arrival, previousExit + 1.0);
      if (g.overlap() && g.maxInside() < GeneratedTraffic.UNLIMITED) {
        enter = Math.max(enter, previousEnter); // the queue at the door keeps its order
        List<Double> inside = new ArrayList<>();
        for (Visit v : visits) {
          if (v.exit > enter) {
            inside.add(v.exit);
          }
        }
        if (inside.size() >= g.maxInside()) {
          inside.sort(null);
          enter = inside.get(inside.size() - g.maxInside()) + 1.0;
        }
      }
      enter = round(enter);
      previousEnter = enter;
      int items = 1 + poisson(r, g.meanItems() - 1);
      boolean emptyHanded = lk.emptyHanded() > 0 && lr.nextDouble() < lk.emptyHanded();
      int looks = (lk.perVisit() > 0 ? poisson(lr, lk.perVisit()) : 0) + (emptyHanded ? 1 : 0);
      if (emptyHanded) {
        items = 0;
      }
      String token = String.format("gen-%04d", out.size() + 1);
      boolean hurried = hu.share() > 0 && ur.nextDouble() < hu.share();
      double pace = hurried ? hu.pace() : ShopperScript.DEFAULT_PACE;
      int group = hard.group() > 0 && hr.nextDouble() < hard.group() ? 2 + hr.nextInt(2) : 1;
      List<ScenarioAction> actions = new ArrayList<>();
      Map<String, Integer> held = new LinkedHashMap<>();
      Position at = geo.entrance.position();
      // where each member of a group is and from when it is free to walk on
      Position[] memberAt = new Position[group + 1];
      double[] memberFree = new double[group + 1];
      for (int k = 1; k <= group; k++) {
        memberAt[k] = at;
        memberFree[k] = enter + (k - 1) * ShopperScript.GROUP_GATE_SPACING_SECONDS;
      }
      int lastMember = 1;
      double t = enter;
      double free = Double.NEGATIVE_INFINITY; // the next action may start from here
      if (hard.lean() > 0 && hr.nextDouble() < hard.lean()) {
        StoreConfig.Lane lane = lanes.get(hr.nextInt(lanes.size()));
        Position stand = geo.standingPoint(lane.id());
        double seconds = round(Seeds.uniform(hr, 3, 12));
        double when = round(t + StoreGeometry.walkSeconds(at, stand, pace) + Seeds.uniform(hr, 1, 2));
        actions.add(new ScenarioAction(when, ScenarioAction.Kind.LEAN, List.of(new ScenarioAction.Part(lane.id(), 0, Optional.empty())),
            Optional.empty(), seconds, round(Seeds.uniform(hr, 30, 250)), Optional.empty(), 1, Origin.of(token)));
        memberAt[1] = stand;
        memberFree[1] = when + seconds;
        free = when + seconds + ScenarioChecker.AFTER_LEAN_SECONDS + 0.5;
        t = free - 0.5;
        at = stand;
      }
      boolean handOff = hard.handOff() > 0 && hr.nextDouble() < hard.handOff();
      while (items > 0 || looks > 0) {
        if (looks > 0 && (items == 0 || lr.nextDouble() < 0.5)) {
          // a look at a shelf, taking nothing there (before this take, or after the last)
          StoreConfig.Lane lane = popular.isEmpty() ? lanes.get(lr.nextInt(lanes.size())) : pick(lanes, popular, lr);
          Position stand = geo.standingPoint(lane.id());
          t = Math.max(t + StoreGeometry.walkSeconds(at, stand, pace) + Seeds.uniform(lr, 1, 3), free);
          double when = round(t);
          int member = memberFor(group, when, stand, memberAt, memberFree, lastMember, lr);
          ScenarioAction look = new ScenarioAction(when, ScenarioAction.Kind.BROWSE,
              List.of(new ScenarioAction.Part(lane.id(), 0, Optional.empty())), Optional.empty(),
              round(Seeds.uniform(lr, 3, 15)), 0, Optional.empty(), member, Origin.of(token));
          actions.add(look);
          free = when + ScenarioChecker.busySeconds(look) + 0.5;
          at = stand;
          lastMember = member;
          memberAt[member] = stand;
          memberFree[member] = when + ScenarioChecker.busySeconds(look);
          t = free - 0.5;
          looks--;
          continue;
        }
        List<StoreConfig.Lane> open = lanes.stream().filter(l -> stock.get(l.id()) > 0).toList();
        if (open.isEmpty()) {
          break;
        }
        // the uniform draw is made either way: popularity changes which lanes are picked, not what
        // else the seed draws (arrivals, item counts, quantities)
        int uniform = r.nextInt(open.size());
        StoreConfig.Lane lane = popular.isEmpty() ? open.get(uniform) : pick(open, popular, pr);
        int has = stock.get(lane.id());
        int qty = items >= 2 && has >= 2 && r.nextDouble() < 0.3 ? 2 : 1;
        List<ScenarioAction.Part> parts = new ArrayList<>();
        Optional<String> takenSku = Optional.empty();
        Misplaced pick = null;
        // the lane is reached a little later than planned below; only items stable by then count
        double expected = Math.max(t + StoreGeometry.walkSeconds(at, geo.standingPoint(lane.id()), pace) + 1, free);
        for (Misplaced m : misplaced) {
          if (!m.taken && m.laneId.equals(lane.id()) && m.readyAt + 1 <= expected) {
            pick = m;
            break;
          }
        }
        if (pick != null && hr.nextDouble() < 0.5) {
          pick.taken = true;
          takenSku = Optional.of(pick.sku);
          parts.add(new ScenarioAction.Part(lane.id(), 1, takenSku));
          qty = 1;
        } else {
          parts.add(new ScenarioAction.Part(lane.id(), qty, Optional.empty()));
          stock.put(lane.id(), has - qty);
        }
        items -= qty;
        if (items > 0 && hard.multiGrab() > 0 && hr.nextDouble() < hard.multiGrab()) {
          List<StoreConfig.Lane> next = neighbours(store, lane).stream().filter(l -> stock.get(l.id()) > 0).toList();
          if (!next.isEmpty()) {
            StoreConfig.Lane second = next.get(hr.nextInt(next.size()));
            parts.add(new ScenarioAction.Part(second.id(), 1, Optional.empty()));
            stock.merge(second.id(), -1, Integer::sum);
            items -= 1;
          }
        }
        Optional<String> from = Optional.empty();
        if (parts.size() == 1 && hard.reach() > 0 && hr.nextDouble() < hard.reach()) {
          List<StoreConfig.Lane> next = neighbours(store, lane).stream()
              .filter(l -> geo.standingPoint(l.id()).distanceTo(lane.position()) <= StoreGeometry.MAX_REACH_METRES).toList();
          if (!next.isEmpty()) {
            from = Optional.of(next.get(hr.nextInt(next.size())).id());
          }
        }
        ScenarioAction take = new ScenarioAction(0, ScenarioAction.Kind.TAKE, parts, from, 0, 0, Optional.empty(), 1, Origin.of(token));
        // in a hurry: in passing, walking up and on without a stop in front of the shelf
        boolean passing = hurried && take.passable() && ur.nextDouble() < hu.passing();
        Position stand = geo.standFor(take);
        double gap = ScenarioChecker.busySeconds(take) + 0.5;
        double browse = g.browseSeconds() > 0 ? -Math.log(1 - br.nextDouble()) * g.browseSeconds() : 0;
        // (the draws are made either way: a hurried visit changes no other visit's)
        double reachIn = Seeds.uniform(r, 1, 3);
        if (hurried) {
          browse *= HURRIED_BROWSING;
        }
        t = Math.max(t + browse + StoreGeometry.walkSeconds(at, stand, pace) + (passing ? 0 : reachIn), free);
        double when = round(t);
        int member = memberFor(group, when, stand, memberAt, memberFree, lastMember, hr);
        actions.add(new ScenarioAction(when, ScenarioAction.Kind.TAKE, parts, from, 0, 0, Optional.empty(), member, Origin.of(token),
            passing));
        free = when + gap;
        at = stand;
        lastMember = member;
        memberAt[member] = stand;
        memberFree[member] = when + ScenarioChecker.busySeconds(take);
        for (ScenarioAction.Part p : parts) {
          held.merge(p.sku().orElse(store.lane(p.laneId()).orElseThrow().sku()), p.qty(), Integer::sum);
        }
        if (r.nextDouble() < g.putBackProbability()) {
          double after = Seeds.uniform(r, 4, 8);
          ScenarioAction.Part first = parts.get(0);
          String sku = first.sku().orElse(lane.sku());
          String target = lane.id();
          if (hard.wrongLaneReturn() > 0 && hr.nextDouble() < hard.wrongLaneReturn()) {
            List<StoreConfig.Lane> others = store.shelfOfLane(lane.id()).orElseThrow().lanes().stream()
                .filter(l -> !l.id().equals(lane.id()) && !l.sku().equals(sku)).toList();
            if (!others.isEmpty()) {
              target = others.get(hr.nextInt(others.size())).id();
            }
          }
          // a return to a lane further along the shelf needs the walk there too
          t = t + Math.max(after, gap + StoreGeometry.walkSeconds(stand, geo.standingPoint(target), pace));
          String targetSku = store.lane(target).orElseThrow().sku();
          Optional<String> named = targetSku.equals(sku) ? Optional.empty() : Optional.of(sku);
          double pbAt = round(t);
          ScenarioAction pb = new ScenarioAction(pbAt, ScenarioAction.Kind.PUT_BACK, List.of(new ScenarioAction.Part(target, 1, named)),
              Optional.empty(), 0, 0, Optional.empty(), member, Origin.of(token));
          at = geo.standFor(pb);
          actions.add(pb);
          free = pbAt + ScenarioChecker.busySeconds(pb) + 0.5;
          memberAt[member] = at;
          memberFree[member] = pbAt + ScenarioChecker.busySeconds(pb);
          held.merge(sku, -1, Integer::sum);
          if (named.isPresent()) {
            misplaced.add(new Misplaced(target, sku, pbAt + 3.0));
          } else {
            // back on its own lane: it counts for takes of shoppers arriving once it is there
            restocked.add(new Restocked(pbAt + ScenarioChecker.busySeconds(pb) + 1.0, target, 1));
          }
        }
        // the member who just acted gives, from where it stands
        if (handOff && tryHandOff(token, enter, free, at, member, geo, held, visits, actions, hr)) {
          handOff = false;
          free = actions.get(actions.size() - 1).at() + ScenarioChecker.MIN_ACTION_GAP_SECONDS + 0.5;
          memberFree[member] = free;
        }
        t = free - 0.5;
      }
      double exit = actions.isEmpty()
          ? enter + StoreGeometry.walkSeconds(at, geo.exit.position(), pace) + Seeds.uniform(r, 5, 15)
          : free + StoreGeometry.walkSeconds(at, geo.exit.position(), pace) + Seeds.uniform(r, 1, 2);
      exit = round(exit);
      ShopperScript script = new ShopperScript(token, enter, exit, actions, group, Origin.of(token), pace);
      out.add(script);
      Visit v = new Visit(token, enter, exit);
      Position last = geo.entrance.position();
      for (ScenarioAction a : actions) {
        last = a.kind() == ScenarioAction.Kind.GIVE ? last : geo.standFor(a);
        v.busy.add(new double[] {a.at(), a.at() + ScenarioChecker.busySeconds(a), last.x(), last.y()});
      }
      visits.add(v);
      previousExit = script.exitOf(group);
    }
    out.addAll(staff);
    return out;
  }

  /** One burst: when it starts and when each of its shoppers arrives, in order (scenario seconds). */
  record Burst(double start, List<Double> arrivals) {
    Burst {
      arrivals = List.copyOf(arrivals);
    }
  }

  /**
   * The bursts of a run starting in [{@code begin}, {@code end}]: the first at a random offset
   * within one period, then one every {@code everySeconds}; each brings Poisson({@code
   * meanShoppers}) arrivals uniform over its {@code withinSeconds}. Arrivals after {@code end}
   * are dropped, as background arrivals are. Drawn from a stream of their own, so that traffic
   * without bursts takes not one draw more from the traffic stream than it always did.
   */
  static List<Burst> bursts(GeneratedTraffic.Bursts b, long seed, double begin, double end) {
    Random r = Seeds.random(seed, "generated-bursts");
    double first = begin + r.nextDouble() * b.everySeconds();
    List<Burst> out = new ArrayList<>();
    for (int k = 0; first + k * b.everySeconds() <= end; k++) {
      double start = first + k * b.everySeconds();
      int n = poisson(r, b.meanShoppers());
      List<Double> arrivals = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double at = start + r.nextDouble() * b.withinSeconds();
        if (at <= end) {
          arrivals.add(at);
        }
      }
      arrivals.sort(null);
      out.add(new Burst(start, arrivals));
    }
    return out;
  }

  /**
   * Units put on a lane by staff, or a shopper's put-back on the lane that plans it, on the shelf
   * from {@code readyAt} (scenario seconds).
   */
  private record Restocked(double readyAt, String laneId, int units) {}

  /** Lanes restocked on one visit at the most. */
  private static final int RESTOCK_LANES = 6;

  /**
   * A member of staff who comes in at {@code at} and fills the lanes that have run to a quarter of
   * their capacity or less (at most {@link #RESTOCK_LANES}, the emptiest first) with half their
   * capacity each, walking from one to the next; null when no lane needs it. The units count for
   * takes of shoppers arriving after they are on the shelf.
   */
  private static ShopperScript restock(String token, double at, StoreConfig store, StoreGeometry geo,
      Map<String, Integer> stock, List<Restocked> restocked, Random sr) {
    List<StoreConfig.Lane> low = store.lanes().stream().filter(l -> stock.get(l.id()) <= l.capacity() / 4)
        .sorted(java.util.Comparator.comparingInt((StoreConfig.Lane l) -> stock.get(l.id())).thenComparing(StoreConfig.Lane::id))
        .limit(RESTOCK_LANES).toList();
    if (low.isEmpty()) {
      return null;
    }
    List<ScenarioAction> actions = new ArrayList<>();
    Position from = geo.entrance.position();
    double t = at;
    for (StoreConfig.Lane l : low) {
      int qty = Math.max(1, l.capacity() / 2);
      Position stand = geo.standingPoint(l.id());
      t = round(t + StoreGeometry.walkSeconds(from, stand) + Seeds.uniform(sr, 2, 5));
      ScenarioAction put = new ScenarioAction(t, ScenarioAction.Kind.PUT_BACK,
          List.of(new ScenarioAction.Part(l.id(), qty, Optional.empty())), Optional.empty(), 0, 0, Optional.empty(), 1,
          Origin.of(token));
      actions.add(put);
      restocked.add(new Restocked(t + ScenarioChecker.busySeconds(put) + 1.0, l.id(), qty));
      t += Math.max(ScenarioChecker.MIN_ACTION_GAP_SECONDS, ScenarioChecker.busySeconds(put) + 0.5);
      from = stand;
    }
    double exit = round(t + StoreGeometry.walkSeconds(from, geo.exit.position()) + Seeds.uniform(sr, 1, 3));
    return new ShopperScript(token, at, exit, actions, 1, Origin.of(token));
  }

  /**
   * Hands one held unit to another shopper inside at {@code free} (an earlier arrival, free for
   * the hand-off and staying a while after); false when there is none.
   */
  private static boolean tryHandOff(String token, double enter, double free, Position at, int member, StoreGeometry geo,
      Map<String, Integer> held, List<Visit> visits, List<ScenarioAction> actions, Random hr) {
    List<String> skus = held.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
    if (skus.isEmpty()) {
      return false;
    }
    double when = round(Math.max(free, enter + 5));
    double until = when + Person.HAND_OFF_SECONDS;
    List<Visit> candidates = visits.stream().filter(v -> v.enter + 5 <= when && v.exit >= until + 2
        && v.canMeet(when, at, geo)).toList();
    if (candidates.isEmpty()) {
      return false;
    }
    Visit to = candidates.get(hr.nextInt(candidates.size()));
    String sku = skus.get(hr.nextInt(skus.size()));
    actions.add(new ScenarioAction(when, ScenarioAction.Kind.GIVE, List.of(new ScenarioAction.Part("", 1, Optional.of(sku))),
        Optional.empty(), 0, 0, Optional.of(to.token), member, Origin.of(token)));
    to.busy.add(new double[] {when, when + ScenarioChecker.MIN_ACTION_GAP_SECONDS, at.x(), at.y()});
    held.merge(sku, -1, Integer::sum);
    return true;
  }

  /**
   * Which member of a group does an action at {@code stand} at {@code when}: a random one if it
   * can walk there in time, else the one who acted last (whose timeline the times follow).
   */
  private static int memberFor(int group, double when, Position stand, Position[] memberAt, double[] memberFree,
      int lastMember, Random hr) {
    if (group == 1) {
      return 1;
    }
    int m = 1 + hr.nextInt(group);
    return memberFree[m] + StoreGeometry.walkSeconds(memberAt[m], stand) + 0.5 <= when ? m : lastMember;
  }

  /** The lanes next to {@code lane} on its shelf. */
  private static List<StoreConfig.Lane> neighbours(StoreConfig store, StoreConfig.Lane lane) {
    List<StoreConfig.Lane> row = store.shelfOfLane(lane.id()).orElseThrow().lanes();
    int i = row.indexOf(lane);
    List<StoreConfig.Lane> out = new ArrayList<>();
    if (i > 0) {
      out.add(row.get(i - 1));
    }
    if (i >= 0 && i < row.size() - 1) {
      out.add(row.get(i + 1));
    }
    return out;
  }

  /** Millisecond resolution, so scripts print and compare cleanly. */
  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static int poisson(Random r, double mean) {
    if (mean <= 0) {
      return 0;
    }
    double l = Math.exp(-mean);
    int k = 0;
    double p = r.nextDouble();
    while (p > l) {
      k++;
      p *= r.nextDouble();
    }
    return k;
  }
}
