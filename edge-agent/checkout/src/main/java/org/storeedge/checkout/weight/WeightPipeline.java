package org.storeedge.checkout.weight;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.ReadingStatus;
import org.storeedge.core.device.WeightReading;
import org.storeedge.core.event.DeviceFault;
import org.storeedge.core.event.ShelfEvent;

/**
 * Readings in, shelf events out.
 *
 * <pre>
 *  WeightReading --> LaneDetector (per lane) --LaneChange--> shelf group (per shelf)
 *                         |                                      | quiet for groupGap
 *                    fault/recovery                               v
 *                         v                       WeightModel: (sku, count) candidates
 *                    DeviceFault                                  v
 *                                                             ShelfEvent
 * </pre>
 *
 * <p>Runs on the agent thread only (not thread-safe). Candidates for picks use what the lane
 * holds ({@link LaneInventory}); for put-backs they are a first guess the checkout re-scores
 * with the shopper's cart.
 */
public final class WeightPipeline {
  private final DetectorSettings settings;
  private final LaneInventory inventory;
  private final WeightModel model;
  private final Map<String, StoreConfig.Product> products;
  private final Map<String, Double> strayShare;
  private final Consumer<ShelfEvent> events;
  private final Consumer<DeviceFault> faults;
  private final Map<String, LaneDetector> detectors = new HashMap<>();
  private final Map<String, String> shelfOfLane = new HashMap<>();
  private final Map<String, List<LaneDetector>> detectorsOfShelf = new HashMap<>();
  private final Map<String, PendingGroup> pending = new LinkedHashMap<>();
  private final Map<String, ReadingStatus> laneStatus = new HashMap<>();
  private final Map<String, Double> minChange = new HashMap<>();
  private ActivityListener activity = (laneId, atMillis) -> {};
  private long rejected;
  private long samples;

  public WeightPipeline(StoreConfig config, DetectorSettings settings, LaneInventory inventory,
      Consumer<ShelfEvent> events, Consumer<DeviceFault> faults) {
    this.settings = settings;
    this.inventory = inventory;
    this.products = config.productsBySku();
    this.strayShare = strayShares(config);
    this.model = new WeightModel(products);
    this.events = events;
    this.faults = faults;
    // room for one sample per millisecond over the stable window (rates up to 1 kHz)
    int capacity = (int) settings.stableWindowMillis() + 64;
    for (StoreConfig.Shelf shelf : config.shelves()) {
      List<LaneDetector> list = new ArrayList<>();
      // a unit of any product of the shelf may be put back on any of its lanes: each lane sees a
      // change of 40 % of the shelf's lightest product (a 6 g pencil on the 19 g pens' lane)
      double lightest = shelf.lanes().stream().mapToDouble(l -> products.get(l.sku()).unitWeightGrams()).min()
          .orElse(Double.POSITIVE_INFINITY);
      for (StoreConfig.Lane lane : shelf.lanes()) {
        double min = Math.max(settings.floorChangeGrams(), Math.min(settings.minChangeGrams(), 0.4 * lightest));
        LaneDetector d = new LaneDetector(lane.id(), settings, min, NETLESS_TWO_WAY_GRAMS, capacity, this::onLaneChange);
        minChange.put(lane.id(), min);
        detectors.put(lane.id(), d);
        shelfOfLane.put(lane.id(), shelf.id());
        list.add(d);
        laneStatus.put(lane.id(), ReadingStatus.OK);
      }
      detectorsOfShelf.put(shelf.id(), list);
    }
  }

  /** Told when a lane starts moving (a hand arrives), before any event is resolved. */
  @FunctionalInterface
  public interface ActivityListener {
    void onActivity(String laneId, long atMillis);
  }

  /** Sets the listener for activity starts (e.g. cameras boosting their frame rate). */
  public void setActivityListener(ActivityListener l) {
    this.activity = l;
  }

  public WeightModel model() {
    return model;
  }

  /** Feeds one reading; readings of unknown lanes are counted and dropped. */
  public void accept(WeightReading r) {
    LaneDetector d = detectors.get(r.laneId());
    if (d == null) {
      rejected++;
      return;
    }
    samples++;
    ReadingStatus st = r.status();
    if (st.ok() && (Double.isNaN(r.grams()) || Double.isInfinite(r.grams()))) {
      st = ReadingStatus.INVALID;
    }
    ReadingStatus prev = laneStatus.put(r.laneId(), st);
    if (st != prev) {
      faults.accept(new DeviceFault(r.laneId(), st, r.atMillis()));
      if (!st.ok()) {
        d.reset();
      }
    }
    if (st.ok()) {
      boolean wasBusy = d.busy();
      d.onSample(r.atMillis(), r.grams());
      if (!wasBusy && d.busy()) {
        activity.onActivity(r.laneId(), r.atMillis());
      }
    }
    if (!pending.isEmpty()) {
      flushGroups(r.atMillis(), false);
    }
  }

  /** True when some lane activity that started before {@code t} is not yet resolved into an event. */
  public boolean busyBefore(long t) {
    for (PendingGroup g : pending.values()) {
      if (g.firstStart < t) {
        return true;
      }
    }
    for (LaneDetector d : detectors.values()) {
      if (d.busy() && d.activeSince() < t) {
        return true;
      }
    }
    return false;
  }

  /** The stable level of every lane that has one, grams (for a snapshot taken before a restart). */
  public Map<String, Double> levels() {
    Map<String, Double> out = new HashMap<>();
    detectors.forEach((id, d) -> {
      double level = d.level();
      if (!Double.isNaN(level)) {
        out.put(id, level);
      }
    });
    return out;
  }

  /**
   * The levels the lanes had at {@code sinceMillis}, before a restart: a lane whose first stable
   * level now differs reports the difference as a change over the gap (see
   * {@link LaneDetector#expectLevel}). Call before the first reading.
   */
  public void expectLevels(Map<String, Double> levels, long sinceMillis) {
    levels.forEach((id, grams) -> {
      LaneDetector d = detectors.get(id);
      if (d != null && grams != null && Double.isFinite(grams)) {
        d.expectLevel(grams, sinceMillis);
      }
    });
  }

  /**
   * Lanes with activity that began before {@code t} and is not yet resolved into an event, with the
   * time that activity began (epoch ms).
   */
  public Map<String, Long> busyLanesBefore(long t) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (PendingGroup g : pending.values()) {
      for (LaneChange c : g.changes) {
        if (c.startMillis() < t) {
          out.merge(c.laneId(), c.startMillis(), Math::min);
        }
      }
    }
    for (LaneDetector d : detectors.values()) {
      if (d.busy() && d.activeSince() < t) {
        out.merge(d.laneId(), d.activeSince(), Math::min);
      }
    }
    return out;
  }

  /** Lanes whose device is currently faulty. */
  public List<String> faultyLanes() {
    return laneStatus.entrySet().stream().filter(e -> !e.getValue().ok()).map(Map.Entry::getKey).sorted().toList();
  }

  public boolean laneTrusted(String laneId) {
    return laneStatus.getOrDefault(laneId, ReadingStatus.OK).ok();
  }

  public long samples() {
    return samples;
  }

  public long rejectedReadings() {
    return rejected;
  }

  /** Emits every group whose lanes are quiet; with {@code force}, every group. */
  public void flushGroups(long now, boolean force) {
    var it = pending.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      PendingGroup g = e.getValue();
      boolean quiet = detectorsOfShelf.get(e.getKey()).stream().noneMatch(LaneDetector::busy);
      if (force || (quiet && now - g.lastAdded >= settings.groupGapMillis())) {
        it.remove();
        for (List<LaneChange> round : rounds(g.changes)) {
          ShelfEvent ev = resolve(e.getKey(), round);
          if (!ev.lanes().isEmpty()) {
            events.accept(ev);
          }
        }
      }
    }
  }

  private void onLaneChange(LaneChange c) {
    String shelf = shelfOfLane.get(c.laneId());
    PendingGroup g = pending.computeIfAbsent(shelf, k -> new PendingGroup());
    g.changes.add(c);
    g.firstStart = Math.min(g.firstStart, c.startMillis());
    // the change is reported one stable window plus the merge gap after it settled
    g.lastAdded = c.endMillis() + settings.stableWindowMillis() + settings.mergeGapMillis();
  }

  /**
   * The changes of one shelf's busy spell as shelf events, in time order, each with at most one
   * change per lane: a lane that changed again (the detector reports changes of one lane apart only
   * once it stayed quiet past the merge gap in between) starts the next event. A shelf kept busy
   * by several shoppers would otherwise net one lane's take and a later put-back by someone else
   * into a single change, and lose both.
   */
  private static List<List<LaneChange>> rounds(List<LaneChange> changes) {
    List<LaneChange> byStart = new ArrayList<>(changes);
    byStart.sort(java.util.Comparator.comparingLong(LaneChange::startMillis));
    List<List<LaneChange>> out = new ArrayList<>();
    List<LaneChange> current = new ArrayList<>();
    Set<String> lanes = new HashSet<>();
    for (LaneChange c : byStart) {
      if (lanes.contains(c.laneId())) {
        out.add(current);
        current = new ArrayList<>();
        lanes.clear();
      }
      current.add(c);
      lanes.add(c.laneId());
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }

  private ShelfEvent resolve(String shelfId, List<LaneChange> changes) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    double delta = 0;
    double var = 0;
    double confidence = 1;
    List<ShelfEvent.LaneChange> lanes = new ArrayList<>();
    List<ShelfEvent.Candidate> candidates = new ArrayList<>();
    long firstStart = changes.stream().mapToLong(LaneChange::startMillis).min().orElse(0);
    for (LaneChange c : reportable(changes)) {
      start = Math.min(start, c.startMillis());
      end = Math.max(end, c.endMillis());
      delta += c.deltaGrams();
      var += c.sigmaGrams() * c.sigmaGrams();
      double overshoot = twoWay(c) ? c.signedOvershootGrams() : 0;
      lanes.add(new ShelfEvent.LaneChange(c.laneId(), c.deltaGrams(), c.sigmaGrams(), c.startMillis(), c.endMillis(),
          overshoot, c.stepMillis(), c.plateau()));
      if (Math.abs(c.deltaGrams()) < minChange.get(c.laneId())) {
        continue; // only the two-way activity is known: nothing for the net to be explained by
      }
      boolean pick = c.deltaGrams() < 0;
      List<ShelfEvent.Candidate> cs = model.explain(c.laneId(), Math.abs(c.deltaGrams()), c.sigmaGrams(),
          laneSkuPrior(c.laneId(), pick), pick ? misplacedCaps(c.laneId()) : null,
          pick ? inventory.measuredUnits(c.laneId()) : Map.of(), WeightModel.MEASURED_UNIT_REL_SD, 5);
      candidates.addAll(cs);
      confidence *= cs.isEmpty() ? 0 : cs.get(0).likelihood();
    }
    if (lanes.isEmpty()) {
      // the changes cancelled out (taken and put straight back): nothing to resolve
      start = firstStart;
      end = firstStart;
    }
    return new ShelfEvent(shelfId + "-" + start, shelfId, start, end, delta, Math.sqrt(var), lanes, candidates,
        confidence);
  }

  /**
   * The changes worth an event: a net change of at least the lane's minimum, or an item's weight
   * that went on and another that came off in between ({@link #twoWay}).
   */
  private List<LaneChange> reportable(List<LaneChange> changes) {
    return changes.stream()
        .filter(c -> Math.abs(c.deltaGrams()) >= minChange.get(c.laneId()) || twoWay(c))
        .toList();
  }


  /**
   * Whether {@code c} went far enough past its levels before and after for an item put on and
   * another taken off (or the other way round) in one activity: {@link #TWO_WAY_GRAMS}, or
   * {@link #NETLESS_TWO_WAY_GRAMS} when the net is under the lane's minimum, so that the
   * excursion is all there is to see.
   */
  private boolean twoWay(LaneChange c) {
    double over = c.overshootGrams();
    return over >= TWO_WAY_GRAMS
        || over >= NETLESS_TWO_WAY_GRAMS && Math.abs(c.deltaGrams()) < minChange.get(c.laneId());
  }

  /**
   * Prior over skus for a change on a lane. A pick takes what the lane holds, in proportion to the
   * counts, except that a unit of another product left on the lane (a return to the wrong lane)
   * weighs {@link #MISPLACED_PICK_PRIOR} (up to {@link #MAX_MISPLACED_PICK_PRIOR} for several): it
   * lies in front, so with one of them on a full lane it is about a third of the next picks rather
   * than one in thirty. A little room ({@link #STRAY_PICK_PRIOR}) is left for stock the agent does not know about;
   * a put-back most likely returns the lane's own product, but could be anything
   * ({@link #STRAY_PUT_BACK_PRIOR}). Those stray shares are fixed totals spread over the catalog
   * (see {@link #strayShares}), so a catalog of thousands of products does not drown the planogram.
   */
  private Map<String, Double> laneSkuPrior(String laneId, boolean pick) {
    Map<String, Double> prior = new HashMap<>();
    String planned = inventory.plannedSku(laneId);
    if (pick) {
      Map<String, Integer> contents = inventory.contents(laneId);
      int total = contents.values().stream().mapToInt(Integer::intValue).sum();
      // a unit returned to another product's lane was left in front, where the next hand reaches
      // first: not one unit among the lane's many
      contents.forEach((sku, n) -> prior.merge(sku, sku.equals(planned) ? (double) n / Math.max(1, total)
          : Math.max((double) n / Math.max(1, total), Math.min(MAX_MISPLACED_PICK_PRIOR, MISPLACED_PICK_PRIOR * n)),
          Double::sum));
      prior.merge(planned, 0.05, Double::sum);
      strayShare.forEach((sku, share) -> prior.merge(sku, STRAY_PICK_PRIOR * share, Double::sum));
    } else {
      strayShare.forEach((sku, share) -> prior.put(sku, STRAY_PUT_BACK_PRIOR * share));
      prior.merge(planned, 1.0, Double::sum);
    }
    return prior;
  }

  /**
   * A lane that went this far past both its levels before and after while active had more than a
   * hand on it: an item put on and another taken off (or the other way round) within one activity.
   * A hand's wobble and press stay under it (tens of grams; a press of up to about 100 g).
   */
  static final double TWO_WAY_GRAMS = 100;

  /**
   * {@link #TWO_WAY_GRAMS} for a change with no net worth an event: a light item put on a lane of a
   * look-alike while one is taken off (a 48 g phone case on the lane of 50 g ones, with a hand of
   * 20 g on it). A hand's wobble stays under it; a hard press can pass it, and the checkout then
   * weighs a swap against nothing having moved, as it does above 100 g. A change with a net is left at
   * {@link #TWO_WAY_GRAMS}, where two takes with hands overlapping go past the levels too.
   */
  static final double NETLESS_TWO_WAY_GRAMS = 70;

  /**
   * Prior weight of one unit of another product left on a lane, against the lane's own product's
   * 1.0 (counted in proportion to the lane's contents it would be 1/(n+1): a bag of nuts returned to
   * a lane of 30 granola bars was read as three bars, unflagged, when taken).
   */
  static final double MISPLACED_PICK_PRIOR = 0.5;
  static final double MAX_MISPLACED_PICK_PRIOR = 0.5;

  /** Prior mass, per pick, of a product the lane is not known to hold (an unrecorded return, a restocking mistake). */
  static final double STRAY_PICK_PRIOR = 0.03;
  /** Prior mass, per put-back, of another product than the lane's own (against 1 for the lane's own). */
  static final double STRAY_PUT_BACK_PRIOR = 0.3;
  /** Of the stray mass, what products on none of this store's shelves share (a stray is most likely from another lane). */
  static final double OFF_SHELF_SHARE = 0.1;

  /**
   * How the stray mass is shared: products planned on some lane of this store share most of it
   * evenly (a product put back on the wrong lane is the likely stray), the rest of the catalog
   * shares {@link #OFF_SHELF_SHARE}; shares sum to 1.
   */
  static Map<String, Double> strayShares(StoreConfig config) {
    Set<String> onShelves = new HashSet<>();
    config.lanes().forEach(l -> onShelves.add(l.sku()));
    long off = config.catalog().stream().filter(p -> !onShelves.contains(p.sku())).count();
    double onShare = off == 0 ? 1 : 1 - OFF_SHELF_SHARE;
    Map<String, Double> out = new HashMap<>();
    for (StoreConfig.Product p : config.catalog()) {
      out.put(p.sku(), onShelves.contains(p.sku()) ? onShare / onShelves.size() : OFF_SHELF_SHARE / off);
    }
    return Map.copyOf(out);
  }

  /**
   * A pick can take no more of a misplaced product than the lane is known to hold (one more, in
   * case a return went uncounted); the planned product and products never seen there are not
   * bounded.
   */
  private Map<String, Integer> misplacedCaps(String laneId) {
    Map<String, Integer> caps = new HashMap<>();
    for (String sku : products.keySet()) {
      caps.put(sku, Integer.MAX_VALUE);
    }
    String planned = inventory.plannedSku(laneId);
    inventory.contents(laneId).forEach((sku, n) -> {
      if (!sku.equals(planned)) {
        caps.put(sku, n + 1);
      }
    });
    return caps;
  }

  private static final class PendingGroup {
    final List<LaneChange> changes = new ArrayList<>();
    long firstStart = Long.MAX_VALUE;
    long lastAdded;
  }
}
