package org.storeedge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.runtime.sim.SimulationRun;
import org.storeedge.simulator.GeneratedTraffic;
import org.storeedge.simulator.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storeedge demo}: the bundled example store on embedded defaults. Generated shoppers (one
 * at a time) shop for a store hour that plays in about a minute; each receipt is printed as an
 * outside MQTT subscriber receives it; a summary against the simulator's ground truth ends it.
 */
@Command(name = "demo", description = "Run a simulated store end to end on embedded defaults and print the receipts.")
final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s", converter = Durations.class,
      description = "wall time of the demo; one wall second plays one store minute (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--seed", defaultValue = "7", description = "seed of the generated shoppers (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--shoppers-per-hour", defaultValue = "60",
      description = "arrival rate of generated shoppers per store hour (default: ${DEFAULT-VALUE})")
  double shoppersPerHour;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = Files.createTempDirectory("storeedge-demo-");
    StoreConfig cfg = StoreConfigLoader.loadBundledDemo(Drivers.registry(), dir);
    double pace = 60; // a store minute per wall second
    double virtualSeconds = duration.toMillis() / 1000.0 * pace;
    // leave the last tenth for the last shopper to finish and the receipts to go out
    Scenario sc = Scenario.generated(seed, new GeneratedTraffic(shoppersPerHour, virtualSeconds * 0.85,
        GeneratedTraffic.DEFAULT_MEAN_ITEMS, GeneratedTraffic.DEFAULT_PUT_BACK_PROBABILITY, false));
    out.printf("StoreEdge demo: store %s (%d lanes on %d shelves), %.0f shoppers/hour, seed %d, %s of wall time%n",
        cfg.store().id(), cfg.lanes().size(), cfg.shelves().size(), shoppersPerHour, seed, duration);
    ZoneId zone = ZoneId.of(cfg.store().timezone());
    DateTimeFormatter hhmmss = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
    SimulationRun.Result r = new SimulationRun(new SimulationRun.Options(cfg, sc, dir, Optional.empty(), pace,
        Duration.ofSeconds(60), json -> printReceipt(out, json, hhmmss), new PrintStream(System.err, true))).run();
    var s = r.score();
    out.println();
    out.printf("Summary: %d shoppers, %d receipts received over MQTT, %d exact (%.1f%%), units precision %.4f recall %.4f F1 %.4f%n",
        s.customers(), r.receivedBySubscriber(), s.exactReceipts(), 100 * s.exactRate(), s.precision(), s.recall(), s.f1());
    out.printf("         %d flagged for review, %d wrong units not flagged, %d undelivered%n", s.reviewedReceipts(),
        s.silentWrongUnits(), r.undelivered());
    for (String m : s.mismatches()) {
      out.println("  mismatch " + m);
    }
    out.printf("         wall %.1f s, %s store seconds, %.2f receipts/s, %s samples, agent RSS %s MB%n",
        r.wall().toMillis() / 1000.0, r.stats().get("virtualSeconds"),
        r.receipts().size() / Math.max(0.001, r.wall().toMillis() / 1000.0), r.stats().get("samples"), rssMegabytes());
    return r.undelivered() > 0 ? Main.UNDELIVERED : Main.OK;
  }

  private static void printReceipt(PrintWriter out, String json, DateTimeFormatter fmt) {
    try {
      JsonNode r = JSON.readTree(json);
      String cur = r.path("currency").asText();
      out.printf("[%s] receipt %s  %-10s total %s %s%s%n", fmt.format(Instant.parse(r.path("exitedAt").asText())),
          r.path("receiptId").asText().substring(0, 10), r.path("customerToken").asText(), cur,
          money(r.path("total").asLong()), r.path("needsReview").asBoolean() ? "  NEEDS REVIEW" : "");
      for (JsonNode i : r.path("items")) {
        out.printf("           %2d x %-26s %8s  (confidence %.2f)%n", i.path("qty").asInt(), i.path("name").asText(),
            money(i.path("lineTotal").asLong()), i.path("confidence").asDouble());
      }
      for (JsonNode why : r.path("reviewReasons")) {
        out.printf("           review: %s%n", why.path("message").asText());
      }
    } catch (Exception e) {
      out.println("received an unreadable receipt: " + json);
    }
  }

  private static String money(long minor) {
    return String.format("%d.%02d", minor / 100, Math.abs(minor % 100));
  }

  /** Resident set size of this process, from /proc (Linux); "?" elsewhere. */
  static String rssMegabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.valueOf(kb / 1024);
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "?";
  }
}
