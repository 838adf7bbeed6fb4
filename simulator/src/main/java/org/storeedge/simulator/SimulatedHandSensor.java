package org.storeedge.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Position;
import org.storeedge.core.event.HandContact;
import org.storeedge.core.event.HandInLane;

/**
 * What a camera that sees hands (pose keypoints, a hand detector) would report about a simulated
 * run, errors included. The ground truth says whose hand was in which lane when and who handed
 * what to whom; this turns it into {@link HandInLane} and {@link HandContact} observations the way
 * an imperfect sensor would:
 *
 * <ul>
 *   <li>a real hand in a lane is missed with probability {@code 1 - hitRate}, lower still for every
 *       other person within a metre ({@code crowdOcclusion} each: bodies hide arms);
 *   <li>a hand that is seen is put in a neighbouring lane of the shelf with probability
 *       {@code laneErrorRate};
 *   <li>with another person within {@code SWAP_RADIUS_METRES}, the hand is given to that person's
 *       track with probability {@code swapRate} (the arm joined to the wrong body); either way, with
 *       {@link Association#BOXES}, its confidence is only the share that is surely that body's, as
 *       the camera's hand zones give it when two people's boxes hold a hand (see {@link #share});
 *       with {@link Association#POSE} it is the detection's score alone (an arm followed from
 *       wrist to shoulder: sure of its body, and wrong only at {@code swapRate});
 *   <li>people standing at a shelf without taking anything put a hand in the lane in front of them
 *       now and then ({@code spuriousPerMinute} per minute standing there: browsing, reading a
 *       label);
 *   <li>a hand-off is seen as a contact with probability {@code contactHitRate}; two people
 *       standing within {@code CONTACT_RADIUS_METRES} are reported in contact
 *       {@code falseContactsPerMinute} times per minute;
 *   <li>a contact says which of the two gave the object with probability
 *       {@code contactDirectionRate} (a pose model following a held object from hand to hand; the
 *       vision pipeline's box overlaps never do), and of those, names the product and how many with
 *       probability {@code contactItemRate}. For a hand-off all are right; a false contact names one
 *       of the two at random, and as the product 1 x the last one that person took, if any (the
 *       camera saw an item in a hand);
 *   <li>interval ends are off by a Gaussian of {@code jitterSeconds}; every observation reaches the
 *       agent {@code latencySeconds} after the interval it reports.
 * </ul>
 *
 * <p>Pure: the same store, model and seed give the same observations.
 */
public final class SimulatedHandSensor {
  static final double SWAP_RADIUS_METRES = 0.8;
  static final double OCCLUSION_RADIUS_METRES = 1.0;
  static final double CONTACT_RADIUS_METRES = 0.75;
  /** Browsing hands come from people within this distance of a lane's standing point. */
  static final double AT_SHELF_METRES = 0.4;
  private static final long SAMPLE_NANOS = 1_000_000_000L;

  /**
   * The sensor's quality. Rates are probabilities in [0, 1] unless named per minute.
   */
  public record Model(double hitRate, double crowdOcclusion, double laneErrorRate, double swapRate,
      double spuriousPerMinute, double contactHitRate, double falseContactsPerMinute, double jitterSeconds,
      double latencySeconds, double contactDirectionRate, double contactItemRate, Association association) {
    public Model {
      if (association == null) {
        throw new IllegalArgumentException("hand sensor association must be given: " + this);
      }
      for (double p : new double[] {hitRate, crowdOcclusion, laneErrorRate, swapRate, contactHitRate,
          contactDirectionRate, contactItemRate}) {
        if (!(p >= 0 && p <= 1)) {
          throw new IllegalArgumentException("hand sensor probabilities must be in [0, 1]: " + this);
        }
      }
      if (spuriousPerMinute < 0 || falseContactsPerMinute < 0 || jitterSeconds < 0 || latencySeconds < 0) {
        throw new IllegalArgumentException("hand sensor rates and times must be >= 0: " + this);
      }
    }

    /** A sensor whose contacts never say which way anything went, nor what. */
    public Model(double hitRate, double crowdOcclusion, double laneErrorRate, double swapRate,
        double spuriousPerMinute, double contactHitRate, double falseContactsPerMinute, double jitterSeconds,
        double latencySeconds, Association association) {
      this(hitRate, crowdOcclusion, laneErrorRate, swapRate, spuriousPerMinute, contactHitRate, falseContactsPerMinute,
          jitterSeconds, latencySeconds, 0, 0, association);
    }

    /**
     * A multi-view ceiling installation with a pose model, as assumed for scoring: 90 % of hands in
     * a lane seen, 5 % less per bystander within a metre, 5 % put in the neighbouring lane, 5 %
     * joined to a bystander's body, one browsing hand per minute at a shelf, 85 % of hand-offs seen,
     * 0.2 false contacts per minute side by side, 0.15 s jitter, 0.2 s latency; contacts say
     * neither which way nor what (as the vision pipeline's hand zones report them).
     */
    public static Model typical() {
      return new Model(0.9, 0.05, 0.05, 0.05, 1.0, 0.85, 0.2, 0.15, 0.2, Association.BOXES);
    }

    /**
     * A sensor that makes no mistake: every hand in a lane seen in its lane, on its own body, at
     * the moment it was there, no browsing hand reported, every hand-off seen and no false
     * contact, each saying who gave what; only the 0.2 s latency is kept. What the checkout does
     * with it bounds what any hand camera can buy.
     */
    public static Model ideal() {
      return new Model(1, 0, 0, 0, 0, 1, 0, 0, 0.2, 1, 1, Association.POSE);
    }

    /**
     * The parameters by the names {@link #with} takes, in record order: {@code hit},
     * {@code crowd-occlusion}, {@code lane-error}, {@code swap}, {@code spurious-per-minute},
     * {@code contact-hit}, {@code false-contacts-per-minute}, {@code jitter-seconds},
     * {@code latency-seconds}, {@code contact-direction}, {@code contact-item}.
     */
    public static final List<String> PARAMETERS = List.of("hit", "crowd-occlusion", "lane-error", "swap",
        "spurious-per-minute", "contact-hit", "false-contacts-per-minute", "jitter-seconds", "latency-seconds",
        "contact-direction", "contact-item");

    /**
     * This sensor with one parameter, named as in {@link #PARAMETERS}, set to {@code value}.
     *
     * @throws IllegalArgumentException for an unknown name or a value out of its range
     */
    public Model with(String name, double value) {
      double[] v = {hitRate, crowdOcclusion, laneErrorRate, swapRate, spuriousPerMinute, contactHitRate,
          falseContactsPerMinute, jitterSeconds, latencySeconds, contactDirectionRate, contactItemRate};
      int i = PARAMETERS.indexOf(name);
      if (i < 0) {
        throw new IllegalArgumentException("unknown hand sensor parameter '" + name + "' (known: "
            + String.join(", ", PARAMETERS) + ")");
      }
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("hand sensor parameter " + name + " must be a number, got " + value);
      }
      v[i] = value;
      return new Model(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], association);
    }

    public Model withHitRate(double hit) {
      return with("hit", hit);
    }

    public Model withSwapRate(double swap) {
      return with("swap", swap);
    }

    public Model withAssociation(Association a) {
      return new Model(hitRate, crowdOcclusion, laneErrorRate, swapRate, spuriousPerMinute, contactHitRate,
          falseContactsPerMinute, jitterSeconds, latencySeconds, contactDirectionRate, contactItemRate, a);
    }
  }

  /** How the camera tells whose hand it saw. */
  public enum Association {
    /**
     * By people's boxes, as the vision pipeline's {@code HandZones} does: a hand two people's boxes
     * hold is given to the nearer body with only its share of the confidence.
     */
    BOXES,
    /** By a pose model's skeleton: the hand's own body, at the detection's full score. */
    POSE
  }

  /** An observation and when the agent receives it. */
  public record Timed<T>(Instant deliverAt, T observation) {}

  /** Everything the sensor reports over a run, each list in delivery order. */
  public record Output(List<Timed<HandInLane>> hands, List<Timed<HandContact>> contacts) {}

  private SimulatedHandSensor() {}

  public static Output observe(SimulatedStore store, Model model) {
    StoreConfig config = store.config();
    GroundTruth truth = store.groundTruth();
    Random r = Seeds.random(store.scenarioSeed(), "hand-sensor");
    Map<String, String> tokenOfTrack = new HashMap<>();
    for (GroundTruth.Shopper s : truth.shoppers()) {
      s.members().forEach(m -> tokenOfTrack.put(m.trackId(), s.token()));
    }
    long latency = Seeds.nanos(model.latencySeconds());
    List<Timed<HandInLane>> hands = new ArrayList<>();
    List<Timed<HandContact>> contacts = new ArrayList<>();
    Map<String, List<long[]>> busy = new HashMap<>(); // track -> hand intervals at shelves (no browsing then)
    for (GroundTruth.Action a : truth.actions()) {
      long on = SimulatedStore.nanosOf(a.handOn());
      long off = SimulatedStore.nanosOf(a.handOff());
      busy.computeIfAbsent(a.trackId(), k -> new ArrayList<>()).add(new long[] {on, off});
      Instant mid = Instant.ofEpochSecond(0, (on + off) / 2);
      Map<String, Position> at = store.shopperPositionsAt(mid);
      Position me = at.get(a.trackId());
      List<Map.Entry<String, Position>> others = at.entrySet().stream()
          .filter(e -> !e.getKey().equals(a.trackId()) && me != null)
          .sorted(Comparator.comparingDouble(e -> dist(e.getValue(), me))).toList();
      long crowd = others.stream().filter(e -> dist(e.getValue(), me) <= OCCLUSION_RADIUS_METRES).count();
      double hit = model.hitRate() * Math.pow(1 - model.crowdOcclusion(), crowd);
      if (r.nextDouble() >= hit) {
        continue;
      }
      String lane = a.laneId();
      if (r.nextDouble() < model.laneErrorRate()) {
        lane = neighbour(config, lane, r);
      }
      String track = a.trackId();
      if (!others.isEmpty() && dist(others.get(0).getValue(), me) <= SWAP_RADIUS_METRES
          && r.nextDouble() < model.swapRate()) {
        track = others.get(0).getKey();
      }
      double confidence = Seeds.uniform(r, 0.6, 1.0) * (model.association() == Association.POSE ? 1
          : share(at, track, store.config().lane(lane).orElseThrow().position()));
      hands.add(hand(r, model, track, tokenOfTrack.get(track), lane, on, off, latency, confidence));
    }
    // browsing hands and false contacts, sampled once a second over everyone inside
    for (long t = SimulatedStore.nanosOf(store.startTime()); t < SimulatedStore.nanosOf(store.endTime()); t += SAMPLE_NANOS) {
      Map<String, Position> at = store.shopperPositionsAt(Instant.ofEpochSecond(0, t));
      List<String> ids = new ArrayList<>(at.keySet());
      for (String id : ids) {
        if (inside(busy.get(id), t)) {
          continue;
        }
        StoreConfig.Lane lane = nearestLane(store, at.get(id));
        if (lane != null && r.nextDouble() < model.spuriousPerMinute() / 60.0) {
          long on = t + Seeds.nanos(r.nextDouble());
          long off = on + Seeds.nanos(Seeds.uniform(r, 0.4, 1.5));
          hands.add(hand(r, model, id, tokenOfTrack.get(id), lane.id(), on, off, latency, Seeds.uniform(r, 0.4, 0.9)));
        }
      }
      for (int i = 0; i < ids.size(); i++) {
        for (int j = i + 1; j < ids.size(); j++) {
          String a = ids.get(i);
          String b = ids.get(j);
          if (dist(at.get(a), at.get(b)) <= CONTACT_RADIUS_METRES
              && r.nextDouble() < model.falseContactsPerMinute() / 60.0) {
            double confidence = Seeds.uniform(r, 0.4, 0.8);
            String giver = model.contactDirectionRate() > 0 && r.nextDouble() < model.contactDirectionRate()
                ? (r.nextBoolean() ? a : b) : null;
            String sku = giver != null && model.contactItemRate() > 0 && r.nextDouble() < model.contactItemRate()
                ? lastTaken(truth, giver, t) : null;
            contacts.add(new Timed<>(Instant.ofEpochSecond(0, t + latency), new HandContact(a, tokenOfTrack.get(a), b,
                tokenOfTrack.get(b), Math.floorDiv(t, 1_000_000L), confidence, giver, sku, sku == null ? 0 : 1)));
          }
        }
      }
    }
    for (GroundTruth.HandOff h : truth.handOffs()) {
      if (r.nextDouble() < model.contactHitRate()) {
        long at = SimulatedStore.nanosOf(h.at()) + Seeds.nanos(Person.HAND_OFF_SECONDS / 2);
        double confidence = Seeds.uniform(r, 0.6, 1.0);
        boolean directed = model.contactDirectionRate() > 0 && r.nextDouble() < model.contactDirectionRate();
        boolean named = directed && model.contactItemRate() > 0 && r.nextDouble() < model.contactItemRate();
        contacts.add(new Timed<>(Instant.ofEpochSecond(0, at + latency), new HandContact(h.fromTrackId(), h.fromToken(),
            h.toTrackId(), h.toToken(), Math.floorDiv(at, 1_000_000L), confidence, directed ? h.fromTrackId() : null,
            named ? h.sku() : null, named ? h.qty() : 0)));
      }
    }
    hands.sort(Comparator.comparing(Timed::deliverAt));
    contacts.sort(Comparator.comparing(Timed::deliverAt));
    return new Output(List.copyOf(hands), List.copyOf(contacts));
  }

  /** The product {@code track} last took from a shelf before {@code nanos}, or null. */
  private static String lastTaken(GroundTruth truth, String track, long nanos) {
    String sku = null;
    long last = Long.MIN_VALUE;
    for (GroundTruth.Action a : truth.actions()) {
      long moved = SimulatedStore.nanosOf(a.itemMove());
      if (a.kind() == GroundTruth.Kind.TAKE && a.trackId().equals(track) && moved <= nanos && moved > last) {
        last = moved;
        sku = a.sku();
      }
    }
    return sku;
  }

  private static Timed<HandInLane> hand(Random r, Model model, String track, String token, String lane, long on,
      long off, long latency, double confidence) {
    long from = on + Seeds.nanos(r.nextGaussian() * model.jitterSeconds());
    long to = Math.max(from, off + Seeds.nanos(r.nextGaussian() * model.jitterSeconds()));
    return new Timed<>(Instant.ofEpochSecond(0, to + latency), new HandInLane(track, token, lane,
        Math.floorDiv(from, 1_000_000L), Math.floorDiv(to, 1_000_000L), confidence));
  }

  /**
   * The share of a hand that is surely {@code track}'s, as the camera's {@code HandZones} gives it
   * when another person's box holds the hand too: with the nearest other person within
   * {@link #SWAP_RADIUS_METRES} of the body it was given to, {@code d_other / (d_given + d_other)}
   * by their distances to the lane (at least 0.5: the body it was given to looked the nearer);
   * else 1.
   */
  private static double share(Map<String, Position> at, String track, Position lane) {
    Position given = at.get(track);
    if (given == null) {
      return 1;
    }
    double dGiven = dist(given, lane);
    double dOther = Double.POSITIVE_INFINITY;
    for (Map.Entry<String, Position> e : at.entrySet()) {
      if (!e.getKey().equals(track) && dist(e.getValue(), given) <= SWAP_RADIUS_METRES) {
        dOther = Math.min(dOther, dist(e.getValue(), lane));
      }
    }
    if (Double.isInfinite(dOther) || dGiven + dOther <= 0) {
      return 1;
    }
    return Math.max(0.5, dOther / (dGiven + dOther));
  }

  private static boolean inside(List<long[]> intervals, long t) {
    if (intervals == null) {
      return false;
    }
    for (long[] i : intervals) {
      if (t >= i[0] - SAMPLE_NANOS && t <= i[1] + SAMPLE_NANOS) {
        return true;
      }
    }
    return false;
  }

  /** The lane whose standing point is within {@link #AT_SHELF_METRES} of {@code p}, or null. */
  private static StoreConfig.Lane nearestLane(SimulatedStore store, Position p) {
    StoreConfig.Lane best = null;
    double bestD = AT_SHELF_METRES;
    for (StoreConfig.Lane l : store.config().lanes()) {
      double d = dist(store.standingPoint(l.id()), p);
      if (d <= bestD) {
        bestD = d;
        best = l;
      }
    }
    return best;
  }

  private static String neighbour(StoreConfig config, String laneId, Random r) {
    List<StoreConfig.Lane> lanes = config.shelfOfLane(laneId).map(StoreConfig.Shelf::lanes).orElse(List.of());
    int i = -1;
    for (int k = 0; k < lanes.size(); k++) {
      if (lanes.get(k).id().equals(laneId)) {
        i = k;
      }
    }
    List<String> n = new ArrayList<>();
    if (i > 0) {
      n.add(lanes.get(i - 1).id());
    }
    if (i >= 0 && i + 1 < lanes.size()) {
      n.add(lanes.get(i + 1).id());
    }
    return n.isEmpty() ? laneId : n.get(r.nextInt(n.size()));
  }

  private static double dist(Position a, Position b) {
    return Math.hypot(a.x() - b.x(), a.y() - b.y());
  }
}
