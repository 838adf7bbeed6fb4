package org.storeedge.simulator.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfig.Position;
import org.storeedge.core.time.VirtualScheduler;
import org.storeedge.simulator.GeneratedTraffic;
import org.storeedge.simulator.Scenario;
import org.storeedge.simulator.SimulatedStore;
import org.storeedge.vision.Frame;
import org.storeedge.vision.geometry.CameraPose;

class SimulatedCameraSourceTest {
  private static final StoreConfig STORE = CameraTestSupport.demoStore();
  private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");

  @Test
  void rendersAtItsFrameRateOnVirtualTimeAndStallsUntilReconnect() {
    VirtualScheduler scheduler = new VirtualScheduler(T0);
    CameraPose pose = CameraPoses.corners(new StoreLayout(STORE), 160, 120).get(1);
    List<Frame> frames = new ArrayList<>();
    SimulatedCameraSource source = new SimulatedCameraSource(new SimulatedCameraRenderer("cam-2", pose, STORE, 9),
        StoreScene.fixed(List.of(ShopperFigure.standing("a", 5, 3))), scheduler, frames::add, 5);
    assertThat(source.cameraId()).isEqualTo("cam-2");
    source.start();
    scheduler.runUntil(T0.plusSeconds(2));
    assertThat(frames).hasSize(10);
    for (int i = 0; i < frames.size(); i++) {
      assertThat(frames.get(i).sequence()).isEqualTo(i);
      assertThat(frames.get(i).captureMillis()).isEqualTo(T0.plusMillis(200L * (i + 1)).toEpochMilli());
      assertThat(frames.get(i).cameraId()).isEqualTo("cam-2");
    }
    source.stall();
    scheduler.runUntil(T0.plusSeconds(4));
    assertThat(frames).hasSize(10);
    source.reconnect();
    scheduler.runUntil(T0.plusSeconds(5));
    assertThat(frames).hasSize(15);
    assertThat(frames.get(10).sequence()).isEqualTo(10);
    assertThat(source.reconnects()).isEqualTo(1);
    source.stop();
    scheduler.runUntil(T0.plusSeconds(8));
    assertThat(frames).hasSize(15);
    assertThat(source.delivered()).isEqualTo(15);
    assertThatThrownBy(() -> new SimulatedCameraSource(new SimulatedCameraRenderer("c", pose, STORE, 1), StoreScene.empty(),
        scheduler, f -> {}, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frame rate");
  }

  @Test
  void storeSceneFollowsTheSimulatedShoppersTruePositions() {
    Scenario scenario = Scenario.generated(17, new GeneratedTraffic(300, 900, 2.5, 0.1, true)).withStart(T0);
    SimulatedStore store = new SimulatedStore(STORE, scenario, new VirtualScheduler(T0));
    SimulatedStoreScene scene = new SimulatedStoreScene(store, 4);
    int seen = 0;
    for (int s = 30; s < 900; s += 37) {
      Instant t = T0.plusSeconds(s);
      Map<String, Position> truth = store.shopperPositionsAt(t);
      List<ShopperFigure> figures = scene.shoppersAt(t);
      assertThat(figures).extracting(ShopperFigure::id).containsExactlyElementsOf(truth.keySet());
      for (ShopperFigure f : figures) {
        assertThat(f.x()).isEqualTo(truth.get(f.id()).x());
        assertThat(f.y()).isEqualTo(truth.get(f.id()).y());
        assertThat(f.heightMetres()).isBetween(1.55, 1.95);
        assertThat(f.speedMetresPerSecond()).isBetween(0.0, 3.0);
        assertThat(scene.shoppersAt(t.plus(Duration.ofMinutes(1))).stream().filter(o -> o.id().equals(f.id()))
            .allMatch(o -> o.heightMetres() == f.heightMetres())).isTrue();
      }
      seen += figures.size();
    }
    assertThat(seen).as("shoppers inside at the sampled instants").isGreaterThan(20);
  }
}
