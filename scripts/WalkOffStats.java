import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Position;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.simulator.GroundTruth;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.ScenarioLoader;
import org.storeedge.simulator.SimulatedStore;

/**
 * Who walks off right after a lane changes, in the simulator's ground truth: for every take and
 * put-back, every shopper standing within 1 m of the lane (still for at least 1 s before the item
 * moved) is counted as the one who moved it or another, and as gone (0.3 m or more from where they
 * stood) by 3 s after the hand left the lane (about 2.5 s after the lane settled) or not. Prints
 * both shares and their likelihood ratio, the basis of the checkout's walk-off weight.
 *
 * <pre>
 *   mvn -B -q install -DskipTests -pl edge-agent/runtime -am
 *   java -cp "edge-agent/runtime/target/storeedge.jar:edge-agent/runtime/target/lib/*" scripts/WalkOffStats.java \
 *     config/examples/demo-store.yaml simulator/scenarios/suite/generated-busy.yaml 3
 * </pre>
 */
public class WalkOffStats {
  public static void main(String[] a) throws Exception {
    StoreConfig cfg = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(Path.of(a[0]));
    Scenario base = ScenarioLoader.loadFileOrBundled(a[1], cfg);
    int seeds = a.length > 2 ? Integer.parseInt(a[2]) : 3;
    Map<String, StoreConfig.Lane> lanes = new HashMap<>();
    cfg.shelves().forEach(sh -> sh.lanes().forEach(l -> lanes.put(l.id(), l)));
    long takers = 0, takersGone = 0, others = 0, othersGone = 0;
    for (int i = 0; i < seeds; i++) {
      Scenario sc = seeds > 1 ? base.withSeed(base.seed() + i) : base;
      SimulatedStore store = new SimulatedStore(cfg, sc,
          new VirtualScheduler(sc.start().orElse(Instant.parse("2026-11-25T09:00:00Z")), 0));
      for (GroundTruth.Action act : store.groundTruth().actions()) {
        if (act.kind() != GroundTruth.Kind.TAKE && act.kind() != GroundTruth.Kind.PUT_BACK) {
          continue;
        }
        Position lane = lanes.get(act.laneId()).position();
        for (Map.Entry<String, Position> e : store.shopperPositionsAt(act.itemMove()).entrySet()) {
          Position p = e.getValue();
          if (Math.hypot(p.x() - lane.x(), p.y() - lane.y()) > 1.0
              || away(store, e.getKey(), p, act.itemMove().minusMillis(1000))) {
            continue; // out of reach, or not standing there for a second before
          }
          boolean gone = away(store, e.getKey(), p, act.handOff().plusMillis(3000));
          if (e.getKey().equals(act.trackId())) {
            takers++;
            takersGone += gone ? 1 : 0;
          } else {
            others++;
            othersGone += gone ? 1 : 0;
          }
        }
      }
    }
    double pt = (double) takersGone / takers;
    double po = (double) othersGone / others;
    System.out.printf(Locale.ROOT, "%s: takers %d, gone %.2f; others standing within reach %d, gone %.2f;"
        + " likelihood ratio gone %.1f, stayed %.2f%n", a[1], takers, pt, others, po, pt / po, (1 - pt) / (1 - po));
  }

  /** Whether the shopper is 0.3 m or more from {@code p} at {@code t} (or no longer inside). */
  private static boolean away(SimulatedStore s, String id, Position p, Instant t) {
    Position q = s.shopperPositionsAt(t).get(id);
    return q == null || Math.hypot(q.x() - p.x(), q.y() - p.y()) >= 0.3;
  }
}
