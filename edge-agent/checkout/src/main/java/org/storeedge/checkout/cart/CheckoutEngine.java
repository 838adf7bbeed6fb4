package org.storeedge.checkout.cart;

import static org.storeedge.checkout.cart.TrackMotion.ASSOCIATION_SIGMA_METERS;
import static org.storeedge.checkout.cart.TrackMotion.MIN_SPEED_SAMPLES;
import static org.storeedge.checkout.cart.TrackMotion.MIN_SPEED_SPAN_MILLIS;
import static org.storeedge.checkout.cart.TrackMotion.REACH_METERS;
import static org.storeedge.checkout.cart.TrackMotion.STILL_SPEED;
import static org.storeedge.checkout.cart.TrackMotion.WALKED_OFF_FACTOR;
import static org.storeedge.checkout.cart.TrackMotion.dist;
import static org.storeedge.checkout.cart.TrackMotion.median;
import static org.storeedge.checkout.cart.TrackMotion.positionWeight;
import static org.storeedge.checkout.cart.TrackMotion.speedAround;
import static org.storeedge.checkout.cart.TrackMotion.trackAhead;
import static org.storeedge.checkout.cart.TrackMotion.trackDistance;
import static org.storeedge.checkout.cart.TrackMotion.trackSpeed;
import static org.storeedge.checkout.cart.TrackMotion.walkedOff;
import static org.storeedge.checkout.cart.TrackMotion.whileActive;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.storeedge.checkout.weight.LaneInventory;
import org.storeedge.checkout.weight.WeightModel;
import org.storeedge.config.ShelfFronts;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.DeviceFault;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.HandContact;
import org.storeedge.core.event.HandInLane;
import org.storeedge.core.event.ShelfEvent;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.core.json.Erasure;
import org.storeedge.core.json.Json;

/**
 * Shopper sessions and their carts.
 *
 * <pre>
 *  GateEvent ENTER --> session (cart) per customer token
 *  ShopperObservation --> position history per token
 *  HandInLane --> whose hand was in which lane when (weighs who-took-it far more than position)
 *  HandContact --> two shoppers' hands met: once what each held then is charged, a possible
 *                  hand-off, both receipts flagged; with the store's belief in its contacts,
 *                  one unit moves from a holder of one product to an empty-handed shopper,
 *                  or from the giver the camera saw, of the product it saw
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
  private static final double MEASURED_UNIT_REL_SD = WeightModel.MEASURED_UNIT_REL_SD;

  private final StoreConfig.StoreInfo store;
  private final Map<String, StoreConfig.Product> products;
  private final Map<String, StoreConfig.Lane> lanes = new HashMap<>();
  private final List<StoreConfig.Gate> gates;
  private final LaneInventory inventory;
  private final PickSpots spots;
  private final WeightModel model;
  private final TwoWayActivity twoWayActivity;
  private final CheckoutSettings settings;
  private final PendingActivity pending;
  private final Consumer<Receipt> receipts;
  private final Consumer<Notice> notices;
  private final Map<String, Session> open = new LinkedHashMap<>();
  /** The store's checkout section: who is staff. */
  private final StoreConfig.Checkout checkoutPolicy;
  /** Sessions closed recently: a shelf event that resolves late may still belong to them. */
  private final Deque<Session> recentlyClosed = new ArrayDeque<>();
  /** Sessions whose sent receipt a later shelf event cast doubt on: amended after the event. */
  private final Set<Session> doubtedAfterEmit = new LinkedHashSet<>();
  private static final long KEEP_CLOSED_MILLIS = 10 * 60_000;
  private long amendments;
  /** Recent positions per track (a group shares a token but every member has its own track). */
  private final ShopperTracks tracks = new ShopperTracks(PRESENCE_KEEP_MILLIS);
  private final Set<String> faultyLanes = new LinkedHashSet<>();
  /** Which side shoppers take from, for the lanes of shelves whose {@code facing} the store file gives. */
  private final Map<String, ShelfFronts.Front> fronts = new HashMap<>();
  private final LaneHands laneHands;
  private long receiptsClosed;
  private long unattributedEvents;
  private long unknownExits;

  public CheckoutEngine(StoreConfig config, LaneInventory inventory, WeightModel model, CheckoutSettings settings,
      PendingActivity pending, Consumer<Receipt> receipts, Consumer<Notice> notices) {
    this.store = config.store();
    this.checkoutPolicy = config.checkout();
    this.products = config.productsBySku();
    config.lanes().forEach(l -> lanes.put(l.id(), l));
    this.laneHands = new LaneHands(config, settings, PRESENCE_KEEP_MILLIS);
    Map<String, ShelfFronts.Front> all = ShelfFronts.of(config);
    config.shelves().stream().filter(sh -> sh.facingDegrees().isPresent())
        .forEach(sh -> sh.lanes().forEach(l -> fronts.put(l.id(), all.get(l.id()))));
    this.gates = config.gates();
    this.inventory = inventory;
    this.spots = new PickSpots(config);
    this.model = model;
    this.twoWayActivity = new TwoWayActivity(config.productsBySku());
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
          // back in before the earlier visit's receipt closed: that visit is finished now
          open.remove(s.token);
          if (isBusyAtExit(s)) {
            markUnsettled(s);
          }
          finish(s, e.atMillis());
        }
        Session n = new Session(e.customerToken(), e.atMillis());
        n.staff = checkoutPolicy.isStaff(n.token);
        open.put(e.customerToken(), n);
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
        s.exitGateId = e.gateId();
      }
    }
  }

  public void onObservation(ShopperObservation o) {
    if (!tracks.add(o)) {
      // someone the cameras cannot put a token on (not yet handed over, or no check-in at all):
      // kept only to know whether anyone else was at a lane (see soleShopper)
      return;
    }
    watchForHandOff(o);
    Session seen = open.get(o.customerToken());
    if (seen != null) {
      if (o.atMillis() - seen.lastSeenAt > UNSEEN_GAP_MILLIS) {
        seen.unseen.add(new long[] {seen.lastSeenAt, o.atMillis()});
      }
      seen.lastSeenAt = Math.max(seen.lastSeenAt, o.atMillis());
    }
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
    if (me == null || settings.handOffs() == StoreConfig.HandOffPolicy.TAKER_PAYS
        || (laneHands.live(o.atMillis()) && settings.handOffs() != StoreConfig.HandOffPolicy.REVIEW_MEETINGS)) {
      return; // a live hand source reports contacts itself (onHandContact): proximity is too coarse
    }
    for (Session other : open.values()) {
      // recorded whether or not either holds anything yet: a pick is charged only once the lane has
      // settled, and an item handed over right after it was taken must not start the clock late
      if (other == me || other.token.equals(me.token) || me.staff || other.staff) {
        continue; // staff restocking beside shoppers hand nothing over that a receipt would show
      }
      ShopperObservation last = null;
      for (Deque<ShopperObservation> h : tracks.of(other.token)) {
        ShopperObservation l = h.peekLast();
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
      List<Meeting> eps = me.meetings.get(other.token);
      Meeting ongoing = eps == null || eps.isEmpty() ? null : eps.get(eps.size() - 1);
      if (!close) {
        if (ongoing != null) {
          ongoing.open = false;
        }
        continue;
      }
      if (ongoing != null && ongoing.open) {
        ongoing.to = o.atMillis();
      } else if (eps == null || eps.size() < MAX_MEETINGS_PER_PAIR) {
        me.meetings.computeIfAbsent(other.token, k -> new ArrayList<>())
            .add(new Meeting(o.atMillis(), o.atMillis(), o.x(), o.y()));
      }
    }
  }

  /** Two shoppers standing side by side: from, to (store millis), where, and whether it goes on. */
  private static final class Meeting {
    final long from;
    long to;
    boolean open = true;
    final double x;
    final double y;

    Meeting(long from, long to, double x, double y) {
      this.from = from;
      this.to = to;
      this.x = x;
      this.y = y;
    }
  }

  private static final int MAX_MEETINGS_PER_PAIR = 64;

  /**
   * Called when {@code s} closes: each time it stood side by side with another shopper (one of
   * them holding items), for {@link #HAND_OFF_MILLIS} or more while neither had a hand in a shelf
   * (no lane changed near either of them then) and neither moved faster than
   * {@link #HAND_OFF_MAX_SPEED} over that stretch, items may have changed hands; both receipts
   * are flagged. Side by side at a shelf while one of them takes something is a crowd, not a hand-off:
   * a hand busy in a lane is not passing an item over.
   */
  private void checkHandOffs(Session s) {
    Map<String, List<Meeting>> all = new LinkedHashMap<>();
    s.meetings.forEach((t, eps) -> all.computeIfAbsent(t, k -> new ArrayList<>()).addAll(eps));
    List<Session> others = openAndRecentlyClosed();
    Map<String, Session> byToken = new HashMap<>();
    for (Session o : others) {
      if (o == s) {
        continue;
      }
      byToken.put(o.token, o);
      List<Meeting> eps = o.meetings.get(s.token);
      if (eps != null) {
        all.computeIfAbsent(o.token, k -> new ArrayList<>()).addAll(eps);
      }
    }
    for (Map.Entry<String, List<Meeting>> en : all.entrySet()) {
      Session other = byToken.get(en.getKey());
      if (other == null || s.handOffNoted.contains(other.token) || s.staff || other.staff) {
        continue;
      }
      for (Meeting m : en.getValue()) {
        long[] stretch = longestFree(m.from, m.to, s.activity, other.activity);
        long free = stretch[1] - stretch[0];
        // one of them had taken something by the end of it (charged later, once the lane settled)
        boolean holding = Math.min(s.firstTakeAt, other.firstTakeAt) <= m.to;
        if (holding && free >= HAND_OFF_MILLIS && !(speedOf(s, stretch[0], stretch[1]) > HAND_OFF_MAX_SPEED)
            && !(speedOf(other, stretch[0], stretch[1]) > HAND_OFF_MAX_SPEED)
            && !(tookThere(s, m) && tookThere(other, m))) {
          s.handOffNoted.add(other.token);
          other.handOffNoted.add(s.token);
          Map<String, Object> ev = new LinkedHashMap<>();
          ev.put("customerTokens", List.of(s.token, other.token));
          ev.put("from", Instant.ofEpochMilli(m.from).toString());
          ev.put("to", Instant.ofEpochMilli(m.to).toString());
          ev.put("withoutShelfActivityMillis", free);
          ev.put("x", Json.round(m.x, 2));
          ev.put("y", Json.round(m.y, 2));
          String msg = "stood next to another shopper, one of them with items in hand and neither reaching into a "
              + "shelf, for " + Json.round(free / 1000.0, 1) + " s; items may have changed hands";
          s.reasons.add(new ReviewReason("possible-hand-off", msg, ev));
          other.reasons.add(new ReviewReason("possible-hand-off", msg, ev));
          if (other.closed) {
            // the other left first and its receipt went out without this: amend it
            doubtedAfterEmit.add(other);
          }
          break;
        }
      }
    }
    s.meetings.clear();
  }

  /**
   * Whether {@code s} was charged for a pick at a lane within reach of where meeting {@code m}
   * took place, around that time: it was shopping there. Two shoppers who both took from the
   * shelf they stood at were browsing side by side; someone who came over and took nothing there
   * may have come for what the other held.
   */
  private boolean tookThere(Session s, Meeting m) {
    for (Iterator<Pick> it = recentPicks.descendingIterator(); it.hasNext(); ) {
      Pick p = it.next();
      if (p.atMillis() < m.from - SHOPPING_THERE_MILLIS) {
        break;
      }
      StoreConfig.Lane lane = lanes.get(p.laneId());
      if (p.atMillis() <= m.to + SHOPPING_THERE_MILLIS && p.chargedTo().contains(s.token) && lane != null
          && Math.hypot(lane.position().x() - m.x, lane.position().y() - m.y) <= REACH_METERS) {
        return true;
      }
    }
    return false;
  }

  /** How long before or after standing side by side a pick there still counts as shopping there. */
  private static final long SHOPPING_THERE_MILLIS = 20_000;

  /** Longest stretch {start, end} of [from, to] outside every window of {@code a} and {@code b} (each widened a little). */
  static long[] longestFree(long from, long to, List<long[]> a, List<long[]> b) {
    List<long[]> busy = new ArrayList<>();
    for (List<long[]> l : List.of(a, b)) {
      for (long[] w : l) {
        if (w[1] + ACTIVITY_MARGIN_MILLIS >= from && w[0] - ACTIVITY_MARGIN_MILLIS <= to) {
          busy.add(new long[] {w[0] - ACTIVITY_MARGIN_MILLIS, w[1] + ACTIVITY_MARGIN_MILLIS});
        }
      }
    }
    busy.sort(Comparator.comparingLong(w -> w[0]));
    long[] best = {from, from};
    long cursor = from;
    for (long[] w : busy) {
      if (w[0] > cursor && Math.min(w[0], to) - cursor > best[1] - best[0]) {
        best = new long[] {cursor, Math.min(w[0], to)};
      }
      cursor = Math.max(cursor, w[1]);
      if (cursor >= to) {
        break;
      }
    }
    if (cursor < to && to - cursor > best[1] - best[0]) {
      best = new long[] {cursor, to};
    }
    return best;
  }

  /**
   * How fast {@code s}'s shopper moved over [from, to]: the slowest of its tracks with enough
   * observations then (see {@link TrackMotion#trackSpeed}); NaN when none has.
   */
  private double speedOf(Session s, long from, long to) {
    double best = Double.NaN;
    for (Deque<ShopperObservation> h : tracks.of(s.token)) {
      double v = trackSpeed(h, from, to);
      if (!Double.isNaN(v) && !(v >= best)) {
        best = v;
      }
    }
    return best;
  }

  /** Two people passing something over stand; shoppers strolling side by side pass nothing. */
  private static final double HAND_OFF_MAX_SPEED = 0.2;

  /** A hand in a shelf is there a little before and after the weight shows it. */
  private static final long ACTIVITY_MARGIN_MILLIS = 500;
  private static final int MAX_ACTIVITY = 1_000;

  /**
   * A hand in a lane. Kept for {@link #PRESENCE_KEEP_MILLIS}; weighed against shelf events of that
   * lane by {@link #associate}.
   */
  public void onHandInLane(HandInLane h) {
    if (!lanes.containsKey(h.laneId())) {
      notices.accept(new Notice("hand-rejected", h.toMillis(), Map.of("laneId", h.laneId(), "reason", "unknown lane")));
      return;
    }
    String token = h.customerToken() != null ? h.customerToken() : tracks.tokenOf(h.trackId());
    laneHands.add(h.laneId(), h.trackId(), token, h.fromMillis(), h.toMillis(), h.confidence());
  }

  /**
   * Hands of two shoppers met: something may have changed hands, which no shelf sees. The contact
   * waits until what both held at that moment is charged (a pick is charged once its lane has
   * settled, and an item is often handed over right after it left the shelf); then
   * {@link #resolve} flags both receipts, or moves the item where the store believes its contacts.
   * A second report of the same meeting is dropped, unless the first still waits and did not say
   * which way the item went while this one does: then this one takes its place.
   */
  public void onHandContact(HandContact c) {
    laneHands.heard(c.atMillis());
    String a = c.customerToken() != null ? c.customerToken() : tracks.tokenOf(c.trackId());
    String b = c.otherCustomerToken() != null ? c.otherCustomerToken() : tracks.tokenOf(c.otherTrackId());
    Session sa = a == null ? null : open.get(a);
    Session sb = b == null ? null : open.get(b);
    if (settings.handOffs() == StoreConfig.HandOffPolicy.TAKER_PAYS || sa == null || sb == null || sa == sb) {
      return;
    }
    Session giver = !c.directed() ? null : c.giverTrackId().equals(c.trackId()) ? sa : sb;
    Contact k = new Contact(sa, sb, c.atMillis(), c.confidence(), giver, c.sku(), c.qty());
    Long previous = sa.contactAt.put(sb.token, c.atMillis());
    sb.contactAt.put(sa.token, c.atMillis());
    if (previous == null || Math.abs(c.atMillis() - previous) > SAME_MEETING_MILLIS) {
      contacts.add(k);
    } else if (giver != null) { // the same meeting reported again: an item passes over once, not back and forth
      contacts.replaceAll(p -> p.giver() == null && p.between(sa, sb) ? k : p);
    }
  }

  private static Map<String, Object> contactEvidence(Contact k) {
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("customerTokens", List.of(k.a().token, k.b().token));
    ev.put("at", Instant.ofEpochMilli(k.atMillis()).toString());
    ev.put("source", "hand-contact");
    ev.put("confidence", Json.round(k.confidence(), 3));
    if (k.giver() != null) {
      ev.put("seenGiving", k.giver().token);
    }
    if (k.sku() != null) {
      ev.put("seenPassing", k.qty() > 0 ? Map.of("sku", k.sku(), "qty", k.qty()) : Map.of("sku", k.sku()));
    }
    return ev;
  }

  /**
   * Hands of two shoppers seen meeting, waiting for what each held then to be charged.
   *
   * @param giver the one the camera saw the object leave, or null when it could not tell
   * @param sku the product the camera saw pass over, or null
   * @param qty how many units of it the camera counted, 0 if it did not
   */
  private record Contact(Session a, Session b, long atMillis, double confidence, Session giver, String sku, int qty) {
    boolean between(Session x, Session y) {
      return (a == x && b == y) || (a == y && b == x);
    }
  }

  private final List<Contact> contacts = new ArrayList<>();

  /**
   * How long after a contact what both shoppers held at that moment is taken as known, unless a
   * lane near either of them is still unresolved from before it (then it waits on, at most until
   * either leaves).
   */
  private static final long CONTACT_SETTLE_MILLIS = 2_000;

  /** Contacts of the same two shoppers this close after one another are one meeting, reported again. */
  private static final long SAME_MEETING_MILLIS = 5_000;

  /**
   * Resolves the hand contacts involving {@code leaving} (all of them: its receipt goes out now),
   * and every other contact whose moment is settled by {@code nowMillis}.
   */
  private void resolveContacts(Session leaving, long nowMillis) {
    for (Iterator<Contact> it = contacts.iterator(); it.hasNext(); ) {
      Contact k = it.next();
      boolean mine = k.a() == leaving || k.b() == leaving;
      if (mine || (nowMillis - k.atMillis() >= CONTACT_SETTLE_MILLIS && !busyBefore(k.a(), k.atMillis())
          && !busyBefore(k.b(), k.atMillis()))) {
        it.remove();
        resolve(k);
      }
    }
  }

  /**
   * A contact whose moment is settled. If neither held anything then and the camera named no
   * product, nothing happened that a receipt shows. Otherwise both receipts are flagged
   * {@code possible-hand-off}, unless the store believes its contacts (see
   * {@link CheckoutSettings#handContactsMoveItems}) and it is known who gave what (staff aside):
   * one unit of it (or as many as the camera counted) moves to the other,
   * with the store's {@code handContactPrecision} times the giver's confidence in that line; both
   * receipts are flagged {@code possible-hand-off} when that is below the review threshold or the
   * giver held more units than moved without the camera having counted them (how many passed over
   * is unknown).
   *
   * <p>Who gave: the one the camera saw giving, else the only one of the two who held anything.
   * What: the product the camera saw pass, if the giver held it then, else the giver's only
   * product. A camera that names a giver who held nothing, or a product the giver did not hold (or
   * not as many of it as it counted), contradicts the receipts, and nothing moves.
   */
  private void resolve(Contact k) {
    Map<String, Integer> heldA = heldAt(k.a(), k.atMillis());
    Map<String, Integer> heldB = heldAt(k.b(), k.atMillis());
    if (heldA.isEmpty() && heldB.isEmpty() && k.sku() == null) {
      return;
    }
    Session giver = giverOf(k, heldA, heldB);
    Session receiver = giver == k.a() ? k.b() : k.a();
    Map<String, Integer> held = giver == k.a() ? heldA : heldB;
    Map<String, Object> ev = contactEvidence(k);
    // both parties are open: the first of them to leave resolves its contacts before it closes
    String sku = giver == null ? null : productPassed(k, held);
    CartLine line = sku == null ? null : giver.cart.get(sku);
    boolean counted = k.sku() != null && k.qty() > 0;
    int moves = counted ? k.qty() : 1;
    if (!settings.handContactsMoveItems() || line == null || line.qty < moves || held.get(sku) < moves || giver.staff
        || receiver.staff) {
      flagContact(k.a(), k.b(), sku == null && k.sku() != null ? "hands met another shopper's: " + k.giver().token
          + " was seen handing over " + k.sku() + ", which it was not charged for; the item may be on another receipt"
          : "hands met another shopper's while holding items; items may have changed hands", ev);
      return;
    }
    int units = held.get(sku);
    double p = settings.handContactPrecision();
    double productProbability = line.confidence;
    LineEvidence taken = line.evidence.stream().filter(x -> x.qty() > 0).reduce((x, y) -> y).orElseThrow();
    giver.add(sku, -moves, handedOver(k, taken.laneId(), -moves, productProbability, p, receiver.token, p));
    receiver.add(sku, moves, handedOver(k, taken.laneId(), moves, productProbability, p, giver.token, 1 - p));
    for (int i = 0; i < moves && !line.unitGrams.isEmpty(); i++) {
      receiver.cart.get(sku).unitGrams.add(line.unitGrams.remove(line.unitGrams.size() - 1));
    }
    receiver.tookAt(k.atMillis());
    handedOver += moves;
    ev.put("moved", Map.of("sku", sku, "qty", moves, "from", giver.token, "to", receiver.token, "probability",
        Json.round(p * productProbability, 4)));
    if ((units > moves && !counted) || p * productProbability < settings.reviewThreshold()) {
      String which = units == moves ? "the " + units : (counted ? moves : "one") + " of the " + units;
      flagContact(k.a(), k.b(), "hands met another shopper's: " + which + " x " + sku + " " + giver.token + " held "
          + (moves == 1 ? "was" : "were") + " moved to " + receiver.token + "'s receipt, at probability "
          + Json.round(p * productProbability, 2), ev);
    }
  }

  /** The one the camera saw giving, else the only one of the two who held anything then, else null. */
  private static Session giverOf(Contact k, Map<String, Integer> heldA, Map<String, Integer> heldB) {
    if (k.giver() != null) {
      return k.giver();
    }
    if (heldA.isEmpty() == heldB.isEmpty()) {
      return null;
    }
    return heldB.isEmpty() ? k.a() : k.b();
  }

  /** The product the camera saw pass if the giver held it then, else the giver's only product, else null. */
  private static String productPassed(Contact k, Map<String, Integer> held) {
    if (k.sku() != null) {
      return held.containsKey(k.sku()) ? k.sku() : null;
    }
    return held.size() == 1 ? held.keySet().iterator().next() : null;
  }

  /** The movement a hand contact made on a line: {@code other} is the shopper it is not on, with their probability. */
  private static LineEvidence handedOver(Contact k, String laneId, int qty, double productProbability, double p,
      String other, double otherProbability) {
    return new LineEvidence("hand-contact-" + k.atMillis(), k.atMillis(), k.atMillis(), laneId, qty, 0, "handed-over",
        productProbability, p, -1, List.of(new LineEvidence.Other(other, otherProbability, 0)), List.of());
  }

  private static void flagContact(Session a, Session b, String msg, Map<String, Object> ev) {
    if (!a.handOffNoted.add(b.token)) {
      return;
    }
    b.handOffNoted.add(a.token);
    a.reasons.add(new ReviewReason("possible-hand-off", msg, ev));
    b.reasons.add(new ReviewReason("possible-hand-off", msg, ev));
  }

  /** What {@code s} held at {@code atMillis}: units per product from its movements begun by then, products held only. */
  private static Map<String, Integer> heldAt(Session s, long atMillis) {
    Map<String, Integer> held = new LinkedHashMap<>();
    s.cart.forEach((sku, l) -> {
      int n = l.evidence.stream().filter(x -> x.startMillis() <= atMillis).mapToInt(LineEvidence::qty).sum();
      if (n > 0) {
        held.put(sku, n);
      }
    });
    return held;
  }

  /** Units moved from one receipt to another on a hand contact (see {@link #resolve}). */
  public long handedOver() {
    return handedOver;
  }

  private long handedOver;

  /** Hand observations weighed in shelf events so far. */
  public long handsUsed() {
    return laneHands.used();
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
    Deque<ShopperObservation> h = tracks.history(o.trackId());
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
    List<Movement> movements = new ArrayList<>();
    for (ShelfEvent.LaneChange whole : e.lanes()) {
      for (Movement m : movements(e, whole)) {
        // each lane on its own: two shoppers may take from two lanes of one shelf at once
        ShelfEvent.LaneChange lc = m.change;
        byLane.putIfAbsent(lc.laneId(), m.who);
        movements.add(m);
        m.who.forEach(a -> involved.add(a.session));
        if (m.event.netless(lc)) {
          continue; // a hand in the lane that moved nothing, unless a swap is booked (see twoWay)
        }
        long from = m.event.startOf(lc);
        long to = m.event.endOf(lc);
        for (Assoc a : m.who) {
          if ((a.probability >= AMBIGUOUS_SHOPPER_MIN_PROBABILITY || a.hand >= SPLIT_HAND_CONFIDENCE)
              && a.session.activity.size() < MAX_ACTIVITY) {
            a.session.activity.add(new long[] {from, to});
          }
        }
      }
    }
    for (Session s : involved) {
      s.changedSinceEmit = false;
    }
    for (Movement m : movements) {
      if (m.change.overshootGrams() != 0 && twoWay(m.event, m.change, m.who)) {
        continue;
      }
      if (m.change.deltaGrams() < 0) {
        onPick(m.event, m.change, m.who);
      } else {
        onPutBack(m.event, m.change, m.who);
      }
    }
    for (Movement m : movements) {
      if (m.wholeWho == null || handsTellApart(movements, m.wholeWho)) {
        continue;
      }
      // shared out by where each stood, which is all that tells them apart: either may have made
      // both movements (one shopper taking two, a step aside in between), so all are looked at
      List<Assoc> named = new ArrayList<>(m.wholeWho.stream()
          .filter(w -> w.probability >= AMBIGUOUS_SHOPPER_MIN_PROBABILITY).toList());
      if (!m.who.isEmpty() && named.stream().noneMatch(w -> w.session == m.who.get(0).session)) {
        named.add(m.who.get(0));
      }
      List<ShelfEvent.Candidate> cands = m.event.candidates();
      flagAll(named, (cands.isEmpty() ? "" : cands.get(0).count() + " x " + cands.get(0).sku() + " ")
          + (m.change.deltaGrams() < 0 ? "taken at" : "put on") + " lane " + m.change.laneId() + " as one of two "
          + "movements a load cell saw as one change; charged to " + (m.who.isEmpty() ? "nobody" : m.who.get(0).session.token)
          + " by where shoppers stood at its moment", evidence(m.event, m.change, m.who, cands));
    }
    List<ShelfEvent.LaneChange> picks = e.lanes().stream()
        .filter(lc -> lc.deltaGrams() < 0 && !e.netless(lc) && !byLane.get(lc.laneId()).isEmpty()).toList();
    oneMovementAcrossLanes(e, byLane, picks);
    oneShopperTwoLanes(e, byLane, picks);
    // later evidence changed a receipt already sent: publish an amendment that references it
    amendDoubted(involved, Map.of("eventId", e.eventId()),
        "shelf activity resolved after the receipt was sent changed it or cast doubt on it");
  }

  /**
   * Whether a hand tells who made each movement of one change split in two ({@code whole}: who was
   * at the lane over the whole change): every movement charged at least at the review threshold to
   * a shopper whose hand was seen in the lane at its moment. Where people stood cannot tell one
   * shopper taking twice from two shoppers taking once; a hand at each movement can.
   */
  private boolean handsTellApart(List<Movement> movements, List<Assoc> whole) {
    return movements.stream().filter(m -> m.wholeWho == whole).allMatch(m -> !m.who.isEmpty()
        && m.who.get(0).hand >= SPLIT_HAND_CONFIDENCE && m.who.get(0).probability >= settings.reviewThreshold());
  }

  /**
   * A lane change (or one of its movements) of a shelf event, with who was at the lane then; for
   * one of two movements, who was there over the whole change ({@code wholeWho}, else null).
   */
  private record Movement(ShelfEvent event, ShelfEvent.LaneChange change, List<Assoc> who, List<Assoc> wholeWho) {
    Movement(ShelfEvent event, ShelfEvent.LaneChange change, List<Assoc> who) {
      this(event, change, who, null);
    }
  }

  /**
   * {@code lc} as one movement, or as two when its load dwelled at a level in between (see
   * {@link ShelfEvent.Plateau}) and where shoppers stood says two different shoppers made them:
   * one took and walked off while the next reached in, both inside the detector's merge gap. The
   * units are shared out in proportion to the level in between, each movement weighed on its own
   * window (cut halfway through the dwell) and charged on its own.
   */
  private List<Movement> movements(ShelfEvent e, ShelfEvent.LaneChange lc) {
    List<Movement> whole = List.of(new Movement(e, lc, associate(e, lc)));
    ShelfEvent.Plateau pl = lc.plateau();
    if (pl == null || !lc.timed() || lc.overshootGrams() != 0 || e.netless(lc)) {
      return whole;
    }
    List<ShelfEvent.Candidate> cands = e.candidates().stream().filter(c -> c.laneId().equals(lc.laneId())).toList();
    if (cands.isEmpty() || cands.get(0).count() < 2) {
      return whole;
    }
    int n = cands.get(0).count();
    int first = (int) Math.round(n * pl.fraction());
    if (first < 1 || first >= n || Math.abs(n * pl.fraction() - first) > PLATEAU_UNIT_TOLERANCE) {
      return whole; // the level in between is no whole number of the units taken
    }
    long cut = (pl.fromMillis() + pl.toMillis()) / 2;
    double unit = lc.deltaGrams() / n;
    ShelfEvent.LaneChange one = new ShelfEvent.LaneChange(lc.laneId(), unit * first, lc.sigmaGrams(),
        lc.startMillis(), cut, 0, Math.min(cut, pl.fromMillis()));
    ShelfEvent.LaneChange two = new ShelfEvent.LaneChange(lc.laneId(), unit * (n - first), lc.sigmaGrams(), cut,
        lc.endMillis(), 0, Math.max(cut, lc.stepMillis()));
    ShelfEvent e1 = part(e, one, cands, first, n, 1);
    ShelfEvent e2 = part(e, two, cands, n - first, n, 2);
    List<Assoc> w1 = associate(e1, one);
    List<Assoc> w2 = associate(e2, two);
    if (w1.isEmpty() || w2.isEmpty()) {
      return whole;
    }
    if (w1.get(0).session == w2.get(0).session) {
      return List.of(new Movement(e, lc, noSurerThanEither(whole.get(0).who, w1, w2)));
    }
    List<Assoc> all = whole.get(0).who;
    return List.of(new Movement(e1, one, w1, all), new Movement(e2, two, w2, all));
  }

  /**
   * Who made a change of two movements that the same shopper tops on both windows: the whole
   * change's candidates, unless one movement's window is less sure of that shopper. Both units are
   * charged to them, so the line is right only if both movements were theirs: then that window's
   * candidates (its probabilities, and a shopper who came by for only that movement, whose median
   * over the whole change may lie beyond reach) stand for the change.
   */
  private static List<Assoc> noSurerThanEither(List<Assoc> whole, List<Assoc> w1, List<Assoc> w2) {
    List<Assoc> doubtful = w1.get(0).probability <= w2.get(0).probability ? w1 : w2;
    if (whole.isEmpty() || whole.get(0).session != doubtful.get(0).session
        || doubtful.get(0).probability >= whole.get(0).probability) {
      return whole;
    }
    return doubtful;
  }

  /** How far off a whole number of units the level in between may be, in units. */
  private static final double PLATEAU_UNIT_TOLERANCE = 0.25;

  /**
   * The shelf event of one movement of a lane: its candidates are those of the whole change with
   * at least two units, each scaled to {@code units} of {@code of}.
   */
  private static ShelfEvent part(ShelfEvent e, ShelfEvent.LaneChange lc, List<ShelfEvent.Candidate> cands, int units,
      int of, int index) {
    Map<String, Double> scaled = new LinkedHashMap<>();
    Map<String, ShelfEvent.Candidate> first = new LinkedHashMap<>();
    double total = 0;
    for (ShelfEvent.Candidate c : cands) {
      if (c.count() < 2) {
        continue;
      }
      int k = Math.max(1, Math.min(c.count() - 1, (int) Math.round((double) c.count() * units / of)));
      String key = c.sku() + "\u0000" + k;
      scaled.merge(key, c.likelihood(), Double::sum);
      first.putIfAbsent(key, new ShelfEvent.Candidate(c.sku(), k, c.laneId(), 0));
      total += c.likelihood();
    }
    List<ShelfEvent.Candidate> out = new ArrayList<>();
    for (Map.Entry<String, Double> en : scaled.entrySet()) {
      ShelfEvent.Candidate c = first.get(en.getKey());
      out.add(new ShelfEvent.Candidate(c.sku(), c.count(), c.laneId(), en.getValue() / total));
    }
    out.sort(java.util.Comparator.comparingDouble(ShelfEvent.Candidate::likelihood).reversed());
    return new ShelfEvent(e.eventId() + "." + index, e.shelfId(), lc.startMillis(), lc.endMillis(), lc.deltaGrams(),
        lc.sigmaGrams(), List.of(lc), out, out.isEmpty() ? 0 : out.get(0).likelihood());
  }

  /**
   * Publishes an amendment for every closed visit among {@code involved} and those doubted since
   * ({@link #doubtedAfterEmit}) whose receipt changed after it was sent: its cart, or a doubt added
   * to it (a receipt in review for a reason the cloud never saw would be reviewed for the wrong one,
   * or not at all).
   */
  private void amendDoubted(java.util.Collection<Session> involved, Map<String, Object> evidence, String message) {
    Set<Session> all = new LinkedHashSet<>(involved);
    all.addAll(doubtedAfterEmit);
    doubtedAfterEmit.clear();
    for (Session s : all) {
      if (s.closed && (s.changedSinceEmit || s.reasons.size() > s.reasonsAtEmit)) {
        amendments++;
        s.reasons.add(new ReviewReason("amended", message, evidence));
        emit(s, s.exitAt);
        s.changedSinceEmit = false;
      }
    }
  }

  /** Every open session and those closed recently (a late shelf event may still be theirs). */
  private List<Session> openAndRecentlyClosed() {
    List<Session> all = new ArrayList<>(open.values());
    all.addAll(recentlyClosed);
    return all;
  }

  /** Closes sessions whose exit has passed and whose shelf activity is resolved. Call regularly. */
  public void poll(long nowMillis) {
    prunePresence(nowMillis);
    resolveContacts(null, nowMillis);
    Iterator<Session> it = open.values().iterator();
    List<Session> done = new ArrayList<>();
    while (it.hasNext()) {
      Session s = it.next();
      if (s.exitAt < 0 && nowMillis - s.enteredAt >= MAX_VISIT_MILLIS) {
        // an exit the gate never reported (a group member who left without checking out, a
        // tailgater, a gate fault): the cart is not kept open for ever, it goes out for review
        s.exitAt = nowMillis;
        s.reasons.add(new ReviewReason("no-exit-seen", "no exit was reported for this visit within "
            + MAX_VISIT_MILLIS / 60_000 + " minutes of the entry; the receipt was closed without one",
            Map.of("enteredAt", Instant.ofEpochMilli(s.enteredAt).toString(), "members", s.members,
                "exited", s.exited)));
      }
      if (s.exitAt < 0) {
        continue;
      }
      boolean busy = isBusyAtExit(s);
      if (!busy || nowMillis - s.exitAt >= settings.exitSettleMaxMillis()) {
        if (busy) {
          markUnsettled(s);
        }
        it.remove();
        done.add(s);
      }
    }
    for (Session s : done) {
      finish(s, nowMillis);
    }
    for (Session s : recentlyClosed) {
      if (s.unsettled != null && !isBusyAtExit(s)) {
        settledAfterExit(s);
      }
    }
  }

  /**
   * The shelf activity that kept {@code s}'s receipt in doubt at its exit has resolved. If it
   * changed nothing of the receipt and added no doubt of its own (the shelf event charged others,
   * or nobody), the doubt is taken back: an amendment states the same receipt without it.
   * Otherwise the receipt stays as sent (or as amended for what changed), flagged.
   */
  private void settledAfterExit(Session s) {
    ReviewReason doubt = s.unsettled;
    s.unsettled = null;
    if (s.changedSinceEmit || s.emitted != 1 || s.reasons.isEmpty() || s.reasons.get(s.reasons.size() - 1) != doubt
        || s.reasonsAtEmit != s.reasons.size()) {
      return;
    }
    s.reasons.remove(s.reasons.size() - 1);
    settledAfterExit++;
    emit(s, s.exitAt);
  }

  /** Shelf activity begun before the exit at a lane this shopper was at is not resolved yet. */
  private boolean isBusyAtExit(Session s) {
    return busyBefore(s, s.exitAt);
  }

  /** Shelf activity begun before {@code t} at a lane this shopper was at is not resolved yet. */
  private boolean busyBefore(Session s, long t) {
    // only lanes this shopper was at: another shopper's activity is not theirs
    return pending.busyLanesBefore(t).entrySet().stream().anyMatch(b -> wasNear(s, b.getKey(), b.getValue(), t));
  }

  /** Flags {@code s} {@code unsettled-at-exit}, a doubt taken back if the activity resolves without it (see settledAfterExit). */
  private static void markUnsettled(Session s) {
    s.unsettled = new ReviewReason("unsettled-at-exit",
        "shelf activity begun before the exit was still unresolved when the receipt closed",
        Map.of("exitAt", Instant.ofEpochMilli(s.exitAt).toString()));
    s.reasons.add(s.unsettled);
  }

  /** A visit that has left (and been taken out of {@code open}): its receipt, or a staff visit's notice. */
  private void finish(Session s, long nowMillis) {
    if (s.staff) {
      staffVisitEnded(s);
      return;
    }
    checkUntracked(s);
    checkExitIdentity(s);
    resolveContacts(s, nowMillis);
    checkHandOffs(s);
    emit(s, s.exitAt);
    remember(s, nowMillis);
    // what this exit revealed about receipts already sent (a hand-off, a mix-up at the gate)
    amendDoubted(List.of(), Map.of("exitOf", s.token, "exitAt", Instant.ofEpochMilli(s.exitAt).toString()),
        "another shopper's exit cast doubt on the receipt after it was sent");
  }

  /** A visit this long without an exit is closed (flagged {@code no-exit-seen}). */
  static final long MAX_VISIT_MILLIS = 3 * 3_600_000L;

  /**
   * What the checkout holds now: the open visits with their carts and review reasons, and what
   * each lane holds. For a restart (see {@link #restore}); positions, recent picks and other
   * short-lived evidence are not part of it.
   */
  public CheckoutSnapshot snapshot(long nowMillis) {
    List<CheckoutSnapshot.Visit> visits = new ArrayList<>();
    for (Session s : open.values()) {
      List<CheckoutSnapshot.Line> lines = new ArrayList<>();
      s.cart.forEach((sku, l) -> lines.add(new CheckoutSnapshot.Line(sku, l.qty, l.confidence, l.unitGrams,
          l.evidence)));
      visits.add(new CheckoutSnapshot.Visit(s.token, s.enteredAt, s.exitAt, s.members, s.exited, s.emitted, lines,
          s.reasons));
    }
    return new CheckoutSnapshot(nowMillis, visits, inventory.export(), Map.of(), spots.export());
  }

  /**
   * Takes over a snapshot taken before a restart: its visits are open again, each flagged
   * {@code agent-restarted} (shelf activity while the agent was down is on no receipt), the
   * lanes hold what they held, where the planogram still places the same product, and the
   * shelves keep the takers' spots they had learnt. A visit whose
   * token is already open here is left alone; cart lines of products no longer in the catalog
   * are dropped and named in the flag. Call before the first event.
   */
  public void restore(CheckoutSnapshot snap, long nowMillis) {
    snap.lanes().forEach(inventory::restore);
    snap.spots().forEach(spots::restore);
    for (CheckoutSnapshot.Visit v : snap.visits()) {
      if (open.containsKey(v.token())) {
        continue;
      }
      Session s = new Session(v.token(), v.enteredAtMillis());
      s.staff = checkoutPolicy.isStaff(s.token);
      s.exitAt = v.exitAtMillis();
      s.members = Math.max(1, v.members());
      s.exited = v.exited();
      s.emitted = v.emitted();
      s.lastSeenAt = nowMillis;
      List<String> dropped = new ArrayList<>();
      for (CheckoutSnapshot.Line l : v.cart()) {
        if (!products.containsKey(l.sku())) {
          dropped.add(l.qty() + " x " + l.sku());
          continue;
        }
        CartLine line = new CartLine();
        line.qty = l.qty();
        line.confidence = l.confidence();
        line.unitGrams.addAll(l.unitGrams());
        line.evidence.addAll(l.evidence());
        s.cart.put(l.sku(), line);
      }
      if (!s.cartEmpty()) {
        s.tookAt(v.enteredAtMillis()); // took something before the restart
      }
      s.reasons.addAll(v.reasons());
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("snapshotAt", Instant.ofEpochMilli(snap.takenAtMillis()).toString());
      ev.put("restartedAt", Instant.ofEpochMilli(nowMillis).toString());
      if (!dropped.isEmpty()) {
        ev.put("droppedLines", dropped);
      }
      s.reasons.add(new ReviewReason("agent-restarted", "the agent restarted during this visit (a store file "
          + "update or a gateway restart); shelf activity while it was down is on no receipt"
          + (dropped.isEmpty() ? "" : "; lines of products no longer in the catalog were dropped"), ev));
      open.put(s.token, s);
    }
  }

  /**
   * The cameras lost this shopper for a while ({@link #UNSEEN_GAP_MILLIS} or more) and items left
   * shelves meanwhile that went to others or to no one: some may be this shopper's, so the
   * receipt may be short. Only positions from cameras have such gaps; the check costs nothing
   * when a shopper is seen throughout.
   */
  private void checkUntracked(Session s) {
    if (s.exitAt >= 0 && s.exitAt - s.lastSeenAt > UNSEEN_GAP_MILLIS) {
      s.unseen.add(new long[] {s.lastSeenAt, s.exitAt});
    }
    if (s.unseen.isEmpty()) {
      return;
    }
    List<Map<String, Object>> gaps = new ArrayList<>();
    for (long[] g : s.unseen) {
      List<String> lanesThen = new ArrayList<>();
      for (Pick p : recentPicks) {
        if (p.atMillis > g[0] && p.atMillis < g[1] && !p.chargedTo.contains(s.token)) {
          lanesThen.add(p.laneId);
        }
      }
      if (!lanesThen.isEmpty()) {
        gaps.add(Map.of("from", Instant.ofEpochMilli(g[0]).toString(), "to", Instant.ofEpochMilli(g[1]).toString(),
            "picksElsewhere", lanesThen.size(), "lanes", lanesThen));
      }
    }
    if (!gaps.isEmpty()) {
      s.reasons.add(new ReviewReason("untracked-during-activity", "the cameras lost this shopper while items "
          + "left shelves and went to other shoppers or to no one; the receipt may be short", Map.of("gaps", gaps)));
    }
  }

  /**
   * The gate saw this shopper walk out; the cameras should have seen the same person there under
   * this shopper's token. When, in the seconds before the exit, nobody carrying this token came
   * near the gate but someone carrying another shopper's token did, the cameras had the two mixed
   * up (a tracker swap or a wrong hand-over): picks charged by position to either may be the
   * other's. Both receipts are flagged {@code uncertain-identity} (the other's amended if it is
   * out). Only positions from cameras can disagree with the gate like this.
   */
  private void checkExitIdentity(Session s) {
    StoreConfig.Gate gate = gates.stream().filter(g -> g.id().equals(s.exitGateId)).findFirst().orElse(null);
    if (gate == null) {
      return;
    }
    long from = s.exitAt - EXIT_LOOK_BACK_MILLIS;
    double own = Double.POSITIVE_INFINITY;
    String other = null;
    double otherD = Double.POSITIVE_INFINITY;
    String otherTrack = null;
    for (Deque<ShopperObservation> h : tracks.all()) {
      for (Iterator<ShopperObservation> it = h.descendingIterator(); it.hasNext(); ) {
        ShopperObservation o = it.next();
        if (o.atMillis() < from) {
          break;
        }
        if (o.atMillis() > s.exitAt) {
          continue;
        }
        double d = dist(o, gate.position());
        if (o.customerToken().equals(s.token)) {
          own = Math.min(own, d);
        } else if (d < otherD) {
          otherD = d;
          other = o.customerToken();
          otherTrack = o.trackId();
        }
      }
    }
    if (own <= EXIT_MATCH_METERS || other == null || otherD > EXIT_MATCH_METERS) {
      return;
    }
    String x = other;
    Session xs = open.containsKey(x) ? open.get(x)
        : recentlyClosed.stream().filter(c -> c.token.equals(x)).reduce((a, b) -> b).orElse(null);
    if (xs == null || xs.staff) {
      return;
    }
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("gateId", gate.id());
    ev.put("exitAt", Instant.ofEpochMilli(s.exitAt).toString());
    ev.put("customerToken", s.token);
    ev.put("trackAtGate", otherTrack);
    ev.put("trackToken", x);
    ev.put("distanceMeters", Json.round(otherD, 2));
    s.reasons.add(new ReviewReason("uncertain-identity", s.token + " walked out through gate " + gate.id()
        + " where the cameras were following " + x + " (track " + otherTrack + "); picks charged to either may be "
        + "the other's", ev));
    xs.reasons.add(new ReviewReason("uncertain-identity", s.token + " walked out through gate " + gate.id()
        + " as the person the cameras were following as " + x + " (track " + otherTrack + "); picks charged to "
        + "either may be the other's", ev));
    if (xs.closed) {
      doubtedAfterEmit.add(xs);
    }
  }

  /** How far back before an exit the cameras are asked who walked to the gate. */
  private static final long EXIT_LOOK_BACK_MILLIS = 2_000;
  /** Someone this close to the gate in that time was the one walking out (or beside them). */
  private static final double EXIT_MATCH_METERS = 1.0;

  /** A shopper unseen this long may have done something nobody saw. */
  static final long UNSEEN_GAP_MILLIS = 5_000;
  private static final int MAX_RECENT_PICKS = 20_000;

  private record Pick(long atMillis, String laneId, Set<String> chargedTo) {}

  private final Deque<Pick> recentPicks = new ArrayDeque<>();
  /**
   * Lanes that took an item nobody's cart explains (an unexplained put-back), with its evidence:
   * the lane may hold a unit of something else (a return hidden by a take at the same moment), so
   * the next pick there is looked at.
   */
  private final Map<String, Map<String, Object>> unknownOnLane = new HashMap<>();

  /**
   * Something nobody's cart explained, put on a lane ({@code grams}, {@code sigma}): it may be no
   * product at all but a basket or a bag set down while its owner looks around. The doubts it
   * raised, by the session they went to, are taken back when one of the shoppers who were there
   * ({@code there}) lifts the same weight off the lane again (see {@link #liftedOff}).
   */
  private record SetDown(String eventId, long atMillis, double grams, double sigma, Set<Session> there,
      Map<Session, List<ReviewReason>> doubts) {}

  private final Map<String, SetDown> setDown = new HashMap<>();

  /**
   * A pick within this many standard deviations of what was set down on the lane (both changes'
   * uncertainties) is that thing lifted off again.
   */
  static final double LIFT_OFF_SIGMAS = 3;

  private long liftedOff;

  /** Things set down on a lane and lifted off again by a shopper who was there (no charge, no doubt). */
  public long liftedOff() {
    return liftedOff;
  }

  /** Whether any of the session's tracks was within reach of the lane between {@code from} and {@code t}. */
  private boolean wasNear(Session s, String laneId, long from, long t) {
    StoreConfig.Lane lane = lanes.get(laneId);
    if (lane == null) {
      return false;
    }
    for (Deque<ShopperObservation> h : tracks.of(s.token)) {
      // within arm's reach at some moment: only then can the activity be this shopper's (a
      // shopper passing farther away would get a negligible share; should it still be charged
      // one, the receipt is amended)
      if (trackDistance(h, lane.position(), from - settings.presenceWindowBeforeMillis(), t, t, t)
          <= Math.min(settings.associationRadiusMeters(), REACH_METERS)) {
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
    tracks.prune(now);
    laneHands.prune(now);
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
   * receipt is produced), recently closed sessions kept for amendments (none is amended any more),
   * the positions of the tracks bound to it and their hands, and the picks charged to it. Where
   * other shoppers' carts and doubts name the token (a line's other candidates, a review reason's
   * message and evidence), it is replaced by {@link Erasure#PLACEHOLDER}. Returns what was purged.
   */
  public Map<String, Object> forget(String token) {
    Map<String, Object> out = new LinkedHashMap<>();
    Set<Session> gone = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Session s = open.remove(token);
    if (s != null) {
      gone.add(s);
    }
    out.put("openSession", s != null);
    out.put("cartLines", s == null ? 0 : s.cart.size());
    int closed = 0;
    for (Iterator<Session> it = recentlyClosed.iterator(); it.hasNext(); ) {
      Session c = it.next();
      if (c.token.equals(token)) {
        it.remove();
        gone.add(c);
        closed++;
      }
    }
    doubtedAfterEmit.removeIf(gone::contains);
    out.put("closedSessions", closed);
    out.put("tracks", tracks.forget(token));
    out.put("hands", laneHands.forget(token));
    List<Pick> picks = new ArrayList<>(recentPicks);
    recentPicks.clear();
    for (Pick p : picks) {
      recentPicks.addLast(!p.chargedTo().contains(token) ? p : new Pick(p.atMillis(), p.laneId(),
          p.chargedTo().stream().filter(t -> !t.equals(token)).collect(Collectors.toUnmodifiableSet())));
    }
    int mentions = 0;
    int reasons = 0;
    // one erased copy per reason: a reason shared by several carts (and a set-down's doubts) stays one
    Map<ReviewReason, ReviewReason> erased = new java.util.IdentityHashMap<>();
    java.util.function.UnaryOperator<ReviewReason> erase = r -> erased.computeIfAbsent(r, x -> erased(x, token));
    for (Session other : openAndRecentlyClosed()) {
      other.meetings.remove(token);
      for (CartLine l : other.cart.values()) {
        mentions += replaceChanged(l.evidence, m -> m.erasing(token));
      }
      reasons += replaceChanged(other.reasons, erase);
      if (other.unsettled != null) {
        other.unsettled = erase.apply(other.unsettled);
      }
    }
    setDown.replaceAll((lane, d) -> {
      Map<Session, List<ReviewReason>> doubts = new HashMap<>();
      d.doubts().forEach((who, rs) -> {
        if (!gone.contains(who)) {
          doubts.put(who, new ArrayList<>(rs.stream().map(erase).toList()));
        }
      });
      return new SetDown(d.eventId(), d.atMillis(), d.grams(), d.sigma(),
          d.there().stream().filter(w -> !gone.contains(w)).collect(Collectors.toUnmodifiableSet()), doubts);
    });
    unknownOnLane.replaceAll((lane, doubt) -> {
      @SuppressWarnings("unchecked")
      Map<String, Object> e = (Map<String, Object>) Erasure.inValue(doubt, token);
      return e;
    });
    out.put("mentionsInOtherCarts", mentions);
    out.put("reviewReasonsInOtherCarts", reasons);
    return out;
  }

  /** Replaces each element of {@code list} by {@code f} of it; returns how many came back as another instance. */
  private static <T> int replaceChanged(List<T> list, java.util.function.UnaryOperator<T> f) {
    int n = 0;
    for (int i = 0; i < list.size(); i++) {
      T before = list.get(i);
      T after = f.apply(before);
      if (after != before) {
        list.set(i, after);
        n++;
      }
    }
    return n;
  }

  /** {@code r} with {@code token} erased from its message and evidence; {@code r} itself when it does not name it. */
  @SuppressWarnings("unchecked")
  private static ReviewReason erased(ReviewReason r, String token) {
    String message = Erasure.inText(r.message(), token);
    Object evidence = Erasure.inValue(r.evidence(), token);
    if (message == r.message() && evidence == r.evidence()) {
      return r;
    }
    return new ReviewReason(r.code(), message, (Map<String, Object>) evidence);
  }

  /** Receipts re-sent as amendments after later evidence changed them. */
  public long amendments() {
    return amendments;
  }

  /**
   * Receipts re-sent without the doubt of shelf activity unresolved at the exit, once it resolved
   * without changing them (not counted in {@link #amendments}).
   */
  public long settledAfterExit() {
    return settledAfterExit;
  }

  private long settledAfterExit;

  // --- picks and put-backs ---

  private void onPick(ShelfEvent e, ShelfEvent.LaneChange lc, List<Assoc> who) {
    List<ShelfEvent.Candidate> cands = e.candidates().stream().filter(c -> c.laneId().equals(lc.laneId())).toList();
    if (liftedOff(e, lc, who, cands)) {
      return;
    }
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
    // with units of another product on the lane, which of them left decides what the next pick is
    boolean mixed = inventory.contents(lc.laneId()).values().stream().filter(n -> n > 0).count() > 1;
    inventory.apply(lc.laneId(), best.sku(), -best.count(), Math.abs(lc.deltaGrams()) / best.count());
    recordPick(new Pick(e.startOf(lc), lc.laneId(),
        who.isEmpty() ? Set.of() : who.stream().filter(w -> w.hand >= SPLIT_HAND_CONFIDENCE || w == who.get(0))
            .map(w -> w.session.token).collect(Collectors.toSet())));
    if (who.isEmpty()) {
      unattributedEvents++;
      notices.accept(new Notice("unattributed-pick", e.endMillis(), evidence(e, lc, who, cands)));
      return;
    }
    List<Assoc> hands = who.stream().filter(w -> w.hand >= SPLIT_HAND_CONFIDENCE).toList();
    if (best.count() > 1 && hands.size() > 1) {
      // hands of several shoppers were in the lane while several units left it: two hands in one
      // lane look like one grab on the load cell, so the units are shared out (most likely
      // shopper first) and every one of them is flagged
      int takers = shareOut(e, lc, best, cands, hands, who, "shared-out");
      flagAll(who.stream().filter(w -> w.hand >= SPLIT_HAND_CONFIDENCE || w.probability >= AMBIGUOUS_SHOPPER_MIN_PROBABILITY)
          .toList(), best.count() + " x " + best.sku() + " left lane " + lc.laneId() + " while " + takers
          + " shoppers had a hand in it; shared out between them", evidence(e, lc, who, cands));
      return;
    }
    Assoc a = who.get(0);
    Map<String, Object> unknown = unknownOnLane.remove(lc.laneId());
    double skuShare = cands.stream().filter(c -> c.sku().equals(best.sku())).mapToDouble(ShelfEvent.Candidate::likelihood)
        .sum();
    if (mixed && skuShare < settings.reviewThreshold()) {
      // the lane is believed to hold what this pick was not taken for: if it was, the next pick
      // from the lane is that unit, charged as the wrong product without a look
      String other = cands.stream().filter(c -> !c.sku().equals(best.sku())).map(ShelfEvent.Candidate::sku).findFirst()
          .orElse("another product");
      Map<String, Object> doubt = new LinkedHashMap<>(laneDoubt(e, lc, "the pick at this lane at "
          + Instant.ofEpochMilli(e.endOf(lc)) + " was taken for " + best.sku() + " with probability "
          + Json.round(skuShare, 3) + "; if it was " + other + ", the lane holds a " + best.sku() + " it is not "
          + "believed to", lc.deltaGrams()));
      doubt.put("products", List.of(Map.of("sku", best.sku()), Map.of("sku", other)));
      unknownOnLane.put(lc.laneId(), doubt);
    }
    if (a.session.staff) {
      // a member of staff took it off the shelf (expired, damaged, moved): stock only; a shopper
      // who may have been the one is flagged
      a.session.removed.merge(best.sku(), best.count(), Integer::sum);
      notices.accept(new Notice("staff-removal", e.endMillis(), evidence(e, lc, who, cands)));
      if (a.probability < settings.reviewThreshold()) {
        flagAmbiguous(who.stream().filter(w -> !w.session.staff).toList(), best.count() + " x " + best.sku()
            + " left lane " + lc.laneId() + " while a member of staff (" + a.session.token + ", probability "
            + Json.round(a.probability, 3) + ") and shoppers stood there; treated as removed by staff",
            evidence(e, lc, who, cands));
      }
      return;
    }
    if (a.hand != 0 && !(a.speed > STILL_SPEED) && who.stream().skip(1).allMatch(w -> w.distance > REACH_METERS)) {
      learnSpot(a.session, lc, e);
    }
    double conf = best.likelihood() * a.probability;
    List<Assoc> shared = expected && best.count() > 1 ? sharedGrab(who, lc, e) : List.of();
    Assoc second = laneHands.live(e.startOf(lc)) ? null : secondTaker(shared);
    shareOut(e, lc, best, cands, second != null ? List.of(a, second) : List.of(a), who,
        second != null ? "shared-out" : "pick");
    if (a.identity < settings.reviewThreshold()) {
      a.session.reasons.add(new ReviewReason("uncertain-identity", "pick of " + best.count() + " x " + best.sku()
          + " at lane " + lc.laneId() + " charged to " + a.session.token + ", whom the cameras placed there on a "
          + "track that took the token over among other shoppers (identity confidence " + Json.round(a.identity, 2)
          + ")", evidence(e, lc, who, cands)));
    }
    if (unknown != null) {
      // the lane took something unexplained before: this may be that unit, whatever it weighs like
      Map<String, Object> ev = new LinkedHashMap<>(evidence(e, lc, who, cands));
      ev.putAll(unknown);
      ReviewReason r = new ReviewReason("unexpected-product", "pick at lane " + lc.laneId() + " charged as "
          + best.count() + " x " + best.sku() + ", but " + unknown.get("note") + ": it may be that one", ev);
      a.session.reasons.add(r);
      SetDown d = setDown.get(lc.laneId());
      if (d != null && d.eventId().equals(unknown.get("doubtfulEventId"))) {
        d.doubts().computeIfAbsent(a.session, k -> new ArrayList<>()).add(r); // taken back if it is lifted off
      }
    }
    if (!expected) {
      a.session.reasons.add(new ReviewReason("unexpected-product", "pick at lane " + lc.laneId() + " weighs like "
          + best.count() + " x " + best.sku() + ", which the lane is not known to hold", evidence(e, lc, who, cands)));
    } else if (!shared.isEmpty()) {
      List<Assoc> named = new ArrayList<>(who.stream().filter(w -> w == a || w.distance <= SHARED_GRAB_METERS
          || w.probability >= AMBIGUOUS_SHOPPER_MIN_PROBABILITY).toList());
      shared.stream().filter(w -> !named.contains(w)).forEach(named::add);
      flagAll(named, second != null
          ? best.count() + " x " + best.sku() + " taken at lane " + lc.laneId() + " in one movement while "
              + second.session.token + " stood still within reach and walked off right after, as takers do; shared "
              + "out between " + a.session.token + " and " + second.session.token
          : best.count() + " x " + best.sku() + " taken at lane " + lc.laneId() + " in one movement while another "
              + "shopper standing within reach may have had a hand there too; charged to " + a.session.token,
          evidence(e, lc, who, cands));
    } else if (a.probability < settings.reviewThreshold() && who.size() > 1) {
      flagAmbiguous(who, "pick of " + best.count() + " x " + best.sku() + " at lane " + lc.laneId()
          + " charged to " + a.session.token + " with probability " + Json.round(a.probability, 3),
          evidence(e, lc, who, cands));
    } else if (conf < settings.reviewThreshold()) {
      a.session.reasons.add(new ReviewReason("low-confidence-line", "pick of " + best.count() + " x " + best.sku()
          + " at lane " + lc.laneId() + " has confidence " + Json.round(conf, 3), evidence(e, lc, who, cands)));
    } else {
      List<Assoc> near = longWindowNeighbours(e, lc, a, who);
      if (!near.isEmpty()) {
        List<Assoc> named = new ArrayList<>(List.of(a));
        named.addAll(near);
        flagAll(named, "pick of " + best.count() + " x " + best.sku() + " at lane " + lc.laneId() + " charged to "
            + a.session.token + ", but the lane was busy for " + Json.round((e.endOf(lc) - e.startOf(lc)) / 1000.0, 1)
            + " s (a hand held or leaned on it, or several movements) while " + near.stream()
                .map(w -> w.session.token).collect(Collectors.joining(", "))
            + " stood still within reach: one short reach of theirs in that time may have been the take",
            evidence(e, lc, who, cands));
      }
    }
  }

  /**
   * A lane change this long is no single grab (a hand goes in and out in one to two seconds): a hand
   * held the shelf or leaned on it, or several movements met in one change. The net change then
   * says nothing of when in the window the item left, and a neighbour's short reach in that time
   * is easily missed (an unseen hand beside one seen in the lane for the whole window, or a
   * position a little farther than the holder's). With hands, over the suite, nine stores and
   * held-out draws of them, surely charged picks of 6 s or more with another shopper standing
   * within reach were wrong in 5 of 11 (all five: the one charged held the shelf while the other
   * took).
   */
  static final long LONG_WINDOW_MILLIS = 6000;

  /** Where a shopper taking from {@code lane} stands: the spot learnt from its takers, else the lane's own position. */
  private StoreConfig.Position takerSpot(StoreConfig.Lane lane) {
    return spots.spot(lane).orElse(lane.position());
  }

  /** Shoppers other than {@code charged} who stood still within reach of the lane of a {@link #LONG_WINDOW_MILLIS} change. */
  private List<Assoc> longWindowNeighbours(ShelfEvent e, ShelfEvent.LaneChange lc, Assoc charged, List<Assoc> who) {
    StoreConfig.Lane lane = lanes.get(lc.laneId());
    long start = e.startOf(lc);
    long end = e.endOf(lc);
    if (lane == null || end - start < LONG_WINDOW_MILLIS) {
      return List.of();
    }
    StoreConfig.Position p = takerSpot(lane);
    return who.stream().filter(w -> w != charged && !w.session.staff && stoodWithinReach(w.session, p, start, end))
        .toList();
  }

  /**
   * Two lanes of one shelf that lost items at overlapping times, charged to two different shoppers:
   * one hand may have taken both (a grab across neighbouring lanes), so a line charged to one shopper
   * while the other, charged for the neighbouring lane in the same movement, was at least
   * {@link #ONE_MOVEMENT_MIN_PROBABILITY} likely there too is flagged, both shoppers named. Lanes
   * are still weighed one by one: jointly, "each took from the lane in front" becomes confident and
   * wrong when two shoppers reach past each other.
   */
  private void oneMovementAcrossLanes(ShelfEvent e, Map<String, List<Assoc>> byLane, List<ShelfEvent.LaneChange> picks) {
    for (ShelfEvent.LaneChange a : picks) {
      Assoc other = byLane.get(a.laneId()).get(0);
      for (ShelfEvent.LaneChange b : picks) {
        List<Assoc> who = byLane.get(b.laneId());
        Assoc charged = who.get(0);
        if (a == b || charged.session == other.session || charged.session.staff || other.session.staff
            || charged.hand >= SPLIT_HAND_CONFIDENCE || charged.probability < settings.reviewThreshold()
            || e.startOf(a) > e.endOf(b) || e.startOf(b) > e.endOf(a)) {
          continue; // one shopper, a hand seen, or flagged as ambiguous already
        }
        Assoc there = who.stream().filter(w -> w.session == other.session).findFirst().orElse(null);
        if (there == null || there.probability < ONE_MOVEMENT_MIN_PROBABILITY) {
          continue;
        }
        var cands = e.candidates().stream().filter(c -> c.laneId().equals(b.laneId())).toList();
        String msg = "lane " + b.laneId() + " charged to " + charged.session.token + " (probability "
            + Json.round(charged.probability, 3) + "), but it lost items at the same time as lane " + a.laneId()
            + ", charged to " + other.session.token + ", who stood there too (probability "
            + Json.round(there.probability, 3) + "): one hand may have taken from both";
        flagAll(List.of(charged, there), msg, evidence(e, b, who, cands));
      }
    }
  }

  /**
   * The other side of {@link #oneMovementAcrossLanes}: two lanes that lost items at overlapping
   * times, both charged surely to one shopper, who would have had a hand in each at once. A second
   * shopper who stood still within reach of one of them while it was active, with no hand of their
   * own charged elsewhere then, may have been the one who took from it (one who squeezed in half a
   * step back reads as far, and unlikely, beside one who stands on the spot): that line is flagged,
   * both shoppers named.
   */
  private void oneShopperTwoLanes(ShelfEvent e, Map<String, List<Assoc>> byLane, List<ShelfEvent.LaneChange> picks) {
    for (ShelfEvent.LaneChange b : picks) {
      List<Assoc> who = byLane.get(b.laneId());
      Assoc charged = who.get(0);
      StoreConfig.Lane lane = lanes.get(b.laneId());
      if (lane == null || charged.session.staff || charged.hand >= SPLIT_HAND_CONFIDENCE
          || charged.probability < settings.reviewThreshold()) {
        continue;
      }
      if (!chargedElsewhereMeanwhile(charged.session, b, e, byLane, picks)) {
        continue;
      }
      long start = e.startOf(b);
      long end = e.endOf(b);
      StoreConfig.Position p = takerSpot(lane);
      for (Session s : openAndRecentlyClosed()) {
        if (s == charged.session || s.staff || (s.exitAt >= 0 && s.exitAt < start)
            || chargedElsewhereMeanwhile(s, b, e, byLane, picks)) {
          continue;
        }
        Assoc other = who.stream().filter(w -> w.session == s).findFirst().orElseGet(() -> new Assoc(s, Double.NaN, 0, -1));
        boolean mayHave = charged.hand >= 0 ? other.hand < 0.5 && alsoHadHand(charged, other) >= UNSEEN_HAND_MIN_PROBABILITY
            : stoodWithinReach(s, p, start, end);
        if (!mayHave) {
          continue;
        }
        var cands = e.candidates().stream().filter(c -> c.laneId().equals(b.laneId())).toList();
        flagAll(List.of(charged, other), "lane " + b.laneId() + " charged to " + charged.session.token
            + " (probability " + Json.round(charged.probability, 3) + "), who would have taken from another lane at "
            + "the same time, while " + s.token + " stood still within reach of it", evidence(e, b, who, cands));
      }
    }
  }

  /** Whether {@code s} is charged for another of the event's {@code picks} while lane change {@code b} was active. */
  private static boolean chargedElsewhereMeanwhile(Session s, ShelfEvent.LaneChange b, ShelfEvent e,
      Map<String, List<Assoc>> byLane, List<ShelfEvent.LaneChange> picks) {
    return picks.stream().anyMatch(a -> a != b && byLane.get(a.laneId()).get(0).session == s
        && e.startOf(a) <= e.endOf(b) && e.startOf(b) <= e.endOf(a));
  }

  /** See {@link #oneMovementAcrossLanes}. */
  private static final double ONE_MOVEMENT_MIN_PROBABILITY = 0.1;

  /**
   * A lane that went further past its levels before and after than a hand pushes it
   * ({@link ShelfEvent.LaneChange#overshootGrams}) may have had an item put on and another taken
   * off in one activity: the net change then hides both. When a swap out of a nearby shopper's cart
   * explains the net and the overshoot better than a one-way change does ({@link TwoWayActivity}),
   * it is booked: the put-back credited to the shopper who carried it, the take charged to the
   * likeliest shopper at the lane, both flagged unless both are near certain. When a swap is
   * possible but not the best explanation, the net change is booked as usual and every shopper at
   * the lane is flagged, and the next pick there is looked at (the lane may hold something else).
   *
   * @return whether the lane change is dealt with (booked as a swap, or nothing but the overshoot to book)
   */
  private boolean twoWay(ShelfEvent e, ShelfEvent.LaneChange lc, List<Assoc> who) {
    boolean netless = e.netless(lc);
    List<TwoWayActivity.Holder> holders = new ArrayList<>();
    String planned = inventory.plannedSku(lc.laneId());
    StoreConfig.Lane laneConfig = lanes.get(lc.laneId());
    for (Assoc a : who) {
      if (a.session.staff) {
        // a restock while a shopper takes: any number of the lane's product
        if (planned != null && products.containsKey(planned)) {
          // who restocks first and walks on is far from the lane by the time the shopper's take
          // settles it: having stood there for a moment is enough to have put the stock on
          StoreConfig.Position at = laneConfig == null ? null : takerSpot(laneConfig);
          double p = at != null && stoodWithinReach(a.session, at, e.startOf(lc), e.endOf(lc))
              ? Math.max(a.probability, RESTOCKER_AT_LANE) : a.probability;
          holders.add(TwoWayActivity.Holder.restocking(a.session.token, p, planned,
              restockUnits(laneConfig)));
        }
        continue;
      }
      Map<String, Integer> carried = new LinkedHashMap<>();
      Map<String, double[]> weighed = new HashMap<>();
      a.session.cart.forEach((sku, line) -> {
        if (line.qty > 0) {
          carried.put(sku, line.qty);
          weighed.put(sku, line.unitGrams.stream().mapToDouble(Double::doubleValue).toArray());
        }
      });
      if (!carried.isEmpty()) {
        holders.add(new TwoWayActivity.Holder(a.session.token, a.probability, carried, weighed));
      }
    }
    List<Assoc> shoppers = who.stream().filter(w -> !w.session.staff).toList();
    if (holders.isEmpty() || shoppers.isEmpty()) {
      return netless;
    }
    TwoWayActivity.Result r = twoWayActivity.explain(lc.deltaGrams(), lc.sigmaGrams(), lc.overshootGrams(),
        inventory.contents(lc.laneId()), holders);
    // a swap of a unit for one like it by the shopper at the lane changes no receipt: as a unit
    // lifted and put straight back, it is no reason for a look
    String atLane = shoppers.get(0).probability >= settings.reviewThreshold() ? shoppers.get(0).session.token : null;
    double unchanged = r.swaps().stream().filter(w -> w.holder().equals(atLane) && w.putSku().equals(w.takeSku())
        && w.putCount() == w.takeCount()).mapToDouble(TwoWayActivity.Swap::probability).sum();
    if (r.twoWayProbability() - unchanged < TWO_WAY_DOUBT) {
      return netless || (r.best() != null && r.best().probability() >= 0.5);
    }
    List<ShelfEvent.Candidate> cands = e.candidates().stream().filter(c -> c.laneId().equals(lc.laneId())).toList();
    Map<String, Object> ev = new LinkedHashMap<>(evidence(e, lc, who, cands));
    ev.put("overshootGrams", Json.round(lc.overshootGrams(), 1));
    ev.put("twoWayProbability", Json.round(r.twoWayProbability(), 3));
    // the swaps worth a reviewer's look, each naming what was put and what taken
    ev.put("swaps", r.swaps().stream().filter(w -> w.probability() >= SHOWN_SWAP_MIN_PROBABILITY)
        .map(w -> Map.of("putBy", w.holder(), "put", Map.of("sku", w.putSku(), "count", w.putCount()),
            "taken", Map.of("sku", w.takeSku(), "count", w.takeCount()), "probability", Json.round(w.probability(), 4)))
        .toList());
    TwoWayActivity.Swap best = r.best();
    List<Assoc> named = shoppers.stream()
        .filter(w -> w == shoppers.get(0) || w.probability >= AMBIGUOUS_SHOPPER_MIN_PROBABILITY).toList();
    if (best == null || best.probability() < 0.5) {
      String msg = "lane " + lc.laneId() + " went " + Json.round(Math.abs(lc.overshootGrams()), 0) + " g past its levels before "
          + "and after (net " + Json.round(lc.deltaGrams(), 0) + " g): an item may have been put on it and another "
          + "taken off at once (" + Json.round(r.twoWayProbability(), 2) + " likely)";
      for (Assoc w : named) {
        w.session.reasons.add(new ReviewReason("two-way-activity", msg, ev));
      }
      notices.accept(new Notice("two-way-activity", e.endMillis(), ev));
      unknownOnLane.put(lc.laneId(), laneDoubt(e, lc, "an item may have been put on this lane while another was taken"
          + " off at " + Instant.ofEpochMilli(e.endOf(lc)), Math.abs(lc.overshootGrams())));
      return netless;
    }
    Assoc holder = who.stream().filter(w -> w.session.token.equals(best.holder())).findFirst().orElseThrow();
    Assoc taker = shoppers.get(0);
    if (holder.session.staff) {
      return restockAndTake(e, lc, best, holder, taker, who, named, ev, netless);
    }
    if (holder == taker && best.putSku().equals(best.takeSku()) && best.putCount() == best.takeCount()) {
      // taken and put straight back by the same shopper: nothing changed hands, unless another
      // shopper there took it while this one returned theirs
      if (taker.probability < settings.reviewThreshold() && named.size() > 1) {
        String msg = best.takeCount() + " x " + best.takeSku() + " taken off lane " + lc.laneId() + " and put back on "
            + "it in one movement, by " + taker.session.token + " (probability " + Json.round(taker.probability, 3)
            + ") or by another shopper there while " + taker.session.token + " returned one";
        for (Assoc w : named) {
          w.session.reasons.add(new ReviewReason("two-way-activity", msg, ev));
        }
      }
      return true;
    }
    double putConf = best.probability();
    double takeConf = best.probability() * taker.probability;
    if (netless) {
      // booked as a swap: their hands were busy in the lane (see checkHandOffs)
      for (Assoc a : List.of(holder, taker)) {
        if (a.session.activity.size() < MAX_ACTIVITY) {
          a.session.activity.add(new long[] {e.startOf(lc), e.endOf(lc)});
        }
      }
    }
    holder.session.add(best.putSku(), -best.putCount(), movement(e, lc, -best.putCount(), "swap-put",
        best.probability(), List.of(), holder, 1.0, who));
    holder.session.returned(best.putSku(), products.get(best.putSku()).unitWeightGrams(), best.putCount());
    holder.session.touched.add(lc.laneId());
    inventory.apply(lc.laneId(), best.putSku(), best.putCount());
    chargeTake(e, lc, best, taker, who);
    notices.accept(new Notice("two-way-activity", e.endMillis(), ev));
    // one shopper putting back and taking in one movement while another stands at the lane: the
    // other may as well have taken while this one put theirs back, which the positions alone do
    // not tell apart (the put already explains why this one was there)
    boolean whileAnotherThere = holder == taker && named.size() > 1;
    if (whileAnotherThere || Math.min(putConf, takeConf) < settings.reviewThreshold()) {
      String msg = best.putCount() + " x " + best.putSku() + " put on lane " + lc.laneId() + " (credited to "
          + holder.session.token + ") and " + best.takeCount() + " x " + best.takeSku() + " taken off it (charged to "
          + taker.session.token + ") in one movement: the lane went " + Json.round(Math.abs(lc.overshootGrams()), 0)
          + " g past its levels, net " + Json.round(lc.deltaGrams(), 0) + " g (confidence "
          + Json.round(Math.min(putConf, takeConf), 3) + ")"
          + (whileAnotherThere ? "; another shopper at the lane may have taken while " + holder.session.token
              + " put back" : "");
      List<Assoc> flagged = new ArrayList<>(named);
      if (!flagged.contains(holder)) {
        flagged.add(holder);
      }
      for (Assoc w : flagged) {
        w.session.reasons.add(new ReviewReason("two-way-activity", msg, ev));
      }
    }
    return true;
  }

  /** The take of a booked swap: off the lane's stock, onto the taker's cart, as a pick at the lane. */
  private void chargeTake(ShelfEvent e, ShelfEvent.LaneChange lc, TwoWayActivity.Swap best, Assoc taker, List<Assoc> who) {
    inventory.apply(lc.laneId(), best.takeSku(), -best.takeCount());
    taker.session.add(best.takeSku(), best.takeCount(), movement(e, lc, best.takeCount(), "swap-take",
        best.probability(), List.of(), taker, taker.probability, who));
    taker.session.tookAt(e.startOf(lc));
    taker.session.touched.add(lc.laneId());
    recordPick(new Pick(e.startOf(lc), lc.laneId(), Set.of(taker.session.token)));
  }

  /** Keeps {@code p} among the recent picks (the oldest dropped past {@link #MAX_RECENT_PICKS}). */
  private void recordPick(Pick p) {
    recentPicks.addLast(p);
    while (recentPicks.size() > MAX_RECENT_PICKS) {
      recentPicks.removeFirst();
    }
  }

  /**
   * The likeliest two-way explanation is a member of staff restocking the lane while a shopper took
   * from it: the restock goes to stock and the staff visit, the take to the shopper, flagged (with
   * everyone at the lane) unless near certain.
   */
  private boolean restockAndTake(ShelfEvent e, ShelfEvent.LaneChange lc, TwoWayActivity.Swap best, Assoc staff,
      Assoc taker, List<Assoc> who, List<Assoc> named, Map<String, Object> ev, boolean netless) {
    staff.session.restocked.merge(best.putSku(), best.putCount(), Integer::sum);
    inventory.apply(lc.laneId(), best.putSku(), best.putCount());
    double conf = best.probability() * taker.probability;
    chargeTake(e, lc, best, taker, who);
    if (netless && taker.session.activity.size() < MAX_ACTIVITY) {
      taker.session.activity.add(new long[] {e.startOf(lc), e.endOf(lc)});
    }
    notices.accept(new Notice("restock", e.endMillis(), ev));
    if (conf < settings.reviewThreshold()) {
      String msg = best.putCount() + " x " + best.putSku() + " restocked on lane " + lc.laneId() + " by "
          + staff.session.token + " and " + best.takeCount() + " x " + best.takeSku() + " taken off it (charged to "
          + taker.session.token + ") in one movement: the lane went " + Json.round(Math.abs(lc.overshootGrams()), 0)
          + " g past its levels, net " + Json.round(lc.deltaGrams(), 0) + " g (confidence " + Json.round(conf, 3) + ")";
      for (Assoc w : named) {
        w.session.reasons.add(new ReviewReason("two-way-activity", msg, ev));
      }
    }
    return true;
  }

  /** Weight of a member of staff who stood within reach of a lane at some moment of its activity, as its restocker. */
  private static final double RESTOCKER_AT_LANE = 0.5;

  /** A swap shown in the evidence is at least this likely. */
  private static final double SHOWN_SWAP_MIN_PROBABILITY = 0.01;

  /**
   * A swap at least this likely (one that would change a receipt: not a unit exchanged for one like
   * it by the shopper at the lane) gets the lane's shoppers flagged even when the net change is
   * booked as usual. 0.2 until units lifted and put straight back became an explanation of their
   * own, which took a one-way hesitation's share from swaps; at 0.1 the figures are unchanged
   * (docs/benchmarks.md) and a can returned while another shopper took one is still looked at.
   */
  private static final double TWO_WAY_DOUBT = 0.1;

  /**
   * Several units left a lane at once: the shopper charged may not have taken them all if another
   * shopper stood within reach (two hands in one lane look like one grab on the load cell, and a
   * lane kept busy by one hand after another never settles in between). With a live hand source:
   * every other shopper whose hand was seen in the lane, though where they stood made the charged
   * one likelier; and the next likeliest when that shopper's hand was not seen there and, given
   * where both stood and how much the store believes its hand source, may still have been ({@link
   * #alsoHadHand}). Without one, every
   * shopper who stood still within reach over the window and is at least a little likely to be the
   * taker, and every one who stood still within reach for a moment while the lane was active (a
   * whole-window speed and probability miss one who stopped, took and walked on while the other's
   * hand was still in the lane; these used to be looked for only when nobody of the first kind
   * was there).
   */
  private List<Assoc> sharedGrab(List<Assoc> who, ShelfEvent.LaneChange lc, ShelfEvent e) {
    Assoc charged = who.get(0);
    if (charged.hand >= 0) {
      if (who.size() < 2) {
        return List.of();
      }
      // whoever's hand was seen in the lane during the change, however unlikely their position
      // makes them the taker (positions put the charged shopper first, yet both may have taken)
      List<Assoc> out = new ArrayList<>(who.subList(1, who.size()).stream()
          .filter(w -> w.hand >= SPLIT_HAND_CONFIDENCE).toList());
      Assoc other = who.get(1);
      if (!out.contains(other) && other.distance <= SHARED_GRAB_METERS && other.hand < 0.5
          && alsoHadHand(charged, other) >= UNSEEN_HAND_MIN_PROBABILITY) {
        out.add(other);
      }
      return out;
    }
    // no hand source: a second shopper standing within reach may have had a hand in the lane too
    List<Assoc> out = new ArrayList<>();
    for (Assoc other : who.subList(1, who.size())) {
      if (other.probability >= AMBIGUOUS_SHOPPER_MIN_PROBABILITY && other.distance <= SHARED_GRAB_METERS
          && !(other.speed > STILL_SPEED)) {
        out.add(other);
      }
    }
    // and whoever stood still within reach for a moment while the lane was active, however
    // unlikely the whole window makes them: one who stopped, took and walked on
    StoreConfig.Lane lane = lanes.get(lc.laneId());
    if (lane == null) {
      return out;
    }
    long start = e.startOf(lc);
    long end = e.endOf(lc);
    StoreConfig.Position p = takerSpot(lane);
    for (Session s : openAndRecentlyClosed()) {
      if (s != charged.session && out.stream().noneMatch(w -> w.session == s)
          && !(s.exitAt >= 0 && s.exitAt < start) && stoodWithinReach(s, p, start, end)) {
        out.add(who.stream().filter(w -> w.session == s).findFirst()
            .orElseGet(() -> new Assoc(s, Double.NaN, 0, -1)));
      }
    }
    return out;
  }

  /**
   * Units of one lane change charged to {@code takers}, shared out when there are several (most
   * likely first: the first get the odd units), each line with its taker's own probability and
   * {@code basis}; how many takers got a unit.
   */
  private int shareOut(ShelfEvent e, ShelfEvent.LaneChange lc, ShelfEvent.Candidate best,
      List<ShelfEvent.Candidate> cands, List<Assoc> takers, List<Assoc> who, String basis) {
    int left = best.count();
    int n = Math.min(takers.size(), left);
    for (int i = 0; i < n; i++) {
      Assoc t = takers.get(i);
      int k = (left + (n - i) - 1) / (n - i);
      left -= k;
      t.session.add(best.sku(), k, movement(e, lc, k, basis, best, cands, t, t.probability, who));
      t.session.tookAt(e.startOf(lc));
      t.session.measured(best.sku(), Math.abs(lc.deltaGrams()) / best.count(), k);
      t.session.touched.add(lc.laneId());
    }
    return n;
  }

  /**
   * Of the bystanders who may have had a hand in a multi-unit grab ({@link #sharedGrab}), one who
   * stood still within reach while the lane changed and walked off right after: takers reach, take
   * and go ({@link TrackMotion#WALKED_OFF_FACTOR}), so the grab was most likely two hands, and the
   * units are shared out (and flagged) rather than all charged to the shopper the positions put
   * first. Only without a live hand source: one that saw the charged shopper's hand and not the
   * walker's, or no hand at all, has said more than the walking off (with simulated hands, sharing
   * out then lowered F1 in six of ten sets; docs/benchmarks.md, "A second taker who walked off").
   * Null when there is none.
   */
  private static Assoc secondTaker(List<Assoc> shared) {
    return shared.stream().filter(w -> w.walkedOff && !w.session.staff && w.distance <= SHARED_GRAB_METERS
        && !(w.speed > STILL_SPEED)).findFirst().orElse(null);
  }

  /**
   * A bystander whose hand the hand source did not see is named in a multi-unit grab when at least
   * this likely to have had a hand in too. Lower than {@link #AMBIGUOUS_SHOPPER_MIN_PROBABILITY}:
   * at 0.05, busy and adversarial traffic with simulated hand sources of every quality had 13 more
   * silent wrong units in about 4,500 (docs/benchmarks.md); at 0.02 as many as when every unseen
   * bystander within reach was named, for about a point less review.
   */
  private static final double UNSEEN_HAND_MIN_PROBABILITY = 0.02;

  /**
   * How likely {@code other}'s hand was in the lane too, beside the charged shopper's: the odds of
   * their positions (without the hand evidence) times the likelihood ratio of what the hand source
   * saw of {@code other}, as far as the checkout believes the source
   * ({@link CheckoutSettings#handHitRate}): a hand source believed to see nearly every hand makes an
   * unseen hand unlikely, a weak one leaves it open.
   */
  private double alsoHadHand(Assoc charged, Assoc other) {
    double hc = laneHands.factor(charged.hand) + charged.swapped;
    double ho = laneHands.factor(other.hand);
    if (!(charged.probability > 0) || !(hc > 0) || !(ho > 0)) {
      return 1;
    }
    double positionOdds = (other.probability / (ho + other.swapped)) / (charged.probability / hc);
    double odds = positionOdds * ho;
    return odds / (1 + odds);
  }

  /**
   * Whether one of {@code s}'s tracks stood ({@link #STANDING_SPEED} or less: over a second a
   * standing track's noise alone reads about 0.1 m/s) within {@link #SHARED_GRAB_METERS} of
   * {@code p} for {@link #STOP_MILLIS} somewhere in [from, to].
   */
  private boolean stoodWithinReach(Session s, StoreConfig.Position p, long from, long to) {
    for (Deque<ShopperObservation> h : tracks.of(s.token)) {
      List<ShopperObservation> in = new ArrayList<>();
      for (ShopperObservation o : h) {
        if (o.atMillis() >= from && o.atMillis() <= to) {
          in.add(o);
        }
      }
      for (int i = 0, j = 0; i < in.size(); i++) {
        while (j < in.size() && in.get(j).atMillis() - in.get(i).atMillis() <= STOP_MILLIS) {
          j++;
        }
        List<ShopperObservation> stretch = in.subList(i, j);
        if (stretch.size() < MIN_SPEED_SAMPLES || stretch.get(stretch.size() - 1).atMillis() - stretch.get(0).atMillis()
            < MIN_SPEED_SPAN_MILLIS) {
          continue;
        }
        double mx = median(stretch, ShopperObservation::x);
        double my = median(stretch, ShopperObservation::y);
        double speed = trackSpeed(stretch, stretch.get(0).atMillis(), stretch.get(stretch.size() - 1).atMillis());
        if (Math.hypot(mx - p.x(), my - p.y()) <= SHARED_GRAB_METERS && !(speed > STANDING_SPEED)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Long enough a stop to put a hand into a shelf and take something. */
  private static final long STOP_MILLIS = 1000;

  /** A hand seen at least this surely (and in time) in a lane counts as one of several takers. */
  private static final double SPLIT_HAND_CONFIDENCE = 0.3;

  /**
   * A second shopper this close to a lane could have reached into it at the same moment: as far as
   * anyone takes from ({@link TrackMotion#REACH_METERS}). Shoppers who find a lane's spot taken squeeze in half
   * a step back, 0.9-1.0 m from it, and reach from there (0.8 m here left such a second taker of a
   * two-unit change unnamed).
   */
  private static final double SHARED_GRAB_METERS = REACH_METERS;

  /**
   * Who took it is in doubt: every plausible shopper's receipt is flagged, so a reviewer sees both
   * the one charged and the one who may have been missed.
   */
  private void flagAmbiguous(List<Assoc> who, String message, Map<String, Object> evidence) {
    flagAll(who.stream().filter(a -> a.probability >= AMBIGUOUS_SHOPPER_MIN_PROBABILITY).toList(), message, evidence);
  }

  private void flagAll(List<Assoc> who, String message, Map<String, Object> evidence) {
    for (Assoc a : who) {
      a.session.reasons.add(new ReviewReason("ambiguous-shopper", message, evidence));
    }
  }

  /** How many of each nearby shopper's best explanations of a put-back the evidence shows. */
  private static final int SHOWN_PER_SHOPPER = 3;

  /** A shopper this likely to be the one at the lane is named in an ambiguity flag. */
  private static final double AMBIGUOUS_SHOPPER_MIN_PROBABILITY = 0.05;

  private void onPutBack(ShelfEvent e, ShelfEvent.LaneChange lc, List<Assoc> who) {
    if (who.isEmpty()) {
      unattributedEvents++;
      List<ShelfEvent.Candidate> cands = e.candidates().stream().filter(c -> c.laneId().equals(lc.laneId())).toList();
      if (!cands.isEmpty()) {
        inventory.apply(lc.laneId(), cands.get(0).sku(), cands.get(0).count(), lc.deltaGrams() / cands.get(0).count());
      }
      notices.accept(new Notice("unattributed-put-back", e.endMillis(), evidence(e, lc, who, cands)));
      return;
    }
    // the returned item comes from someone's cart: score (shopper, sku, count) together
    String planned = inventory.plannedSku(lc.laneId());
    ShelfEvent.Candidate bestC = null;
    Assoc bestA = null;
    double bestScore = 0;
    Map<String, Double> bySku = new HashMap<>();
    List<ShelfEvent.Candidate> shown = new ArrayList<>();
    Assoc staffA = null;
    ShelfEvent.Candidate staffC = null;
    double staffScore = 0;
    for (Assoc a : who) {
      if (a.session.staff) {
        // a restock: any number of the lane's planned product, from outside the carts
        StoreConfig.Lane lane = lanes.get(lc.laneId());
        int cap = restockUnits(lane);
        List<ShelfEvent.Candidate> cs = model.explain(lc.laneId(), lc.deltaGrams(), lc.sigmaGrams(),
            Map.of(planned, 1.0), Map.of(planned, cap), Map.of(), MEASURED_UNIT_REL_SD, 1);
        if (!cs.isEmpty() && cs.get(0).likelihood() * a.probability > staffScore) {
          staffScore = cs.get(0).likelihood() * a.probability;
          staffC = cs.get(0);
          staffA = a;
        }
        continue;
      }
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
      for (int i = 0; i < cs.size(); i++) {
        ShelfEvent.Candidate c = cs.get(i);
        double score = c.likelihood() * a.probability;
        bySku.merge(c.sku(), score, Double::sum);
        if (i < SHOWN_PER_SHOPPER) {
          shown.add(c); // each nearby shopper's best explanations, not the first shopper's five
        }
        if (score > bestScore) {
          bestScore = score;
          bestC = c;
          bestA = a;
        }
      }
    }
    if (staffC != null && staffScore >= bestScore) {
      staffA.session.restocked.merge(staffC.sku(), staffC.count(), Integer::sum);
      inventory.apply(lc.laneId(), staffC.sku(), staffC.count(), lc.deltaGrams() / staffC.count());
      notices.accept(new Notice("restock", e.endMillis(), evidence(e, lc, who, List.of(staffC))));
      if (staffScore < settings.reviewThreshold() && who.stream().anyMatch(w -> !w.session.staff
          && w.probability >= AMBIGUOUS_SHOPPER_MIN_PROBABILITY)) {
        // a shopper beside the restocking staff may have put something back: their receipt is looked at
        flagAmbiguous(who.stream().filter(w -> !w.session.staff).toList(), staffC.count() + " x " + staffC.sku()
            + " put on lane " + lc.laneId() + " while a member of staff (" + staffA.session.token
            + ") and shoppers stood there; taken as a restock (confidence " + Json.round(staffScore, 3) + ")",
            evidence(e, lc, who, List.of(staffC)));
      }
      return;
    }
    if (bestC == null) {
      // any shopper there may have put it, or taken one at that moment (two hands at once: a
      // return and a take of about the same weight leave a few grams): every shopper near the
      // lane is flagged, not only the likeliest -- one who stopped, took and walked on scores
      // low on position over the whole window. Such put-backs are rare; a missed taker is silent
      List<Assoc> flagged = who.stream().filter(w -> w == who.get(0) || !w.session.staff).toList();
      Map<Session, List<ReviewReason>> doubts = new LinkedHashMap<>();
      for (Assoc w : flagged) {
        ReviewReason r = new ReviewReason("unexplained-put-back", "an item was put on lane " + lc.laneId()
            + " that matches nothing in the carts of the shoppers there", evidence(e, lc, who, shown));
        w.session.reasons.add(r);
        doubts.computeIfAbsent(w.session, k -> new ArrayList<>()).add(r);
      }
      notices.accept(new Notice("unexplained-put-back", e.endMillis(), evidence(e, lc, who, shown)));
      if (!doubtEarlierTakers(e, lc, flagged, who, shown)) {
        // unless it may be an item just taken from this lane (then whoever takes that weight off
        // again is charged for it as before), it may be a thing set down
        setDown.put(lc.laneId(), new SetDown(e.eventId(), e.endOf(lc), lc.deltaGrams(), lc.sigmaGrams(),
            flagged.stream().map(w -> w.session).collect(Collectors.toUnmodifiableSet()), doubts));
      }
      unknownOnLane.put(lc.laneId(), laneDoubt(e, lc, "an item nobody's cart explained was put on this lane at "
          + Instant.ofEpochMilli(e.endOf(lc)), lc.deltaGrams()));
      return;
    }
    // likelihoods are normalised per shopper (outlier included) and shopper probabilities sum to
    // one, so the best joint score is already the probability of this explanation
    double conf = bestScore;
    bestA.session.add(bestC.sku(), -bestC.count(), movement(e, lc, -bestC.count(), "put-back", bestC, shown,
        bestA, bestA.probability, who));
    bestA.session.returned(bestC.sku(), lc.deltaGrams() / bestC.count(), bestC.count());
    bestA.session.touched.add(lc.laneId());
    inventory.apply(lc.laneId(), bestC.sku(), bestC.count(), lc.deltaGrams() / bestC.count());
    if (!bestC.sku().equals(planned)) {
      notices.accept(new Notice("misplaced-item", e.endMillis(),
          Map.of("laneId", lc.laneId(), "sku", bestC.sku(), "count", bestC.count(), "plannedSku", planned)));
      double all = bySku.values().stream().mapToDouble(Double::doubleValue).sum();
      double skuShare = all > 0 ? bySku.getOrDefault(bestC.sku(), 0.0) / all : 0;
      if (skuShare < settings.reviewThreshold()) {
        // which product now lies on the wrong lane is in doubt: whoever takes it next is looked at
        // (charged as what the lane is believed to hold, it would go through unflagged)
        unknownOnLane.put(lc.laneId(), laneDoubt(e, lc, "the item put on this lane at " + Instant.ofEpochMilli(e.endOf(lc))
            + " was taken for " + bestC.sku() + " with probability " + Json.round(skuShare, 3), lc.deltaGrams()));
      }
    }
    if (conf < settings.reviewThreshold()) {
      if (who.size() > 1 && bestA.probability < settings.reviewThreshold()) {
        // the shopper credited is named even when where they stood made them unlikely: the
        // credit changed their receipt
        Session credited = bestA.session;
        flagAll(who.stream().filter(a -> a.probability >= AMBIGUOUS_SHOPPER_MIN_PROBABILITY || a.session == credited)
            .toList(), "put-back of " + bestC.count() + " x " + bestC.sku() + " at lane " + lc.laneId()
            + " credited to " + bestA.session.token + " with confidence " + Json.round(conf, 3),
            evidence(e, lc, who, shown));
      } else {
        bestA.session.reasons.add(new ReviewReason("low-confidence-put-back", "put-back of " + bestC.count() + " x "
            + bestC.sku() + " at lane " + lc.laneId() + " has confidence " + Json.round(conf, 3),
            evidence(e, lc, who, shown)));
      }
    }
  }

  /**
   * A pick that lifts off what was set down on the lane (see {@link SetDown}): the same weight,
   * within {@link #LIFT_OFF_SIGMAS}, taken by one of the shoppers who were there when it was put
   * down, still inside. Nothing is charged and the doubts the set-down raised are taken back from
   * receipts not yet sent (one already sent keeps them: the cautious side). Any other pick there is
   * resolved as usual, still in doubt of the unexplained thing.
   */
  private boolean liftedOff(ShelfEvent e, ShelfEvent.LaneChange lc, List<Assoc> who, List<ShelfEvent.Candidate> cands) {
    SetDown d = setDown.get(lc.laneId());
    if (d == null || who.isEmpty()) {
      return false;
    }
    double sd = Math.sqrt(d.sigma() * d.sigma() + lc.sigmaGrams() * lc.sigmaGrams());
    if (Math.abs(Math.abs(lc.deltaGrams()) - d.grams()) > LIFT_OFF_SIGMAS * sd) {
      return false;
    }
    Assoc lifter = who.stream().filter(w -> !w.session.closed && d.there().contains(w.session)
        && (w == who.get(0) || w.probability >= AMBIGUOUS_SHOPPER_MIN_PROBABILITY)).findFirst().orElse(null);
    if (lifter == null) {
      return false;
    }
    setDown.remove(lc.laneId());
    unknownOnLane.remove(lc.laneId());
    d.doubts().forEach((s, rs) -> {
      if (!s.closed) {
        rs.forEach(r -> s.reasons.remove(r));
      }
    });
    liftedOff++;
    Map<String, Object> ev = new LinkedHashMap<>(evidence(e, lc, who, cands));
    ev.put("setDownEventId", d.eventId());
    ev.put("setDownAt", Instant.ofEpochMilli(d.atMillis()).toString());
    ev.put("setDownGrams", Json.round(d.grams(), 1));
    ev.put("liftedBy", lifter.session.token);
    notices.accept(new Notice("set-down-lifted", e.endMillis(), ev));
    return true;
  }

  /** Why the next pick at a lane is in doubt, as evidence for its `unexpected-product` flag. */
  private static Map<String, Object> laneDoubt(ShelfEvent e, ShelfEvent.LaneChange lc, String note, double grams) {
    return Map.of("note", note, "doubtfulEventId", e.eventId(), "doubtfulAt",
        Instant.ofEpochMilli(e.endOf(lc)).toString(), "doubtfulGrams", Json.round(grams, 1));
  }

  /**
   * Someone put an item on a lane without having been charged for anything it could be: perhaps
   * that shopper took it there a moment ago and the pick was charged to another. Every shopper
   * still inside who was charged for a pick at that lane in the last {@link #PUT_BACK_LOOKBACK_MILLIS}
   * and holds a product the returned item could be is flagged: its line may be the other's.
   *
   * @return whether anyone was
   */
  private boolean doubtEarlierTakers(ShelfEvent e, ShelfEvent.LaneChange lc, List<Assoc> flagged, List<Assoc> who,
      List<ShelfEvent.Candidate> shown) {
    long start = e.startOf(lc);
    Set<String> skus = new HashSet<>();
    e.candidates().stream().filter(c -> c.laneId().equals(lc.laneId())).limit(3).forEach(c -> skus.add(c.sku()));
    skus.add(inventory.plannedSku(lc.laneId()));
    Set<Session> here = new HashSet<>(); // already flagged for the put-back itself
    flagged.forEach(w -> here.add(w.session));
    Set<String> doubted = new LinkedHashSet<>();
    for (Iterator<Pick> it = recentPicks.descendingIterator(); it.hasNext(); ) {
      Pick p = it.next();
      if (start - p.atMillis() > PUT_BACK_LOOKBACK_MILLIS) {
        break;
      }
      if (!p.laneId().equals(lc.laneId()) || p.atMillis() > start) {
        continue;
      }
      for (String token : p.chargedTo()) {
        Session taker = open.containsKey(token) ? open.get(token)
            : recentlyClosed.stream().filter(c -> c.token.equals(token)).findFirst().orElse(null);
        if (taker != null && !here.contains(taker) && skus.stream().anyMatch(k -> {
          CartLine l = taker.cart.get(k);
          return l != null && l.qty > 0;
        }) && doubted.add(token)) {
          taker.reasons.add(new ReviewReason("ambiguous-shopper", "an item was put on lane " + lc.laneId() + " by "
              + who.get(0).session.token + ", who was charged for nothing it could be; the pick at that lane charged to "
              + token + " at " + Instant.ofEpochMilli(p.atMillis()) + " may have been theirs",
              evidence(e, lc, who, shown)));
          if (taker.closed) {
            // its receipt is out: an amendment carries the doubt
            doubtedAfterEmit.add(taker);
          }
        }
      }
    }
    return !doubted.isEmpty();
  }

  /** Most units of a restock when the lane's capacity is unknown. */
  private static final int RESTOCK_MAX_UNITS = 100;

  /** Most units a restock of {@code lane} may put on: its capacity (or {@link #RESTOCK_MAX_UNITS} unknown). */
  private static int restockUnits(StoreConfig.Lane lane) {
    return lane == null ? RESTOCK_MAX_UNITS : Math.max(1, lane.capacity());
  }

  /** How far back a put-back nobody can explain casts doubt on picks at the same lane. */
  private static final long PUT_BACK_LOOKBACK_MILLIS = 120_000;

  // --- association ---

  /** {@code hand}: confidence of this shopper's hand in the lane, 0 when not seen, -1 when no hand was seen there. */
  /**
   * @param identity how sure the cameras are that the track placing this shopper there is this
   *     shopper (see {@link ShopperObservation#identityConfidence()})
   */
  private record Assoc(Session session, double distance, double probability, double hand, double identity,
      double speed, boolean walkedOff, double swapped) {
    Assoc(Session session, double distance, double probability, double hand) {
      this(session, distance, probability, hand, 1, Double.NaN, false, 0);
    }

    Assoc(Session session, double distance, double probability, double hand, double identity, double speed,
        boolean walkedOff) {
      this(session, distance, probability, hand, identity, speed, walkedOff, 0);
    }

    Assoc withProbability(double p) {
      return new Assoc(session, distance, p, hand, identity, speed, walkedOff, swapped);
    }

    Assoc withProbability(double p, double h) {
      return new Assoc(session, distance, p, h, identity, speed, walkedOff, 0);
    }

    /** With {@code sw} added to the hand factor its probability was weighed by (see swappedHand). */
    Assoc withSwapped(double sw) {
      return new Assoc(session, distance, probability, hand, identity, speed, walkedOff, sw);
    }
  }

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
    // the lane's own active window: the shelf's event may span other shoppers' interactions too
    long start = e.startOf(lc);
    long end = e.endOf(lc);
    Map<String, Double> hands = laneHands.at(lc.laneId(), start, end,
        e.lanes().stream().map(ShelfEvent.LaneChange::laneId).collect(Collectors.toSet()));
    // where shoppers stood is weighed up to shortly after the item moved: a lane kept active long
    // after (an elbow on it, a hand lingering) would otherwise favour whoever stood there for the
    // rest of the window. Before the step the taker's hand was on its way in: that stays.
    long focusTo = end;
    if (lc.timed() && end - start > FOCUS_WINDOW_MILLIS && !e.netless(lc)) {
      focusTo = Math.min(end, Math.max(start, lc.stepMillis()) + FOCUS_MILLIS);
    }
    long step = lc.timed() ? lc.stepMillis() : (start + end) / 2;
    List<Assoc> near = associate(e, lane, start, focusTo, start - settings.presenceWindowBeforeMillis(),
        end + settings.presenceWindowAfterMillis(), settings.associationRadiusMeters(), 1.0, hands, step, end);
    if (near.size() > 1 && hands.isEmpty() && laneHands.live(start) && near.get(1).distance <= REACH_METERS) {
      // a hand source is live but saw no hand here (occluded, missed): positions alone decide
      // between shoppers within arm's reach, and they are not enough to charge without a look
      double cap = Math.min(near.get(0).probability, UNSEEN_MAX_PROBABILITY);
      double rest = near.stream().skip(1).mapToDouble(Assoc::probability).sum();
      List<Assoc> capped = new ArrayList<>();
      capped.add(near.get(0).withProbability(cap, -1));
      for (Assoc a : near.subList(1, near.size())) {
        capped.add(a.withProbability(rest > 0 ? a.probability * (1 - cap) / rest : 0, -1));
      }
      return capped;
    }
    if (!near.isEmpty()) {
      return near;
    }
    // nobody seen at the lane (a tracking gap, an occlusion): whoever was last seen close by in
    // the seconds around it is a candidate, never a certain one, so the line is always flagged
    List<Assoc> gap = associate(e, lane, start, end, start - GAP_LOOKBACK_MILLIS, end + GAP_LOOKAHEAD_MILLIS,
        GAP_RADIUS_METERS, GAP_MAX_PROBABILITY, hands, step, end);
    return soleShopper(gap.isEmpty() ? anyoneInside(lane, start, end) : gap, lane, start, end);
  }

  /**
   * A lane active longer than this is weighed up to {@link #FOCUS_MILLIS} after its step. (Cutting
   * the window before the step too lost the taker's approach and made a few wrong charges
   * confident: 2 more wrong units that no reason pointed at, in adversarial traffic.)
   */
  private static final long FOCUS_WINDOW_MILLIS = 3000;
  private static final long FOCUS_MILLIS = 1500;

  /**
   * A fallback candidate who was the only shopper in the store at the time, with nobody else
   * (not even a person without a token) seen near the lane, took it: charged with
   * {@link #SOLE_SHOPPER_PROBABILITY}, not flagged. Anyone else inside keeps the fallback's cap.
   */
  private List<Assoc> soleShopper(List<Assoc> fallback, StoreConfig.Lane lane, long start, long end) {
    if (fallback.size() != 1) {
      return fallback;
    }
    long inside = open.values().stream().filter(s -> s.enteredAt <= end && (s.exitAt < 0 || s.exitAt >= start)).count()
        + recentlyClosed.stream().filter(s -> s.enteredAt <= end && s.exitAt >= start).count();
    if (inside != 1) {
      return fallback;
    }
    long from = start - settings.presenceWindowBeforeMillis();
    long to = end + settings.presenceWindowAfterMillis();
    Assoc a = fallback.get(0);
    Set<String> checked = new HashSet<>();
    for (ShopperObservation o : tracks.anonymous()) {
      if (o.atMillis() >= from && o.atMillis() <= to && dist(o, lane.position()) <= settings.associationRadiusMeters()
          && checked.add(o.trackId()) && !couldBe(o.trackId(), a.session)) {
        return fallback;
      }
    }
    return List.of(a.withProbability(SOLE_SHOPPER_PROBABILITY));
  }

  /**
   * Whether a track the cameras could not put a token on may be {@code s}'s shopper, seen on a
   * new track before (or without) the token being handed over to it: it may unless it has since
   * carried another token, or it was seen at some moment while one of the shopper's own tracks
   * was seen more than {@link #ELSEWHERE_METERS} away (one person is not in two places; someone who
   * walked in without checking in is not charged to the shopper they walked in with).
   */
  private boolean couldBe(String anonymousTrack, Session s) {
    String later = tracks.tokenOf(anonymousTrack);
    if (later != null) {
      return later.equals(s.token);
    }
    List<Deque<ShopperObservation>> own = tracks.of(s.token);
    for (ShopperObservation o : tracks.anonymous()) {
      if (!o.trackId().equals(anonymousTrack)) {
        continue;
      }
      for (Deque<ShopperObservation> h : own) {
        for (ShopperObservation p : h) {
          if (Math.abs(p.atMillis() - o.atMillis()) <= SAME_MOMENT_MILLIS && dist(p, o) > ELSEWHERE_METERS) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static final long SAME_MOMENT_MILLIS = 400;
  private static final double ELSEWHERE_METERS = 1.2;

  /** Who took it when the cameras had lost the only shopper inside and saw nobody else there. */
  private static final double SOLE_SHOPPER_PROBABILITY = 0.95;

  /**
   * Last resort when cameras saw nobody near the lane at all: every shopper inside the store whom
   * the cameras had lost at the time (not observed anywhere around the event) may have taken it.
   * The one last seen nearest is charged, never with more than
   * {@link #LAST_RESORT_MAX_PROBABILITY}, so every such receipt is flagged; an item nobody is
   * charged for would be a silent loss.
   */
  private List<Assoc> anyoneInside(StoreConfig.Lane lane, long start, long end) {
    List<Assoc> raw = new ArrayList<>();
    double total = 0;
    for (Session s : open.values()) {
      if (s.enteredAt > end || (s.exitAt >= 0 && s.exitAt < start)) {
        continue;
      }
      double d = Double.POSITIVE_INFINITY;
      boolean seenElsewhere = false;
      for (Deque<ShopperObservation> h : tracks.of(s.token)) {
        for (ShopperObservation o : h) {
          if (o.atMillis() <= end) {
            d = Math.min(d, dist(o, lane.position()));
          }
          seenElsewhere |= o.atMillis() >= start - UNSEEN_BEFORE_MILLIS && o.atMillis() <= end + UNSEEN_AFTER_MILLIS;
        }
      }
      if (seenElsewhere) {
        continue; // tracked somewhere else while the lane moved: not this shopper
      }
      double w = Double.isFinite(d) ? Math.exp(-0.5 * (d / LAST_RESORT_SIGMA_METERS) * (d / LAST_RESORT_SIGMA_METERS))
          : 0.01;
      raw.add(new Assoc(s, Double.isFinite(d) ? d : -1, w, -1));
      total += w;
    }
    final double norm = total;
    return raw.stream()
        .map(a -> new Assoc(a.session, a.distance, LAST_RESORT_MAX_PROBABILITY * a.probability / norm, -1))
        .sorted(Comparator.comparingDouble(Assoc::probability).reversed()).toList();
  }

  private static final double LAST_RESORT_MAX_PROBABILITY = 0.5;
  /** A shopper observed anywhere this close around the event was not lost by the cameras. */
  private static final long UNSEEN_BEFORE_MILLIS = 2000;
  private static final long UNSEEN_AFTER_MILLIS = 1000;
  private static final double LAST_RESORT_SIGMA_METERS = 3.0;

  /**
   * The chance, relative to {@link LaneHands#factor(double)}, that a hand seen on another candidate standing
   * within {@link #SWAP_METERS} of {@code raw[i]} was {@code raw[i]}'s own, joined to the wrong body
   * (the camera's hand zones share a hand between two people's boxes): {@code (1 - c_i) * hit * c}
   * for the other's hand seen with confidence {@code c}, the most of them. The rate of such swaps
   * is taken as the store's handFalseRate, so it cancels against the false-hand rate in the other's
   * factor: a hand on the neighbour counts about (1 - false) / false against the unseen one, not
   * hit / false over miss / not-false as if the two were independent.
   */
  private double swappedHand(List<Assoc> raw, List<double[]> where, int i) {
    Assoc me = raw.get(i);
    double[] p = where.get(i);
    if (me.hand < 0 || me.hand >= 1 || p == null || Double.isNaN(p[0])) {
      return 0;
    }
    double best = 0;
    for (int j = 0; j < raw.size(); j++) {
      double[] q = where.get(j);
      if (j != i && raw.get(j).hand > 0 && q != null && !Double.isNaN(q[0])
          && Math.hypot(p[0] - q[0], p[1] - q[1]) <= SWAP_METERS) {
        best = Math.max(best, raw.get(j).hand);
      }
    }
    return (1 - me.hand) * settings.handHitRate() * best;
  }

  /** Two people closer than this can have a hand joined to the wrong body. */
  private static final double SWAP_METERS = 0.8;

  /** Who-took-it from positions alone, when a live hand source saw no hand: never charged unreviewed. */
  private static final double UNSEEN_MAX_PROBABILITY = 0.75;

  /** Fallback association across a tracking gap: how far back, forward and around to look. */
  private static final long GAP_LOOKBACK_MILLIS = 10_000;
  private static final long GAP_LOOKAHEAD_MILLIS = 3_000;
  private static final double GAP_RADIUS_METERS = 2.0;
  private static final double GAP_MAX_PROBABILITY = 0.6;

  private List<Assoc> associate(ShelfEvent e, StoreConfig.Lane lane, long start, long end, long from, long to,
      double radius, double maxProbability, Map<String, Double> hands, long step, long settled) {
    List<Assoc> raw = new ArrayList<>();
    List<double[]> where = new ArrayList<>();
    double total = 0;
    int standing = 0;
    List<Session> candidates = openAndRecentlyClosed();
    // candidates are weighed by their distance to where takers stand, once that is learnt
    Optional<StoreConfig.Position> spot = spots.spot(lane);
    ShelfFronts.Front front = frontOf(lane, spot);
    for (Session s : candidates) {
      if (s.exitAt >= 0 && s.exitAt < start) {
        continue;
      }
      // the session's nearest member (a group has one track per member)
      double d = Double.POSITIVE_INFINITY;
      double fromSpot = Double.POSITIVE_INFINITY;
      double identity = 1;
      double speed = Double.NaN;
      double ahead = Double.NaN;
      boolean walkedOff = false;
      double[] at = null;
      for (Deque<ShopperObservation> h : tracks.of(s.token)) {
        walkedOff |= walkedOff(h, lane.position(), step, settled);
        double dt = trackDistance(h, lane.position(), from, to, start, end);
        if (dt < d) {
          d = dt;
          // where they stood matters only beside a seen hand (see swappedHand)
          at = hands.isEmpty() ? null : new double[] {
              whileActive(h, lane.position(), from, to, start, end, ShopperObservation::x, Double.NaN),
              whileActive(h, lane.position(), from, to, start, end, ShopperObservation::y, Double.NaN)};
          fromSpot = spot.isPresent() ? trackDistance(h, spot.get(), from, to, start, end) : dt;
          identity = h.peekLast().identityConfidence();
          speed = speedAround(h, start, end);
          ahead = front == null ? Double.NaN : trackAhead(h, lane.position(), front, from, to, start, end);
        }
      }
      // a hand seen in the lane makes its shopper a candidate even if the position is off (a long reach)
      if (d <= radius || (hands.containsKey(s.token) && d <= GAP_RADIUS_METERS)) {
        double w = positionWeight(fromSpot, speed) * (ahead < -BEHIND_METERS ? BEHIND_FACTOR : 1)
            * (walkedOff ? WALKED_OFF_FACTOR : 1);
        raw.add(new Assoc(s, d, w, hands.isEmpty() ? -1 : hands.getOrDefault(s.token, 0.0), identity, speed,
            walkedOff));
        where.add(at);
        if (fromSpot <= REACH_METERS && !(speed > STANDING_SPEED)) {
          standing++;
        }
      }
    }
    // two or more standing within reach: people at a crowded shelf stand where there is room, so
    // where each stands says less about whose hand went in
    double tau = standing >= 2 ? CROWDED_POSITION_WEIGHT : 1;
    for (int i = 0; i < raw.size(); i++) {
      Assoc a = raw.get(i);
      double sw = hands.isEmpty() ? 0 : swappedHand(raw, where, i);
      double w = Math.pow(a.probability, tau) * (laneHands.factor(hands, a.session.token) + sw);
      raw.set(i, a.withProbability(w).withSwapped(sw));
      total += w;
    }
    final double norm = total;
    List<Assoc> out = raw.stream()
        .map(a -> a.withProbability(norm > 0 ? maxProbability * a.probability / norm : 0))
        .sorted(Comparator.comparingDouble(Assoc::probability).reversed()).toList();
    if (out.size() > 1 && out.get(0).walkedOff) {
      // walking off decides who is charged, never how sure: the line keeps the confidence where
      // they stood gives it (the walk-off factor, raised to tau, taken out again), and one that
      // walking off moved away from the likeliest by position is not charged unseen
      double undo = Math.pow(WALKED_OFF_FACTOR, tau);
      java.util.function.ToDoubleFunction<Assoc> byStanding = a -> a.walkedOff ? a.probability / undo : a.probability;
      double sum = out.stream().mapToDouble(byStanding).sum();
      Assoc top = out.get(0);
      double topByStanding = byStanding.applyAsDouble(top);
      boolean overruled = out.stream().skip(1).anyMatch(a -> byStanding.applyAsDouble(a) > topByStanding);
      List<Assoc> capped = new ArrayList<>(out);
      capped.set(0, top.withProbability(overruled ? Math.min(top.probability, UNSEEN_MAX_PROBABILITY)
          : Math.min(top.probability, maxProbability * topByStanding / sum)));
      out = capped;
    }
    if (out.size() > 1 && !hands.isEmpty()) {
      // the hand overrules a clear position: right for a reach past a neighbour, wrong when the
      // camera put the hand in the neighbouring lane or on the neighbour's body; the charge
      // follows the hand, no surer than the hand source is against that position
      Assoc byPosition = out.stream().min(Comparator.comparingDouble(Assoc::distance)).orElseThrow();
      double dp = byPosition.distance / ASSOCIATION_SIGMA_METERS;
      double wp = Math.exp(-0.5 * dp * dp);
      double all = out.stream().mapToDouble(a -> Math.exp(-0.5 * Math.pow(a.distance / ASSOCIATION_SIGMA_METERS, 2)))
          .sum();
      if (byPosition != out.get(0) && all > 0 && wp / all >= settings.reviewThreshold()) {
        List<Assoc> capped = new ArrayList<>(out);
        Assoc top = out.get(0);
        capped.set(0, top.withProbability(Math.min(top.probability,
            Math.max(UNSEEN_MAX_PROBABILITY, handAgainstPosition(wp / all)))));
        return capped;
      }
    }
    return out;
  }

  /**
   * How likely a hand seen in the lane is its taker's when where people stood gives another
   * shopper {@code byPosition} of the odds: a reach past that shopper against the two ways the
   * hand source could be wrong, the hand put on the wrong body or into the wrong lane, each taken
   * at the store's {@code handFalseRate}. With the default belief (0.9 / 0.05) this stays under
   * {@link #UNSEEN_MAX_PROBABILITY} for any position clear enough to be weighed against (at least
   * the review threshold of 0.8), so only a store that measured a better hand source than that
   * gets charges past a clear position unreviewed.
   */
  private double handAgainstPosition(double byPosition) {
    double seen = settings.handHitRate() * (1 - settings.handFalseRate());
    double odds = byPosition / Math.max(1e-9, 1 - byPosition);
    return seen / (seen + 2 * settings.handFalseRate() * odds);
  }

  /**
   * Exponent on the position weights when two or more candidates stood still within reach of the
   * lane (their log-odds scaled by it). A shopper who arrives at a shelf where another already
   * stands takes the free spot beside and reaches sideways, so the one nearer the lane is less
   * often the taker than the spread of a lone taker's position says: on busy and adversarial draws
   * outside the suite, charged probabilities of 0.80-0.85 were right 80 % of the time on the
   * example store and 76 % on the pharmacy's narrow lanes, 0.90-0.95 94 % and 83 %; with 0.7,
   * 84 % and 82 %, 93 % and 89 % (docs/benchmarks.md, "Another store with its own hard cases").
   */
  static final double CROWDED_POSITION_WEIGHT = 0.7;

  /**
   * Up to this speed around a lane's active window (m/s, see {@link TrackMotion#speedAround}) a candidate
   * counts as standing at the shelf for {@link #CROWDED_POSITION_WEIGHT}. Above the noise of a
   * tracked position standing still (medians of 0.07 m noise a second apart read about 0.1 m/s,
   * one in two standing shoppers above {@link TrackMotion#STILL_SPEED}), below a slow walk (0.5 m/s).
   */
  static final double STANDING_SPEED = 0.25;

  /**
   * Which side of {@code lane} its takers stand on: the shelf's {@code facing} when the store file
   * gives it, else the side of the spot learnt from its takers (at least
   * {@link #MIN_SPOT_OFFSET_METERS} out), else unknown (null). An inferred front is not trusted
   * here: a wrong guess would keep charging the shopper in front to whoever stands behind.
   */
  private ShelfFronts.Front frontOf(StoreConfig.Lane lane, Optional<StoreConfig.Position> spot) {
    ShelfFronts.Front f = fronts.get(lane.id());
    if (f != null || spot.isEmpty()) {
      return f;
    }
    double dx = spot.get().x() - lane.position().x();
    double dy = spot.get().y() - lane.position().y();
    double d = Math.hypot(dx, dy);
    return d < MIN_SPOT_OFFSET_METERS ? null : new ShelfFronts.Front(-dy / d, dx / d, dx / d, dy / d);
  }

  /** A learnt spot closer to its lane than this says too little about which side the lane is reached from. */
  private static final double MIN_SPOT_OFFSET_METERS = 0.2;

  /**
   * A shopper standing this far behind a lane's front line (on the other side of the shelf: the
   * far face of a gondola) cannot reach into it.
   */
  private static final double BEHIND_METERS = 0.2;
  /** How much less likely a shopper behind the shelf is to have taken from it than one in front. */
  private static final double BEHIND_FACTOR = 0.02;

  /** The only shopper at a lane took from it: where it stood (median over the active window) teaches the shelf's spot. */
  private void learnSpot(Session s, ShelfEvent.LaneChange lc, ShelfEvent e) {
    StoreConfig.Lane lane = lanes.get(lc.laneId());
    long start = e.startOf(lc);
    long end = e.endOf(lc);
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (Deque<ShopperObservation> h : tracks.of(s.token)) {
      for (ShopperObservation o : h) {
        if (o.atMillis() >= start && o.atMillis() <= end && dist(o, lane.position()) <= REACH_METERS) {
          xs.add(o.x());
          ys.add(o.y());
        }
      }
    }
    if (xs.size() >= MIN_SPEED_SAMPLES) {
      xs.sort(null);
      ys.sort(null);
      spots.learn(lane.id(), xs.get(xs.size() / 2) - lane.position().x(), ys.get(ys.size() / 2) - lane.position().y());
    }
  }

  /** Candidates in a reason's evidence: a pick's five best, or three per shopper of a put-back. */
  private static final int MAX_SHOWN_CANDIDATES = 9;

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
    m.put("candidates", cands.stream().limit(MAX_SHOWN_CANDIDATES).map(c -> Map.of("sku", c.sku(), "count", c.count(),
        "likelihood", Json.round(c.likelihood(), 4))).toList());
    m.put("shoppers", who.stream().map(a -> {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("customerToken", a.session.token);
      w.put("distanceMeters", Json.round(a.distance, 2));
      if (!Double.isNaN(a.speed)) {
        w.put("speedMetersPerSecond", Json.round(a.speed, 2));
      }
      if (a.walkedOff) {
        w.put("walkedOffRightAfter", true);
      }
      if (a.hand >= 0) {
        w.put("handInLane", Json.round(a.hand, 3));
      }
      w.put("probability", Json.round(a.probability, 4));
      return w;
    }).toList());
    return m;
  }

  /** Other shoppers (and other products) named in a line's evidence, at most. */
  private static final int MAX_OTHERS_SHOWN = 3;
  /** A product explanation less likely than this is not named as an alternative. */
  private static final double MIN_ALTERNATIVE_SHOWN = 0.001;

  /**
   * The evidence of one movement on a cart line: {@code charged} is credited {@code qty} units,
   * the shoppers of {@code who} but them are the others who could have moved it.
   */
  private static LineEvidence movement(ShelfEvent e, ShelfEvent.LaneChange lc, int qty, String basis,
      double productProbability, List<LineEvidence.Product> otherProducts, Assoc charged, double shopperProbability,
      List<Assoc> who) {
    List<LineEvidence.Other> others = who.stream().filter(w -> w.session != charged.session).limit(MAX_OTHERS_SHOWN)
        .map(w -> new LineEvidence.Other(w.session.token, w.probability, w.distance)).toList();
    return new LineEvidence(e.eventId(), e.startOf(lc), e.endOf(lc), lc.laneId(), qty, lc.deltaGrams(), basis,
        productProbability, shopperProbability, charged.hand, others, otherProducts);
  }

  /** A movement read as {@code chosen} among {@code candidates} (the other explanations kept as alternatives). */
  private static LineEvidence movement(ShelfEvent e, ShelfEvent.LaneChange lc, int qty, String basis,
      ShelfEvent.Candidate chosen, List<ShelfEvent.Candidate> candidates, Assoc charged, double shopperProbability,
      List<Assoc> who) {
    Map<String, LineEvidence.Product> alternatives = new LinkedHashMap<>();
    candidates.stream().filter(c -> !(c.sku().equals(chosen.sku()) && c.count() == chosen.count())
            && c.likelihood() >= MIN_ALTERNATIVE_SHOWN)
        .sorted(Comparator.comparingDouble(ShelfEvent.Candidate::likelihood).reversed())
        .forEach(c -> alternatives.putIfAbsent(c.sku() + "|" + c.count(),
            new LineEvidence.Product(c.sku(), c.count(), c.likelihood())));
    return movement(e, lc, qty, basis, chosen.likelihood(),
        alternatives.values().stream().limit(MAX_OTHERS_SHOWN).toList(), charged, shopperProbability, who);
  }

  // --- sessions and receipts ---

  /** A member of staff left: what they restocked and removed is reported, no receipt. */
  private void staffVisitEnded(Session s) {
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("customerToken", s.token);
    ev.put("enteredAt", Instant.ofEpochMilli(s.enteredAt).toString());
    ev.put("restocked", new LinkedHashMap<>(s.restocked));
    ev.put("removed", new LinkedHashMap<>(s.removed));
    notices.accept(new Notice("staff-visit", s.exitAt >= 0 ? s.exitAt : s.enteredAt, ev));
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
      items.add(new ReceiptLine(p.sku(), p.name(), line.qty, p.priceMinor(), lineTotal, line.confidence,
          line.evidence));
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
    s.reasonsAtEmit = s.reasons.size();
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
    /** The movements that made the line, oldest first. */
    final List<LineEvidence> evidence = new ArrayList<>();
  }

  private static final class Session {
    final String token;
    final long enteredAt;
    long exitAt = -1;
    String exitGateId;
    int members = 1;
    int exited;
    final Map<String, CartLine> cart = new LinkedHashMap<>();
    final List<ReviewReason> reasons = new ArrayList<>();
    final Set<String> touched = new LinkedHashSet<>();
    final Set<String> faultLanesNoted = new LinkedHashSet<>();
    final Set<String> handOffNoted = new LinkedHashSet<>();
    /** When this shopper's hands last met another's, by the other's token (see onHandContact). */
    final Map<String, Long> contactAt = new HashMap<>();
    /** Times this shopper stood side by side with another (by the other's token), see checkHandOffs. */
    final Map<String, List<Meeting>> meetings = new HashMap<>();
    /** Windows of lane changes this shopper may have made (a candidate for them). */
    final List<long[]> activity = new ArrayList<>();
    /** Last time any of the session's tracks was observed (the entry counts), and the long gaps. */
    long lastSeenAt;
    final List<long[]> unseen = new ArrayList<>();
    boolean closed;
    /** The cart changed since the last receipt sent (a doubt added since shows against {@link #reasonsAtEmit}). */
    boolean changedSinceEmit;
    int emitted;
    /** Review reasons the last receipt sent carried. */
    int reasonsAtEmit;
    /** The doubt of shelf activity unresolved at the exit, while it is (see settledAfterExit). */
    ReviewReason unsettled;
    /** A member of staff (see {@code checkout.staffTokenPrefixes}): restocks and removals, no receipt. */
    boolean staff;
    final Map<String, Integer> restocked = new LinkedHashMap<>();
    final Map<String, Integer> removed = new LinkedHashMap<>();

    Session(String token, long enteredAt) {
      this.token = token;
      this.enteredAt = enteredAt;
      this.lastSeenAt = enteredAt;
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

    /** Start of the first lane change charged to this visit (a take), or never. */
    long firstTakeAt = Long.MAX_VALUE;

    void tookAt(long millis) {
      firstTakeAt = Math.min(firstTakeAt, millis);
    }

    boolean cartEmpty() {
      return cart.values().stream().allMatch(l -> l.qty <= 0);
    }

    void add(String sku, int signedQty, LineEvidence movement) {
      changedSinceEmit = true;
      CartLine l = cart.computeIfAbsent(sku, k -> new CartLine());
      l.qty += signedQty;
      l.confidence = Math.min(l.confidence, movement.confidence());
      l.evidence.add(movement);
    }
  }
}
