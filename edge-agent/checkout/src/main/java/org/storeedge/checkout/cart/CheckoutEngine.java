package org.storeedge.checkout.cart;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.storeedge.checkout.weight.LaneInventory;
import org.storeedge.checkout.weight.WeightModel;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.DeviceFault;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.ShelfEvent;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.core.json.Json;

/**
 * Shopper sessions and their carts.
 *
 * <pre>
 *  GateEvent ENTER --> session (cart) per customer token
 *  ShopperObservation --> position history per token
 *  ShelfEvent --> who was at the lane (nearest within radius) --> pick: add best (sku, count)
 *                                                              put-back: best match from own cart
 *  GateEvent EXIT --> wait until shelf activity begun before the exit is resolved --> Receipt
 * </pre>
 *
 * <p>Runs on the agent thread only. Every decision keeps its evidence; doubtful ones flag the
 * receipt for review instead of guessing silently.
 */
public final class CheckoutEngine {
  /** Tells whether shelf activity that began before a time is still unresolved. */
  @FunctionalInterface
  public interface PendingActivity {
    /** Lanes whose activity began before {@code atMillis} and is not yet a shelf event, with its start. */
    Map<String, Long> busyLanesBefore(long atMillis);
  }

  /** Something worth telling the store about that is not a receipt (unattributed events...). */
  public record Notice(String kind, long atMillis, Map<String, Object> details) {
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", kind);
      m.put("at", Instant.ofEpochMilli(atMillis).toString());
      m.putAll(details);
      return Json.write(m);
    }
  }

  private static final long PRESENCE_KEEP_MILLIS = 60_000;
  /**
   * Relative spread of a unit's weight measured twice (taken, then returned): placement off-centre
   * on the load cell changes a reading by up to about 1-2 %.
   */
  private static final double MEASURED_UNIT_REL_SD = 0.012;

  private final StoreConfig.StoreInfo store;
  private final Map<String, StoreConfig.Product> products;
  private final Map<String, StoreConfig.Lane> lanes = new HashMap<>();
  private final List<StoreConfig.Gate> gates;
  private final LaneInventory inventory;
  private final WeightModel model;
  private final CheckoutSettings settings;
  private final PendingActivity pending;
  private final Consumer<Receipt> receipts;
  private final Consumer<Notice> notices;
  private final Map<String, Session> open = new LinkedHashMap<>();
  /** Sessions closed recently: a shelf event that resolves late may still belong to them. */
  private final Deque<Session> recentlyClosed = new ArrayDeque<>();
  private static final long KEEP_CLOSED_MILLIS = 10 * 60_000;
  private long amendments;
  /** Recent positions per track (a group shares a token but every member has its own track). */
  private final Map<String, Deque<ShopperObservation>> presence = new HashMap<>();
  private final Map<String, Set<String>> tracksOfToken = new HashMap<>();
  private final Set<String> faultyLanes = new LinkedHashSet<>();
  private long receiptsClosed;
  private long unattributedEvents;
  private long unknownExits;

  public CheckoutEngine(StoreConfig config, LaneInventory inventory, WeightModel model, CheckoutSettings settings,
      PendingActivity pending, Consumer<Receipt> receipts, Consumer<Notice> notices) {
    this.store = config.store();
    this.products = config.productsBySku();
    config.lanes().forEach(l -> lanes.put(l.id(), l));
    this.gates = config.gates();
    this.inventory = inventory;
    this.model = model;
    this.settings = settings;
    this.pending = pending;
    this.receipts = receipts;
    this.notices = notices;
  }

  public void onGate(GateEvent e) {
    if (e.customerToken() == null || e.customerToken().isBlank()) {
      notices.accept(new Notice("gate-rejected", e.atMillis(), Map.of("gateId", e.gateId(), "reason", "no token")));
      return;
    }
    if (e.direction() == GateEvent.Direction.ENTER) {
      Session s = open.get(e.customerToken());
      if (s == null || s.exitAt >= 0) {
        if (s != null) {
          close(s, e.atMillis()); // re-entry after exit: the earlier visit is finished
        }
        open.put(e.customerToken(), new Session(e.customerToken(), e.atMillis()));
      } else {
        s.members++; // a group checking in with one token shares one cart
      }
    } else {
      Session s = open.get(e.customerToken());
      if (s == null) {
        unknownExits++;
        notices.accept(new Notice("exit-without-entry", e.atMillis(),
            Map.of("gateId", e.gateId(), "customerToken", e.customerToken())));
        return;
      }
      s.exited++;
      if (s.exited >= s.members) {
        s.exitAt = e.atMillis();
      }
    }
  }

  public void onObservation(ShopperObservation o) {
    if (o.customerToken() == null) {
      return;
    }
    Deque<ShopperObservation> h = presence.computeIfAbsent(o.trackId(), k -> new ArrayDeque<>());
    tracksOfToken.computeIfAbsent(o.customerToken(), k -> new LinkedHashSet<>()).add(o.trackId());
    h.addLast(o);
    while (!h.isEmpty() && o.atMillis() - h.peekFirst().atMillis() > PRESENCE_KEEP_MILLIS) {
      h.removeFirst();
    }
    watchForHandOff(o);
    if (!faultyLanes.isEmpty()) {
      Session s = open.get(o.customerToken());
      if (s != null) {
        for (String laneId : faultyLanes) {
          StoreConfig.Lane lane = lanes.get(laneId);
          if (lane != null && dist(o, lane.position()) <= settings.associationRadiusMeters()
              && s.faultLanesNoted.add(laneId)) {
            s.reasons.add(new ReviewReason("device-fault",
                "shopper was at lane " + laneId + " while its weight device was faulty",
                Map.of("laneId", laneId, "at", Instant.ofEpochMilli(o.atMillis()).toString())));
          }
        }
      }
    }
  }

  /**
   * Two shoppers of different tokens standing very close for a while away from any lane may be
   * handing something over, which the shelves cannot see: both receipts are flagged rather than
   * one charged silently for what the other walked out with.
   */
  private void watchForHandOff(ShopperObservation o) {
    Session me = open.get(o.customerToken());
    if (me == null) {
      return;
    }
    for (Session other : open.values()) {
      if (other == me || other.token.equals(me.token) || (me.cartEmpty() && other.cartEmpty())) {
        continue;
      }
      ShopperObservation last = null;
      for (String track : tracksOfToken.getOrDefault(other.token, Set.of())) {
        Deque<ShopperObservation> h = presence.get(track);
        ShopperObservation l = h == null ? null : h.peekLast();
        if (l != null && Math.abs(l.atMillis() - o.atMillis()) <= 400
            && (last == null || dist(l, o) < dist(last, o))) {
          last = l;
        }
      }
      if (last == null) {
        continue;
      }
      // standing still side by side, away from the gates (queues there are not hand-offs)
      boolean close = dist(last, o) <= HAND_OFF_DISTANCE_METERS && standingStill(o) && standingStill(last)
          && !nearGate(o);
      if (!close) {
        me.closeToMillis.remove(other.token);
        continue;
      }
      long since = me.closeToMillis.computeIfAbsent(other.token, k -> o.atMillis());
      if (o.atMillis() - since >= HAND_OFF_MILLIS && me.handOffNoted.add(other.token)) {
        other.handOffNoted.add(me.token);
        Map<String, Object> ev = Map.of("customerTokens", List.of(me.token, other.token), "at",
            Instant.ofEpochMilli(o.atMillis()).toString(), "x", Json.round(o.x(), 2), "y", Json.round(o.y(), 2));
        me.reasons.add(new ReviewReason("possible-hand-off", "stood next to another shopper with items in hand; "
            + "items may have changed hands", ev));
        other.reasons.add(new ReviewReason("possible-hand-off", "stood next to another shopper with items in hand; "
            + "items may have changed hands", ev));
      }
    }
  }

  /** Within arm's reach of each other, side by side, for long enough to pass something over. */
  private static final double HAND_OFF_DISTANCE_METERS = 0.75;
  private static final long HAND_OFF_MILLIS = 1200;

  private boolean nearGate(ShopperObservation o) {
    for (StoreConfig.Gate g : gates) {
      if (dist(o, g.position()) <= GATE_AREA_METERS) {
        return true;
      }
    }
    return false;
  }

  /** Moved less than half a metre over the last second (a walking shopper moves ~1 m/s). */
  private boolean standingStill(ShopperObservation o) {
    Deque<ShopperObservation> h = presence.get(o.trackId());
    if (h == null) {
      return false;
    }
    var it = h.descendingIterator();
    while (it.hasNext()) {
      ShopperObservation p = it.next();
      if (o.atMillis() - p.atMillis() >= 1000) {
        return dist(p, o) < 0.5;
      }
    }
    return false;
  }

  private static final double GATE_AREA_METERS = 1.5;

  private static double dist(ShopperObservation a, ShopperObservation b) {
    return Math.hypot(a.x() - b.x(), a.y() - b.y());
  }

  public void onFault(DeviceFault f) {
    if (f.status().ok()) {
      faultyLanes.remove(f.laneId());
    } else {
      faultyLanes.add(f.laneId());
    }
  }

  public void onShelfEvent(ShelfEvent e) {
    Set<Session> involved = new LinkedHashSet<>();
    Map<String, List<Assoc>> byLane = new LinkedHashMap<>();
    for (ShelfEvent.LaneChange lc : e.lanes()) {
      // each lane on its own: two shoppers may take from two lanes of one shelf at once
      List<Assoc> who = associate(e, lc);
      byLane.put(lc.laneId(), who);
      who.forEach(a -> involved.add(a.session));
    }
    for (Session s : involved) {
      s.changedSinceEmit = false;
    }
    for (ShelfEvent.LaneChange lc : e.lanes()) {
      List<Assoc> who = byLane.get(lc.laneId());
      if (lc.deltaGrams() < 0) {
        onPick(e, lc, who);
      } else {
        onPutBack(e, lc, who);
      }
    }
    // later evidence changed a receipt already sent: publish an amendment that references it
    for (Session s : involved) {
      Assoc a = new Assoc(s, 0, 0);
      if (a.session.closed && a.session.changedSinceEmit) {
        amendments++;
        a.session.reasons.add(new ReviewReason("amended", "shelf activity that began before the exit resolved after "
            + "the receipt was sent", Map.of("eventId", e.eventId())));
        emit(a.session, a.session.exitAt);
      }
    }
  }

  /** Closes sessions whose exit has passed and whose shelf activity is resolved. Call regularly. */
  public void poll(long nowMillis) {
    prunePresence(nowMillis);
    Iterator<Session> it = open.values().iterator();
    List<Session> done = new ArrayList<>();
    while (it.hasNext()) {
      Session s = it.next();
      if (s.exitAt < 0) {
        continue;
      }
      // wait only for lanes this shopper was at: another shopper's activity is not theirs
      boolean busy = pending.busyLanesBefore(s.exitAt).entrySet().stream()
          .anyMatch(b -> wasNear(s, b.getKey(), b.getValue(), s.exitAt));
      if (!busy || nowMillis - s.exitAt >= settings.exitSettleMaxMillis()) {
        if (busy) {
          s.reasons.add(new ReviewReason("unsettled-at-exit",
              "shelf activity begun before the exit was still unresolved when the receipt closed",
              Map.of("exitAt", Instant.ofEpochMilli(s.exitAt).toString())));
        }
        it.remove();
        done.add(s);
      }
    }
    for (Session s : done) {
      emit(s, s.exitAt);
      remember(s, nowMillis);
    }
  }

  /** Whether any of the session's tracks was within reach of the lane between {@code from} and {@code t}. */
  private boolean wasNear(Session s, String laneId, long from, long t) {
    StoreConfig.Lane lane = lanes.get(laneId);
    if (lane == null) {
      return false;
    }
    for (String track : tracksOfToken.getOrDefault(s.token, Set.of())) {
      Deque<ShopperObservation> h = presence.get(track);
      if (h != null && trackDistance(h, lane.position(), from - settings.presenceWindowBeforeMillis(), t, t, t)
          <= settings.associationRadiusMeters()) {
        return true;
      }
    }
    return false;
  }

  private long lastPrune;

  /** Forgets tracks not seen for a while, so presence stays bounded in a long-running agent. */
  private void prunePresence(long now) {
    if (now - lastPrune < 10_000) {
      return;
    }
    lastPrune = now;
    presence.entrySet().removeIf(e -> e.getValue().isEmpty()
        || now - e.getValue().peekLast().atMillis() > PRESENCE_KEEP_MILLIS);
    tracksOfToken.values().forEach(ts -> ts.removeIf(t -> !presence.containsKey(t)));
    tracksOfToken.values().removeIf(Set::isEmpty);
  }

  public int openSessions() {
    return open.size();
  }

  public long receiptsClosed() {
    return receiptsClosed;
  }

  public long unattributedEvents() {
    return unattributedEvents;
  }

  public long unknownExits() {
    return unknownExits;
  }

  /**
   * Purges everything this engine holds about a customer token: an open session and its cart (no
   * receipt is produced), recently closed sessions kept for amendments, and the positions of the
   * tracks bound to it. Returns what was purged.
   */
  public Map<String, Object> forget(String token) {
    Map<String, Object> out = new LinkedHashMap<>();
    Session s = open.remove(token);
    out.put("openSession", s != null);
    out.put("cartLines", s == null ? 0 : s.cart.size());
    int closed = 0;
    for (Iterator<Session> it = recentlyClosed.iterator(); it.hasNext(); ) {
      if (it.next().token.equals(token)) {
        it.remove();
        closed++;
      }
    }
    out.put("closedSessions", closed);
    Set<String> tracks = tracksOfToken.remove(token);
    int n = 0;
    if (tracks != null) {
      for (String t : tracks) {
        if (presence.remove(t) != null) {
          n++;
        }
      }
    }
    out.put("tracks", n);
    for (Session other : open.values()) {
      other.closeToMillis.remove(token);
    }
    return out;
  }

  /** Receipts re-sent as amendments after later evidence changed them. */
  public long amendments() {
    return amendments;
  }

  // --- picks and put-backs ---

  private void onPick(ShelfEvent e, ShelfEvent.LaneChange lc, List<Assoc> who) {
    List<ShelfEvent.Candidate> cands = e.candidates().stream().filter(c -> c.laneId().equals(lc.laneId())).toList();
    if (cands.isEmpty()) {
      notices.accept(new Notice("unexplained-weight-change", e.endMillis(), evidence(e, lc, who, cands)));
      if (!who.isEmpty()) {
        who.get(0).session.reasons.add(new ReviewReason("unexplained-weight-change",
            "a weight change at lane " + lc.laneId() + " matches no product", evidence(e, lc, who, cands)));
      }
      return;
    }
    ShelfEvent.Candidate best = cands.get(0);
    // a product the lane is not known to hold is possible (unrecorded returns, restocking
    // mistakes) but never charged silently
    boolean expected = inventory.count(lc.laneId(), best.sku()) > 0;
    inventory.apply(lc.laneId(), best.sku(), -best.count());
    if (who.isEmpty()) {
      unattributedEvents++;
      notices.accept(new Notice("unattributed-pick", e.endMillis(), evidence(e, lc, who, cands)));
      return;
    }
    Assoc a = who.get(0);
    double conf = best.likelihood() * a.probability;
    a.session.add(best.sku(), best.count(), conf);
    a.session.measured(best.sku(), Math.abs(lc.deltaGrams()) / best.count(), best.count());
    a.session.touched.add(lc.laneId());
    if (!expected) {
      a.session.reasons.add(new ReviewReason("unexpected-product", "pick at lane " + lc.laneId() + " weighs like "
          + best.count() + " x " + best.sku() + ", which the lane is not known to hold", evidence(e, lc, who, cands)));
    } else if (a.probability < settings.reviewThreshold() && who.size() > 1) {
      flagAmbiguous(who, "pick of " + best.count() + " x " + best.sku() + " at lane " + lc.laneId()
          + " charged to " + a.session.token + " with probability " + Json.round(a.probability, 3),
          evidence(e, lc, who, cands));
    } else if (conf < settings.reviewThreshold()) {
      a.session.reasons.add(new ReviewReason("low-confidence-line", "pick of " + best.count() + " x " + best.sku()
          + " at lane " + lc.laneId() + " has confidence " + Json.round(conf, 3), evidence(e, lc, who, cands)));
    }
  }

  /**
   * Who took it is in doubt: every plausible shopper's receipt is flagged, so a reviewer sees both
   * the one charged and the one who may have been missed.
   */
  private void flagAmbiguous(List<Assoc> who, String message, Map<String, Object> evidence) {
    for (Assoc other : who) {
      if (other.probability >= AMBIGUOUS_SHOPPER_MIN_PROBABILITY) {
        other.session.reasons.add(new ReviewReason("ambiguous-shopper", message, evidence));
      }
    }
  }

  /** A shopper this likely to be the one at the lane is named in an ambiguity flag. */
  private static final double AMBIGUOUS_SHOPPER_MIN_PROBABILITY = 0.05;

  private void onPutBack(ShelfEvent e, ShelfEvent.LaneChange lc, List<Assoc> who) {
    if (who.isEmpty()) {
      unattributedEvents++;
      List<ShelfEvent.Candidate> cands = e.candidates().stream().filter(c -> c.laneId().equals(lc.laneId())).toList();
      if (!cands.isEmpty()) {
        inventory.apply(lc.laneId(), cands.get(0).sku(), cands.get(0).count());
      }
      notices.accept(new Notice("unattributed-put-back", e.endMillis(), evidence(e, lc, who, cands)));
      return;
    }
    // the returned item comes from someone's cart: score (shopper, sku, count) together
    String planned = inventory.plannedSku(lc.laneId());
    ShelfEvent.Candidate bestC = null;
    Assoc bestA = null;
    double bestScore = 0;
    List<ShelfEvent.Candidate> shown = new ArrayList<>();
    for (Assoc a : who) {
      Map<String, Double> prior = new HashMap<>();
      Map<String, Integer> max = new HashMap<>();
      Map<String, double[]> measured = new HashMap<>();
      a.session.cart.forEach((sku, line) -> {
        if (line.qty > 0) {
          prior.put(sku, line.qty * (sku.equals(planned) ? 4.0 : 1.0));
          max.put(sku, line.qty);
          if (!line.unitGrams.isEmpty()) {
            // the very units the shopper took were weighed then: a much tighter expectation
            measured.put(sku, line.unitGrams.stream().mapToDouble(Double::doubleValue).toArray());
          }
        }
      });
      if (prior.isEmpty()) {
        continue;
      }
      List<ShelfEvent.Candidate> cs = model.explain(lc.laneId(), lc.deltaGrams(), lc.sigmaGrams(), prior, max,
          measured, MEASURED_UNIT_REL_SD, 5);
      for (ShelfEvent.Candidate c : cs) {
        double score = c.likelihood() * a.probability;
        shown.add(c);
        if (score > bestScore) {
          bestScore = score;
          bestC = c;
          bestA = a;
        }
      }
    }
    if (bestC == null) {
      Session s = who.get(0).session;
      s.reasons.add(new ReviewReason("unexplained-put-back",
          "an item was put on lane " + lc.laneId() + " that matches nothing in the cart", evidence(e, lc, who, shown)));
      notices.accept(new Notice("unexplained-put-back", e.endMillis(), evidence(e, lc, who, shown)));
      return;
    }
    // likelihoods are normalised per shopper (outlier included) and shopper probabilities sum to
    // one, so the best joint score is already the probability of this explanation
    double conf = bestScore;
    bestA.session.add(bestC.sku(), -bestC.count(), conf);
    bestA.session.returned(bestC.sku(), lc.deltaGrams() / bestC.count(), bestC.count());
    bestA.session.touched.add(lc.laneId());
    inventory.apply(lc.laneId(), bestC.sku(), bestC.count());
    if (!bestC.sku().equals(planned)) {
      notices.accept(new Notice("misplaced-item", e.endMillis(),
          Map.of("laneId", lc.laneId(), "sku", bestC.sku(), "count", bestC.count(), "plannedSku", planned)));
    }
    if (conf < settings.reviewThreshold()) {
      if (who.size() > 1 && bestA.probability < settings.reviewThreshold()) {
        flagAmbiguous(who, "put-back of " + bestC.count() + " x " + bestC.sku() + " at lane " + lc.laneId()
            + " credited to " + bestA.session.token + " with confidence " + Json.round(conf, 3),
            evidence(e, lc, who, shown));
      } else {
        bestA.session.reasons.add(new ReviewReason("low-confidence-put-back", "put-back of " + bestC.count() + " x "
            + bestC.sku() + " at lane " + lc.laneId() + " has confidence " + Json.round(conf, 3),
            evidence(e, lc, who, shown)));
      }
    }
  }

  // --- association ---

  private record Assoc(Session session, double distance, double probability) {}

  /**
   * Open (and just closed) sessions whose shopper was at the lane while it changed, most likely
   * first. The distance that counts is the median over the event's active window: the shopper
   * whose hand moved the item stands at the lane for the whole interaction, while a passer-by is
   * near only for a moment. Without observations inside the window, the nearest observation in a
   * slightly wider window is used.
   */
  private List<Assoc> associate(ShelfEvent e, ShelfEvent.LaneChange lc) {
    StoreConfig.Lane lane = lanes.get(lc.laneId());
    if (lane == null) {
      return List.of();
    }
    List<Assoc> near = associate(e, lane, e.startMillis() - settings.presenceWindowBeforeMillis(),
        e.endMillis() + settings.presenceWindowAfterMillis(), settings.associationRadiusMeters(), 1.0);
    if (!near.isEmpty()) {
      return near;
    }
    // nobody seen at the lane (a tracking gap, an occlusion): whoever was last seen close by in
    // the seconds around it is a candidate, never a certain one, so the line is always flagged
    return associate(e, lane, e.startMillis() - GAP_LOOKBACK_MILLIS, e.endMillis() + GAP_LOOKAHEAD_MILLIS,
        GAP_RADIUS_METERS, GAP_MAX_PROBABILITY);
  }

  /** Fallback association across a tracking gap: how far back, forward and around to look. */
  private static final long GAP_LOOKBACK_MILLIS = 10_000;
  private static final long GAP_LOOKAHEAD_MILLIS = 3_000;
  private static final double GAP_RADIUS_METERS = 2.0;
  private static final double GAP_MAX_PROBABILITY = 0.6;

  private List<Assoc> associate(ShelfEvent e, StoreConfig.Lane lane, long from, long to, double radius,
      double maxProbability) {
    List<Assoc> raw = new ArrayList<>();
    double total = 0;
    List<Session> candidates = new ArrayList<>(open.values());
    candidates.addAll(recentlyClosed);
    for (Session s : candidates) {
      if (s.exitAt >= 0 && s.exitAt < e.startMillis()) {
        continue;
      }
      // the session's nearest member (a group has one track per member)
      double d = Double.POSITIVE_INFINITY;
      for (String track : tracksOfToken.getOrDefault(s.token, Set.of())) {
        Deque<ShopperObservation> h = presence.get(track);
        if (h != null) {
          d = Math.min(d, trackDistance(h, lane.position(), from, to, e.startMillis(), e.endMillis()));
        }
      }
      if (d <= radius) {
        double w = Math.exp(-0.5 * (d / ASSOCIATION_SIGMA_METERS) * (d / ASSOCIATION_SIGMA_METERS));
        raw.add(new Assoc(s, d, w));
        total += w;
      }
    }
    final double norm = total;
    return raw.stream()
        .map(a -> new Assoc(a.session, a.distance, norm > 0 ? maxProbability * a.probability / norm : 0))
        .sorted(Comparator.comparingDouble(Assoc::probability).reversed()).toList();
  }

  /** Median distance to {@code p} while the lane was active, else the nearest in the wider window. */
  private static double trackDistance(Deque<ShopperObservation> h, StoreConfig.Position p, long from, long to,
      long activeFrom, long activeTo) {
    List<Double> during = new ArrayList<>();
    double nearest = Double.POSITIVE_INFINITY;
    for (ShopperObservation o : h) {
      if (o.atMillis() < from || o.atMillis() > to) {
        continue;
      }
      double d = dist(o, p);
      nearest = Math.min(nearest, d);
      if (o.atMillis() >= activeFrom && o.atMillis() <= activeTo) {
        during.add(d);
      }
    }
    if (during.isEmpty()) {
      return nearest;
    }
    during.sort(null);
    return during.get(during.size() / 2);
  }

  /** Spread of a shopper's position around the spot where they stand to reach a lane, metres. */
  private static final double ASSOCIATION_SIGMA_METERS = 0.35;

  private static double dist(ShopperObservation o, StoreConfig.Position p) {
    return Math.hypot(o.x() - p.x(), o.y() - p.y());
  }

  private Map<String, Object> evidence(ShelfEvent e, ShelfEvent.LaneChange lc, List<Assoc> who,
      List<ShelfEvent.Candidate> cands) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("eventId", e.eventId());
    m.put("start", Instant.ofEpochMilli(e.startMillis()).toString());
    m.put("end", Instant.ofEpochMilli(e.endMillis()).toString());
    m.put("laneId", lc.laneId());
    m.put("lanes", e.lanes().stream().map(ShelfEvent.LaneChange::laneId).toList());
    m.put("deltaGrams", Json.round(lc.deltaGrams(), 1));
    m.put("sigmaGrams", Json.round(lc.sigmaGrams(), 2));
    m.put("candidates", cands.stream().limit(5).map(c -> Map.of("sku", c.sku(), "count", c.count(),
        "likelihood", Json.round(c.likelihood(), 4))).toList());
    m.put("shoppers", who.stream().map(a -> Map.of("customerToken", a.session.token,
        "distanceMeters", Json.round(a.distance, 2), "probability", Json.round(a.probability, 4))).toList());
    return m;
  }

  // --- sessions and receipts ---

  private void close(Session s, long at) {
    open.remove(s.token);
    emit(s, s.exitAt >= 0 ? s.exitAt : at);
  }

  private void remember(Session s, long now) {
    s.closed = true;
    recentlyClosed.addLast(s);
    while (!recentlyClosed.isEmpty() && now - recentlyClosed.peekFirst().exitAt > KEEP_CLOSED_MILLIS) {
      recentlyClosed.removeFirst();
    }
  }

  private void emit(Session s, long exitAt) {
    List<ReceiptLine> items = new ArrayList<>();
    List<ReviewReason> reasons = new ArrayList<>(s.reasons);
    long total = 0;
    for (Map.Entry<String, CartLine> en : s.cart.entrySet()) {
      CartLine line = en.getValue();
      if (line.qty == 0) {
        continue;
      }
      StoreConfig.Product p = products.get(en.getKey());
      if (line.qty < 0) {
        reasons.add(new ReviewReason("negative-quantity", "more " + p.sku() + " returned than taken",
            Map.of("sku", p.sku(), "qty", line.qty)));
        continue;
      }
      long lineTotal = line.qty * p.priceMinor();
      total += lineTotal;
      items.add(new ReceiptLine(p.sku(), p.name(), line.qty, p.priceMinor(), lineTotal, line.confidence));
    }
    String id = receiptId(s);
    String amends = null;
    if (s.emitted > 0) {
      amends = id;
      id = id + "-a" + s.emitted;
    } else {
      receiptsClosed++;
    }
    s.emitted++;
    receipts.accept(new Receipt(id, store.id(), store.gatewayId(), s.token, Instant.ofEpochMilli(s.enteredAt),
        Instant.ofEpochMilli(exitAt), items, total, store.currency(), !reasons.isEmpty(), reasons, amends));
  }

  private String receiptId(Session s) {
    String seed = store.id() + "|" + store.gatewayId() + "|" + s.token + "|" + s.enteredAt;
    return "r-" + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8));
  }

  private static final class CartLine {
    int qty;
    double confidence = 1.0;
    /** Measured weight of each unit taken and still held, grams. */
    final List<Double> unitGrams = new ArrayList<>();
  }

  private static final class Session {
    final String token;
    final long enteredAt;
    long exitAt = -1;
    int members = 1;
    int exited;
    final Map<String, CartLine> cart = new LinkedHashMap<>();
    final List<ReviewReason> reasons = new ArrayList<>();
    final Set<String> touched = new LinkedHashSet<>();
    final Set<String> faultLanesNoted = new LinkedHashSet<>();
    final Map<String, Long> closeToMillis = new HashMap<>();
    final Set<String> handOffNoted = new LinkedHashSet<>();
    boolean closed;
    boolean changedSinceEmit;
    int emitted;

    Session(String token, long enteredAt) {
      this.token = token;
      this.enteredAt = enteredAt;
    }

    void measured(String sku, double unitGrams, int count) {
      CartLine l = cart.get(sku);
      for (int i = 0; i < count; i++) {
        l.unitGrams.add(unitGrams);
      }
    }

    /** Forgets the measured units closest to the returned unit weight. */
    void returned(String sku, double unitGrams, int count) {
      CartLine l = cart.get(sku);
      for (int i = 0; i < count && !l.unitGrams.isEmpty(); i++) {
        int best = 0;
        for (int j = 1; j < l.unitGrams.size(); j++) {
          if (Math.abs(l.unitGrams.get(j) - unitGrams) < Math.abs(l.unitGrams.get(best) - unitGrams)) {
            best = j;
          }
        }
        l.unitGrams.remove(best);
      }
    }

    boolean cartEmpty() {
      return cart.values().stream().allMatch(l -> l.qty <= 0);
    }

    void add(String sku, int signedQty, double confidence) {
      changedSinceEmit = true;
      CartLine l = cart.computeIfAbsent(sku, k -> new CartLine());
      l.qty += signedQty;
      l.confidence = Math.min(l.confidence, confidence);
    }
  }
}
