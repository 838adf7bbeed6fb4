package org.storeedge.config;

/** Store files for tests. */
final class Stores {
  private Stores() {}

  /** The smallest valid store: every optional key left to its default. Line numbers matter to tests. */
  static final String MINIMAL = """
      store: { id: s1, gatewayId: g1 }
      catalog:
        - { sku: A, name: Apple, unitWeight: 180, price: 59 }
      shelves:
        - id: sh
          device: d1
          lanes:
            - { id: l1, sku: A, capacity: 5, channel: 0, position: { x: 1, y: 2 } }
      devices:
        - { id: d1, type: fake }
      gates:
        - { id: g, position: { x: 0, y: 0 } }
      """;
}
