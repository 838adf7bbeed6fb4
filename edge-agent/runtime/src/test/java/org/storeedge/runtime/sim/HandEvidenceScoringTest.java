package org.storeedge.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.ScenarioLoader;
import org.storeedge.simulator.SimulatedHandSensor;

/** The checkout fed what a camera that sees hands reports, on the simulator's hard cases. */
class HandEvidenceScoringTest {
  /** Every hand seen, in its lane, on its body; every hand-off seen. */
  private static final SimulatedHandSensor.Model CLEAR_VIEW = new SimulatedHandSensor.Model(1, 0, 0, 0, 0, 1, 0, 0.1, 0.2,
      SimulatedHandSensor.Association.BOXES);

  @Test
  void crossingHandsAreChargedRightOnceHandsAreSeenAndOnlyFlaggedWithoutThem(@TempDir Path tmp) throws Exception {
    StoreConfig cfg = StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, tmp);
    Scenario sc = ScenarioLoader.loadResource("suite/crossing-hands", cfg);

    SimulationRun.Result positions = SimulationRun.recognitionOnly(cfg, sc, 0, null);
    assertThat(positions.score().exactReceipts()).isLessThan(positions.score().customers());
    assertThat(positions.score().silentWrongUnits()).isZero();

    SimulationRun.Result hands = SimulationRun.recognitionOnly(cfg, sc, 0, CLEAR_VIEW);
    assertThat(hands.score().f1()).as(hands.score().mismatches().toString()).isEqualTo(1.0);
    assertThat(hands.score().exactReceipts()).isEqualTo(hands.score().customers());
    // a hand that overrules a clear position is charged as seen but still shown to a reviewer
    assertThat(hands.score().reviewedReceipts()).isLessThan(positions.score().reviewedReceipts() + 1);
    assertThat(hands.stats()).containsKey("handObservations");
  }

  @Test
  void aHandOffSeenByTheCameraFlagsBothReceipts(@TempDir Path tmp) throws Exception {
    StoreConfig cfg = StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, tmp);
    Scenario sc = ScenarioLoader.loadResource("suite/hand-off", cfg);
    SimulationRun.Result hands = SimulationRun.recognitionOnly(cfg, sc, 0, CLEAR_VIEW);
    assertThat(hands.score().reviewedReceipts()).isEqualTo(hands.score().customers());
    assertThat(hands.score().silentWrongUnits()).isZero();
    assertThat(hands.score().reviewReasons()).containsKey("possible-hand-off");
  }

  @Test
  void busyTrafficWithATypicalHandSensorIsMoreRightAndLessReviewedThanPositionsAlone(@TempDir Path tmp)
      throws Exception {
    StoreConfig cfg = StoreConfigLoader.loadBundledDemo(DeviceSettingsValidator.ACCEPT_ALL, tmp);
    Scenario sc = ScenarioLoader.loadResource("suite/generated-busy", cfg);
    // over the three seeds `score --seeds 3` plays (one seed alone can go either way)
    long[] positions = new long[5];
    long[] hands = new long[5];
    for (long seed = sc.seed(); seed < sc.seed() + 3; seed++) {
      add(positions, SimulationRun.recognitionOnly(cfg, sc.withSeed(seed), 0, null).score());
      add(hands, SimulationRun.recognitionOnly(cfg, sc.withSeed(seed), 0, SimulatedHandSensor.Model.typical()).score());
    }
    assertThat(f1(hands)).isGreaterThan(f1(positions));
    assertThat((double) hands[3] / hands[4]).as("review rate").isLessThan((double) positions[3] / positions[4]);
  }

  /** Sums correct, charged and true units, flagged and all receipts. */
  private static void add(long[] sum, Scorer.Score s) {
    sum[0] += s.correctUnits();
    sum[1] += s.chargedUnits();
    sum[2] += s.truthUnits();
    sum[3] += s.reviewedReceipts();
    sum[4] += s.receipts();
  }

  /** Unit F1 of summed counts: 2 correct / (charged + true). */
  private static double f1(long[] sum) {
    return 2.0 * sum[0] / (sum[1] + sum[2]);
  }
}
