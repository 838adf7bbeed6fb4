package org.storeedge.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.checkout.cart.CheckoutEngine;
import org.storeedge.checkout.cart.CheckoutSettings;
import org.storeedge.checkout.cart.CheckoutSnapshot;
import org.storeedge.checkout.cart.Receipt;
import org.storeedge.checkout.weight.DetectorSettings;
import org.storeedge.checkout.weight.LaneInventory;
import org.storeedge.checkout.weight.StockMonitor;
import org.storeedge.checkout.weight.WeightPipeline;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverFactory;
import org.storeedge.core.device.DriverRegistry;
import org.storeedge.core.device.ReadingSink;
import org.storeedge.core.device.WeightDriver;
import org.storeedge.core.event.DeviceFault;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.HandContact;
import org.storeedge.core.event.HandInLane;
import org.storeedge.core.event.ShelfEvent;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.core.json.Json;
import org.storeedge.core.lifecycle.Lifecycle;
import org.storeedge.core.lifecycle.LifecycleManager;
import org.storeedge.core.outbox.Outbox;
import org.storeedge.core.outbox.Stream;
import org.storeedge.core.time.Scheduler;

/**
 * The composition root: wires one store's agent by hand.
 *
 * <pre>
 *  drivers --readings--> WeightPipeline --ShelfEvent--> CheckoutEngine --Receipt--> Outbox --> uplink
 *  gates, presence -----------------------------------------^      \--events/alerts--^
 * </pre>
 *
 * <p>Everything from the pipeline to the outbox append runs on the agent thread: the scheduler's
 * thread. With {@code inline} (simulation on virtual time) drivers already run there and call in
 * directly; otherwise their readings are handed to the scheduler, dropped and counted beyond a
 * bounded backlog so a slow agent never blocks a device loop.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  private static final int MAX_BACKLOG = 100_000;

  private final StoreConfig config;
  private final Scheduler scheduler;
  private final Outbox outbox;
  private final boolean inline;
  private final LaneInventory inventory;
  private final WeightPipeline pipeline;
  private final CheckoutEngine checkout;
  private final StockMonitor stock;
  private final LifecycleManager lifecycle = new LifecycleManager();
  private final List<Consumer<Receipt>> receiptListeners = new ArrayList<>();
  private final List<Consumer<ShelfEvent>> shelfEventListeners = new ArrayList<>();
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong droppedReadings = new AtomicLong();
  private final AtomicLong outboxRefused = new AtomicLong();
  private long receiptsStored;
  private long eventsPublished;

  /**
   * @param drivers the driver registry; each device of the config gets a driver from it
   * @param extraComponents started after the drivers, stopped before them (uplink, broker, ...)
   */
  public Agent(StoreConfig config, Scheduler scheduler, DriverRegistry drivers, Outbox outbox, boolean inline,
      DetectorSettings detector, CheckoutSettings checkoutSettings, List<Lifecycle> extraComponents) {
    this.config = config;
    this.scheduler = scheduler;
    this.outbox = outbox;
    this.inline = inline;
    this.inventory = new LaneInventory(config);
    this.pipeline = new WeightPipeline(config, detector, inventory, this::onShelfEvent, this::onFault);
    this.checkout = new CheckoutEngine(config, inventory, pipeline.model(), checkoutSettings, pipeline::busyLanesBefore,
        this::onReceipt, this::onNotice);
    this.stock = new StockMonitor(config, inventory, 0.25);
    ReadingSink sink = inline ? pipeline::accept : r -> {
      if (backlog.incrementAndGet() > MAX_BACKLOG) {
        backlog.decrementAndGet();
        droppedReadings.incrementAndGet();
        return;
      }
      scheduler.execute(() -> {
        backlog.decrementAndGet();
        pipeline.accept(r);
      });
    };
    for (StoreConfig.Device device : config.devices()) {
      List<StoreConfig.Lane> lanes = config.shelves().stream().filter(s -> s.device().equals(device.id()))
          .flatMap(s -> s.lanes().stream()).toList();
      if (lanes.isEmpty()) {
        continue; // gates and cameras have their own paths
      }
      DriverFactory f = drivers.factory(device.type()).orElseThrow(() -> new IllegalArgumentException(
          "no driver for device " + device.id() + " of type " + device.type()));
      WeightDriver d = f.create(device, lanes, scheduler, sink);
      lifecycle.add(d);
    }
    extraComponents.forEach(lifecycle::add);
    lifecycle.add(new Lifecycle() {
      private Scheduler.Cancellable tick;

      @Override
      public void start() {
        tick = scheduler.scheduleAtFixedRate(Duration.ofMillis(100), Duration.ofMillis(100), Agent.this::tick);
      }

      @Override
      public void stop() {
        if (tick != null) {
          tick.cancel();
        }
      }

      @Override
      public String name() {
        return "checkout-ticker";
      }
    });
  }

  public void start() throws Exception {
    LOG.info("starting agent for store {} gateway {}: {}", config.store().id(), config.store().gatewayId(),
        lifecycle.dump());
    lifecycle.startAll();
  }

  @Override
  public void close() {
    lifecycle.stopAll();
  }

  public void addReceiptListener(Consumer<Receipt> l) {
    receiptListeners.add(l);
  }

  /** Told on the agent thread when a lane starts moving, before its event resolves. */
  public void onShelfActivity(WeightPipeline.ActivityListener l) {
    pipeline.setActivityListener(l);
  }

  public void addShelfEventListener(Consumer<ShelfEvent> l) {
    shelfEventListeners.add(l);
  }

  /** Gate input; safe from any thread. */
  public void onGate(GateEvent e) {
    post(() -> {
      checkout.onGate(e);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "gate");
      m.put("gateId", e.gateId());
      m.put("direction", e.direction());
      m.put("at", Instant.ofEpochMilli(e.atMillis()).toString());
      publish(Stream.EVENTS, "events", "gate-" + e.gateId() + "-" + e.atMillis() + "-" + e.direction(), Json.write(m));
    });
  }

  /**
   * Purges a customer's local data held by the checkout (open cart, positions); completes on the
   * agent thread. Safe from any thread.
   */
  public java.util.concurrent.CompletableFuture<Map<String, Object>> forgetCustomer(String token) {
    java.util.concurrent.CompletableFuture<Map<String, Object>> f = new java.util.concurrent.CompletableFuture<>();
    post(() -> f.complete(checkout.forget(token)));
    return f;
  }

  /**
   * Offers the checkout's snapshot (open carts, lane contents) to {@code sink} on the agent thread,
   * about once a second while it changes. Set before {@link #start}.
   */
  public void persistCheckout(Consumer<CheckoutSnapshot> sink) {
    this.checkoutSink = sink;
  }

  /** The checkout's snapshot, taken on the agent thread after what is queued there. Safe from any thread. */
  public java.util.concurrent.CompletableFuture<CheckoutSnapshot> checkoutSnapshot() {
    java.util.concurrent.CompletableFuture<CheckoutSnapshot> f = new java.util.concurrent.CompletableFuture<>();
    post(() -> f.complete(snapshot(scheduler.millis())));
    return f;
  }

  /**
   * Takes over the open carts and lane contents of an agent that ran before (see
   * {@link CheckoutEngine#restore}); call before {@link #start}. Safe from any thread.
   */
  public void restoreCheckout(CheckoutSnapshot snap) {
    post(() -> {
      checkout.restore(snap, scheduler.millis());
      pipeline.expectLevels(snap.laneGrams(), snap.takenAtMillis());
      LOG.info("took over {} open visit(s) and the contents of {} lane(s) from a snapshot taken at {}",
          snap.visits().size(), snap.lanes().size(), Instant.ofEpochMilli(snap.takenAtMillis()));
    });
  }

  /** Presence input (vision or simulator); safe from any thread. */
  public void onObservation(ShopperObservation o) {
    post(() -> checkout.onObservation(o));
  }

  /** A hand seen in a lane (a camera with hand or pose detection, or the simulator); safe from any thread. */
  public void onHandInLane(HandInLane h) {
    post(() -> checkout.onHandInLane(h));
  }

  /** Two shoppers' hands met (a possible hand-off); safe from any thread. */
  public void onHandContact(HandContact c) {
    post(() -> checkout.onHandContact(c));
  }

  private void post(Runnable r) {
    if (inline) {
      r.run();
    } else {
      scheduler.execute(r);
    }
  }

  private void tick() {
    long now = scheduler.millis();
    pipeline.flushGroups(now, false);
    checkout.poll(now);
    if (checkoutSink != null && now - lastSnapshotAt >= SNAPSHOT_EVERY_MILLIS) {
      lastSnapshotAt = now;
      CheckoutSnapshot snap = snapshot(now);
      // the lanes' weights wander by fractions of a gram: a new snapshot is stored when carts or
      // lane contents change (or a lane's weight moved by a few grams)
      if (lastSnapshot == null || !snap.visits().equals(lastSnapshot.visits()) || !snap.lanes().equals(lastSnapshot.lanes())
          || movedLanes(snap.laneGrams(), lastSnapshot.laneGrams())) {
        lastSnapshot = snap;
        checkoutSink.accept(snap);
      }
    }
  }

  /** The checkout's snapshot with the lanes' stable weights (agent thread). */
  private CheckoutSnapshot snapshot(long now) {
    return checkout.snapshot(now).withLaneGrams(pipeline.levels());
  }

  private static boolean movedLanes(Map<String, Double> now, Map<String, Double> before) {
    if (!now.keySet().equals(before.keySet())) {
      return true;
    }
    for (Map.Entry<String, Double> e : now.entrySet()) {
      if (Math.abs(e.getValue() - before.get(e.getKey())) > SNAPSHOT_GRAMS) {
        return true;
      }
    }
    return false;
  }

  /** A lane's weight moving by more than this, grams, is worth a new snapshot on its own. */
  private static final double SNAPSHOT_GRAMS = 2.0;

  /** How often the checkout's snapshot is compared with the last one offered, ms. */
  private static final long SNAPSHOT_EVERY_MILLIS = 1000;
  private volatile Consumer<CheckoutSnapshot> checkoutSink;
  private CheckoutSnapshot lastSnapshot;
  private long lastSnapshotAt = Long.MIN_VALUE / 2;

  private void onShelfEvent(ShelfEvent e) {
    checkout.onShelfEvent(e);
    shelfEventListeners.forEach(l -> l.accept(e));
    for (ShelfEvent.LaneChange lc : e.lanes()) {
      StockMonitor.StockUpdate u = stock.update(lc.laneId(), e.endMillis());
      publish(u.alert() ? Stream.ALERTS : Stream.EVENTS, "stock", "stock-" + lc.laneId() + "-" + e.endMillis(), u.toJson());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "shelf");
    m.put("eventId", e.eventId());
    m.put("shelfId", e.shelfId());
    m.put("start", Instant.ofEpochMilli(e.startMillis()).toString());
    m.put("end", Instant.ofEpochMilli(e.endMillis()).toString());
    m.put("deltaGrams", Json.round(e.deltaGrams(), 1));
    m.put("sigmaGrams", Json.round(e.sigmaGrams(), 2));
    m.put("lanes", e.lanes().stream().map(l -> l.overshootGrams() != 0
        ? Map.of("laneId", l.laneId(), "deltaGrams", Json.round(l.deltaGrams(), 1), "overshootGrams",
            Json.round(l.overshootGrams(), 1))
        : Map.of("laneId", l.laneId(), "deltaGrams", Json.round(l.deltaGrams(), 1))).toList());
    m.put("candidates", e.candidates().stream().limit(6).map(c -> Map.of("sku", c.sku(), "count", c.count(),
        "laneId", c.laneId(), "likelihood", Json.round(c.likelihood(), 4))).toList());
    m.put("confidence", Json.round(e.confidence(), 4));
    publish(Stream.EVENTS, "events", "shelf-" + e.eventId(), Json.write(m));
  }

  private void onFault(DeviceFault f) {
    checkout.onFault(f);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", f.status().ok() ? "device-recovered" : "device-fault");
    m.put("laneId", f.laneId());
    m.put("status", f.status());
    m.put("at", Instant.ofEpochMilli(f.atMillis()).toString());
    LOG.warn("lane {} device status {}", f.laneId(), f.status());
    publish(Stream.ALERTS, "events", "fault-" + f.laneId() + "-" + f.atMillis(), Json.write(m));
  }

  private void onNotice(CheckoutEngine.Notice n) {
    // staff work is the store's routine, not something to look at first
    Stream stream = STAFF_NOTICES.contains(n.kind()) ? Stream.EVENTS : Stream.ALERTS;
    publish(stream, "events", n.kind() + "-" + n.atMillis(), n.toJson());
  }

  private static final java.util.Set<String> STAFF_NOTICES = java.util.Set.of("restock", "staff-removal", "staff-visit");

  private void onReceipt(Receipt r) {
    // the exit is handled once the receipt is durable: append returns after the commit
    publish(Stream.RECEIPTS, "receipts", r.receiptId(), r.toJson());
    receiptsStored++;
    for (Consumer<Receipt> l : receiptListeners) {
      l.accept(r);
    }
  }

  private void publish(Stream stream, String topic, String key, String json) {
    try {
      outbox.append(stream, topic, key, json.getBytes(StandardCharsets.UTF_8));
      if (stream != Stream.RECEIPTS) {
        eventsPublished++;
      }
    } catch (Outbox.OutboxFullException e) {
      outboxRefused.incrementAndGet();
      LOG.warn("outbox refused {} message {}: {}", stream, key, e.getMessage());
    }
  }

  public WeightPipeline pipeline() {
    return pipeline;
  }

  public CheckoutEngine checkout() {
    return checkout;
  }

  public LaneInventory inventory() {
    return inventory;
  }

  public long receiptsStored() {
    return receiptsStored;
  }

  public long eventsPublished() {
    return eventsPublished;
  }

  public long droppedReadings() {
    return droppedReadings.get();
  }

  public long outboxRefused() {
    return outboxRefused.get();
  }
}
