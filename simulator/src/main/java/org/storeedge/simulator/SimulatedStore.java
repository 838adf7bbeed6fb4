package org.storeedge.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Position;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.core.time.Scheduler;
import org.storeedge.core.time.VirtualScheduler;

/**
 * A whole store played on virtual time: shelves with their units (read through
 * {@link #driverFactory()}), shoppers walking in through a gate, taking and putting back items,
 * and walking out.
 *
 * <p>The run is planned in full when the store is built, from the scenario's seed alone: same
 * config and scenario, same readings, events and ground truth. {@link #start} schedules the plan
 * on the scheduler; everything then happens on the thread that drives that scheduler, and the
 * sinks are called on it.
 */
public final class SimulatedStore {
  /** Rate of presence observations while a shopper is in the store. */
  public static final Duration OBSERVATION_PERIOD = Duration.ofMillis(200);
  /** Default full scale of a simulated cell when the device does not say, grams. */
  public static final double DEFAULT_FULL_SCALE_GRAMS = 20_000;

  private static final Logger log = LoggerFactory.getLogger(SimulatedStore.class);
  private static final double POSITION_NOISE_METRES = 0.07;
  private static final long TAIL_NANOS = 5_000_000_000L;

  private final StoreConfig config;
  private final Scenario scenario;
  private final VirtualScheduler scheduler;
  private final StoreGeometry geometry;
  private final Instant start;
  private final long startNanos;
  private final long endNanos;
  private final Map<String, SimulatedLane> lanes = new LinkedHashMap<>();
  private final List<Visit> visits = new ArrayList<>();
  private final List<Step> steps = new ArrayList<>();
  private final GroundTruth truth;
  private final SimulatedShelfDriverFactory driverFactory;
  private boolean started;

  /** A shopper's planned visit and walk. */
  private record Visit(String token, String trackId, long enterNanos, long exitNanos, List<Waypoint> path) {}

  private record Waypoint(long nanos, Position at) {}

  /** One change to a lane's physics at a virtual instant. */
  private record Step(long nanos, Runnable action) {}

  /**
   * Plans the run. Throws IllegalArgumentException when the scenario does not fit the store
   * (what {@link ScenarioLoader} would have reported) or the store has no gates.
   */
  public SimulatedStore(StoreConfig config, Scenario scenario, VirtualScheduler scheduler) {
    this.config = config;
    this.scenario = scenario;
    this.scheduler = scheduler;
    if (config.gates().isEmpty()) {
      throw new IllegalArgumentException("store " + config.store().id() + " has no gates; the simulator needs one to let shoppers in");
    }
    this.geometry = new StoreGeometry(config);
    this.start = scenario.start().orElse(scheduler.instant());
    this.startNanos = nanosOf(start);
    List<ConfigProblem> problems = ScenarioChecker.check(scenario, config);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("scenario " + scenario.source() + " does not fit store "
          + config.store().id() + ":\n" + String.join("\n", problems.stream().map(ConfigProblem::toString).toList()));
    }
    buildLanes();
    List<ShopperScript> scripts = new ArrayList<>(scenario.shoppers());
    scenario.generated().ifPresent(g -> scripts.addAll(TrafficGenerator.generate(g, scenario.seed(), config, geometry, scenario.shoppers())));
    if (scenario.generated().isPresent()) {
      List<ConfigProblem> generatedProblems = ScenarioChecker.check(scripts, config);
      if (!generatedProblems.isEmpty()) {
        throw new IllegalStateException("generated traffic is inconsistent: " + generatedProblems);
      }
    }
    this.truth = plan(scripts);
    long lastExit = visits.stream().mapToLong(Visit::exitNanos).max().orElse(startNanos
        + scenario.generated().map(g -> Seeds.nanos(g.durationSeconds())).orElse(0L));
    this.endNanos = lastExit + TAIL_NANOS;
    this.driverFactory = new SimulatedShelfDriverFactory(this);
    log.info("simulated store {} planned: {} shoppers, {} shelf interactions, {} .. {}", config.store().id(),
        visits.size(), truth.actions().size(), start, endTime());
  }

  /** The factory for devices of type {@code simulated-shelf}; its drivers read this store's lanes. */
  private final java.util.Map<String, org.storeedge.core.device.ReadingStatus> laneFaults =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Makes the device of {@code laneId} fail: its readings come with {@code status} (not OK) until
   * {@link #healLane}. Safe from any thread.
   */
  public void failLane(String laneId, org.storeedge.core.device.ReadingStatus status) {
    if (status.ok()) {
      throw new IllegalArgumentException("a lane fails with a fault status (got: " + status + ")");
    }
    laneFaults.put(laneId, status);
  }

  /** Ends a fault set by {@link #failLane}. */
  public void healLane(String laneId) {
    laneFaults.remove(laneId);
  }

  /** The injected fault of a lane, or null. */
  org.storeedge.core.device.ReadingStatus laneFault(String laneId) {
    return laneFaults.get(laneId);
  }

  public DriverFactory driverFactory() {
    return driverFactory;
  }

  /**
   * Schedules the whole run on the scheduler: gate events, presence observations every 200 ms
   * while a shopper is inside, and the shelf interactions. Call once, at or before
   * {@link #startTime()} of virtual time; the sinks are called on the scheduler's thread.
   */
  public void start(Consumer<GateEvent> gateSink, Consumer<ShopperObservation> presenceSink) {
    if (started) {
      throw new IllegalStateException("simulated store already started");
    }
    long now = nanosOf(scheduler.instant());
    if (now > startNanos) {
      throw new IllegalStateException("the scheduler is at " + scheduler.instant() + ", after the scenario start " + start);
    }
    started = true;
    for (Step s : steps) {
      scheduler.schedule(Duration.ofNanos(s.nanos() - now), s.action());
    }
    for (Visit v : visits) {
      long enterMillis = Math.floorDiv(v.enterNanos(), 1_000_000L);
      long exitMillis = Math.floorDiv(v.exitNanos(), 1_000_000L);
      scheduler.schedule(Duration.ofNanos(v.enterNanos() - now), () -> gateSink.accept(
          new GateEvent(geometry.entrance.id(), GateEvent.Direction.ENTER, v.token(), enterMillis)));
      scheduler.schedule(Duration.ofNanos(v.exitNanos() - now), () -> gateSink.accept(
          new GateEvent(geometry.exit.id(), GateEvent.Direction.EXIT, v.token(), exitMillis)));
    }
    Random noise = Seeds.random(scenario.seed(), "presence");
    Deque<Visit> waiting = new ArrayDeque<>(visits);
    List<Visit> inside = new ArrayList<>();
    Scheduler.Cancellable[] ticker = new Scheduler.Cancellable[1];
    ticker[0] = scheduler.scheduleAtFixedRate(Duration.ofNanos(startNanos - now), OBSERVATION_PERIOD, () -> {
      long t = nanosOf(scheduler.instant());
      while (!waiting.isEmpty() && waiting.peekFirst().enterNanos() <= t) {
        inside.add(waiting.pollFirst());
      }
      for (Iterator<Visit> it = inside.iterator(); it.hasNext(); ) {
        Visit v = it.next();
        if (v.exitNanos() < t) {
          it.remove();
          continue;
        }
        Position p = positionAt(v.path(), t);
        presenceSink.accept(new ShopperObservation(v.trackId(), v.token(),
            p.x() + noise.nextGaussian() * POSITION_NOISE_METRES, p.y() + noise.nextGaussian() * POSITION_NOISE_METRES,
            Math.floorDiv(t, 1_000_000L)));
      }
      if (t >= endNanos) {
        ticker[0].cancel();
      }
    });
  }

  /** What really happens in this run; complete from construction on. */
  public GroundTruth groundTruth() {
    return truth;
  }

  /** Virtual instant of scenario time 0. */
  public Instant startTime() {
    return start;
  }

  /** Last exit plus 5 s: run the scheduler until here to play the whole scenario. */
  public Instant endTime() {
    return Instant.ofEpochSecond(0, endNanos);
  }

  public StoreConfig config() {
    return config;
  }

  /** The scenario's seed: every random stream of the run derives from it. */
  public long scenarioSeed() {
    return scenario.seed();
  }

  /** Where a shopper stands to reach {@code laneId}, metres. */
  Position standingPoint(String laneId) {
    return geometry.standingPoint(laneId);
  }

  /**
   * True floor positions (metres, without the presence noise) of the shoppers inside the store
   * at {@code t}, by track id, in order of entry. Pure: reads the plan only, callable from any
   * thread and for any instant (the simulated cameras render from it).
   */
  public Map<String, Position> shopperPositionsAt(Instant t) {
    long n = nanosOf(t);
    Map<String, Position> out = new LinkedHashMap<>();
    for (Visit v : visits) {
      if (v.enterNanos() <= n && n <= v.exitNanos()) {
        out.put(v.trackId(), positionAt(v.path(), n));
      }
    }
    return out;
  }

  /** The lane model, for the driver factory. */
  SimulatedLane lane(String laneId) {
    return lanes.get(laneId);
  }

  /** Id of the next unit made (lanes' initial stock, then restocks). */
  private int nextUnitId = 1;

  private void buildLanes() {
    Random weights = Seeds.random(scenario.seed(), "unit-weights");
    for (StoreConfig.Shelf shelf : config.shelves()) {
      double fullScale = config.device(shelf.device()).map(d -> SimulatedShelfDriverFactory.fullScaleOf(d, config))
          .orElse(DEFAULT_FULL_SCALE_GRAMS);
      for (StoreConfig.Lane l : shelf.lanes()) {
        StoreConfig.Product p = config.product(l.sku())
            .orElseThrow(() -> new IllegalArgumentException("lane " + l.id() + " plans unknown sku " + l.sku()));
        List<SimulatedLane.Unit> units = new ArrayList<>();
        for (int i = 0; i < l.initialStock(); i++) {
          units.add(new SimulatedLane.Unit(nextUnitId++, p.sku(), drawWeight(weights, p)));
        }
        lanes.put(l.id(), new SimulatedLane(l.id(), units, scenario.noise(), fullScale, Seeds.random(scenario.seed(), "lane/" + l.id())));
      }
    }
  }

  static double drawWeight(Random r, StoreConfig.Product p) {
    // a unit never weighs less than a tenth of the mean, whatever the spread
    return Math.max(0.1 * p.unitWeightGrams(), p.unitWeightGrams() + r.nextGaussian() * p.weightSpreadGrams());
  }

  /** Where one person stands over [on, off] (epoch nanos); see {@link #paths}. */
  private static final class Stand {
    final Person who;
    final long on;
    final long off;
    Position nominal;        // null for a hand-off: the giver's place, found when paths are planned
    double[] axes;           // along the shelf, away from it
    final Person giver;      // a hand-off: whose place both meet at
    final boolean hand;      // false for a group member only walking along, or one browsing
    final String lane;       // the lane it stands at (null for a hand-off)
    final List<Position> reaches; // the lanes its hand goes into, where it must stay within reach of
    boolean passing;         // its hand goes in as it walks along the shelf (ScenarioAction#passing)
    double back;             // passing: how far it walks along the shelf either side of `at`
    double ahead;            //   with its hand in (minus and plus the along axis), metres
    Position at;             // resolved: where it really stands (passing: the middle of its walk along)
    long arrive;
    long leave;

    Stand(Person who, long on, long off, Position nominal, double[] axes, Person giver, boolean hand, String lane) {
      this(who, on, off, nominal, axes, giver, hand, lane, List.of());
    }

    Stand(Person who, long on, long off, Position nominal, double[] axes, Person giver, boolean hand, String lane,
        List<Position> reaches) {
      this.who = who;
      this.on = on;
      this.off = off;
      this.nominal = nominal;
      this.axes = axes;
      this.giver = giver;
      this.hand = hand;
      this.lane = lane;
      this.reaches = List.copyOf(reaches);
    }
  }

  /** Where a shopper stands to do {@code a} at the shelf, its hand in {@code a}'s lanes. */
  private Stand atShelf(Person person, long on, long off, ScenarioAction a) {
    List<Position> reaches = a.parts().stream().map(p -> config.lane(p.laneId()).orElseThrow().position()).toList();
    Stand st = new Stand(person, on, off, geometry.standFor(a), geometry.axes(StoreGeometry.standingLane(a)), null, true,
        StoreGeometry.standingLane(a), reaches);
    st.passing = a.passing();
    return st;
  }

  /**
   * Where a shopper taking in passing is when its hand goes in and when it comes out: the ends of
   * its way along the shelf past {@code st.at} ({@code st.back} and {@code st.ahead} either side of
   * it along the shelf), walked in the direction from {@code from} towards {@code to}.
   */
  private static Position[] passingEnds(Stand st, Position from, Position to) {
    Position minus = new Position(st.at.x() - st.back * st.axes[0], st.at.y() - st.back * st.axes[1]);
    Position plus = new Position(st.at.x() + st.ahead * st.axes[0], st.at.y() + st.ahead * st.axes[1]);
    double way = (to.x() - from.x()) * st.axes[0] + (to.y() - from.y()) * st.axes[1];
    return way < 0 ? new Position[] {plus, minus} : new Position[] {minus, plus};
  }

  /**
   * How far either side of its place (along the shelf, {@code {back, ahead}}) a shopper taking in
   * passing walks while its hand is in: {@link #PASSING_PACE_FRACTION} of its pace over that time
   * in all, each side growing in turn as far as an arm still reaches the lane from its end and it
   * comes no closer than {@link #MIN_SEPARATION_METRES} to anyone standing there (past a shopper
   * at the shelf it walks on the side away from it, beside two it all but stops).
   */
  private static double[] passingWay(Stand st, double pace, List<Position> near) {
    double length = PASSING_PACE_FRACTION * pace * (st.off - st.on) / 1e9;
    double[] side = {0, 0};
    boolean[] blocked = {false, false};
    double step = 0.05;
    for (int k = 0; side[0] + side[1] + step <= length + 1e-9 && !(blocked[0] && blocked[1]); k++) {
      int i = blocked[k % 2] ? 1 - k % 2 : k % 2;
      double d = (i == 0 ? -1 : 1) * (side[i] + step);
      Position end = new Position(st.at.x() + d * st.axes[0], st.at.y() + d * st.axes[1]);
      boolean reach = st.reaches.stream().allMatch(l -> l.distanceTo(end) <= PASSING_REACH_METRES);
      boolean clear = near.stream().allMatch(o -> toSegment(o, st.at, end)
          >= Math.min(MIN_SEPARATION_METRES, o.distanceTo(st.at)) - 1e-9);
      if (reach && clear) {
        side[i] += step;
      } else {
        blocked[i] = true;
      }
    }
    return side;
  }

  private static double toSegment(Position p, Position a, Position b) {
    double dx = b.x() - a.x();
    double dy = b.y() - a.y();
    double len2 = dx * dx + dy * dy;
    double f = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((p.x() - a.x()) * dx + (p.y() - a.y()) * dy) / len2));
    return Math.hypot(p.x() - (a.x() + f * dx), p.y() - (a.y() + f * dy));
  }

  /** A shopper taking in passing slows to this share of its pace while its hand is in the shelf. */
  static final double PASSING_PACE_FRACTION = 0.5;
  /** Farthest from a lane a passing shopper's body is while its hand is in it, metres (within {@link StoreGeometry#MAX_REACH_METRES}). */
  private static final double PASSING_REACH_METRES = 0.95;

  /** Default orientation where no shelf says otherwise: x along, y away. */
  private static final double[] PLAIN_AXES = {1, 0, 0, 1};
  /**
   * Shortest wait between a shopper's shelf actions that it spends browsing a step back from the
   * shelf rather than in front of it, seconds: a few seconds' pause happens at the shelf, a long
   * read of a book or a label does not block it.
   */
  static final double BROWSE_MIN_SECONDS = 20;
  /** How long before its hand goes in a shopper back from browsing stands in front of the shelf, seconds (uniform). */
  private static final double[] BROWSE_LOOK_SECONDS = {2, 5};
  /** Time on top of walking pace for stepping back from a shelf or up to it, seconds. */
  private static final double STEP_SLACK_SECONDS = 0.5;
  /** Two people standing side by side keep at least this much between their centres, metres. */
  static final double MIN_SEPARATION_METRES = 0.5;
  /**
   * Where a shopper stands when its place is taken, relative to it, (along the shelf, away from
   * it) in metres: beside, then half a step back and beside, then further along. The first
   * offset keeping {@link #MIN_SEPARATION_METRES} from everyone standing there at the same time
   * wins.
   */
  private static final double[][] OFFSETS = {{0, 0}, {0.55, 0}, {-0.55, 0}, {0.3, 0.45}, {-0.3, 0.45}, {0, 0.6},
      {1.1, 0}, {-1.1, 0}, {0.85, 0.5}, {-0.85, 0.5}, {0.55, 0.95}, {-0.55, 0.95}, {0, 1.2}};

  /**
   * Plans every interaction in time order over the actual units, then every person's walk;
   * returns the ground truth.
   */
  private GroundTruth plan(List<ShopperScript> scripts) {
    Random r = Seeds.random(scenario.seed(), "interactions");
    List<Person> people = Person.expand(scripts);
    Map<Person, String> trackOf = new LinkedHashMap<>();
    Map<String, Person> byMember = new HashMap<>();
    for (int i = 0; i < people.size(); i++) {
      trackOf.put(people.get(i), "trk-" + (i + 1));
      byMember.put(people.get(i).scriptIndex() + "/" + people.get(i).number(), people.get(i));
    }
    Map<String, List<SimulatedLane.Unit>> shelfUnits = new HashMap<>();
    lanes.forEach((id, lane) -> shelfUnits.put(id, new ArrayList<>(lane.units())));
    Map<String, Long> lastMove = new HashMap<>();
    Map<String, List<SimulatedLane.Unit>> holdings = new HashMap<>();
    Map<String, List<GroundTruth.Action>> actionsByVisit = new HashMap<>();
    List<GroundTruth.HandOff> handOffs = new ArrayList<>();
    Map<Person, List<Stand>> stands = new LinkedHashMap<>();
    people.forEach(p -> stands.put(p, new ArrayList<>()));
    record Pending(int shopper, int index, ShopperScript who, ScenarioAction a) {}
    List<Pending> all = new ArrayList<>();
    for (int s = 0; s < scripts.size(); s++) {
      List<ScenarioAction> sorted = scripts.get(s).actions().stream().sorted(Comparator.comparingDouble(ScenarioAction::at)).toList();
      for (int i = 0; i < sorted.size(); i++) {
        all.add(new Pending(s, i, scripts.get(s), sorted.get(i)));
      }
    }
    all.sort(Comparator.comparingDouble((Pending p) -> p.a().at()).thenComparingInt(Pending::shopper).thenComparingInt(Pending::index));
    double hand = scenario.noise().handTransientGrams();
    Random restock = Seeds.random(scenario.seed(), "restock");
    for (Pending p : all) {
      ScenarioAction a = p.a();
      String token = p.who().token();
      Person person = byMember.get(p.shopper() + "/" + a.member());
      String track = trackOf.get(person);
      long on = startNanos + Seeds.nanos(a.at());
      // what a shopper holds is per visit: one who left and came back has paid for the rest
      List<SimulatedLane.Unit> held = holdings.computeIfAbsent(person.visitKey(), k -> new ArrayList<>());
      List<GroundTruth.Action> acts = actionsByVisit.computeIfAbsent(person.visitKey(), k -> new ArrayList<>());
      switch (a.kind()) {
        case TAKE, PUT_BACK -> {
          boolean take = a.kind() == ScenarioAction.Kind.TAKE;
          int k = a.parts().size();
          long[] ons = new long[k];
          long[] moves = new long[k];
          long off;
          if (k == 1) {
            ons[0] = on;
            moves[0] = Math.max(on + Seeds.nanos(Seeds.uniform(r, 0.6, 1.8)), lastMove.getOrDefault(a.laneId(), Long.MIN_VALUE) + 50_000_000L);
            off = moves[0] + Seeds.nanos(Seeds.uniform(r, 0.3, 1.0));
          } else {
            // one hand over several lanes: it touches them one after the other, the items move in turn
            long m = on + Seeds.nanos(Seeds.uniform(r, 0.6, 1.2));
            long latest = 0;
            for (int j = 0; j < k; j++) {
              ons[j] = j == 0 ? on : ons[j - 1] + Seeds.nanos(Seeds.uniform(r, 0.05, 0.25));
              if (j > 0) {
                m += Seeds.nanos(Seeds.uniform(r, 0.2, 0.45));
              }
              moves[j] = Math.max(Math.max(m, ons[j] + 200_000_000L), lastMove.getOrDefault(a.parts().get(j).laneId(), Long.MIN_VALUE) + 50_000_000L);
              latest = Math.max(latest, moves[j]);
            }
            off = latest + Seeds.nanos(Seeds.uniform(r, 0.3, 0.8));
          }
          for (int j = 0; j < k; j++) {
            ScenarioAction.Part part = a.parts().get(j);
            StoreConfig.Lane laneConfig = config.lane(part.laneId()).orElseThrow();
            String sku = part.sku().orElse(laneConfig.sku());
            SimulatedLane lane = lanes.get(part.laneId());
            long move = moves[j];
            lastMove.put(part.laneId(), move);
            List<SimulatedLane.Unit> moved = new ArrayList<>();
            List<SimulatedLane.Unit> onShelf = shelfUnits.get(part.laneId());
            if (take) {
              List<SimulatedLane.Unit> candidates = new ArrayList<>(onShelf.stream().filter(u -> u.sku().equals(sku)).toList());
              Collections.shuffle(candidates, r);
              if (candidates.size() < part.qty()) {
                throw new IllegalStateException("lane " + part.laneId() + " holds " + candidates.size() + " x " + sku + ", cannot take " + part.qty());
              }
              moved.addAll(candidates.subList(0, part.qty()));
              onShelf.removeAll(moved);
              held.addAll(moved);
            } else {
              for (int i = held.size() - 1; i >= 0 && moved.size() < part.qty(); i--) {
                if (held.get(i).sku().equals(sku)) {
                  moved.add(held.get(i));
                }
              }
              if (moved.size() < part.qty() && config.checkout().isStaff(token)) {
                // a member of staff restocks: new units from the store room
                StoreConfig.Product product = config.product(sku).orElseThrow();
                while (moved.size() < part.qty()) {
                  moved.add(new SimulatedLane.Unit(nextUnitId++, sku, drawWeight(restock, product)));
                }
              }
              if (moved.size() < part.qty()) {
                throw new IllegalStateException("shopper " + token + " holds " + moved.size() + " x " + sku + ", cannot put back " + part.qty());
              }
              held.removeAll(moved);
              onShelf.addAll(moved);
            }
            HandTransient h = HandTransient.draw(r, ons[j], off, hand);
            List<SimulatedLane.Unit> units = List.copyOf(moved);
            steps.add(new Step(ons[j], () -> lane.handOn(h)));
            steps.add(new Step(move, take ? () -> lane.remove(units, move) : () -> lane.place(units, move)));
            steps.add(new Step(off, () -> lane.handOff(h)));
            acts.add(new GroundTruth.Action(token, track, part.laneId(), sku, take ? -part.qty() : part.qty(),
                take ? GroundTruth.Kind.TAKE : GroundTruth.Kind.PUT_BACK, instant(ons[j]), instant(move), instant(off),
                units.stream().map(SimulatedLane.Unit::grams).toList(), StoreGeometry.standingLane(a)));
          }
          stands.get(person).add(atShelf(person, on, off, a));
          if (scenario.noise().touchProbability() > 0 && r.nextDouble() < scenario.noise().touchProbability()) {
            StoreConfig.Lane laneConfig = config.lane(a.laneId()).orElseThrow();
            StoreConfig.Shelf shelf = config.shelfOfLane(a.laneId()).orElseThrow();
            List<StoreConfig.Lane> others = shelf.lanes().stream().filter(l -> !l.id().equals(a.laneId())).toList();
            StoreConfig.Lane touched = others.isEmpty() ? laneConfig : others.get(r.nextInt(others.size()));
            long tOn = off + Seeds.nanos(Seeds.uniform(r, 0.1, 0.4));
            long tOff = tOn + Seeds.nanos(Seeds.uniform(r, 0.5, 1.5));
            HandTransient th = HandTransient.draw(r, tOn, tOff, hand);
            SimulatedLane tl = lanes.get(touched.id());
            steps.add(new Step(tOn, () -> tl.handOn(th)));
            steps.add(new Step(tOff, () -> tl.handOff(th)));
            acts.add(new GroundTruth.Action(token, track, touched.id(), touched.sku(), 0, GroundTruth.Kind.TOUCH,
                instant(tOn), instant(tOn), instant(tOff), List.of(), StoreGeometry.standingLane(a)));
          }
        }
        case LEAN, SET_DOWN -> {
          long off = on + Seeds.nanos(a.seconds());
          HandTransient h = a.kind() == ScenarioAction.Kind.LEAN ? HandTransient.lean(r, on, off, a.grams())
              : HandTransient.still(r, on, off, a.grams());
          SimulatedLane lane = lanes.get(a.laneId());
          steps.add(new Step(on, () -> lane.handOn(h)));
          steps.add(new Step(off, () -> lane.handOff(h)));
          acts.add(new GroundTruth.Action(token, track, a.laneId(), config.lane(a.laneId()).orElseThrow().sku(), 0,
              GroundTruth.Kind.TOUCH, instant(on), instant(on), instant(off), List.of(), StoreGeometry.standingLane(a)));
          stands.get(person).add(atShelf(person, on, off, a));
        }
        case BROWSE -> {
          // stands in front of the lane, looking: no hand in the shelf, nothing on the lanes
          long off = on + Seeds.nanos(a.seconds());
          String lane = StoreGeometry.standingLane(a);
          stands.get(person).add(new Stand(person, on, off, geometry.standFor(a), geometry.axes(lane), null, false, lane,
              List.of(config.lane(a.laneId()).orElseThrow().position())));
        }
        case GIVE -> {
          String sku = a.sku().orElseThrow();
          Person receiver = Person.receiver(people, a.to().orElseThrow(), a.at())
              .orElseThrow(() -> new IllegalStateException("no receiver " + a.to().get() + " inside at " + a.at()));
          List<SimulatedLane.Unit> moved = new ArrayList<>();
          for (int i = held.size() - 1; i >= 0 && moved.size() < a.qty(); i--) {
            if (held.get(i).sku().equals(sku)) {
              moved.add(held.get(i));
            }
          }
          if (moved.size() < a.qty()) {
            throw new IllegalStateException("shopper " + token + " holds " + moved.size() + " x " + sku + ", cannot give " + a.qty());
          }
          held.removeAll(moved);
          holdings.computeIfAbsent(receiver.visitKey(), k -> new ArrayList<>()).addAll(moved);
          handOffs.add(new GroundTruth.HandOff(token, track, receiver.token(), trackOf.get(receiver), sku, a.qty(), instant(on),
              moved.stream().map(SimulatedLane.Unit::grams).toList()));
          long off = on + Seeds.nanos(Person.HAND_OFF_SECONDS);
          stands.get(person).add(new Stand(person, on, off, null, null, person, true, null));
          stands.get(receiver).add(new Stand(receiver, on, off, null, null, person, true, null));
        }
        default -> throw new IllegalStateException("unknown action kind " + a.kind());
      }
    }
    steps.sort(Comparator.comparingLong(Step::nanos)); // stable: equal instants keep plan order
    paths(people, trackOf, stands);
    Map<String, List<Person>> byVisit = new LinkedHashMap<>();
    people.forEach(p -> byVisit.computeIfAbsent(p.visitKey(), k -> new ArrayList<>()).add(p));
    List<GroundTruth.Shopper> shoppers = new ArrayList<>();
    byVisit.forEach((visit, members) -> {
      String token = members.get(0).token();
      List<GroundTruth.Action> acts = actionsByVisit.getOrDefault(visit, List.of()).stream()
          .sorted(Comparator.comparing(GroundTruth.Action::handOn)).toList();
      List<GroundTruth.Member> ms = members.stream().map(m -> new GroundTruth.Member(trackOf.get(m),
          instant(startNanos + Seeds.nanos(m.enter())), instant(startNanos + Seeds.nanos(m.exit())))).toList();
      Instant exited = ms.stream().map(GroundTruth.Member::exitedAt).max(Comparator.naturalOrder()).orElseThrow();
      Set<String> tracks = ms.stream().map(GroundTruth.Member::trackId).collect(Collectors.toSet());
      shoppers.add(new GroundTruth.Shopper(token, ms.get(0).trackId(), ms.get(0).enteredAt(), exited,
          config.checkout().isStaff(token) ? new TreeMap<>() : GroundTruth.cartOf(acts, handOffs, tracks), acts, ms,
          config.checkout().isStaff(token), members.get(0).visit()));
    });
    return new GroundTruth(shoppers, handOffs);
  }

  /**
   * Every person's walk: gate, then each place it stands from shortly before its hand reaches a
   * shelf (or it meets someone) until it is done, then the exit gate. Between two shelf actions
   * far apart it browses a step back from the shelf it last used (see {@link #BROWSE_MIN_SECONDS}).
   * A group member without
   * actions of its own walks along with the first member of its group who has some. When
   * several people would stand on the same spot at the same time, the later arrival stands beside
   * (see {@link #OFFSETS}).
   */
  private void paths(List<Person> people, Map<Person, String> trackOf, Map<Person, List<Stand>> stands) {
    Random walk = Seeds.random(scenario.seed(), "walk");
    Random browse = Seeds.random(scenario.seed(), "browse");
    // companions: a member with nothing to do follows its group
    for (Person p : people) {
      if (!stands.get(p).isEmpty()) {
        continue;
      }
      long enter = startNanos + Seeds.nanos(p.enter());
      long exit = startNanos + Seeds.nanos(p.exit());
      people.stream().filter(o -> o != p && o.visitKey().equals(p.visitKey()) && stands.get(o).stream().anyMatch(st -> st.hand))
          .findFirst().ifPresent(leader -> {
            for (Stand st : stands.get(leader)) {
              if (st.hand && st.on >= enter && st.off <= exit) {
                stands.get(p).add(new Stand(p, st.on, st.off, st.nominal, st.axes, st.giver, false, st.lane));
              }
            }
          });
    }
    // times first (they do not depend on where exactly a person stands)
    List<Stand> ordered = new ArrayList<>();
    for (Person p : people) {
      List<Stand> list = stands.get(p);
      list.sort(Comparator.comparingLong(st -> st.on));
      long prev = startNanos + Seeds.nanos(p.enter());
      Stand last = null;
      Position lastAt = geometry.entrance.position();
      double pace = p.script().pace();
      for (ListIterator<Stand> it = list.listIterator(); it.hasNext(); ) {
        Stand st = it.next();
        if (last != null && st.on < last.leave) {
          // during its own lean: it stays where it leans
          last.leave = Math.max(last.leave, st.off);
          prev = last.leave;
          it.remove();
          continue;
        }
        long lead = Math.min(Seeds.nanos(Seeds.uniform(walk, 0.6, 1.2)), Math.max(0, (st.on - prev) / 2));
        st.arrive = Math.max(prev, st.on - lead);
        if (st.nominal != null) {
          // walk there at walking pace, then stand (look around) in front of the shelf until the
          // hand goes in: people do not drift across the store at a tenth of walking pace
          long walkTo = prev + Seeds.nanos(StoreGeometry.walkSeconds(lastAt, st.nominal, pace));
          st.arrive = Math.max(prev, Math.min(st.arrive, walkTo));
          if (last != null && last.lane != null) {
            // a long wait after its last shelf: it steps back from that shelf and browses there
            // (reads what it took) rather than keeping a spot in front of the shelf for minutes,
            // and comes to its next place a few seconds before its hand goes in (in passing: as
            // its hand goes in)
            long lookFrom = st.on - Math.max(lead, Seeds.nanos(Seeds.uniform(browse, BROWSE_LOOK_SECONDS[0], BROWSE_LOOK_SECONDS[1])));
            Stand b = browsing(p, last, prev, st.passing ? st.on : lookFrom, st.nominal, pace);
            if (b != null) {
              it.previous();
              it.add(b);
              it.next();
              st.arrive = lookFrom;
            }
          }
          if (st.passing) {
            // no stop in front of the shelf: it waits where it was and walks up as its hand goes in
            st.arrive = Math.max(prev, st.on);
          }
        }
        if (st.nominal != null) {
          lastAt = st.nominal;
        }
        st.leave = Math.max(st.arrive, st.off);
        prev = st.leave;
        last = st;
      }
      ordered.addAll(list);
    }
    // then places, in order of arrival; a hand-off meets where the giver last stood
    Position lobby = geometry.lobby();
    ordered.sort(Comparator.comparingLong(st -> st.arrive));
    List<Stand> placed = new ArrayList<>();
    for (Stand st : ordered) {
      if (st.nominal == null) {
        Stand before = stands.get(st.giver).stream().filter(o -> o.nominal != null && o.giver == null && o.on < st.on)
            .reduce((x, y) -> y).orElse(null);
        st.nominal = before == null ? lobby : before.nominal;
        st.axes = before == null ? PLAIN_AXES : before.axes;
      }
      st.at = place(st, placed);
      if (st.passing) {
        double[] way = passingWay(st, st.who.script().pace(), near(st, placed));
        st.back = way[0];
        st.ahead = way[1];
      }
      placed.add(st);
    }
    for (Person p : people) {
      long enter = startNanos + Seeds.nanos(p.enter());
      long exit = startNanos + Seeds.nanos(p.exit());
      List<Waypoint> path = new ArrayList<>();
      path.add(new Waypoint(enter, geometry.entrance.position()));
      long prev = enter;
      double pace = p.script().pace();
      List<Stand> list = stands.get(p);
      for (int i = 0; i < list.size(); i++) {
        Stand st = list.get(i);
        if (st.passing) {
          // it stays where it was until it is time to walk up, then walks along the shelf as its
          // hand goes in and out, on towards its next place
          Position lastPlace = path.get(path.size() - 1).at();
          Position next = i + 1 < list.size() ? list.get(i + 1).at : geometry.exit.position();
          Position[] ends = passingEnds(st, lastPlace, next);
          long setOff = st.arrive - Seeds.nanos(StoreGeometry.walkSeconds(lastPlace, ends[0], pace));
          if (setOff > prev) {
            path.add(new Waypoint(setOff, lastPlace));
          }
          path.add(new Waypoint(st.arrive, ends[0]));
          path.add(new Waypoint(st.leave, ends[1]));
        } else {
          path.add(new Waypoint(st.arrive, st.at));
          path.add(new Waypoint(st.leave, st.at));
        }
        prev = st.leave;
      }
      // stay at the last place until it is time to walk out (after a take in passing: walk on, and
      // wait by the exit)
      Position lastPlace = path.get(path.size() - 1).at();
      long walkOut = Seeds.nanos(StoreGeometry.walkSeconds(lastPlace, geometry.exit.position(), pace));
      if (!list.isEmpty() && list.get(list.size() - 1).passing) {
        if (prev + walkOut < exit) {
          path.add(new Waypoint(prev + walkOut, geometry.exit.position()));
        }
      } else if (path.size() > 1 && exit - walkOut > prev) {
        path.add(new Waypoint(exit - walkOut, lastPlace));
      }
      path.add(new Waypoint(Math.max(exit, prev), geometry.exit.position()));
      visits.add(new Visit(p.token(), trackOf.get(p), enter, exit, path));
    }
    visits.sort(Comparator.comparingLong(Visit::enterNanos));
  }

  /**
   * The stand of {@code who} browsing a step back from the lane of {@code after} (see
   * {@link StoreGeometry#browsingPoint}) from when it is done there ({@code from}) until it walks
   * to {@code next}, to be there at {@code until}; null when that leaves less than
   * {@link #BROWSE_MIN_SECONDS} to browse.
   */
  private Stand browsing(Person who, Stand after, long from, long until, Position next, double pace) {
    Position at = geometry.browsingPoint(after.lane);
    long arrive = from + Seeds.nanos(StoreGeometry.walkSeconds(after.nominal, at, pace) + STEP_SLACK_SECONDS);
    long leave = until - Seeds.nanos(StoreGeometry.walkSeconds(at, next, pace) + STEP_SLACK_SECONDS);
    if (leave - arrive < Seeds.nanos(BROWSE_MIN_SECONDS)) {
      return null;
    }
    Stand b = new Stand(who, arrive, leave, at, after.axes, null, false, after.lane);
    b.arrive = arrive;
    b.leave = leave;
    return b;
  }

  /** The first offset from the stand's nominal place that keeps clear of everyone else there at the same time. */
  private static Position place(Stand st, List<Stand> placed) {
    List<Position> near = near(st, placed);
    Position best = st.nominal;
    double bestClearance = -1;
    for (double[] off : OFFSETS) {
      Position c = new Position(st.nominal.x() + off[0] * st.axes[0] + off[1] * st.axes[2],
          st.nominal.y() + off[0] * st.axes[1] + off[1] * st.axes[3]);
      // a hand in a shelf reaches its lanes from where it stands: in a crowd it squeezes in rather
      // than taking from farther than an arm reaches (a reach past a neighbour's lane starts from
      // that lane's spot: stepping aside from there must not take it out of reach)
      if (st.reaches.stream().anyMatch(l -> l.distanceTo(c) > StoreGeometry.MAX_REACH_METRES + 1e-9)) {
        continue;
      }
      double clearance = near.stream().mapToDouble(c::distanceTo).min().orElse(Double.POSITIVE_INFINITY);
      if (clearance >= MIN_SEPARATION_METRES) {
        return c;
      }
      if (clearance > bestClearance) {
        bestClearance = clearance;
        best = c;
      }
    }
    return best;
  }

  /**
   * Where the others placed so far are while {@code st} is at its place (a shopper passing by: its
   * place and both ends of its way along the shelf).
   */
  private static List<Position> near(Stand st, List<Stand> placed) {
    long margin = 300_000_000L;
    List<Position> near = new ArrayList<>();
    for (Stand o : placed) {
      // nobody stands in its own way: one place after another at the same shelf is the same spot
      if (o.who != st.who && o.arrive < st.leave + margin && st.arrive < o.leave + margin) {
        near.add(o.at);
        if (o.passing) {
          near.addAll(List.of(passingEnds(o, o.at, o.at)));
        }
      }
    }
    return near;
  }

  private static Position positionAt(List<Waypoint> path, long t) {
    if (t <= path.get(0).nanos()) {
      return path.get(0).at();
    }
    for (int i = 1; i < path.size(); i++) {
      Waypoint b = path.get(i);
      if (t <= b.nanos()) {
        Waypoint a = path.get(i - 1);
        double f = b.nanos() == a.nanos() ? 1 : (double) (t - a.nanos()) / (b.nanos() - a.nanos());
        return new Position(a.at().x() + f * (b.at().x() - a.at().x()), a.at().y() + f * (b.at().y() - a.at().y()));
      }
    }
    return path.get(path.size() - 1).at();
  }

  /** Epoch nanoseconds of {@code i}. */
  static long nanosOf(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }
}
