package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.checkout.cart.CheckoutSettings;
import org.storeedge.checkout.weight.DetectorSettings;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.core.event.GateEvent;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.runtime.Agent;
import org.storeedge.sync.outbox.OutboxOptions;
import org.storeedge.sync.outbox.SqliteOutbox;
import org.storeedge.sync.state.CalibrationStore;
import org.storeedge.sync.state.StateDatabase;

/** Replacing the agent keeps the open carts and every gate event that arrives meanwhile. */
class AgentHostTest {
  @TempDir
  Path dir;

  @Test
  void gateEventsDuringARestartReachTheNewAgentAndOpenVisitsCarryOver() throws Exception {
    Path file = TestGateway.write(dir, TestGateway.yaml("tcp://127.0.0.1:1", "{ scale: 1.0 }", "ENRG-250"));
    StoreConfig cfg = new StoreConfigLoader(TestGateway.drivers()).load(file);
    VirtualScheduler clock = new VirtualScheduler(Instant.parse("2026-11-26T10:00:00Z"));
    AtomicReference<AgentHost> hostRef = new AtomicReference<>();
    AtomicReference<GateEvent> duringCreate = new AtomicReference<>();
    try (StateDatabase state = StateDatabase.open(dir.resolve("state.db"));
        SqliteOutbox outbox = SqliteOutbox.open(dir.resolve("outbox.db"), new OutboxOptions(1L << 26, clock))) {
      DeviceTap tap = new DeviceTap(TestGateway.drivers(), new LaneCalibrator(new CalibrationStore(state), clock,
          AgentHost.laneIds(cfg)));
      AgentHost host = new AgentHost(c -> {
        GateEvent g = duringCreate.getAndSet(null);
        if (g != null) {
          hostRef.get().onGate(g); // arrives while the old agent is stopped and the new one not yet running
        }
        return new Agent(c, clock, tap.registry(), outbox, true, DetectorSettings.defaults(), CheckoutSettings.defaults(),
            List.of());
      }, tap);
      hostRef.set(host);
      host.start(cfg);
      host.onGate(new GateEvent("entrance", GateEvent.Direction.ENTER, "inside-before", clock.millis()));
      duringCreate.set(new GateEvent("entrance", GateEvent.Direction.ENTER, "came-in-meanwhile", clock.millis()));
      host.restart(cfg);
      assertThat(host.agent().checkout().openSessions()).isEqualTo(2);
      host.close();
    }
  }
}
