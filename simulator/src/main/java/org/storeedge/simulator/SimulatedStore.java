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
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
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
    scripts.sort(Comparator.comparingDouble(ShopperScript::enterAt));
    this.truth = plan(scripts);
    long lastExit = visits.stream().mapToLong(Visit::exitNanos).max().orElse(startNanos
        + scenario.generated().map(g -> Seeds.nanos(g.durationSeconds())).orElse(0L));
    this.endNanos = lastExit + TAIL_NANOS;
    this.driverFactory = new SimulatedShelfDriverFactory(this);
    log.info("simulated store {} planned: {} shoppers, {} shelf interactions, {} .. {}", config.store().id(),
        visits.size(), truth.actions().size(), start, endTime());
  }

  /** The factory for devices of type {@code simulated-shelf}; its drivers read this store's lanes. */
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

  /** The lane model, for the driver factory. */
  SimulatedLane lane(String laneId) {
    return lanes.get(laneId);
  }

  private void buildLanes() {
    Random weights = Seeds.random(scenario.seed(), "unit-weights");
    int nextId = 1;
    for (StoreConfig.Shelf shelf : config.shelves()) {
      double fullScale = fullScaleOf(shelf.device());
      for (StoreConfig.Lane l : shelf.lanes()) {
        StoreConfig.Product p = config.product(l.sku())
            .orElseThrow(() -> new IllegalArgumentException("lane " + l.id() + " plans unknown sku " + l.sku()));
        List<SimulatedLane.Unit> units = new ArrayList<>();
        for (int i = 0; i < l.initialStock(); i++) {
          units.add(new SimulatedLane.Unit(nextId++, p.sku(), drawWeight(weights, p)));
        }
        lanes.put(l.id(), new SimulatedLane(l.id(), units, scenario.noise(), fullScale, Seeds.random(scenario.seed(), "lane/" + l.id())));
      }
    }
  }

  private double fullScaleOf(String deviceId) {
    return config.device(deviceId).flatMap(d -> d.settings().get("fullScaleGrams"))
        .filter(Number.class::isInstance).map(n -> ((Number) n).doubleValue()).filter(v -> v > 0)
        .orElse(DEFAULT_FULL_SCALE_GRAMS);
  }

  static double drawWeight(Random r, StoreConfig.Product p) {
    // a unit never weighs less than a tenth of the mean, whatever the spread
    return Math.max(0.1 * p.unitWeightGrams(), p.unitWeightGrams() + r.nextGaussian() * p.weightSpreadGrams());
  }

  /** Plans every interaction in time order over the actual units; returns the ground truth. */
  private GroundTruth plan(List<ShopperScript> scripts) {
    Random r = Seeds.random(scenario.seed(), "interactions");
    Map<String, List<SimulatedLane.Unit>> shelfUnits = new HashMap<>();
    lanes.forEach((id, lane) -> shelfUnits.put(id, new ArrayList<>(lane.units())));
    Map<String, Long> lastMove = new HashMap<>();
    Map<String, List<SimulatedLane.Unit>> holdings = new HashMap<>();
    Map<String, List<GroundTruth.Action>> actionsByToken = new HashMap<>();
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
    for (Pending p : all) {
      ScenarioAction a = p.a();
      StoreConfig.Lane laneConfig = config.lane(a.laneId()).orElseThrow();
      String sku = a.sku().orElse(laneConfig.sku());
      SimulatedLane lane = lanes.get(a.laneId());
      long on = startNanos + Seeds.nanos(a.at());
      long move = Math.max(on + Seeds.nanos(Seeds.uniform(r, 0.6, 1.8)), lastMove.getOrDefault(a.laneId(), Long.MIN_VALUE) + 50_000_000L);
      long off = move + Seeds.nanos(Seeds.uniform(r, 0.3, 1.0));
      lastMove.put(a.laneId(), move);
      List<SimulatedLane.Unit> moved = new ArrayList<>();
      List<SimulatedLane.Unit> held = holdings.computeIfAbsent(p.who().token(), k -> new ArrayList<>());
      List<SimulatedLane.Unit> onShelf = shelfUnits.get(a.laneId());
      if (a.kind() == ScenarioAction.Kind.TAKE) {
        List<SimulatedLane.Unit> candidates = new ArrayList<>(onShelf.stream().filter(u -> u.sku().equals(sku)).toList());
        Collections.shuffle(candidates, r);
        if (candidates.size() < a.qty()) {
          throw new IllegalStateException("lane " + a.laneId() + " holds " + candidates.size() + " x " + sku + ", cannot take " + a.qty());
        }
        moved.addAll(candidates.subList(0, a.qty()));
        onShelf.removeAll(moved);
        held.addAll(moved);
      } else {
        for (int i = held.size() - 1; i >= 0 && moved.size() < a.qty(); i--) {
          if (held.get(i).sku().equals(sku)) {
            moved.add(held.get(i));
          }
        }
        if (moved.size() < a.qty()) {
          throw new IllegalStateException("shopper " + p.who().token() + " holds " + moved.size() + " x " + sku + ", cannot put back " + a.qty());
        }
        held.removeAll(moved);
        onShelf.addAll(moved);
      }
      HandTransient h = HandTransient.draw(r, on, off, hand);
      List<SimulatedLane.Unit> units = List.copyOf(moved);
      boolean take = a.kind() == ScenarioAction.Kind.TAKE;
      steps.add(new Step(on, () -> lane.handOn(h)));
      steps.add(new Step(move, take ? () -> lane.remove(units, move) : () -> lane.place(units, move)));
      steps.add(new Step(off, () -> lane.handOff(h)));
      actionsByToken.computeIfAbsent(p.who().token(), k -> new ArrayList<>()).add(new GroundTruth.Action(
          p.who().token(), a.laneId(), sku, take ? -a.qty() : a.qty(), take ? GroundTruth.Kind.TAKE : GroundTruth.Kind.PUT_BACK,
          instant(on), instant(move), instant(off), units.stream().map(SimulatedLane.Unit::grams).toList()));
      if (scenario.noise().touchProbability() > 0 && r.nextDouble() < scenario.noise().touchProbability()) {
        StoreConfig.Shelf shelf = config.shelfOfLane(a.laneId()).orElseThrow();
        List<StoreConfig.Lane> others = shelf.lanes().stream().filter(l -> !l.id().equals(a.laneId())).toList();
        StoreConfig.Lane touched = others.isEmpty() ? laneConfig : others.get(r.nextInt(others.size()));
        long tOn = off + Seeds.nanos(Seeds.uniform(r, 0.1, 0.4));
        long tOff = tOn + Seeds.nanos(Seeds.uniform(r, 0.5, 1.5));
        HandTransient th = HandTransient.draw(r, tOn, tOff, hand);
        SimulatedLane tl = lanes.get(touched.id());
        steps.add(new Step(tOn, () -> tl.handOn(th)));
        steps.add(new Step(tOff, () -> tl.handOff(th)));
        actionsByToken.get(p.who().token()).add(new GroundTruth.Action(p.who().token(), touched.id(), touched.sku(), 0,
            GroundTruth.Kind.TOUCH, instant(tOn), instant(tOn), instant(tOff), List.of()));
      }
    }
    steps.sort(Comparator.comparingLong(Step::nanos)); // stable: equal instants keep plan order
    Random walk = Seeds.random(scenario.seed(), "walk");
    List<GroundTruth.Shopper> shoppers = new ArrayList<>();
    for (int s = 0; s < scripts.size(); s++) {
      ShopperScript sc = scripts.get(s);
      String trackId = "trk-" + (s + 1);
      List<GroundTruth.Action> acts = actionsByToken.getOrDefault(sc.token(), List.of()).stream()
          .sorted(Comparator.comparing(GroundTruth.Action::handOn)).toList();
      long enter = startNanos + Seeds.nanos(sc.enterAt());
      long exit = startNanos + Seeds.nanos(sc.exitAt());
      visits.add(new Visit(sc.token(), trackId, enter, exit, path(enter, exit, acts, walk)));
      shoppers.add(new GroundTruth.Shopper(sc.token(), trackId, instant(enter), instant(exit), GroundTruth.cartOf(acts), acts));
    }
    return new GroundTruth(shoppers);
  }

  /**
   * Gate, then for each take or put-back the standing point in front of its lane from shortly
   * before the hand reaches it until the hand leaves, then the exit gate.
   */
  private List<Waypoint> path(long enter, long exit, List<GroundTruth.Action> acts, Random r) {
    List<Waypoint> path = new ArrayList<>();
    path.add(new Waypoint(enter, geometry.entrance.position()));
    long prev = enter;
    for (GroundTruth.Action a : acts) {
      if (a.kind() == GroundTruth.Kind.TOUCH) {
        continue;
      }
      Position stand = geometry.standingPoint(a.laneId());
      long on = nanosOf(a.handOn());
      long lead = Math.min(Seeds.nanos(Seeds.uniform(r, 0.6, 1.2)), Math.max(0, (on - prev) / 2));
      long arrive = Math.max(prev, on - lead);
      path.add(new Waypoint(arrive, stand));
      long leave = Math.max(arrive, nanosOf(a.handOff()));
      path.add(new Waypoint(leave, stand));
      prev = leave;
    }
    path.add(new Waypoint(Math.max(exit, prev), geometry.exit.position()));
    return path;
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

  private static long nanosOf(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }
}
