package org.storeedge.runtime.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.checkout.cart.CheckoutSnapshot;
import org.storeedge.checkout.cart.LineEvidence;
import org.storeedge.checkout.cart.ReviewReason;
import org.storeedge.checkout.weight.LaneInventory;
import org.storeedge.core.json.Json;
import org.storeedge.sync.state.CheckoutStateStore;

/**
 * Keeps the checkout's latest snapshot (open carts, lane contents) in the state database so a
 * gateway that loses power takes them back when it starts again: {@link #offer} takes a snapshot
 * from the agent thread and a writer thread of its own stores the newest one (a slow disk never
 * holds up the checkout; snapshots offered meanwhile are superseded, not queued). A snapshot
 * that cannot be stored is logged and counted; the next one tries again.
 */
public final class CheckoutStateKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckoutStateKeeper.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int FORMAT = 1;

  private final CheckoutStateStore store;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "checkout-state");
    t.setDaemon(true);
    return t;
  });
  private final AtomicReference<CheckoutSnapshot> newest = new AtomicReference<>();
  private volatile long saved;
  private volatile long failed;

  public CheckoutStateKeeper(CheckoutStateStore store) {
    this.store = store;
  }

  /** The snapshot saved last, if any and readable; an unreadable one is logged and skipped. */
  public Optional<CheckoutSnapshot> load() {
    Optional<CheckoutStateStore.Saved> s = store.load();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromJson(s.get().json()));
    } catch (IOException | RuntimeException e) {
      LOG.error("the saved checkout state (taken at {} ms) cannot be read and is not restored: {}",
          s.get().takenAtMillis(), e.toString());
      return Optional.empty();
    }
  }

  /** Stores {@code snap} soon, on the writer thread; safe from any thread. */
  public void offer(CheckoutSnapshot snap) {
    if (newest.getAndSet(snap) == null) {
      writer.execute(this::writeNewest);
    }
  }

  /**
   * Stores {@code snap} now (at shutdown) and returns once it is stored: on the writer thread,
   * after whatever it has in hand, so an older snapshot never lands after this one.
   */
  public void saveNow(CheckoutSnapshot snap) throws InterruptedException, java.util.concurrent.ExecutionException {
    newest.set(null);
    writer.submit(() -> write(snap)).get();
  }

  private void writeNewest() {
    CheckoutSnapshot snap = newest.getAndSet(null);
    if (snap != null) {
      write(snap);
    }
  }

  private void write(CheckoutSnapshot snap) {
    try {
      store.save(toJson(snap), snap.takenAtMillis());
      saved++;
    } catch (RuntimeException e) {
      failed++;
      LOG.error("checkout state not saved ({} failures so far): {}", failed, e.toString());
    }
  }

  /** Snapshots stored and failed to store, for health. */
  public long saved() {
    return saved;
  }

  public long failed() {
    return failed;
  }

  /** Waits for the snapshot in hand to be written, then stops the writer. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("checkout state writer still busy after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- format ---

  static String toJson(CheckoutSnapshot snap) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("takenAtMillis", snap.takenAtMillis());
    List<Object> visits = new ArrayList<>();
    for (CheckoutSnapshot.Visit v : snap.visits()) {
      Map<String, Object> vm = new LinkedHashMap<>();
      vm.put("token", v.token());
      vm.put("enteredAtMillis", v.enteredAtMillis());
      vm.put("exitAtMillis", v.exitAtMillis());
      vm.put("members", v.members());
      vm.put("exited", v.exited());
      vm.put("emitted", v.emitted());
      List<Object> lines = new ArrayList<>();
      for (CheckoutSnapshot.Line l : v.cart()) {
        lines.add(Map.of("sku", l.sku(), "qty", l.qty(), "confidence", l.confidence(), "unitGrams", l.unitGrams(),
            "evidence", l.evidence()));
      }
      vm.put("cart", lines);
      vm.put("reasons", v.reasons());
      visits.add(vm);
    }
    m.put("visits", visits);
    Map<String, Object> lanes = new LinkedHashMap<>();
    snap.lanes().forEach((id, c) -> lanes.put(id, Map.of("plannedSku", c.plannedSku(), "units", c.units(),
        "measuredGrams", c.measuredGrams())));
    m.put("lanes", lanes);
    m.put("laneGrams", snap.laneGrams());
    Map<String, Object> spots = new LinkedHashMap<>();
    snap.spots().forEach((id, sp) -> spots.put(id, Map.of("samples", sp.samples(), "dx", sp.dx(), "dy", sp.dy())));
    m.put("spots", spots);
    return Json.write(m);
  }

  static CheckoutSnapshot fromJson(String json) throws IOException {
    JsonNode n = JSON.readTree(json);
    if (n.path("format").asInt() != FORMAT) {
      throw new IOException("unknown checkout state format " + n.path("format"));
    }
    List<CheckoutSnapshot.Visit> visits = new ArrayList<>();
    for (JsonNode v : n.path("visits")) {
      List<CheckoutSnapshot.Line> lines = new ArrayList<>();
      for (JsonNode l : v.path("cart")) {
        List<Double> grams = new ArrayList<>();
        l.path("unitGrams").forEach(g -> grams.add(g.asDouble()));
        List<LineEvidence> movements = new ArrayList<>();
        for (JsonNode m : l.path("evidence")) { // absent in a state written before movements were kept
          movement(m).ifPresent(movements::add);
        }
        lines.add(new CheckoutSnapshot.Line(text(l, "sku"), l.path("qty").asInt(), l.path("confidence").asDouble(1),
            grams, movements));
      }
      List<ReviewReason> reasons = new ArrayList<>();
      for (JsonNode r : v.path("reasons")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> ev = r.path("evidence").isObject() ? JSON.convertValue(r.path("evidence"), Map.class) : Map.of();
        reasons.add(new ReviewReason(text(r, "code"), r.path("message").asText(""), ev));
      }
      visits.add(new CheckoutSnapshot.Visit(text(v, "token"), v.path("enteredAtMillis").asLong(),
          v.path("exitAtMillis").asLong(-1), v.path("members").asInt(1), v.path("exited").asInt(),
          v.path("emitted").asInt(), lines, reasons));
    }
    Map<String, LaneInventory.Contents> lanes = new LinkedHashMap<>();
    for (var it = n.path("lanes").fields(); it.hasNext(); ) {
      var e = it.next();
      Map<String, Integer> units = new LinkedHashMap<>();
      e.getValue().path("units").fields().forEachRemaining(u -> units.put(u.getKey(), u.getValue().asInt()));
      Map<String, List<Double>> grams = new LinkedHashMap<>();
      e.getValue().path("measuredGrams").fields().forEachRemaining(g -> {
        List<Double> l = new ArrayList<>();
        g.getValue().forEach(x -> l.add(x.asDouble()));
        grams.put(g.getKey(), l);
      });
      lanes.put(e.getKey(), new LaneInventory.Contents(text(e.getValue(), "plannedSku"), units, grams));
    }
    Map<String, Double> grams = new LinkedHashMap<>();
    n.path("laneGrams").fields().forEachRemaining(g -> grams.put(g.getKey(), g.getValue().asDouble()));
    Map<String, CheckoutSnapshot.Spot> spots = new LinkedHashMap<>();
    n.path("spots").fields().forEachRemaining(sp -> spots.put(sp.getKey(), new CheckoutSnapshot.Spot(
        sp.getValue().path("samples").asInt(), sp.getValue().path("dx").asDouble(), sp.getValue().path("dy").asDouble())));
    return new CheckoutSnapshot(n.path("takenAtMillis").asLong(), visits, lanes, grams, spots);
  }

  /**
   * One movement of a cart line's evidence; a damaged one is left out (logged) rather than the
   * cart: the line and its charge stand without it.
   */
  private static Optional<LineEvidence> movement(JsonNode m) {
    try {
      List<LineEvidence.Other> others = new ArrayList<>();
      for (JsonNode o : m.path("others")) {
        others.add(new LineEvidence.Other(text(o, "customerToken"), o.path("probability").asDouble(),
            o.path("distanceMeters").asDouble()));
      }
      List<LineEvidence.Product> products = new ArrayList<>();
      for (JsonNode o : m.path("otherProducts")) {
        products.add(new LineEvidence.Product(text(o, "sku"), o.path("count").asInt(), o.path("probability").asDouble()));
      }
      return Optional.of(new LineEvidence(text(m, "eventId"), Instant.parse(text(m, "start")).toEpochMilli(),
          Instant.parse(text(m, "end")).toEpochMilli(), text(m, "laneId"), m.path("qty").asInt(),
          m.path("deltaGrams").asDouble(), text(m, "basis"), m.path("productProbability").asDouble(),
          m.path("shopperProbability").asDouble(), m.path("handInLane").asDouble(-1), others, products));
    } catch (IOException | java.time.format.DateTimeParseException e) {
      LOG.warn("a cart line's evidence in the checkout state is damaged and left out: {} ({})", m, e.getMessage());
      return Optional.empty();
    }
  }

  private static String text(JsonNode n, String field) throws IOException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IOException("missing " + field + " in checkout state");
    }
    return v.asText();
  }
}
