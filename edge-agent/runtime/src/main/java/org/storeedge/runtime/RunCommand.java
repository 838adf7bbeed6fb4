package org.storeedge.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.storeedge.checkout.cart.CheckoutSettings;
import org.storeedge.checkout.weight.DetectorSettings;
import org.storeedge.config.ConfigException;
import org.storeedge.config.StoreConfig;
import org.storeedge.core.device.DriverRegistry;
import org.storeedge.runtime.command.CommandRejected;
import org.storeedge.runtime.command.GatewayRuntime;
import org.storeedge.runtime.command.Planogram;
import org.storeedge.runtime.command.TrustedKeys;
import org.storeedge.runtime.command.UpdateTrial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storeedge run --config FILE [--trust-key PEM]...}: the agent on a gateway, on wall time,
 * with the drivers found on the class path, until SIGTERM/SIGINT. Downlink commands (outbox
 * status, forget customer, calibrate, signed config and planogram updates, signed debug snapshots)
 * are answered while it runs; signed commands are verified against the {@code --trust-key} public keys.
 */
@Command(name = "run", description = "Run the agent on a gateway with real devices until stopped.")
final class RunCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "store YAML file")
  Path config;

  @Option(names = "--trust-key", paramLabel = "PEM",
      description = "Ed25519 public key (PEM) whose signatures config-update, planogram-update, model-update and debug-snapshot "
          + "accept; repeat for several keys. Without one, signed commands are refused.")
  List<Path> trustKeys = new ArrayList<>();

  @Option(names = "--health-timeout", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.class,
      description = "after applying an update, how long every lane device has to deliver a reading before the "
          + "update is rolled back (default: ${DEFAULT-VALUE})")
  Duration healthTimeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    DriverRegistry hardware = DriverRegistry.discover(List.of());
    StoreConfig cfg;
    TrustedKeys keys;
    List<UpdateTrial.Undone> undone;
    try {
      undone = GatewayRuntime.undoInterruptedUpdate(config); // what ran before an update cut off mid-check
      cfg = StoreFile.load(config);
      cfg = GatewayRuntime.withPlanogram(config, cfg);
      keys = TrustedKeys.load(trustKeys);
    } catch (ConfigException e) {
      e.lines().forEach(err::println);
      return Main.BAD_INPUT;
    } catch (CommandRejected e) {
      err.println(Planogram.fileFor(config) + ": " + e.getMessage());
      e.problems().forEach(p -> err.println(Planogram.fileFor(config) + ": " + p));
      return Main.BAD_INPUT;
    } catch (IOException e) {
      err.println(e.getMessage());
      return Main.BAD_INPUT;
    }
    List<String> simulatedOnly = cfg.devices().stream().filter(d -> hardware.factory(d.type()).isEmpty())
        .map(d -> d.id() + " (" + d.type() + ")").toList();
    if (!simulatedOnly.isEmpty()) {
      err.println(config + ": devices " + simulatedOnly + " have no hardware driver on this gateway; "
          + "simulated devices run under 'storeedge demo' or 'storeedge simulate'");
      return Main.BAD_INPUT;
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    try (GatewayRuntime runtime = GatewayRuntime.start(new GatewayRuntime.Options(config, cfg, hardware, keys,
        healthTimeout, DetectorSettings.defaults(), CheckoutSettings.forStore(cfg.checkout())))) {
      runtime.reportUndone(undone);
      // the JVM halts when the hooks return: hold it until the uplink, agent and databases are closed
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stop.countDown();
        try {
          closed.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "shutdown"));
      stop.await();
    } finally {
      closed.countDown();
    }
    return Main.OK;
  }
}
