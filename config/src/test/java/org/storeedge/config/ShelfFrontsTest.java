package org.storeedge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShelfFrontsTest {
  @TempDir
  Path dir;

  private final StoreConfigLoader loader = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL);

  /** Two wall shelves (west, east), an island gondola between them, gates to the south. */
  private static String store(String westFaceOfIsland, String eastFaceOfIsland) {
    return """
        store: { id: s1, gatewayId: g1 }
        catalog:
          - { sku: A, name: Apple, unitWeight: 180, price: 59 }
        shelves:
          - id: wall-w
            device: d1
            lanes:
              - { id: w1, sku: A, capacity: 5, channel: 0, position: { x: 0.5, y: 1.0 } }
              - { id: w2, sku: A, capacity: 5, channel: 1, position: { x: 0.5, y: 1.5 } }
          - id: island-w
            device: d1%s
            lanes:
              - { id: iw1, sku: A, capacity: 5, channel: 2, position: { x: 3.25, y: 1.0 } }
              - { id: iw2, sku: A, capacity: 5, channel: 3, position: { x: 3.25, y: 1.5 } }
          - id: island-e
            device: d1%s
            lanes:
              - { id: ie1, sku: A, capacity: 5, channel: 4, position: { x: 3.75, y: 1.0 } }
              - { id: ie2, sku: A, capacity: 5, channel: 5, position: { x: 3.75, y: 1.5 } }
          - id: wall-e
            device: d1
            lanes:
              - { id: e1, sku: A, capacity: 5, channel: 6, position: { x: 6.5, y: 1.0 } }
              - { id: e2, sku: A, capacity: 5, channel: 7, position: { x: 6.5, y: 1.5 } }
        devices:
          - { id: d1, type: fake }
        gates:
          - { id: entrance, position: { x: 2.0, y: 4.5 } }
          - { id: exit, position: { x: 5.0, y: 4.5 } }
        """.formatted(westFaceOfIsland, eastFaceOfIsland);
  }

  @Test
  void wallShelvesFaceTheMiddleAndTheFacesOfAnIslandGondolaFaceAwayFromEachOther() throws Exception {
    Map<String, ShelfFronts.Front> f = ShelfFronts.of(loader.parse("s.yaml", store("", ""), dir));
    // walls face into the store
    assertThat(f.get("w1").outX()).isCloseTo(1, within(1e-9));
    assertThat(f.get("e1").outX()).isCloseTo(-1, within(1e-9));
    // the middle of the store (x 3.32) lies just east of the island's west face: a rule that only
    // looked at the middle would put both faces' shoppers inside the gondola
    assertThat(f.get("iw1").outX()).isCloseTo(-1, within(1e-9));
    assertThat(f.get("iw2").outX()).isCloseTo(-1, within(1e-9));
    assertThat(f.get("ie1").outX()).isCloseTo(1, within(1e-9));
    assertThat(f.get("ie1").outY()).isCloseTo(0, within(1e-9));
    // along the row of lanes
    assertThat(Math.abs(f.get("iw1").alongY())).isCloseTo(1, within(1e-9));
  }

  @Test
  void aGivenFacingWinsOverTheInferredOne() throws Exception {
    StoreConfig c = loader.parse("s.yaml", store("\n    facing: -x", "\n    facing: 270"), dir);
    assertThat(c.shelves().get(1).facingDegrees()).hasValue(180);
    assertThat(c.shelves().get(2).facingDegrees()).hasValue(270);
    Map<String, ShelfFronts.Front> f = ShelfFronts.of(c);
    assertThat(f.get("iw1").outX()).isCloseTo(-1, within(1e-9));
    assertThat(f.get("ie1").outX()).isCloseTo(0, within(1e-9));
    assertThat(f.get("ie1").outY()).isCloseTo(-1, within(1e-9));
    assertThat(f.get("iw1").ahead(c.lane("iw1").orElseThrow().position(), 3.75, 1.0)).isCloseTo(-0.5, within(1e-9));
  }

  @Test
  void theFacesOfAGondolaGivenTurnedTowardsEachOtherAreALocatedProblem() {
    // island-w faces +x, into island-e's lanes 0.5 m away, though nothing stands behind it
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> loader.parse("s.yaml", store("\n    facing: +x", "\n    facing: -x"), dir));
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        "s.yaml:12:13: shelves[1].facing: faces lane ie1 of another shelf standing right in front of it (at 3.75, 1.0), "
            + "where shoppers would have to stand, while its back is clear; give the direction shoppers face the "
            + "shelf from (the two faces of a gondola face away from each other) (got: +x)",
        "s.yaml:18:13: shelves[2].facing: faces lane iw1 of another shelf standing right in front of it (at 3.25, 1.0), "
            + "where shoppers would have to stand, while its back is clear; give the direction shoppers face the "
            + "shelf from (the two faces of a gondola face away from each other) (got: -x)");
  }

  @Test
  void shelvesInARowAlongOneWallKeepFacingTheMiddle() throws Exception {
    String yaml = Stores.MINIMAL.replace("""
              - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
        """, """
              - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
              - { id: l2, sku: A, capacity: 5, channel: 1, position: { x: 1, y: 2.5 } }
          - id: sh2
            device: d1
            lanes:
              - { id: l3, sku: A, capacity: 5, channel: 2, position: { x: 1, y: 2.8 } }
              - { id: l4, sku: A, capacity: 5, channel: 3, position: { x: 1, y: 3.3 } }
        """).replace("position: { x: 0, y: 0 }", "position: { x: 3, y: 2.5 }");
    Map<String, ShelfFronts.Front> f = ShelfFronts.of(loader.parse("s.yaml", yaml, dir));
    for (String lane : new String[] {"l1", "l2", "l3", "l4"}) {
      assertThat(f.get(lane).outX()).as(lane).isCloseTo(1, within(1e-9));
    }
  }

  @Test
  void aFacingThatIsNeitherAnAxisNorDegreesIsALocatedProblem() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> loader.parse("s.yaml", store("\n    facing: north", ""), dir));
    assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
        "s.yaml:12:13: shelves[1].facing: must be +x, -x, +y, -y or a number of degrees (0 = +x, 90 = +y) (got: north)");
  }
}
