package org.storeedge.runtime.command;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.checkout.cart.CheckoutSnapshot;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.event.HandContact;
import org.storeedge.core.event.HandInLane;
import org.storeedge.core.event.ShopperObservation;
import org.storeedge.runtime.Agent;

/**
 * Holds the running {@link Agent} and replaces it when the store file changes: the outbox, the
 * uplink and the calibration layer outlive it, the agent (drivers, pipeline) is rebuilt and takes
 * over the old one's open carts and lane contents.
 *
 * <p>Healthy means: the agent started all its components and every device that reads lanes has
 * delivered at least one OK reading since the (re)start, within the given time.
 *
 * <p>Threads: start/restart/close are serialised on this object (command thread, main thread);
 * {@link #agent()} and the gate/presence inputs may be called from any thread and reach whichever
 * agent is current.
 */
public final class AgentHost implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentHost.class);

  /** Builds (does not start) an agent for a config; the agent must take its drivers from the tap's registry. */
  @FunctionalInterface
  public interface AgentFactory {
    Agent create(StoreConfig config) throws Exception;
  }

  /** @param silentDevices devices that sent no OK reading in time (empty when healthy) */
  public record Health(boolean healthy, Set<String> silentDevices, String startFailure) {
    public String describe() {
      if (healthy) {
        return "healthy";
      }
      return startFailure != null ? "agent failed to start: " + startFailure
          : "no readings from devices " + silentDevices;
    }
  }

  private static final long HANDOVER_TIMEOUT_SECONDS = 10;

  private final AgentFactory factory;
  private final DeviceTap tap;
  private volatile Agent agent;
  private volatile StoreConfig config;
  private volatile String startFailure;

  public AgentHost(AgentFactory factory, DeviceTap tap) {
    this.factory = factory;
    this.tap = tap;
  }

  /** Builds and starts the first agent; a failure to start propagates (the caller exits). */
  public synchronized void start(StoreConfig cfg) throws Exception {
    if (agent != null) {
      throw new IllegalStateException("agent host already started");
    }
    tap.resetCounts();
    tap.calibrator().useLanes(laneIds(cfg));
    Agent a = factory.create(cfg);
    config = cfg;
    agent = a;
    a.start();
    releaseGates(a);
  }

  /**
   * Stops the current agent and starts one for {@code cfg}. A failure to build or start is kept
   * (the next {@link #awaitHealthy} reports it) rather than thrown, so the caller can roll back.
   */
  public synchronized void restart(StoreConfig cfg) {
    Agent old = agent;
    CheckoutSnapshot handed = null;
    holdGates(); // gates arriving until the new agent runs wait for it
    if (old != null) {
      agent = null;
      old.close();
      try {
        // the open carts and lane contents go over to the new agent: a store file or planogram
        // update in opening hours must not lose the carts of the shoppers inside
        handed = old.checkoutSnapshot().get(HANDOVER_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.error("the stopped agent's open carts could not be taken over: {}", e.toString());
      }
    }
    tap.resetCounts();
    tap.calibrator().useLanes(laneIds(cfg));
    startFailure = null;
    config = cfg;
    try {
      Agent a = factory.create(cfg);
      if (handed != null) {
        a.restoreCheckout(handed);
      }
      agent = a;
      a.start();
      releaseGates(a);
      LOG.info("agent restarted with {}", cfg.source());
    } catch (Exception | LinkageError e) {
      startFailure = e.toString();
      LOG.error("agent failed to start with {}: {}", cfg.source(), e.toString());
    }
  }

  /** Blocks (wall time, at most {@code timeout}) until every lane device of the current config delivered a reading. */
  public Health awaitHealthy(Duration timeout) throws InterruptedException {
    String failure = startFailure;
    if (failure != null) {
      return new Health(false, Set.of(), failure);
    }
    Set<String> devices = new TreeSet<>();
    for (StoreConfig.Shelf s : config.shelves()) {
      if (!s.lanes().isEmpty()) {
        devices.add(s.device());
      }
    }
    Set<String> silent = tap.awaitReadings(devices, timeout);
    return new Health(silent.isEmpty(), silent, null);
  }

  public Agent agent() {
    return agent;
  }

  public StoreConfig config() {
    return config;
  }

  public DeviceTap tap() {
    return tap;
  }

  static Set<String> laneIds(StoreConfig cfg) {
    Set<String> ids = new TreeSet<>();
    cfg.lanes().forEach(l -> ids.add(l.id()));
    return ids;
  }

  /** Gate input for whichever agent is current; safe from any thread. */
  public void onGate(GateEvent e) {
    synchronized (heldGates) {
      Agent a = agent;
      if (a != null && !restarting) {
        a.onGate(e);
        return;
      }
      if (heldGates.size() < MAX_HELD_GATES) {
        heldGates.add(e); // the next agent gets it: an entry or exit is never dropped by a restart
        return;
      }
    }
    LOG.error("gate event {} {} at {} dropped: the agent is restarting and {} gate events wait already", e.gateId(),
        e.direction(), e.atMillis(), MAX_HELD_GATES);
  }

  /** Gate events that arrived while the agent was being replaced, in order; handed to the next agent. */
  private final java.util.List<GateEvent> heldGates = new java.util.ArrayList<>();
  private boolean restarting;
  private static final int MAX_HELD_GATES = 10_000;

  private void holdGates() {
    synchronized (heldGates) {
      restarting = true;
    }
  }

  /** Hands the gate events held during a restart to {@code a} (null: none started; they wait for the next). */
  private void releaseGates(Agent a) {
    synchronized (heldGates) {
      if (a == null) {
        return;
      }
      if (!heldGates.isEmpty()) {
        LOG.info("{} gate event(s) that arrived during the restart handed to the new agent", heldGates.size());
      }
      heldGates.forEach(a::onGate);
      heldGates.clear();
      restarting = false;
    }
  }

  public void onObservation(ShopperObservation o) {
    Agent a = agent;
    if (a != null) {
      a.onObservation(o);
    }
  }

  /** A hand seen in a lane by a camera whose model sees hands; safe from any thread. */
  public void onHandInLane(HandInLane h) {
    Agent a = agent;
    if (a != null) {
      a.onHandInLane(h);
    }
  }

  /** Two shoppers' hands met; safe from any thread. */
  public void onHandContact(HandContact c) {
    Agent a = agent;
    if (a != null) {
      a.onHandContact(c);
    }
  }

  @Override
  public synchronized void close() {
    Agent a = agent;
    agent = null;
    if (a != null) {
      a.close();
    }
  }
}
