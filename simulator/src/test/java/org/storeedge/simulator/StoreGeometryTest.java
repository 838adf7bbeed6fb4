package org.storeedge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.ShelfFronts;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.simulator.camera.StoreLayout;

class StoreGeometryTest {
  @Test
  void everyExampleStoreStandsItsShoppersOnFreeFloorInFrontOfTheLane() throws Exception {
    List<Path> files;
    try (var l = Files.list(Path.of("../config/examples"))) {
      files = l.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).extracting(f -> f.getFileName().toString()).contains("island-aisle.yaml");
    for (Path f : files) {
      StoreConfig config = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(f);
      if (config.gates().isEmpty()) {
        continue;
      }
      StoreGeometry geo = new StoreGeometry(config);
      StoreLayout layout = new StoreLayout(config);
      var fronts = ShelfFronts.of(config);
      for (StoreConfig.Lane lane : config.lanes()) {
        StoreConfig.Position p = geo.standingPoint(lane.id());
        assertThat(layout.walkable(p.x(), p.y(), 0.05)).as("%s %s: standing point %s is inside a shelf", f, lane.id(), p)
            .isTrue();
        assertThat(fronts.get(lane.id()).ahead(lane.position(), p.x(), p.y())).as("%s %s", f, lane.id())
            .isGreaterThan(0.4);
        StoreConfig.Position b = geo.browsingPoint(lane.id());
        assertThat(layout.walkable(b.x(), b.y(), 0.05)).as("%s %s: browsing point %s is inside a shelf", f, lane.id(), b)
            .isTrue();
        assertThat(fronts.get(lane.id()).ahead(lane.position(), b.x(), b.y())).as("%s %s", f, lane.id())
            .isGreaterThanOrEqualTo(fronts.get(lane.id()).ahead(lane.position(), p.x(), p.y()));
      }
    }
  }

  @Test
  void theFacesOfTheIslandGondolaAreReachedFromOppositeSides() throws Exception {
    StoreConfig config = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL)
        .load(Path.of("../config/examples/island-aisle.yaml"));
    StoreGeometry geo = new StoreGeometry(config);
    assertThat(geo.standingPoint("iw1").x()).isLessThan(3.0);
    assertThat(geo.standingPoint("ie1").x()).isGreaterThan(4.0);
  }
}
