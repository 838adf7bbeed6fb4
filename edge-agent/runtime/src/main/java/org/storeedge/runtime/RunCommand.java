package org.storeedge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storeedge.checkout.cart.CheckoutSettings;
import org.storeedge.checkout.weight.DetectorSettings;
import org.storeedge.config.ConfigException;
import org.storeedge.config.ConfigProblem;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.device.DriverRegistry;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.lifecycle.Lifecycle;
import org.storeedge.core.time.SystemScheduler;
import org.storeedge.sync.mqtt.MqttUplink;
import org.storeedge.sync.mqtt.UplinkOptions;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.SqliteOutbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storeedge run --config FILE}: the agent on a gateway, on wall time, with the drivers found
 * on the class path, until SIGTERM/SIGINT.
 */
@Command(name = "run", description = "Run the agent on a gateway with real devices until stopped.")
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "store YAML file")
  Path config;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    DriverRegistry hardware = DriverRegistry.discover(List.of());
    StoreConfig cfg;
    try {
      cfg = new StoreConfigLoader(Drivers.registry()).load(config);
    } catch (ConfigException e) {
      e.problems().stream().map(ConfigProblem::toString).forEach(err::println);
      return Main.BAD_INPUT;
    } catch (IOException e) {
      err.println(config + ":0:0: (file): cannot read: " + e.getMessage());
      return Main.BAD_INPUT;
    }
    List<String> simulatedOnly = cfg.devices().stream().filter(d -> hardware.factory(d.type()).isEmpty())
        .map(d -> d.id() + " (" + d.type() + ")").toList();
    if (!simulatedOnly.isEmpty()) {
      err.println(config + ": devices " + simulatedOnly + " have no hardware driver on this gateway; "
          + "simulated devices run under 'storeedge demo' or 'storeedge simulate'");
      return Main.BAD_INPUT;
    }
    Path db = cfg.storage().database();
    if (db.getParent() != null) {
      Files.createDirectories(db.getParent());
    }
    CountDownLatch stop = new CountDownLatch(1);
    try (SystemScheduler agentThread = new SystemScheduler("agent");
        SystemScheduler uplinkTimers = new SystemScheduler("uplink-timers");
        SqliteOutbox outbox = SqliteOutbox.open(db, new OutboxOptions(cfg.storage().maxBytes(), InstantSource.system()))) {
      List<Lifecycle> extra = new ArrayList<>();
      MqttUplink uplink = null;
      if (!cfg.sync().brokers().isEmpty()) {
        uplink = new MqttUplink(outbox, UplinkOptions.fromConfig(cfg), uplinkTimers);
        extra.add(uplink);
      } else {
        LOG.warn("no sync.brokers configured: receipts and events stay in {} until a broker is configured", db);
      }
      Agent agent = new Agent(cfg, agentThread, hardware, outbox, false, DetectorSettings.defaults(),
          CheckoutSettings.defaults(), extra);
      if (uplink != null) {
        // gate controllers without a driver of their own report check-in/out as a command
        uplink.onCommand("gate", (name, payload) -> {
          JsonNode n = JSON.readTree(payload);
          GateEvent.Direction dir = GateEvent.Direction.valueOf(n.path("direction").asText("").toUpperCase());
          String token = n.path("customerToken").asText("");
          if (token.isBlank()) {
            throw new IllegalArgumentException("customerToken is required");
          }
          agent.onGate(new GateEvent(n.path("gateId").asText("gate"), dir, token, agentThread.millis()));
          return "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        });
      }
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "shutdown"));
      agent.start();
      LOG.info("agent running; database {}", db);
      stop.await();
      agent.close();
    }
    return Main.OK;
  }
}
