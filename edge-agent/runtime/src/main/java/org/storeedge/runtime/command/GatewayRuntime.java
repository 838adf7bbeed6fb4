package org.storeedge.runtime.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.checkout.cart.CheckoutSettings;
import org.storeedge.checkout.cart.CheckoutSnapshot;
import org.storeedge.checkout.weight.DetectorSettings;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverRegistry;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.runtime.Agent;
import org.storeedge.sync.mqtt.MqttUplink;
import org.storeedge.sync.mqtt.UplinkOptions;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.storeedge.sync.state.CalibrationStore;
import org.storeedge.sync.state.CheckoutStateStore;
import org.storeedge.sync.state.StateDatabase;
import org.storeedge.sync.state.UpdateLedger;

/**
 * The agent on a gateway, on wall time, as {@code storeedge run} starts it:
 *
 * <pre>
 *  drivers --> DeviceTap (calibration, health counts) --> Agent (rebuilt by AgentHost on updates)
 *                                                            |
 *  SqliteOutbox (storeedge.db) <-----------------------------+
 *       |                      StateDatabase (storeedge-state.db): calibrations, update ledger,
 *       |                        open carts and lane contents (CheckoutStateKeeper, about every second)
 *  MqttUplink --cmd/{name}--> DownlinkCommands, gate
 *  GatewayCameras: camera --> VisionPipeline --> shopper positions --> Agent
 *                                    '--> DebugSnapshots (armed by debug-snapshot) --> data dir
 * </pre>
 *
 * <p>The outbox, the state database, the uplink and the calibration layer live as long as this
 * object; the agent is replaced when a signed update changes the store file. Threads: "agent"
 * (pipeline, checkout), "uplink-timers", and the uplink's own.
 */
public final class GatewayRuntime implements AutoCloseable {
  /** How long cameras stay at their boosted rate after a lane starts moving, ms. */
  static final long CAMERA_BOOST_MILLIS = 4000;

  private static final Logger LOG = LoggerFactory.getLogger(GatewayRuntime.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param storeFile the store YAML; signed updates replace it (and its planogram overlay)
   * @param config that file loaded, with its planogram overlay laid over
   * @param drivers the hardware drivers (the tap wraps them)
   */
  public record Options(Path storeFile, StoreConfig config, DriverRegistry drivers, TrustedKeys keys,
      Duration healthTimeout, DetectorSettings detector, CheckoutSettings checkout) {}

  private final SystemScheduler agentThread;
  private final SystemScheduler uplinkTimers;
  private final SqliteOutbox outbox;
  private final StateDatabase state;
  private final CheckoutStateKeeper keeper;
  private final AgentHost host;
  private final DownlinkCommands commands;
  private final MqttUplink uplink;
  private final GatewayCameras cameras;

  private GatewayRuntime(SystemScheduler agentThread, SystemScheduler uplinkTimers, SqliteOutbox outbox,
      StateDatabase state, CheckoutStateKeeper keeper, AgentHost host, DownlinkCommands commands, MqttUplink uplink,
      GatewayCameras cameras) {
    this.agentThread = agentThread;
    this.uplinkTimers = uplinkTimers;
    this.outbox = outbox;
    this.state = state;
    this.keeper = keeper;
    this.host = host;
    this.commands = commands;
    this.uplink = uplink;
    this.cameras = cameras;
  }

  /** Opens the databases, starts the agent, then the uplink. On failure everything opened is closed. */
  public static GatewayRuntime start(Options o) throws Exception {
    StoreConfig cfg = o.config();
    Path db = cfg.storage().database();
    if (db.toAbsolutePath().getParent() != null) {
      Files.createDirectories(db.toAbsolutePath().getParent());
    }
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      SystemScheduler agentThread = new SystemScheduler("agent");
      opened.add(agentThread);
      SystemScheduler uplinkTimers = new SystemScheduler("uplink-timers");
      opened.add(uplinkTimers);
      SqliteOutbox outbox = SqliteOutbox.open(db, new OutboxOptions(cfg.storage().maxBytes(), agentThread));
      opened.add(outbox);
      StateDatabase state = StateDatabase.open(StateDatabase.siblingOf(db));
      opened.add(state);
      CheckoutStateKeeper keeper = new CheckoutStateKeeper(new CheckoutStateStore(state));
      opened.add(keeper);
      // what the checkout held when the gateway last stopped (or lost power): taken over once,
      // by the first agent
      java.util.concurrent.atomic.AtomicReference<CheckoutSnapshot> saved =
          new java.util.concurrent.atomic.AtomicReference<>(keeper.load().orElse(null));
      LaneCalibrator calibrator = new LaneCalibrator(new CalibrationStore(state), agentThread, AgentHost.laneIds(cfg));
      DeviceTap tap = new DeviceTap(o.drivers(), calibrator);
      // cameras run at their boosted rate while shelves move (inference around weight events)
      java.util.concurrent.atomic.AtomicReference<GatewayCameras> camerasRef = new java.util.concurrent.atomic.AtomicReference<>();
      AgentHost host = new AgentHost(c -> {
        Agent a = new Agent(c, agentThread, tap.registry(), outbox, false, o.detector(), o.checkout(), List.of());
        CheckoutSnapshot before = saved.getAndSet(null);
        if (before != null) {
          a.restoreCheckout(before);
        }
        a.persistCheckout(keeper::offer);
        a.onShelfActivity((lane, at) -> {
          GatewayCameras cams = camerasRef.get();
          if (cams != null) {
            cams.boostAll(at + CAMERA_BOOST_MILLIS);
          }
        });
        return a;
      }, tap);
      DownlinkCommands commands = new DownlinkCommands(new DownlinkCommands.Settings(o.storeFile(), o.keys(),
          o.healthTimeout()), host, outbox, new UpdateLedger(state), agentThread);
      commands.setLocalForget(token -> {
        try {
          return host.agent().forgetCustomer(token).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          return java.util.Map.of("purged", false, "reason", "the agent did not answer: " + e);
        }
      });
      GatewayCameras cameras = new GatewayCameras(cfg, agentThread, host, outbox, GatewayCameras.defaultModelsDir());
      camerasRef.set(cameras);
      // a model version switched in by an update whose health check never ended: before any camera loads it
      alertUndone(outbox, agentThread.millis(), cameras.installedModels().undoInterrupted());
      commands.setCameras(cameras);
      MqttUplink uplink = null;
      if (!cfg.sync().brokers().isEmpty()) {
        uplink = new MqttUplink(outbox, UplinkOptions.fromConfig(cfg), uplinkTimers);
        commands.register(uplink);
        // gate controllers without a driver of their own report check-in/out as a command
        uplink.onCommand("gate", (name, payload) -> {
          JsonNode n = JSON.readTree(payload);
          GateEvent.Direction dir = GateEvent.Direction.valueOf(n.path("direction").asText("").toUpperCase());
          String token = n.path("customerToken").asText("");
          if (token.isBlank()) {
            throw new IllegalArgumentException("customerToken is required");
          }
          GateEvent gate = new GateEvent(n.path("gateId").asText("gate"), dir, token, agentThread.millis());
          host.onGate(gate);
          cameras.onGate(gate);
          return "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        });
      } else {
        LOG.warn("no sync.brokers configured: receipts and events stay in {} until a broker is configured", db);
      }
      if (o.keys().isEmpty()) {
        LOG.warn("no --trust-key given: config-update, planogram-update, model-update and debug-snapshot commands will be refused");
      }
      opened.add(host);
      host.start(cfg);
      // after the agent; a camera that fails is reported and skipped, never fatal
      opened.add(cameras);
      cameras.start();
      if (uplink != null) {
        uplink.start();
      }
      opened.add(commands);
      commands.start(); // updates held while shoppers were inside, also those a previous run left
      LOG.info("agent running; database {}", db);
      return new GatewayRuntime(agentThread, uplinkTimers, outbox, state, keeper, host, commands, uplink, cameras);
    } catch (Exception | LinkageError e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        try {
          opened.get(i).close();
        } catch (Exception ce) {
          e.addSuppressed(ce);
        }
      }
      throw e;
    }
  }

  /**
   * Before {@code storeFile} is loaded: a {@code config-update} or {@code planogram-update} the
   * agent stopped on after switching it in and before its health check ended is undone ({@link
   * UpdateTrial}), so the agent starts on the files that ran before. Give what this returns to
   * {@link #reportUndone} once started.
   */
  public static List<UpdateTrial.Undone> undoInterruptedUpdate(Path storeFile) throws IOException {
    return UpdateTrial.undo(UpdateTrial.markerFor(storeFile)).stream().toList();
  }

  /** Logs each undone update and reports it on the outbox as an {@code update-interrupted} alert. */
  public void reportUndone(List<UpdateTrial.Undone> undone) {
    alertUndone(outbox, agentThread.millis(), undone);
  }

  private static void alertUndone(SqliteOutbox outbox, long now, List<UpdateTrial.Undone> undone) {
    for (UpdateTrial.Undone u : undone) {
      LOG.warn("{}", u.describe());
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("type", "update-interrupted");
      m.put("update", u.update());
      m.put("restored", u.files());
      m.put("message", u.describe());
      m.put("at", java.time.Instant.ofEpochMilli(now).toString());
      try {
        outbox.append(org.storeedge.core.outbox.Stream.ALERTS, "events",
            "update-interrupted-" + now + "-" + Integer.toHexString(u.describe().hashCode()), JSON.writeValueAsBytes(m));
      } catch (Exception e) {
        LOG.error("update-interrupted alert not stored in the outbox: {}", e.toString());
      }
    }
  }

  /** The store file with its planogram overlay (if present and valid) laid over. */
  public static StoreConfig withPlanogram(Path storeFile, StoreConfig config) throws IOException, CommandRejected {
    Optional<Planogram> p = Planogram.load(storeFile, config);
    return p.isPresent() ? p.get().applyTo(config) : config;
  }

  public AgentHost host() {
    return host;
  }

  public DownlinkCommands commands() {
    return commands;
  }

  public SqliteOutbox outbox() {
    return outbox;
  }

  /** The store's cameras and their pipelines (none when the store file declares no cameras). */
  public GatewayCameras cameras() {
    return cameras;
  }

  public Optional<MqttUplink> uplink() {
    return Optional.ofNullable(uplink);
  }

  /** Stops the uplink (unsent entries stay in the outbox), the cameras, the agent, then closes the databases. */
  @Override
  public void close() {
    commands.close();
    if (uplink != null) {
      uplink.stop();
    }
    cameras.close();
    Agent last = host.agent();
    host.close();
    if (last != null) {
      // the open carts as they are at shutdown, so the next start takes them over
      try {
        keeper.saveNow(last.checkoutSnapshot().get(10, java.util.concurrent.TimeUnit.SECONDS));
      } catch (Exception e) {
        LOG.error("open carts not saved at shutdown: {}", e.toString());
      }
    }
    keeper.close();
    state.close();
    outbox.close();
    uplinkTimers.close();
    agentThread.close();
  }
}
