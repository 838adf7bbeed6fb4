package org.storeedge.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A whole store file, validated. Immutable; built only by {@link StoreConfigLoader}.
 *
 * @param source the file it was read from (or a resource name for embedded defaults)
 */
public record StoreConfig(
    String source,
    StoreInfo store,
    List<Product> catalog,
    List<Shelf> shelves,
    List<Device> devices,
    List<Gate> gates,
    Sync sync,
    Storage storage,
    List<Camera> cameras,
    Checkout checkout) {

  public StoreConfig {
    catalog = List.copyOf(catalog);
    shelves = List.copyOf(shelves);
    devices = List.copyOf(devices);
    gates = List.copyOf(gates);
    cameras = cameras == null ? List.of() : List.copyOf(cameras);
    checkout = checkout == null ? Checkout.defaults() : checkout;
  }

  /** A store with the default checkout policy. */
  public StoreConfig(String source, StoreInfo store, List<Product> catalog, List<Shelf> shelves,
      List<Device> devices, List<Gate> gates, Sync sync, Storage storage, List<Camera> cameras) {
    this(source, store, catalog, shelves, devices, gates, sync, storage, cameras, Checkout.defaults());
  }

  /** A store without cameras. */
  public StoreConfig(String source, StoreInfo store, List<Product> catalog, List<Shelf> shelves,
      List<Device> devices, List<Gate> gates, Sync sync, Storage storage) {
    this(source, store, catalog, shelves, devices, gates, sync, storage, List.of(), Checkout.defaults());
  }

  /** This config with {@code storage} replaced, e.g. to put the demo's database in a temp dir. */
  public StoreConfig withStorage(Storage storage) {
    return new StoreConfig(source, store, catalog, shelves, devices, gates, sync, storage, cameras, checkout);
  }

  /** This config with {@code sync} replaced, e.g. to point the demo at another broker. */
  public StoreConfig withSync(Sync sync) {
    return new StoreConfig(source, store, catalog, shelves, devices, gates, sync, storage, cameras, checkout);
  }

  /** This config with {@code shelves} replaced (a planogram change); everything else kept. */
  public StoreConfig withShelves(List<Shelf> shelves) {
    return new StoreConfig(source, store, catalog, shelves, devices, gates, sync, storage, cameras, checkout);
  }

  /** This config with {@code checkout} replaced, e.g. to score another policy. */
  public StoreConfig withCheckout(Checkout checkout) {
    return new StoreConfig(source, store, catalog, shelves, devices, gates, sync, storage, cameras, checkout);
  }

  public Map<String, Product> productsBySku() {
    return catalog.stream().collect(Collectors.toUnmodifiableMap(Product::sku, Function.identity()));
  }

  public Optional<Product> product(String sku) {
    return catalog.stream().filter(p -> p.sku().equals(sku)).findFirst();
  }

  public List<Lane> lanes() {
    return shelves.stream().flatMap(s -> s.lanes().stream()).toList();
  }

  public Optional<Lane> lane(String laneId) {
    return lanes().stream().filter(l -> l.id().equals(laneId)).findFirst();
  }

  public Optional<Shelf> shelfOfLane(String laneId) {
    return shelves.stream().filter(s -> s.lanes().stream().anyMatch(l -> l.id().equals(laneId))).findFirst();
  }

  public Optional<Device> device(String id) {
    return devices.stream().filter(d -> d.id().equals(id)).findFirst();
  }

  /** Identity of this store and gateway. {@code currency} is the default for catalog entries (ISO 4217). */
  public record StoreInfo(String id, String gatewayId, String currency, String timezone) {}

  /**
   * One sellable product.
   *
   * @param unitWeightGrams mean weight of one unit, grams, &gt; 0
   * @param weightSpreadGrams standard deviation of one unit's weight, grams, &gt;= 0
   * @param priceMinor price of one unit in minor currency units (cents)
   */
  public record Product(String sku, String name, double unitWeightGrams, double weightSpreadGrams,
      long priceMinor, String currency) {}

  /**
   * A shelf: a set of lanes read by one weight device.
   *
   * @param facingDegrees which way the shelf's front faces on the floor, degrees counter-clockwise
   *     from {@code +x}; empty when the store file does not say (see {@link ShelfFronts} for the
   *     inferred front)
   */
  public record Shelf(String id, String device, List<Lane> lanes, OptionalDouble facingDegrees) {
    public Shelf {
      lanes = List.copyOf(lanes);
      facingDegrees = facingDegrees == null ? OptionalDouble.empty() : facingDegrees;
    }

    /** A shelf whose front is inferred. */
    public Shelf(String id, String device, List<Lane> lanes) {
      this(id, device, lanes, OptionalDouble.empty());
    }

    /** The same shelf with other lanes (its facing kept). */
    public Shelf withLanes(List<Lane> newLanes) {
      return new Shelf(id, device, newLanes, facingDegrees);
    }
  }

  /**
   * One lane of a shelf (a plate or a row of facings).
   *
   * @param sku the product the planogram places here
   * @param capacity units the lane holds when full, &gt; 0
   * @param initialStock units on the lane at start (defaults to capacity)
   * @param channel the device channel (load cell index, OPC UA node, ...) that reads this lane
   * @param position lane centre on the store floor, metres
   */
  public record Lane(String id, String sku, int capacity, int initialStock, String channel, Position position) {}

  /** A point on the store floor, metres, in the store's own frame. */
  public record Position(double x, double y) {
    public double distanceTo(Position o) {
      return Math.hypot(x - o.x, y - o.y);
    }
  }

  /**
   * A device with its driver type and the driver's own settings. Settings are validated by the
   * driver's factory at load; {@link Settings} keeps each key's location for its messages.
   */
  public record Device(String id, String type, Settings settings, Location location) {}

  public Optional<Camera> camera(String id) {
    return cameras.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /**
   * A camera and its calibration.
   *
   * @param source device path or index, file or URL, as written
   * @param fps most frames per second processed, &gt; 0
   * @param model detector model name
   * @param imagePoints calibration points in the image, pixels, each {@code {x, y}}; at least 4
   * @param floorPoints the same points on the store floor, metres, same order and count
   * @param settings the frame source's own settings
   * @param location where the camera's {@code type} is written, for messages
   */
  public record Camera(String id, String type, String source, double fps, String model,
      List<double[]> imagePoints, List<double[]> floorPoints, Settings settings, Location location, Hands hands,
      boolean clothingColours) {
    public Camera {
      imagePoints = imagePoints.stream().map(double[]::clone).toList();
      floorPoints = floorPoints.stream().map(double[]::clone).toList();
    }

    /** A camera that reads clothing colours ({@code appearance: clothing-colours}, the default). */
    public Camera(String id, String type, String source, double fps, String model, List<double[]> imagePoints,
        List<double[]> floorPoints, Settings settings, Location location, Hands hands) {
      this(id, type, source, fps, model, imagePoints, floorPoints, settings, location, hands, true);
    }

    /** A camera whose model gives no hands. */
    public Camera(String id, String type, String source, double fps, String model, List<double[]> imagePoints,
        List<double[]> floorPoints, Settings settings, Location location) {
      this(id, type, source, fps, model, imagePoints, floorPoints, settings, location, null);
    }

    /** Copies, so the record stays immutable. */
    @Override
    public List<double[]> imagePoints() {
      return imagePoints.stream().map(double[]::clone).toList();
    }

    @Override
    public List<double[]> floorPoints() {
      return floorPoints.stream().map(double[]::clone).toList();
    }
  }

  /**
   * Where a camera sees hands: detections labelled {@code label} scoring at least {@code
   * minScore} inside a lane's shelf face (a polygon in the image, pixels) are that lane's hand
   * interactions.
   *
   * @param model a separate hand model run on crops around the shelf faces, or null when the
   *     camera's own model has a hand class
   */
  public record Hands(String model, String label, double minScore, List<ShelfFace> shelfFaces) {
    public Hands {
      shelfFaces = List.copyOf(shelfFaces);
    }
  }

  /** The front of one lane as the camera sees it: a polygon of at least 3 image points, pixels. */
  public record ShelfFace(String laneId, List<double[]> points) {
    public ShelfFace {
      points = points.stream().map(double[]::clone).toList();
    }

    @Override
    public List<double[]> points() {
      return points.stream().map(double[]::clone).toList();
    }
  }

  /** An entry/exit gate where shoppers check in with a customer token. */
  public record Gate(String id, Position position, String device) {}

  /**
   * Cloud sync over MQTT.
   *
   * @param brokers broker URIs in failover order (tcp, ssl, mqtt, mqtts, ws, wss); empty means no uplink
   * @param topicRoot topics are {@code topicRoot/storeId/gatewayId/...}
   */
  public record Sync(List<String> brokers, String clientId, String topicRoot, Tls tls,
      Credentials credentials, int keepAliveSeconds, long sessionExpirySeconds) {
    public Sync {
      brokers = List.copyOf(brokers);
    }

    public String topicPrefix(StoreInfo store) {
      return topicRoot + "/" + store.id() + "/" + store.gatewayId() + "/";
    }
  }

  /** TLS material by file reference; all paths optional (empty = TLS off or system defaults). */
  public record Tls(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile,
      Optional<Path> keyStore, Optional<Path> keyStorePasswordFile) {
    public static Tls none() {
      return new Tls(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** Username with the password read from a file (never inline). */
  public record Credentials(Optional<String> username, Optional<Path> passwordFile) {
    public static Credentials none() {
      return new Credentials(Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
      return "Credentials[username=" + username.orElse("-") + ", passwordFile=" + passwordFile.map(Path::toString).orElse("-") + "]";
    }
  }

  /**
   * Local storage.
   *
   * @param database SQLite database file
   * @param maxBytes cap on the outbox size on disk, bytes
   */
  public record Storage(Path database, long maxBytes) {}

  /**
   * The store's checkout policy.
   *
   * @param reviewThreshold a receipt line charged with a lower probability (who took it, what and
   *     how many) flags the receipt for review; higher means more reviews and fewer silent errors
   * @param handOffs what an item passed from one shopper to another means for the receipts
   * @param staffTokenPrefixes a token starting with one of these checks in a member of staff:
   *     what they take from or put on shelves is a removal or a restock, never a charge
   * @param handHitRate what the checkout believes of the cameras' hand detection (only used with
   *     cameras that see hands): the chance that the hand of the shopper who moved an item is seen
   *     in that lane
   * @param handFalseRate the chance that the hand of a shopper near the lane who did not move the
   *     item is seen in it (browsing, touching, a hand given to the wrong body); also the chance that a
   *     hand is joined to the wrong one of two people at arm's length of each other
   * @param handContactPrecision the share of hand contacts reported between a shopper holding
   *     items and one holding none that really passed an item over; above
   *     {@link #HAND_CONTACT_MOVES_ABOVE} such a contact moves the item to the other's receipt
   */
  public record Checkout(double reviewThreshold, HandOffPolicy handOffs, List<String> staffTokenPrefixes,
      double handHitRate, double handFalseRate, double handContactPrecision) {
    public static final double DEFAULT_REVIEW_THRESHOLD = 0.8;
    public static final double DEFAULT_HAND_HIT_RATE = 0.9;
    public static final double DEFAULT_HAND_FALSE_RATE = 0.05;
    public static final double DEFAULT_HAND_CONTACT_PRECISION = 0.5;
    /** A hand contact moves an item only when the store believes its contacts more often right than wrong. */
    public static final double HAND_CONTACT_MOVES_ABOVE = 0.5;

    /** No staff tokens. */
    public Checkout(double reviewThreshold, HandOffPolicy handOffs) {
      this(reviewThreshold, handOffs, List.of());
    }

    /** The default belief in a hand source. */
    public Checkout(double reviewThreshold, HandOffPolicy handOffs, List<String> staffTokenPrefixes) {
      this(reviewThreshold, handOffs, staffTokenPrefixes, DEFAULT_HAND_HIT_RATE, DEFAULT_HAND_FALSE_RATE);
    }

    /** The default belief in hand contacts. */
    public Checkout(double reviewThreshold, HandOffPolicy handOffs, List<String> staffTokenPrefixes,
        double handHitRate, double handFalseRate) {
      this(reviewThreshold, handOffs, staffTokenPrefixes, handHitRate, handFalseRate, DEFAULT_HAND_CONTACT_PRECISION);
    }

    /** Whether {@code token} is a member of staff's. */
    public boolean isStaff(String token) {
      return token != null && staffTokenPrefixes.stream().anyMatch(token::startsWith);
    }

    public Checkout {
      staffTokenPrefixes = List.copyOf(staffTokenPrefixes);
      if (!(reviewThreshold >= MIN_REVIEW_THRESHOLD && reviewThreshold <= MAX_REVIEW_THRESHOLD)) {
        throw new IllegalArgumentException("reviewThreshold must be " + MIN_REVIEW_THRESHOLD + " to "
            + MAX_REVIEW_THRESHOLD + " (got " + reviewThreshold + ")");
      }
      if (handOffs == null) {
        throw new IllegalArgumentException("handOffs is required");
      }
      if (!(handHitRate > 0 && handHitRate < 1 && handFalseRate > 0 && handFalseRate < handHitRate)) {
        throw new IllegalArgumentException("hand rates must satisfy 0 < handFalseRate < handHitRate < 1 (got hit "
            + handHitRate + ", false " + handFalseRate + ")");
      }
      if (!(handContactPrecision > 0 && handContactPrecision < 1)) {
        throw new IllegalArgumentException("handContactPrecision must be above 0 and below 1 (got "
            + handContactPrecision + ")");
      }
    }

    public static final double MIN_REVIEW_THRESHOLD = 0.5;
    public static final double MAX_REVIEW_THRESHOLD = 0.99;

    public static Checkout defaults() {
      return new Checkout(DEFAULT_REVIEW_THRESHOLD, HandOffPolicy.REVIEW);
    }
  }

  /** What the checkout does about items that may have changed hands between shoppers. */
  public enum HandOffPolicy {
    /**
     * The shopper who walks out with an item pays for it: where two shoppers may have passed
     * something over (nothing on a shelf changed), both receipts are flagged for review; the item
     * stays on the receipt of the one who took it from the shelf until a reviewer moves it.
     */
    REVIEW("review"),
    /**
     * As {@link #REVIEW}, and two shoppers standing side by side still raise a possible hand-off
     * while a camera that sees hands is live (by default only hands seen meeting do then): a camera
     * misses some contacts, and a hand-off it missed is otherwise a silent wrong charge. More
     * receipts go to review, fewer wrong ones go out unflagged.
     */
    REVIEW_MEETINGS("review-meetings"),
    /**
     * The shopper who takes an item from a shelf pays for it, whoever walks out with it (the store
     * says so at the door). Hand-offs are not looked for and flag nothing.
     */
    TAKER_PAYS("taker-pays");

    private final String yaml;

    HandOffPolicy(String yaml) {
      this.yaml = yaml;
    }

    /** How the policy is written in a store file. */
    public String yaml() {
      return yaml;
    }

    public static Optional<HandOffPolicy> fromYaml(String text) {
      for (HandOffPolicy p : values()) {
        if (p.yaml.equals(text)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }
  }
}
