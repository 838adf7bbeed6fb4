package org.storeedge.runtime.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.checkout.cart.CheckoutSettings;
import org.storeedge.checkout.cart.Receipt;
import org.storeedge.checkout.weight.DetectorSettings;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.DriverRegistry;
import org.storeedge.core.event.HandContact;
import org.storeedge.core.event.HandInLane;
import org.storeedge.core.json.Json;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.runtime.Agent;
import org.storeedge.runtime.broker.EmbeddedBroker;
import org.storeedge.simulator.GroundTruth;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.SimulatedHandSensor;
import org.storeedge.simulator.SimulatedStore;
import org.storeedge.sync.mqtt.MqttUplink;
import org.storeedge.sync.mqtt.UplinkOptions;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.SqliteOutbox;

/**
 * One simulated store run with the real agent inside: simulated devices on virtual time, the real
 * pipeline and checkout, the real SQLite outbox and MQTT uplink to a real broker (embedded unless
 * one is given). Used by {@code demo}, {@code simulate} and the end-to-end tests.
 */
public final class SimulationRun {
  private static final Logger LOG = LoggerFactory.getLogger(SimulationRun.class);

  /**
   * @param pace virtual seconds per wall second; 0 runs as fast as possible
   * @param brokerUri an external broker, or empty for an embedded one
   * @param onDelivered called with each receipt JSON an outside subscriber received from the broker
   */
  public record Options(StoreConfig config, Scenario scenario, Path workDir, Optional<String> brokerUri, double pace,
      Duration drainTimeout, Consumer<String> onDelivered, PrintStream log) {}

  /**
   * A run of the recognition alone: the same devices, pipeline and checkout on virtual time, with
   * receipts counted in memory instead of stored and sent. For scoring many scenarios quickly.
   */
  public static Result recognitionOnly(StoreConfig config, Scenario scenario) {
    return recognitionOnly(config, scenario, 0);
  }

  /**
   * As {@link #recognitionOnly(StoreConfig, Scenario)}; with {@code visionCameras} &gt; 0 the
   * shoppers' positions come from that many simulated cameras through the real vision pipeline
   * ({@link VisionRig}) instead of from the simulator.
   */
  public static Result recognitionOnly(StoreConfig config, Scenario scenario, int visionCameras) {
    return recognitionOnly(config, scenario, visionCameras, null);
  }

  /**
   * As {@link #recognitionOnly(StoreConfig, Scenario, int)}; with {@code hands} not null the agent
   * also gets the observations of a simulated camera that sees hands ({@link SimulatedHandSensor}).
   */
  public static Result recognitionOnly(StoreConfig config, Scenario scenario, int visionCameras,
      SimulatedHandSensor.Model hands) {
    return recognitionOnly(config, scenario, VisionRig.Cameras.corners(visionCameras), hands);
  }

  /** As {@link #recognitionOnly(StoreConfig, Scenario, int, SimulatedHandSensor.Model)} with corner or ceiling cameras. */
  public static Result recognitionOnly(StoreConfig config, Scenario scenario, VisionRig.Cameras cameras,
      SimulatedHandSensor.Model hands) {
    long wallStart = System.nanoTime();
    VirtualScheduler vs = new VirtualScheduler(scenario.start().orElse(DEFAULT_START), 0);
    SimulatedStore store = new SimulatedStore(config, scenario, vs);
    MemoryOutbox outbox = new MemoryOutbox();
    VisionRig rig = cameras.any() ? VisionRig.open(config, store, vs, cameras) : null;
    DriverFactory devices = rig == null ? store.driverFactory() : rig.tap(store.driverFactory());
    Agent agent = new Agent(config, vs, new DriverRegistry(List.of(devices)), outbox, true,
        DetectorSettings.defaults(), CheckoutSettings.forStore(config.checkout()), List.of());
    List<Receipt> receipts = new ArrayList<>();
    List<Long> latency = new ArrayList<>();
    List<org.storeedge.core.event.ShelfEvent> shelfEvents = new ArrayList<>();
    agent.addShelfEventListener(shelfEvents::add);
    agent.addReceiptListener(r -> {
      receipts.add(r);
      if (r.amends() == null) { // amendments come later by nature: counted apart
        latency.add(vs.millis() - r.exitedAt().toEpochMilli());
      }
    });
    try {
      agent.start();
    } catch (Exception e) {
      if (rig != null) {
        rig.close();
      }
      throw new IllegalStateException("simulated agent failed to start: " + e.getMessage(), e);
    }
    if (rig == null) {
      store.start(agent::onGate, agent::onObservation);
    } else {
      rig.start(agent::onObservation);
      store.start(e -> {
        rig.onGate(e);
        agent.onGate(e);
      }, o -> {});
    }
    HandFeed handFeed = HandFeed.schedule(vs, store, hands, agent);
    runUntil(vs, store.endTime().plusSeconds(10), rig);
    agent.close();
    Map<String, Object> stats = new LinkedHashMap<>();
    if (handFeed != null) {
      handFeed.putStats(stats, agent);
    }
    stats.put("samples", agent.pipeline().samples());
    stats.put("messages", outbox.appended());
    stats.put("messageBytes", outbox.bytes());
    stats.put("unattributedEvents", agent.checkout().unattributedEvents());
    stats.put("virtualSeconds", Duration.between(store.startTime(), vs.instant()).toSeconds());
    if (rig != null) {
      stats.put("vision", rig.stats());
      rig.close();
    }
    return new Result(scenario.seed(), receipts, store.groundTruth(),
        score(store.groundTruth(), config.checkout().handOffs(), receipts),
        EventScorer.score(store.groundTruth().actions(), shelfEvents), 0, List.of(), latency, 0, stats,
        Duration.ofNanos(System.nanoTime() - wallStart), config.checkout().handOffs(), truePositions(store),
        handFeed == null ? null : handFeed.received());
  }

  private static final Instant DEFAULT_START = Instant.parse("2026-01-05T09:00:00Z");

  /**
   * A simulated camera that sees hands wired into an agent: each observation of
   * {@link SimulatedHandSensor#observe} handed to the agent at its delivery instant on virtual
   * time, and kept, in the order the agent got it, for the report.
   */
  static final class HandFeed {
    private final List<SimulatedHandSensor.Timed<HandInLane>> hands = new ArrayList<>();
    private final List<SimulatedHandSensor.Timed<HandContact>> contacts = new ArrayList<>();

    private HandFeed() {}

    /** Schedules the sensor's observations of {@code store} into {@code agent}; null when {@code model} is. */
    static HandFeed schedule(VirtualScheduler vs, SimulatedStore store, SimulatedHandSensor.Model model, Agent agent) {
      if (model == null) {
        return null;
      }
      HandFeed feed = new HandFeed();
      SimulatedHandSensor.Output output = SimulatedHandSensor.observe(store, model);
      for (SimulatedHandSensor.Timed<HandInLane> t : output.hands()) {
        vs.schedule(Duration.between(vs.instant(), t.deliverAt()), () -> {
          feed.hands.add(t);
          agent.onHandInLane(t.observation());
        });
      }
      for (SimulatedHandSensor.Timed<HandContact> t : output.contacts()) {
        vs.schedule(Duration.between(vs.instant(), t.deliverAt()), () -> {
          feed.contacts.add(t);
          agent.onHandContact(t.observation());
        });
      }
      return feed;
    }

    /** What the agent received, each list in the order it came. */
    SimulatedHandSensor.Output received() {
      return new SimulatedHandSensor.Output(List.copyOf(hands), List.copyOf(contacts));
    }

    /** How many observations the agent got, and how many of its shelf events hands decided. */
    void putStats(Map<String, Object> stats, Agent agent) {
      stats.put("handObservations", hands.size());
      stats.put("handContacts", contacts.size());
      stats.put("shelfEventsWithHands", agent.checkout().handsUsed());
      stats.put("unitsHandedOver", agent.checkout().handedOver());
    }
  }

  /**
   * Runs virtual time to {@code until}: in one go without vision (as always), or in camera
   * periods with the rig processing each camera's latest frame after every step.
   */
  static void runUntil(VirtualScheduler vs, Instant until, VisionRig rig) {
    if (rig == null) {
      vs.runUntil(until);
      return;
    }
    Duration step = rig.step();
    while (vs.instant().isBefore(until)) {
      Instant next = vs.instant().plus(step);
      vs.runUntil(next.isAfter(until) ? until : next);
      rig.processFrames();
    }
  }

  /** What each customer should be charged under the store's hand-off policy. */
  static Map<String, Map<String, Integer>> truthOf(GroundTruth gt, StoreConfig.HandOffPolicy handOffs) {
    Map<String, Map<String, Integer>> truth = new LinkedHashMap<>();
    (handOffs == StoreConfig.HandOffPolicy.TAKER_PAYS ? gt.takenCarts() : gt.carts()).forEach((k, v) -> truth.put(k, new LinkedHashMap<>(v)));
    for (GroundTruth.Shopper s : gt.shoppers()) {
      if (s.staff()) {
        truth.remove(s.key()); // staff get no receipt: restocks and removals are stock, not sales
      } else {
        truth.putIfAbsent(s.key(), Map.of());
      }
    }
    return truth;
  }

  /** Scores receipts against the truth, each receipt matched to its visit (a token may come back in). */
  static Scorer.Score score(GroundTruth gt, StoreConfig.HandOffPolicy handOffs, List<Receipt> receipts) {
    return Scorer.score(truthOf(gt, handOffs), receipts, r -> gt.visitOf(r.customerToken(), r.enteredAt()));
  }

  /**
   * Where the shoppers inside really stood (track id to floor position, without presence noise)
   * at each instant that items moved on a shelf, a hand touched one, or items changed hands.
   */
  static Map<Instant, Map<String, StoreConfig.Position>> truePositions(SimulatedStore store) {
    Map<Instant, Map<String, StoreConfig.Position>> out = new java.util.HashMap<>();
    GroundTruth truth = store.groundTruth();
    truth.actions().forEach(a -> out.computeIfAbsent(a.itemMove(), store::shopperPositionsAt));
    truth.handOffs().forEach(h -> out.computeIfAbsent(h.at(), store::shopperPositionsAt));
    return out;
  }

  /**
   * What happened. {@code seed}: the scenario seed the run played. {@code undelivered} &gt; 0
   * means the drain timed out. {@code positions}: see {@link #truePositions}. {@code hands}: the
   * observations of the simulated camera that sees hands as the agent received them, null when
   * no such camera was simulated.
   */
  public record Result(long seed, List<Receipt> receipts, GroundTruth truth, Scorer.Score score,
      EventScorer.Score events, long undelivered, List<Long> exitToCloudWallMillis,
      List<Long> exitToReceiptMillis, int receivedBySubscriber, Map<String, Object> stats, Duration wall,
      StoreConfig.HandOffPolicy handOffs, Map<Instant, Map<String, StoreConfig.Position>> positions,
      SimulatedHandSensor.Output hands) {

    public Result {
      positions = Map.copyOf(positions);
    }

    /** Where track {@code trackId} stood at {@code at}, as a JSON object; null when not known. */
    private Map<String, Object> stood(Instant at, String trackId) {
      StoreConfig.Position p = positions.getOrDefault(at, Map.of()).get(trackId);
      if (p == null) {
        return null;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("x", Json.round(p.x(), 3));
      m.put("y", Json.round(p.y(), 3));
      return m;
    }

    private static List<Double> grams(List<Double> unitGrams) {
      return unitGrams.stream().map(g -> Json.round(g, 3)).toList();
    }

    public String reportJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seed", seed);
      m.put("score", score);
      m.put("events", events);
      m.put("undelivered", undelivered);
      m.put("receivedBySubscriber", receivedBySubscriber);
      m.put("exitToReceiptMillis", latencySummary(exitToReceiptMillis));
      m.put("exitToCloudWallMillis", latencySummary(exitToCloudWallMillis));
      m.put("stats", stats);
      m.put("wallSeconds", Json.round(wall.toMillis() / 1000.0, 3));
      m.put("receipts", receipts);
      List<Object> carts = new ArrayList<>();
      Map<String, Map<String, Integer>> charged = truthOf(truth, handOffs);
      for (GroundTruth.Shopper s : truth.shoppers()) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("customerToken", s.token());
        if (s.visit() > 1) {
          c.put("visit", s.visit());
        }
        c.put("enteredAt", s.enteredAt().toString());
        c.put("exitedAt", s.exitedAt().toString());
        c.put("items", charged.getOrDefault(s.key(), Map.of()));
        carts.add(c);
      }
      m.put("groundTruth", carts);
      List<Object> actions = new ArrayList<>();
      for (GroundTruth.Action a : truth.actions()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("customerToken", a.token());
        x.put("trackId", a.trackId());
        x.put("laneId", a.laneId());
        x.put("sku", a.sku());
        x.put("signedQty", a.signedQty());
        x.put("kind", a.kind());
        x.put("handOn", a.handOn().toString());
        x.put("itemMove", a.itemMove().toString());
        x.put("handOff", a.handOff().toString());
        x.put("unitGrams", grams(a.unitGrams()));
        x.put("standingLaneId", a.standingLaneId());
        x.put("stoodAt", stood(a.itemMove(), a.trackId()));
        actions.add(x);
      }
      m.put("groundTruthActions", actions);
      List<Object> handOffList = new ArrayList<>();
      for (GroundTruth.HandOff h : truth.handOffs()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("fromToken", h.fromToken());
        x.put("fromTrackId", h.fromTrackId());
        x.put("toToken", h.toToken());
        x.put("toTrackId", h.toTrackId());
        x.put("sku", h.sku());
        x.put("qty", h.qty());
        x.put("at", h.at().toString());
        x.put("unitGrams", grams(h.unitGrams()));
        x.put("fromStoodAt", stood(h.at(), h.fromTrackId()));
        x.put("toStoodAt", stood(h.at(), h.toTrackId()));
        handOffList.add(x);
      }
      m.put("groundTruthHandOffs", handOffList);
      if (hands != null) {
        putHands(m, hands);
      }
      return Json.write(m);
    }

    /**
     * {@code handObservations} and {@code handContacts}: what the simulated camera that sees hands
     * told the agent, in the order the agent got it, errors included (a hand joined to the wrong
     * body names that body's track and token).
     */
    private static void putHands(Map<String, Object> m, SimulatedHandSensor.Output hands) {
      List<Object> seen = new ArrayList<>();
      for (SimulatedHandSensor.Timed<HandInLane> t : hands.hands()) {
        HandInLane h = t.observation();
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("trackId", h.trackId());
        x.put("customerToken", h.customerToken());
        x.put("laneId", h.laneId());
        x.put("from", Instant.ofEpochMilli(h.fromMillis()).toString());
        x.put("to", Instant.ofEpochMilli(h.toMillis()).toString());
        x.put("confidence", Json.round(h.confidence(), 3));
        x.put("receivedAt", t.deliverAt().toString());
        seen.add(x);
      }
      m.put("handObservations", seen);
      List<Object> met = new ArrayList<>();
      for (SimulatedHandSensor.Timed<HandContact> t : hands.contacts()) {
        HandContact c = t.observation();
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("trackId", c.trackId());
        x.put("customerToken", c.customerToken());
        x.put("otherTrackId", c.otherTrackId());
        x.put("otherCustomerToken", c.otherCustomerToken());
        x.put("at", Instant.ofEpochMilli(c.atMillis()).toString());
        x.put("confidence", Json.round(c.confidence(), 3));
        if (c.directed()) {
          x.put("giverTrackId", c.giverTrackId());
        }
        if (c.sku() != null) {
          x.put("sku", c.sku());
          x.put("qty", c.qty());
        }
        x.put("receivedAt", t.deliverAt().toString());
        met.add(x);
      }
      m.put("handContacts", met);
    }
  }

  private final Options o;
  private final VisionRig.Cameras cameras;
  private final SimulatedHandSensor.Model hands;

  public SimulationRun(Options options) {
    this(options, 0);
  }

  /** With {@code visionCameras} &gt; 0, positions come from simulated cameras through {@link VisionRig}. */
  public SimulationRun(Options options, int visionCameras) {
    this(options, visionCameras, null);
  }

  /**
   * As {@link #SimulationRun(Options, int)}; with {@code hands} not null the agent also gets the
   * observations of a simulated camera that sees hands, on virtual time, as
   * {@link #recognitionOnly(StoreConfig, Scenario, int, SimulatedHandSensor.Model)} gives them.
   */
  public SimulationRun(Options options, int visionCameras, SimulatedHandSensor.Model hands) {
    this(options, VisionRig.Cameras.corners(visionCameras), hands);
  }

  /** As {@link #SimulationRun(Options, int, SimulatedHandSensor.Model)} with corner or ceiling cameras. */
  public SimulationRun(Options options, VisionRig.Cameras cameras, SimulatedHandSensor.Model hands) {
    this.o = options;
    this.cameras = cameras;
    this.hands = hands;
  }

  public Result run() throws Exception {
    long wallStart = System.nanoTime();
    StoreConfig config = o.config();
    String prefix = config.sync().topicPrefix(config.store());
    EmbeddedBroker embedded = null;
    String broker;
    if (o.brokerUri().isPresent()) {
      broker = o.brokerUri().get();
    } else {
      embedded = new EmbeddedBroker(o.workDir().resolve("broker"));
      embedded.start();
      broker = embedded.uri();
      o.log().println("embedded MQTT broker on " + broker);
    }
    List<String> received = new CopyOnWriteArrayList<>();
    Map<String, Boolean> seenIds = new ConcurrentHashMap<>();
    // wall time of each shopper's exit, to measure exit -> receipt at an outside subscriber
    Map<String, Long> exitWallNanos = new ConcurrentHashMap<>();
    List<Long> exitToCloud = new CopyOnWriteArrayList<>();
    try (SystemScheduler uplinkTimers = new SystemScheduler("uplink-timers");
        SqliteOutbox outbox = SqliteOutbox.open(o.workDir().resolve("storeedge.db"),
            new OutboxOptions(config.storage().maxBytes(), InstantSource.system()));
        ReceiptSubscriber subscriber = new ReceiptSubscriber(broker, prefix + "receipts", json -> {
          String id = ReceiptSubscriber.field(json, "receiptId");
          if (id != null && seenIds.putIfAbsent(id, Boolean.TRUE) == null) {
            Long exitAt = exitWallNanos.get(String.valueOf(ReceiptSubscriber.field(json, "customerToken")));
            if (exitAt != null) {
              exitToCloud.add((System.nanoTime() - exitAt) / 1_000_000);
            }
            received.add(json);
            o.onDelivered().accept(json);
          }
        })) {
      try {
        subscriber.start();
      } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
        // the run goes on: the outbox keeps everything until the broker is reachable
        LOG.warn("outside subscriber cannot reach {}: {}", broker, e.getMessage());
      }
      UplinkOptions uplinkOptions = UplinkOptions.plain(List.of(broker), config.sync().clientId(), prefix);
      MqttUplink uplink = new MqttUplink(outbox, uplinkOptions, uplinkTimers);
      uplink.start();

      Scenario scenario = o.scenario();
      VirtualScheduler vs = new VirtualScheduler(scenario.start().orElse(DEFAULT_START), o.pace());
      SimulatedStore store = new SimulatedStore(config, scenario, vs);
      VisionRig rig = cameras.any() ? VisionRig.open(config, store, vs, cameras) : null;
      DriverRegistry registry = new DriverRegistry(List.of(rig == null ? store.driverFactory()
          : rig.tap(store.driverFactory())));
      List<Receipt> receipts = new ArrayList<>();
      List<Long> latency = new ArrayList<>();
      Agent agent = new Agent(config, vs, registry, outbox, true, DetectorSettings.defaults(),
          CheckoutSettings.forStore(config.checkout()), List.of());
      List<org.storeedge.core.event.ShelfEvent> shelfEvents = new ArrayList<>();
      agent.addShelfEventListener(shelfEvents::add);
      agent.addReceiptListener(r -> {
        receipts.add(r);
        if (r.amends() == null) { // amendments come later by nature: counted apart
          latency.add(vs.millis() - r.exitedAt().toEpochMilli());
        }
      });
      HandFeed handFeed = null;
      try {
        agent.start();
        if (rig != null) {
          rig.start(agent::onObservation);
        }
        store.start(e -> {
          if (e.direction() == org.storeedge.core.event.GateEvent.Direction.EXIT) {
            exitWallNanos.put(e.customerToken(), System.nanoTime());
          }
          if (rig != null) {
            rig.onGate(e);
          }
          agent.onGate(e);
        }, rig == null ? agent::onObservation : obs -> {});
        handFeed = HandFeed.schedule(vs, store, hands, agent);
        runUntil(vs, store.endTime().plusSeconds(10), rig);
        agent.close();
      } finally {
        if (rig != null) {
          rig.close();
        }
      }

      boolean drained = uplink.awaitDrained(o.drainTimeout());
      long undelivered = outbox.pendingCount();
      // the outside subscriber may trail the PUBACK slightly; give it the same budget
      long deadline = System.nanoTime() + o.drainTimeout().toNanos();
      while (drained && received.size() < receipts.size() && System.nanoTime() < deadline) {
        subscriber.awaitMore(received.size(), Duration.ofMillis(200));
      }
      Map<String, Object> stats = new LinkedHashMap<>();
      if (handFeed != null) {
        handFeed.putStats(stats, agent);
      }
      stats.put("samples", agent.pipeline().samples());
      stats.put("eventsPublished", agent.eventsPublished());
      stats.put("receiptsStored", agent.receiptsStored());
      stats.put("unattributedEvents", agent.checkout().unattributedEvents());
      stats.put("uplink", uplink.stats().toString());
      stats.put("virtualSeconds", Duration.between(store.startTime(), vs.instant()).toSeconds());
      if (rig != null) {
        stats.put("vision", rig.stats());
      }
      uplink.stop();
      Scorer.Score score = score(store.groundTruth(), config.checkout().handOffs(), receipts);
      Duration wall = Duration.ofNanos(System.nanoTime() - wallStart);
      EventScorer.Score eventScore = EventScorer.score(store.groundTruth().actions(), shelfEvents);
      return new Result(scenario.seed(), receipts, store.groundTruth(), score, eventScore, undelivered,
          List.copyOf(exitToCloud), latency, received.size(), stats, wall, config.checkout().handOffs(),
          truePositions(store), handFeed == null ? null : handFeed.received());
    } finally {
      if (embedded != null) {
        embedded.stop();
      }
    }
  }

  static Map<String, Object> latencySummary(List<Long> ms) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (ms.isEmpty()) {
      return m;
    }
    List<Long> s = new ArrayList<>(ms);
    Collections.sort(s);
    m.put("count", s.size());
    m.put("p50", percentile(s, 0.5));
    m.put("p99", percentile(s, 0.99));
    m.put("max", s.get(s.size() - 1));
    return m;
  }

  /**
   * The {@code q} quantile of sorted values by nearest rank: the smallest value with at least a
   * share {@code q} of all at or below it (so with fewer than 100 values the p99 is the largest);
   * 0 for none.
   */
  public static long percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Logger log() {
    return LOG;
  }
}
