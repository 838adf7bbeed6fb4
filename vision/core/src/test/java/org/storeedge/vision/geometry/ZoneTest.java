package org.storeedge.vision.geometry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.storeedge.config.StoreConfig;

class ZoneTest {

  @Test
  void concavePolygonContainsOnlyItsInside() {
    // an L shape
    Zone l = new Zone("l", List.of(new Point2(0, 0), new Point2(2, 0), new Point2(2, 1), new Point2(1, 1),
        new Point2(1, 2), new Point2(0, 2)));
    assertThat(l.contains(0.5, 0.5)).isTrue();
    assertThat(l.contains(1.5, 0.5)).isTrue();
    assertThat(l.contains(0.5, 1.5)).isTrue();
    assertThat(l.contains(1.5, 1.5)).isFalse();
    assertThat(l.contains(-0.1, 0.5)).isFalse();
    assertThat(l.contains(0.5, 2.1)).isFalse();
  }

  @Test
  void rectangleInFrontOfALaneExtendsIntoTheAisle() {
    Zone z = Zone.inFrontOf("a1", new Point2(1, 1), 0, 0.6, 0.9); // facing +x
    assertThat(z.contains(1.5, 1.0)).isTrue();
    assertThat(z.contains(1.85, 1.25)).isTrue();
    assertThat(z.contains(0.9, 1.0)).isFalse(); // behind the shelf
    assertThat(z.contains(1.5, 1.35)).isFalse(); // next lane over
    assertThat(z.contains(2.0, 1.0)).isFalse(); // too far into the aisle
  }

  @Test
  void laneZonesFaceTheStoreCentreUnlessTold() {
    StoreConfig cfg = Stores.twoShelves();
    List<Zone> zones = LaneZones.defaults().build(cfg);
    assertThat(zones).extracting(Zone::id).containsExactly("a1", "a2", "b1", "b2");
    Zone a1 = zones.get(0);
    Zone b1 = zones.get(2);
    assertThat(a1.contains(1.5, 1.0)).isTrue(); // shelf a at x=1 faces +x
    assertThat(a1.contains(0.5, 1.0)).isFalse();
    assertThat(b1.contains(3.0, 1.0)).isTrue(); // shelf b at x=3.5 faces -x
    assertThat(b1.contains(4.0, 1.0)).isFalse();

    List<Zone> turned = new LaneZones(0.6, 0.9, Map.of("a", Math.PI)).build(cfg);
    assertThat(turned.get(0).contains(0.5, 1.0)).isTrue();
  }

  @Test
  void badZonesAreRejected() {
    assertThatThrownBy(() -> new Zone("z", List.of(new Point2(0, 0), new Point2(1, 1))))
        .hasMessage("zone z needs at least 3 vertices (got: 2)");
    assertThatThrownBy(() -> Zone.inFrontOf("z", new Point2(0, 0), 0, 0, 1)).hasMessageContaining("width and depth must be > 0");
  }
}
