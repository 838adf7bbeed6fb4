package org.storeedge.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.storeedge.config.ConfigReader.Item;
import org.storeedge.config.ConfigReader.Obj;
import org.storeedge.config.ConfigReader.Val;
import org.storeedge.config.StoreConfig.Camera;
import org.storeedge.config.StoreConfig.Credentials;
import org.storeedge.config.StoreConfig.Device;
import org.storeedge.config.StoreConfig.Gate;
import org.storeedge.config.StoreConfig.Lane;
import org.storeedge.config.StoreConfig.Position;
import org.storeedge.config.StoreConfig.Product;
import org.storeedge.config.StoreConfig.Shelf;
import org.storeedge.config.StoreConfig.Storage;
import org.storeedge.config.StoreConfig.StoreInfo;
import org.storeedge.config.StoreConfig.Sync;
import org.storeedge.config.StoreConfig.Tls;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a store YAML file into a validated {@link StoreConfig}. Every problem of the file is
 * collected and thrown at once in a {@link ConfigException}, sorted by line; unknown keys are
 * problems. Keys, required keys and defaults come from {@link ConfigSchema}.
 *
 * <p>Warnings (most likely mistakes that leave the store usable, such as a gate standing on a
 * shelf) are collected apart from the problems: a file with only warnings loads, and the loader
 * keeps them until its next load for {@link #warnings()}; a file with problems carries them in its
 * {@link ConfigException} as well.
 *
 * <p>Keeps nothing but the validator and the warnings of its last load. Loads may run on several
 * threads at once if the validator allows it, but a thread that reads {@link #warnings()} should
 * have a loader of its own.
 */
public final class StoreConfigLoader {
  /** Class path resource of the demo store, also {@code config/examples/demo-store.yaml}. */
  public static final String DEMO_RESOURCE = "org/storeedge/config/examples/demo-store.yaml";

  private static final Pattern ID = Pattern.compile(ConfigSchema.ID_CHARSET);
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
  private static final Set<String> BROKER_SCHEMES = Set.of("tcp", "ssl", "mqtt", "mqtts", "ws", "wss");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?");
  private static final long MIB = 1L << 20;
  private static final long MAX_SESSION_EXPIRY = 0xFFFF_FFFFL;

  private final DeviceSettingsValidator deviceValidator;
  private volatile List<ConfigWarning> warnings = List.of();

  public StoreConfigLoader(DeviceSettingsValidator deviceValidator) {
    this.deviceValidator = deviceValidator;
  }

  /**
   * The warnings of the last {@link #load}, {@link #parse} or {@link #loadResource} of this loader,
   * in file order, whether it returned a store or threw (then they are also in the
   * {@link ConfigException}); empty before the first.
   */
  public List<ConfigWarning> warnings() {
    return warnings;
  }

  /**
   * Loads {@code file}. Relative paths inside the file resolve against the file's directory. A
   * missing, unreadable-as-UTF-8 or empty file is a {@link ConfigException}; other I/O failures
   * (permissions, disk) are {@link IOException}s.
   */
  public StoreConfig load(Path file) throws IOException, ConfigException {
    warnings = List.of();
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw single(name, "is a directory, not a store file");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw single(name, "file not found: " + file.toAbsolutePath().normalize());
    } catch (CharacterCodingException e) {
      throw single(name, "is not valid UTF-8 text");
    }
    Path dir = file.toAbsolutePath().normalize().getParent();
    return parse(name, text, dir == null ? Path.of("").toAbsolutePath() : dir);
  }

  /**
   * Parses YAML text. {@code sourceName} is used in problem locations; relative paths inside
   * resolve against {@code baseDir}.
   */
  public StoreConfig parse(String sourceName, String yaml, Path baseDir) throws ConfigException {
    warnings = List.of();
    ConfigReader r = new ConfigReader(sourceName, baseDir.toAbsolutePath().normalize());
    Node root = r.compose(yaml);
    StoreConfig config = null;
    if (root != null) {
      config = new Build(r).run(root);
    }
    warnings = List.copyOf(r.warnings());
    if (r.hasProblems()) {
      throw new ConfigException(r.problems(), warnings);
    }
    if (config == null) {
      throw new IllegalStateException("no config and no problem for " + sourceName);
    }
    return config;
  }

  /**
   * Parses a store file on the class path, e.g. {@link #DEMO_RESOURCE}; relative paths inside
   * resolve against {@code baseDir}.
   */
  public StoreConfig loadResource(String resource, Path baseDir) throws ConfigException {
    warnings = List.of();
    String source = "classpath:" + resource;
    ClassLoader cl = StoreConfigLoader.class.getClassLoader();
    try (InputStream in = cl.getResourceAsStream(resource)) {
      if (in == null) {
        throw single(source, "resource not found on the class path");
      }
      return parse(source, new String(in.readAllBytes(), StandardCharsets.UTF_8), baseDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read class path resource " + resource, e);
    }
  }

  /** The bundled demo store, with relative paths (the database) under {@code baseDir}. */
  public static StoreConfig loadBundledDemo(DeviceSettingsValidator validator, Path baseDir) throws ConfigException {
    return new StoreConfigLoader(validator).loadResource(DEMO_RESOURCE, baseDir);
  }

  /** The bundled demo store with relative paths under the working directory. */
  public static StoreConfig loadBundledDemo(DeviceSettingsValidator validator) throws ConfigException {
    return loadBundledDemo(validator, Path.of("").toAbsolutePath());
  }

  /**
   * Parses a size such as {@code 512MiB}, {@code 2GiB}, {@code 500MB} or {@code 1048576} into
   * bytes; kB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB of 1024.
   *
   * @throws IllegalArgumentException naming the text and what is accepted
   */
  public static long parseByteSize(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("must be a size in bytes or a number with B, kB, KB, MB, GB, TB, KiB, MiB, GiB or TiB");
    }
    String unit = m.group(2) == null ? "B" : m.group(2);
    long factor = switch (unit) {
      case "B" -> 1L;
      case "kB", "KB" -> 1000L;
      case "MB" -> 1000L * 1000;
      case "GB" -> 1000L * 1000 * 1000;
      case "TB" -> 1000L * 1000 * 1000 * 1000;
      case "KiB" -> 1L << 10;
      case "MiB" -> 1L << 20;
      case "GiB" -> 1L << 30;
      case "TiB" -> 1L << 40;
      default -> throw new IllegalStateException(unit);
    };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("is too large", e);
    }
  }

  private static ConfigException single(String source, String message) {
    return new ConfigException(List.of(new ConfigProblem(Location.unknown(source), "", message)));
  }

  /** One parse: builds records section by section while the reader collects problems. */
  private final class Build {
    private final ConfigReader r;
    /** Every sku and device id written in the file, valid entry or not, so one bad entry doesn't make its references "unknown" too. */
    private final Set<String> skus = new LinkedHashSet<>();
    private final Map<String, Double> unitWeights = new HashMap<>();
    private final Set<String> deviceIds = new LinkedHashSet<>();
    /** Every lane id written in the file, so a lane of a broken shelf is still known to the cameras. */
    private final Set<String> laneIdsWritten = new HashSet<>();
    /**
     * The shelves as far as they can be checked against their devices: each shelf with a known
     * device, holding the lanes whose product, capacity, stock, channel and position are usable,
     * even when a problem elsewhere in the shelf keeps it out of the store.
     */
    private final List<Shelf> checkableShelves = new ArrayList<>();
    /** Every lane with a usable position, whatever else is wrong with it or its shelf, for the gates' check. */
    private final List<Lane> lanesOnFloor = new ArrayList<>();
    /** Every gate with a usable position, for the facing check. */
    private final List<Position> gatesOnFloor = new ArrayList<>();
    /** Shelves whose every lane has a usable position, with the facing the file gives them. */
    private final Map<Shelf, Val<String>> givenFacings = new java.util.IdentityHashMap<>();

    Build(ConfigReader r) {
      this.r = r;
    }

    StoreConfig run(Node root) {
      Obj top = r.obj(root, "", ConfigSchema.ROOT, "a store file");
      if (top == null) {
        return null;
      }
      Val<Obj> storeObj = top.obj("store", ConfigSchema.STORE);
      StoreInfo store = storeObj.ok() ? store(storeObj.get()) : null;
      List<Product> catalog = catalog(top, store);
      List<Device> devices = devices(top);
      List<Shelf> shelves = shelves(top);
      List<Gate> gates = gates(top);
      facingOutOfTheStore();
      Val<Obj> syncObj = top.obj("sync", ConfigSchema.SYNC);
      Sync sync = syncObj.ok() ? sync(syncObj.get(), store) : null;
      Val<Obj> storageObj = top.obj("storage", ConfigSchema.STORAGE);
      Storage storage = storageObj.ok() ? storage(storageObj.get()) : null;
      List<Camera> cameras = cameras(top, laneIdsWritten);
      Val<Obj> checkoutObj = top.obj("checkout", ConfigSchema.CHECKOUT);
      StoreConfig.Checkout checkout = checkoutObj.ok() ? checkout(checkoutObj.get()) : null;
      List<Device> soundDevices = new ArrayList<>();
      for (Device d : devices) {
        if (validateDevice(d)) {
          soundDevices.add(d);
        }
      }
      if (!r.hasProblems() && store != null && sync != null && storage != null && checkout != null) {
        StoreConfig built = new StoreConfig(r.source(), store, catalog, shelves, devices, gates, sync, storage, cameras,
            checkout);
        for (Device d : devices) {
          try {
            r.addAll(deviceValidator.validateInStore(d, built));
          } catch (RuntimeException e) {
            r.problem(d.location(), d.settings().pathOf("").replaceFirst("\\.$", ""),
                "the settings of device type " + d.type() + " could not be checked against its lanes: " + e);
          }
        }
        return r.hasProblems() ? null : built;
      }
      // The file has problems, but the devices whose own settings are sound are still checked
      // against the lanes on them that are usable (a lane with a problem of its own, e.g. a
      // duplicate channel, still weighs on its device), so their problems come with the others.
      Set<String> soundIds = new HashSet<>();
      soundDevices.forEach(d -> soundIds.add(d.id()));
      List<Shelf> checkable = checkableShelves.stream().filter(sh -> soundIds.contains(sh.device())).toList();
      StoreConfig partial = new StoreConfig(r.source(), store, catalog, checkable, soundDevices, gates, sync, storage,
          cameras, checkout);
      for (Device d : soundDevices) {
        List<ConfigProblem> found;
        try {
          found = deviceValidator.validateInStore(d, partial);
        } catch (RuntimeException e) {
          continue; // may need what the other problems left out; it runs again once they are fixed
        }
        if (found != null) {
          r.addAll(found);
        }
      }
      return null;
    }

    /** Runs the device's settings checks; true when they found nothing. */
    private boolean validateDevice(Device d) {
      try {
        List<ConfigProblem> found = deviceValidator.validate(d);
        if (found != null) {
          r.addAll(found);
        }
        return found == null || found.isEmpty();
      } catch (RuntimeException e) {
        r.problem(d.location(), d.settings().pathOf("").replaceFirst("\\.$", ""),
            "the settings of device type " + d.type() + " could not be checked: " + e);
        return false;
      }
    }

    // ---- store ----

    private StoreInfo store(Obj o) {
      Val<String> id = idText(o, "id");
      Val<String> gatewayId = idText(o, "gatewayId");
      Val<String> currency = currency(o.text("currency"));
      Val<String> timezone = o.text("timezone");
      if (timezone.ok()) {
        try {
          ZoneId.of(timezone.get());
        } catch (DateTimeException e) {
          timezone.reject("is not a known time zone id such as UTC or Europe/Berlin");
          timezone = timezone.invalid();
        }
      }
      if (!(id.ok() && gatewayId.ok() && currency.ok() && timezone.ok())) {
        return null;
      }
      return new StoreInfo(id.get(), gatewayId.get(), currency.get(), timezone.get());
    }

    private Val<String> idText(Obj o, String key) {
      Val<String> v = o.text(key);
      if (v.ok() && !ID.matcher(v.get()).matches()) {
        v.reject("must match " + ConfigSchema.ID_CHARSET);
        return v.invalid();
      }
      return v;
    }

    private Val<String> currency(Val<String> v) {
      if (!v.ok()) {
        return v;
      }
      if (!CURRENCY.matcher(v.get()).matches()) {
        v.reject("must be an ISO 4217 code of 3 upper-case letters such as EUR");
        return v.invalid();
      }
      try {
        Currency.getInstance(v.get());
      } catch (IllegalArgumentException e) {
        v.reject("is not an ISO 4217 currency code");
        return v.invalid();
      }
      return v;
    }

    // ---- catalog ----

    private List<Product> catalog(Obj top, StoreInfo store) {
      List<Product> out = new ArrayList<>();
      Val<List<Item>> items = top.list("catalog");
      if (!items.ok()) {
        return out;
      }
      if (items.get().isEmpty()) {
        items.reject("must list at least 1 product");
      }
      Map<String, Val<String>> skuSeen = new HashMap<>();
      for (Item item : items.get()) {
        Obj o = r.obj(item.node(), item.path(), ConfigSchema.PRODUCT, "a catalog entry");
        if (o == null) {
          continue;
        }
        Val<String> sku = o.text("sku");
        if (sku.ok()) {
          skus.add(sku.get());
        }
        sku = unique(sku, skuSeen, "sku");
        Val<String> name = o.text("name");
        Val<Double> unitWeight = o.number("unitWeight");
        if (unitWeight.ok() && unitWeight.get() <= 0) {
          unitWeight.reject("must be > 0 grams");
          unitWeight = unitWeight.invalid();
        }
        Val<Double> spread = o.number("weightSpread");
        if (spread.ok() && spread.get() < 0) {
          spread.reject("must be >= 0 grams");
          spread = spread.invalid();
        } else if (spread.ok() && unitWeight.ok() && spread.get() >= unitWeight.get()) {
          spread.reject("must be less than unitWeight (" + unitWeight.get() + " g): units varying by as much as they"
              + " weigh cannot be counted by weight (grams and kilograms mixed up?)");
          spread = spread.invalid();
        }
        Val<Long> price = o.integer("price");
        if (price.ok() && price.get() < 0) {
          price.reject("must be >= 0");
          price = price.invalid();
        }
        Val<String> currency = currency(o.text("currency"));
        String productCurrency = store == null ? null : store.currency();
        if (currency.ok()) {
          if (store != null && !currency.get().equals(store.currency())) {
            currency.reject("must equal store.currency " + store.currency() + " (one currency per store)");
            continue;
          }
          productCurrency = currency.get();
        } else if (currency.given) {
          continue;
        }
        if (sku.ok() && unitWeight.ok()) {
          unitWeights.putIfAbsent(sku.get(), unitWeight.get());
        }
        if (sku.ok() && name.ok() && unitWeight.ok() && spread.ok() && price.ok() && productCurrency != null) {
          out.add(new Product(sku.get(), name.get(), unitWeight.get(), spread.get(), price.get(), productCurrency));
        }
      }
      return out;
    }

    /** Rejects a value already seen in {@code seen} (naming where it was first), else records it. */
    private Val<String> unique(Val<String> v, Map<String, Val<String>> seen, String what) {
      if (!v.ok()) {
        return v;
      }
      Val<String> first = seen.putIfAbsent(v.get(), v);
      if (first != null) {
        v.reject("duplicate " + what + ", first at " + first.path + " line " + first.location.line());
        return v.invalid();
      }
      return v;
    }

    // ---- devices ----

    private List<Device> devices(Obj top) {
      List<Device> out = new ArrayList<>();
      Val<List<Item>> items = top.list("devices");
      if (!items.ok()) {
        return out;
      }
      if (items.get().isEmpty()) {
        items.reject("must list at least 1 device");
      }
      Map<String, Val<String>> ids = new HashMap<>();
      for (Item item : items.get()) {
        Obj o = r.obj(item.node(), item.path(), ConfigSchema.DEVICE, "a device");
        if (o == null) {
          continue;
        }
        Val<String> id = o.text("id");
        if (id.ok()) {
          deviceIds.add(id.get());
        }
        id = unique(id, ids, "device id");
        Val<String> type = o.text("type");
        String settingsPath = ConfigReader.child(item.path(), "settings");
        Settings settings = r.settings(o.raw("settings"), settingsPath, o.location());
        if (id.ok() && type.ok()) {
          out.add(new Device(id.get(), type.get(), settings, type.location));
        }
      }
      return out;
    }

    private Val<String> deviceRef(Obj o, String key) {
      Val<String> ref = o.text(key);
      if (ref.ok() && !deviceIds.contains(ref.get())) {
        ref.reject("unknown device; devices are: " + String.join(", ", deviceIds));
        return ref.invalid();
      }
      return ref;
    }

    // ---- cameras ----

    private static final String CLOTHING_COLOURS = "clothing-colours";

    private List<Camera> cameras(Obj top, Set<String> laneIds) {
      List<Camera> out = new ArrayList<>();
      Val<List<Item>> items = top.list("cameras");
      if (!items.ok()) {
        return out;
      }
      Map<String, Val<String>> ids = new HashMap<>();
      for (Item item : items.get()) {
        Obj o = r.obj(item.node(), item.path(), ConfigSchema.CAMERA, "a camera");
        if (o == null) {
          continue;
        }
        Val<String> id = unique(idText(o, "id"), ids, "camera id");
        Val<String> type = o.text("type");
        Val<String> source = o.text("source");
        Val<Double> fps = o.number("fps");
        if (fps.ok() && fps.get() <= 0) {
          fps.reject("must be > 0 frames per second");
          fps = fps.invalid();
        }
        Val<String> model = o.text("model");
        Val<Obj> calObj = o.obj("calibration", ConfigSchema.CALIBRATION);
        List<List<double[]>> calibration = calObj.ok() ? calibration(calObj.get()) : null;
        String settingsPath = ConfigReader.child(item.path(), "settings");
        Settings settings = r.settings(o.raw("settings"), settingsPath, o.location());
        Val<Obj> handsObj = o.obj("hands", ConfigSchema.HANDS);
        StoreConfig.Hands hands = handsObj.ok() ? hands(handsObj.get(), laneIds) : null;
        boolean handsOk = !handsObj.given || hands != null;
        Val<String> appearance = o.text("appearance");
        if (appearance.ok() && !List.of(CLOTHING_COLOURS, "off").contains(appearance.get())) {
          appearance.reject("must be " + CLOTHING_COLOURS + " or off");
          appearance = appearance.invalid();
        }
        if (id.ok() && type.ok() && source.ok() && fps.ok() && model.ok() && calibration != null && handsOk
            && appearance.ok()) {
          out.add(new Camera(id.get(), type.get(), source.get(), fps.get(), model.get(),
              calibration.get(0), calibration.get(1), settings, type.location, hands,
              appearance.get().equals(CLOTHING_COLOURS)));
        }
      }
      return out;
    }

    /** A camera's hand settings, or null when wrong (problems reported). */
    private StoreConfig.Hands hands(Obj o, Set<String> laneIds) {
      Val<String> model = o.text("model");
      boolean modelOk = !model.given || model.ok();
      Val<String> label = o.text("label");
      if (label.ok() && label.get().isBlank()) {
        label.reject("must not be blank");
        label = label.invalid();
      }
      Val<Double> minScore = o.number("minScore");
      if (minScore.ok() && !(minScore.get() >= 0 && minScore.get() <= 1)) {
        minScore.reject("must be between 0 and 1");
        minScore = minScore.invalid();
      }
      Val<List<Item>> items = o.list("shelfFaces");
      List<StoreConfig.ShelfFace> faces = new ArrayList<>();
      boolean ok = items.ok();
      if (items.ok() && items.get().isEmpty()) {
        items.reject("must list at least 1 shelf face");
        ok = false;
      }
      Map<String, Val<String>> seen = new HashMap<>();
      if (items.ok()) {
        for (Item item : items.get()) {
          Obj f = r.obj(item.node(), item.path(), ConfigSchema.SHELF_FACE, "a shelf face");
          if (f == null) {
            ok = false;
            continue;
          }
          Val<String> lane = unique(f.text("lane"), seen, "lane in shelfFaces");
          if (lane.ok() && !laneIds.contains(lane.get())) {
            lane.reject("unknown lane");
            lane = lane.invalid();
          }
          Val<List<Item>> pts = f.list("points");
          List<double[]> points = pts.ok() ? points(pts, ConfigSchema.MAX_IMAGE_COORDINATE,
              ConfigSchema.MIN_SHELF_FACE_POINTS) : null;
          if (lane.ok() && points != null) {
            faces.add(new StoreConfig.ShelfFace(lane.get(), points));
          } else {
            ok = false;
          }
        }
      }
      return ok && modelOk && label.ok() && minScore.ok()
          ? new StoreConfig.Hands(model.get(), label.get(), minScore.get(), faces) : null;
    }

    /** The image and floor point lists, or null when either is wrong (problems reported). */
    private List<List<double[]>> calibration(Obj o) {
      Val<List<Item>> image = o.list("image");
      Val<List<Item>> floor = o.list("floor");
      List<double[]> imagePoints = image.ok() ? points(image, ConfigSchema.MAX_IMAGE_COORDINATE) : null;
      List<double[]> floorPoints = floor.ok() ? points(floor, Double.NaN) : null;
      if (imagePoints == null || floorPoints == null) {
        return null;
      }
      if (floorPoints.size() != imagePoints.size()) {
        floor.reject("must list as many points as image (" + imagePoints.size() + "), in the same order; has "
            + floorPoints.size());
        return null;
      }
      return List.of(imagePoints, floorPoints);
    }

    /**
     * A list of at least {@link ConfigSchema#MIN_CALIBRATION_POINTS} {@code [x, y]} pairs of
     * numbers; with a finite {@code max}, each coordinate must lie in 0..max. Null when wrong.
     */
    private List<double[]> points(Val<List<Item>> items, double max) {
      return points(items, max, ConfigSchema.MIN_CALIBRATION_POINTS);
    }

    private List<double[]> points(Val<List<Item>> items, double max, int min) {
      boolean ok = true;
      if (items.get().size() < min) {
        items.reject("must list at least " + min + " [x, y] points");
        ok = false;
      }
      List<double[]> out = new ArrayList<>();
      for (Item item : items.get()) {
        Val<List<Item>> pair = r.list(item.node(), r.at(item.node()), item.path());
        if (!pair.ok()) {
          ok = false;
          continue;
        }
        if (pair.get().size() != 2) {
          pair.reject("must be a point [x, y] of 2 numbers");
          ok = false;
          continue;
        }
        double[] xy = new double[2];
        for (int i = 0; i < 2; i++) {
          Item c = pair.get().get(i);
          Val<Double> v = r.number(c.node(), r.at(c.node()), c.path());
          if (!v.ok()) {
            ok = false;
          } else if (!Double.isNaN(max) && (v.get() < 0 || v.get() > max)) {
            v.reject("must be between 0 and " + (long) max + " pixels");
            ok = false;
          } else {
            xy[i] = v.get();
          }
        }
        out.add(xy);
      }
      return ok ? out : null;
    }

    // ---- shelves ----

    private List<Shelf> shelves(Obj top) {
      List<Shelf> out = new ArrayList<>();
      Val<List<Item>> items = top.list("shelves");
      if (!items.ok()) {
        return out;
      }
      if (items.get().isEmpty()) {
        items.reject("must list at least 1 shelf");
      }
      Map<String, Val<String>> shelfIds = new HashMap<>();
      Map<String, Val<String>> laneIds = new HashMap<>();
      Map<String, Map<String, Val<String>>> channelsByDevice = new HashMap<>();
      // every shelf as placed on the floor (the lanes with a usable position), for the facing check,
      // problems or not: a shelf with a bad lane still stands where it stands
      List<Shelf> placed = new ArrayList<>();
      Map<Shelf, Val<String>> facings = new java.util.IdentityHashMap<>();
      for (Item item : items.get()) {
        Obj o = r.obj(item.node(), item.path(), ConfigSchema.SHELF, "a shelf");
        if (o == null) {
          continue;
        }
        Val<String> idText = o.text("id");
        Val<String> id = unique(idText, shelfIds, "shelf id");
        Val<String> device = deviceRef(o, "device");
        Val<List<Item>> laneItems = o.list("lanes");
        List<Lane> lanes = new ArrayList<>();
        List<Lane> checkable = new ArrayList<>();
        List<Lane> onFloor = new ArrayList<>();
        boolean lanesOk = laneItems.ok();
        boolean allPlaced = laneItems.ok();
        if (laneItems.ok() && laneItems.get().isEmpty()) {
          laneItems.reject("must list at least 1 lane");
          lanesOk = false;
        }
        if (laneItems.ok()) {
          Map<String, Val<String>> channels = device.ok()
              ? channelsByDevice.computeIfAbsent(device.get(), k -> new HashMap<>()) : new HashMap<>();
          List<LaneParts> standing = new ArrayList<>();
          for (Item laneItem : laneItems.get()) {
            LaneParts lane = lane(laneItem, laneIds, channels);
            if (lane.onFloor() != null) {
              sameSpotOnShelf(lane, standing);
              standing.add(lane);
              lanesOnFloor.add(lane.onFloor());
            }
            if (lane.valid() == null) {
              lanesOk = false;
            } else {
              lanes.add(lane.valid());
            }
            if (lane.checkable() != null) {
              checkable.add(lane.checkable());
            }
            if (lane.onFloor() == null) {
              allPlaced = false;
            } else {
              onFloor.add(lane.onFloor());
            }
          }
        }
        Val<String> facing = o.text("facing");
        OptionalDouble facingDegrees = OptionalDouble.empty();
        if (facing.ok()) {
          facingDegrees = facingDegrees(facing.get());
          if (facingDegrees.isEmpty()) {
            facing.reject("must be +x, -x, +y, -y or a number of degrees (0 = +x, 90 = +y)");
          }
        }
        String name = idText.ok() ? idText.get() : item.path();
        if (device.ok() && !checkable.isEmpty()) {
          checkableShelves.add(new Shelf(name, device.get(), checkable, facingDegrees));
        }
        if (!onFloor.isEmpty()) {
          Shelf standing = new Shelf(name, device.ok() ? device.get() : "", onFloor, facingDegrees);
          placed.add(standing);
          if (facingDegrees.isPresent() && allPlaced) {
            facings.put(standing, facing);
          }
        }
        if (id.ok() && device.ok() && lanesOk && (!facing.given || facingDegrees.isPresent())) {
          out.add(new Shelf(id.get(), device.get(), lanes, facingDegrees));
        }
      }
      givenFacings.putAll(facings);
      // a facing given the wrong way round: shoppers would have to stand inside the next shelf
      facings.forEach((shelf, facing) -> ShelfFronts.facingIntoAnotherShelf(placed, shelf).ifPresent(lane -> {
        StoreConfig.Position p = lane.position();
        facing.reject("faces lane " + lane.id() + " of another shelf standing right in front of it (at " + p.x() + ", "
            + p.y() + "), where shoppers would have to stand, while its back is clear; give the direction shoppers "
            + "face the shelf from (the two faces of a gondola face away from each other)");
      }));
      return out;
    }

    /**
     * Warns of a lane standing at the spot of an earlier lane of the same shelf (any problem of
     * either notwithstanding): most likely its position was copied with the line above. A warning,
     * not a problem: the agent still runs such a store, only worse.
     */
    private void sameSpotOnShelf(LaneParts lane, List<LaneParts> earlierOfShelf) {
      Position p = lane.onFloor().position();
      for (LaneParts first : earlierOfShelf) {
        double d = p.distanceTo(first.onFloor().position());
        if (d < ConfigSchema.MIN_LANE_SPACING_METRES) {
          r.warning(lane.position().location, lane.position().path, String.format(Locale.ROOT,
              "%.2f m from lane %s of the same shelf (%s line %d): lanes of one shelf less than %s m apart cannot be"
                  + " told apart by where a shopper stood; a copied position? (lanes of stacked shelves sharing a floor"
                  + " spot belong to separate shelves)",
              d, first.onFloor().id(), first.position().path, first.position().location.line(),
              ConfigSchema.MIN_LANE_SPACING_METRES));
          return;
        }
      }
    }

    private static OptionalDouble facingDegrees(String text) {
      switch (text.trim()) {
        case "+x", "x":
          return OptionalDouble.of(0);
        case "+y", "y":
          return OptionalDouble.of(90);
        case "-x":
          return OptionalDouble.of(180);
        case "-y":
          return OptionalDouble.of(270);
        default:
          try {
            double d = Double.parseDouble(text.trim());
            return Double.isFinite(d) ? OptionalDouble.of(d) : OptionalDouble.empty();
          } catch (NumberFormatException e) {
            return OptionalDouble.empty();
          }
      }
    }

    /**
     * One lane entry as far as it could be read.
     *
     * @param valid the lane, or null when it has a problem
     * @param checkable the lane as its device's in-store checks see it (the weight it puts on the
     *     device), or null when its product is unknown or its capacity, stock, channel or position
     *     is unusable; a lane with only a duplicate id or channel, or a product too light to
     *     count, is still checkable
     * @param onFloor the lane where it stands, for the facing check, or null without a usable
     *     position (other fields may be placeholders)
     * @param position where the position is written, for warnings of where the lane stands; null
     *     without a usable position
     */
    private record LaneParts(Lane valid, Lane checkable, Lane onFloor, Val<Obj> position) {}

    private LaneParts lane(Item item, Map<String, Val<String>> laneIds, Map<String, Val<String>> channels) {
      Obj o = r.obj(item.node(), item.path(), ConfigSchema.LANE, "a lane");
      if (o == null) {
        return new LaneParts(null, null, null, null);
      }
      Val<String> idText = o.text("id");
      if (idText.ok()) {
        laneIdsWritten.add(idText.get());
      }
      Val<String> id = unique(idText, laneIds, "lane id");
      Val<String> skuText = o.text("sku");
      Val<String> sku = skuText;
      if (sku.ok() && !skus.contains(sku.get())) {
        sku.reject("unknown sku");
        sku = sku.invalid();
      } else if (sku.ok() && unitWeights.containsKey(sku.get())
          && unitWeights.get(sku.get()) < ConfigSchema.MIN_LANE_UNIT_GRAMS) {
        sku.reject("one unit weighs " + unitWeights.get(sku.get()) + " g; a weight lane cannot tell one unit of less than "
            + ConfigSchema.MIN_LANE_UNIT_GRAMS + " g taken or put back from noise, so such picks would go uncharged:"
            + " place a pack of several instead");
        sku = sku.invalid();
      }
      Val<Long> capacity = o.integer("capacity");
      if (capacity.ok() && capacity.get() <= 0) {
        capacity.reject("must be > 0");
        capacity = capacity.invalid();
      } else if (capacity.ok() && capacity.get() > Integer.MAX_VALUE) {
        capacity.reject("is too large (max " + Integer.MAX_VALUE + ")");
        capacity = capacity.invalid();
      }
      Val<Long> initialStock = o.integer("initialStock");
      if (initialStock.ok() && capacity.ok() && (initialStock.get() < 0 || initialStock.get() > capacity.get())) {
        initialStock.reject("must be between 0 and capacity " + capacity.get());
        initialStock = initialStock.invalid();
      } else if (initialStock.ok() && initialStock.get() < 0) {
        initialStock.reject("must be >= 0");
        initialStock = initialStock.invalid();
      }
      Val<String> channelText = o.text("channel");
      Val<String> channel = unique(channelText, channels, "channel on this device");
      Val<Obj> posObj = o.obj("position", ConfigSchema.POSITION);
      Position position = posObj.ok() ? position(posObj.get()) : null;
      if (position == null) {
        return new LaneParts(null, null, null, null);
      }
      String name = idText.ok() ? idText.get() : item.path();
      Lane onFloor = new Lane(name, skuText.ok() ? skuText.get() : "", 1, 1, "", position);
      boolean stockOk = !initialStock.given || initialStock.ok();
      if (!(idText.ok() && skuText.ok() && skus.contains(skuText.get()) && capacity.ok() && stockOk
          && channelText.ok())) {
        return new LaneParts(null, null, onFloor, posObj);
      }
      int cap = capacity.get().intValue();
      int stock = initialStock.ok() ? initialStock.get().intValue() : cap;
      Lane checkable = new Lane(idText.get(), skuText.get(), cap, stock, channelText.get(), position);
      boolean valid = id.ok() && sku.ok() && channel.ok();
      return new LaneParts(valid ? checkable : null, checkable, onFloor, posObj);
    }

    private Position position(Obj o) {
      Val<Double> x = o.number("x");
      Val<Double> y = o.number("y");
      return x.ok() && y.ok() ? new Position(x.get(), y.get()) : null;
    }

    // ---- gates ----

    private List<Gate> gates(Obj top) {
      List<Gate> out = new ArrayList<>();
      Val<List<Item>> items = top.list("gates");
      if (!items.ok()) {
        return out;
      }
      if (items.get().isEmpty()) {
        items.reject("must list at least 1 gate");
      }
      Map<String, Val<String>> ids = new HashMap<>();
      for (Item item : items.get()) {
        Obj o = r.obj(item.node(), item.path(), ConfigSchema.GATE, "a gate");
        if (o == null) {
          continue;
        }
        Val<String> id = unique(o.text("id"), ids, "gate id");
        Val<Obj> posObj = o.obj("position", ConfigSchema.POSITION);
        Position position = posObj.ok() ? position(posObj.get()) : null;
        if (position != null) {
          gateOnAShelf(posObj, position);
          gatesOnFloor.add(position);
        }
        Val<String> device = deviceRef(o, "device");
        if (id.ok() && position != null && (device.ok() || !device.given)) {
          out.add(new Gate(id.get(), position, device.ok() ? device.get() : null));
        }
      }
      return out;
    }

    /**
     * Warns of a shelf whose given {@code facing} puts where its shoppers stand (half a metre out of
     * its front) outside the floor the store's lanes and gates span, while behind it is inside: a
     * wall shelf turned to face the wall. A warning: the agent still runs, weighing shoppers who
     * stand in front of the shelf as standing behind it.
     */
    private void facingOutOfTheStore() {
      double minX = Double.POSITIVE_INFINITY;
      double minY = Double.POSITIVE_INFINITY;
      double maxX = Double.NEGATIVE_INFINITY;
      double maxY = Double.NEGATIVE_INFINITY;
      List<Position> all = new ArrayList<>(gatesOnFloor);
      lanesOnFloor.forEach(l -> all.add(l.position()));
      for (Position p : all) {
        minX = Math.min(minX, p.x());
        minY = Math.min(minY, p.y());
        maxX = Math.max(maxX, p.x());
        maxY = Math.max(maxY, p.y());
      }
      double[] box = {minX - FLOOR_MARGIN_METRES, minY - FLOOR_MARGIN_METRES, maxX + FLOOR_MARGIN_METRES,
          maxY + FLOOR_MARGIN_METRES};
      String span = String.format(Locale.ROOT, "x %.2f to %.2f, y %.2f to %.2f", minX, maxX, minY, maxY);
      givenFacings.forEach((shelf, facing) -> {
        double a = Math.toRadians(shelf.facingDegrees().getAsDouble());
        double nx = Math.cos(a);
        double ny = Math.sin(a);
        boolean frontOutside = true;
        boolean backInside = true;
        for (Lane l : shelf.lanes()) {
          Position p = l.position();
          frontOutside &= !inside(box, p.x() + STAND_METRES * nx, p.y() + STAND_METRES * ny);
          backInside &= inside(box, p.x() - STAND_METRES * nx, p.y() - STAND_METRES * ny);
        }
        if (!shelf.lanes().isEmpty() && frontOutside && backInside) {
          r.warning(facing.location, facing.path, String.format(Locale.ROOT,
              "shoppers taking from this shelf would stand %s m out of its front, outside the floor the store's lanes and"
                  + " gates span (%s), while behind it is inside: give the direction shoppers face the shelf from (a wall"
                  + " shelf faces into the store)",
              STAND_METRES, span));
        }
      });
    }

    private static boolean inside(double[] box, double x, double y) {
      return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
    }

    /** Where a shopper stands to take from a lane, out of its front, metres. */
    private static final double STAND_METRES = 0.5;
    /** How far beyond its outermost lanes and gates the store's floor may reach, metres. */
    private static final double FLOOR_MARGIN_METRES = 0.25;

    /**
     * Warns of a gate standing on a shelf: less than {@link ConfigSchema#MIN_GATE_TO_LANE_METRES}
     * from a lane with a usable position (problems of the gate, the lane or its shelf
     * notwithstanding), naming the nearest. A warning, not a problem: the agent still runs such a
     * store, only worse.
     */
    private void gateOnAShelf(Val<Obj> where, Position gate) {
      Lane nearest = null;
      double best = Double.POSITIVE_INFINITY;
      for (Lane l : lanesOnFloor) {
        double d = gate.distanceTo(l.position());
        if (d < best) {
          best = d;
          nearest = l;
        }
      }
      if (nearest != null && best < ConfigSchema.MIN_GATE_TO_LANE_METRES) {
        Position p = nearest.position();
        r.warning(where.location, where.path, String.format(Locale.ROOT,
            "%.2f m from lane %s (at %s, %s): a gate less than %s m from a lane stands on its shelf or where shoppers"
                + " stand to take from it, so shoppers checking in would look like shoppers taking from the lane",
            best, nearest.id(), p.x(), p.y(), ConfigSchema.MIN_GATE_TO_LANE_METRES));
      }
    }

    // ---- sync ----

    private Sync sync(Obj o, StoreInfo store) {
      List<String> brokers = brokers(o.list("brokers"));
      Val<String> clientId = idText(o, "clientId");
      String client = clientId.ok() ? clientId.get()
          : (!clientId.given && store != null ? store.id() + "-" + store.gatewayId() : null);
      Val<String> topicRoot = o.text("topicRoot");
      if (topicRoot.ok()) {
        String t = topicRoot.get();
        String why = t.contains("+") || t.contains("#") ? "must not contain the MQTT wildcards + or #"
            : t.startsWith("/") || t.endsWith("/") ? "must not start or end with /"
            : t.contains("//") ? "must not contain an empty topic level (//)"
            : t.chars().anyMatch(Character::isWhitespace) ? "must not contain white space"
            : null;
        if (why != null) {
          topicRoot.reject(why);
          topicRoot = topicRoot.invalid();
        }
      }
      Val<Obj> tlsObj = o.obj("tls", ConfigSchema.TLS);
      Tls tls = tlsObj.ok() ? tls(tlsObj.get()) : null;
      Val<Obj> credObj = o.obj("credentials", ConfigSchema.CREDENTIALS);
      Credentials credentials = credObj.ok() ? credentials(credObj.get()) : null;
      Val<Long> keepAlive = o.integer("keepAliveSeconds");
      if (keepAlive.ok() && (keepAlive.get() < 1 || keepAlive.get() > 3600)) {
        keepAlive.reject("must be between 1 and 3600 seconds");
        keepAlive = keepAlive.invalid();
      }
      Val<Long> expiry = o.integer("sessionExpirySeconds");
      if (expiry.ok() && (expiry.get() < 0 || expiry.get() > MAX_SESSION_EXPIRY)) {
        expiry.reject("must be between 0 and " + MAX_SESSION_EXPIRY + " seconds");
        expiry = expiry.invalid();
      }
      if (brokers == null || client == null || !topicRoot.ok() || tls == null || credentials == null
          || !keepAlive.ok() || !expiry.ok()) {
        return null;
      }
      return new Sync(brokers, client, topicRoot.get(), tls, credentials, keepAlive.get().intValue(), expiry.get());
    }

    private List<String> brokers(Val<List<Item>> items) {
      if (!items.ok()) {
        return null;
      }
      List<String> out = new ArrayList<>();
      boolean ok = true;
      Map<String, Val<String>> seen = new HashMap<>();
      for (Item item : items.get()) {
        Val<String> uri = unique(r.text(item.node(), r.at(item.node()), item.path()), seen, "broker");
        if (!uri.ok()) {
          ok = false;
          continue;
        }
        String why = brokerProblem(uri.get());
        if (why != null) {
          uri.reject(why);
          ok = false;
        } else {
          out.add(uri.get());
        }
      }
      return ok ? out : null;
    }

    private static String brokerProblem(String text) {
      URI uri;
      try {
        uri = new URI(text);
      } catch (URISyntaxException e) {
        return "is not a valid URI: " + e.getReason();
      }
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (scheme == null || !BROKER_SCHEMES.contains(scheme)) {
        return "must be a broker URI with scheme tcp, ssl, mqtt, mqtts, ws or wss, e.g. ssl://broker.example.com:8883";
      }
      if (uri.getHost() == null) {
        return "must name a host, e.g. " + scheme + "://broker.example.com";
      }
      if (uri.getUserInfo() != null) {
        return "must not carry credentials; use sync.credentials";
      }
      if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
        return "port must be between 1 and 65535";
      }
      return null;
    }

    private Val<Path> existingFile(Obj o, String key) {
      Val<Path> p = o.path(key);
      if (p.ok()) {
        if (!Files.exists(p.get())) {
          p.reject("file not found: " + p.get());
          return p.invalid();
        }
        if (!Files.isRegularFile(p.get())) {
          p.reject("is not a regular file: " + p.get());
          return p.invalid();
        }
        if (!Files.isReadable(p.get())) {
          p.reject("is not readable: " + p.get());
          return p.invalid();
        }
      }
      return p;
    }

    private Tls tls(Obj o) {
      Val<Path> ca = existingFile(o, "caFile");
      Val<Path> cert = existingFile(o, "certFile");
      Val<Path> key = existingFile(o, "keyFile");
      Val<Path> keyStore = existingFile(o, "keyStore");
      Val<Path> keyStorePassword = existingFile(o, "keyStorePasswordFile");
      boolean ok = !(ca.given && !ca.ok()) && !(cert.given && !cert.ok()) && !(key.given && !key.ok())
          && !(keyStore.given && !keyStore.ok()) && !(keyStorePassword.given && !keyStorePassword.ok());
      if (cert.given && !key.given) {
        r.problem(cert.location, cert.path, "certFile needs keyFile (the client certificate's private key)");
        ok = false;
      }
      if (key.given && !cert.given) {
        r.problem(key.location, key.path, "keyFile needs certFile (the client certificate)");
        ok = false;
      }
      if (keyStore.given && cert.given) {
        r.problem(keyStore.location, keyStore.path, "give either keyStore or certFile and keyFile, not both");
        ok = false;
      }
      if (keyStorePassword.given && !keyStore.given) {
        r.problem(keyStorePassword.location, keyStorePassword.path, "keyStorePasswordFile needs keyStore");
        ok = false;
      }
      if (!ok) {
        return null;
      }
      return new Tls(opt(ca), opt(cert), opt(key), opt(keyStore), opt(keyStorePassword));
    }

    private Credentials credentials(Obj o) {
      Val<String> username = o.text("username");
      Val<Path> passwordFile = existingFile(o, "passwordFile");
      if ((username.given && !username.ok()) || (passwordFile.given && !passwordFile.ok())) {
        return null;
      }
      return new Credentials(opt(username), opt(passwordFile));
    }

    private static <T> Optional<T> opt(Val<T> v) {
      return Optional.ofNullable(v.get());
    }

    // ---- checkout ----

    private StoreConfig.Checkout checkout(Obj o) {
      Val<Double> threshold = o.number("reviewThreshold");
      if (threshold.ok() && !(threshold.get() >= StoreConfig.Checkout.MIN_REVIEW_THRESHOLD
          && threshold.get() <= StoreConfig.Checkout.MAX_REVIEW_THRESHOLD)) {
        threshold.reject("must be " + StoreConfig.Checkout.MIN_REVIEW_THRESHOLD + " to "
            + StoreConfig.Checkout.MAX_REVIEW_THRESHOLD + " (the probability below which a receipt line goes to review)");
        threshold = threshold.invalid();
      }
      Val<String> handOffs = o.text("handOffs");
      StoreConfig.HandOffPolicy policy = null;
      if (handOffs.ok()) {
        policy = StoreConfig.HandOffPolicy.fromYaml(handOffs.get()).orElse(null);
        if (policy == null) {
          handOffs.reject("must be review, review-meetings or taker-pays");
        }
      }
      Val<List<Item>> staff = o.list("staffTokenPrefixes");
      List<String> prefixes = new ArrayList<>();
      boolean staffOk = staff.ok();
      if (staff.ok()) {
        for (Item it : staff.get()) {
          Val<String> p = r.text(it.node(), r.at(it.node()), it.path());
          if (p.ok()) {
            prefixes.add(p.get());
          } else {
            staffOk = false;
          }
        }
      }
      Val<Double> hit = o.number("handHitRate");
      if (hit.ok() && !(hit.get() > 0 && hit.get() < 1)) {
        hit.reject("must be above 0 and below 1 (the share of takers' hands the cameras see in the lane)");
        hit = hit.invalid();
      }
      Val<Double> falseRate = o.number("handFalseRate");
      if (falseRate.ok() && !(falseRate.get() > 0 && falseRate.get() < 1)) {
        falseRate.reject("must be above 0 and below 1 (the share of bystanders' hands seen in a lane they did not change)");
        falseRate = falseRate.invalid();
      } else if (falseRate.ok() && hit.ok() && !(falseRate.get() < hit.get())) {
        falseRate.reject("must be below handHitRate (" + hit.get() + "): a hand seen in a lane must say "
            + "more about the taker than about a bystander");
        falseRate = falseRate.invalid();
      }
      Val<Double> contacts = o.number("handContactPrecision");
      if (contacts.ok() && !(contacts.get() > 0 && contacts.get() < 1)) {
        contacts.reject("must be above 0 and below 1 (the share of hand contacts between a shopper holding items and "
            + "one holding none that really passed an item over)");
        contacts = contacts.invalid();
      }
      return threshold.ok() && policy != null && staffOk && hit.ok() && falseRate.ok() && contacts.ok()
          ? new StoreConfig.Checkout(threshold.get(), policy, prefixes, hit.get(), falseRate.get(), contacts.get())
          : null;
    }

    // ---- storage ----

    private Storage storage(Obj o) {
      Val<Path> database = o.path("database");
      Val<Long> maxBytes = maxBytes(o);
      if (maxBytes.ok() && maxBytes.get() < MIB) {
        maxBytes.reject("must be at least 1MiB (" + MIB + " bytes)");
        maxBytes = maxBytes.invalid();
      }
      return database.ok() && maxBytes.ok() ? new Storage(database.get(), maxBytes.get()) : null;
    }

    private Val<Long> maxBytes(Obj o) {
      Node raw = o.raw("maxBytes");
      if (raw instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
        return o.integer("maxBytes");
      }
      if (raw != null && !(raw instanceof ScalarNode)) {
        return r.rejected(raw, ConfigReader.child(o.path, "maxBytes"), "must be a size such as 512MiB");
      }
      Val<String> text = o.text("maxBytes");
      if (!text.ok()) {
        return text.with(null);
      }
      try {
        return text.with(parseByteSize(text.get()));
      } catch (IllegalArgumentException e) {
        text.reject(e.getMessage());
        return text.with(null);
      }
    }
  }
}
