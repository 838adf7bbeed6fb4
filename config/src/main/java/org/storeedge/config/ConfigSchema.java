package org.storeedge.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every key a store file may contain, with its type, default, constraint and description: the one
 * place these live. {@link StoreConfigLoader} takes its accepted keys, required keys and literal
 * defaults from here, and {@code docs/config-reference.md} carries the tables rendered by
 * {@link Section#markdownTable()} (a test keeps the two equal).
 */
public final class ConfigSchema {
  private ConfigSchema() {}

  /** The id character set used by store, gateway and MQTT client ids. */
  public static final String ID_CHARSET = "[A-Za-z0-9._-]+";

  /**
   * One key of a section.
   *
   * @param defaultYaml the default as YAML text, parsed exactly like a written value; null when
   *     the key is required, has no default, or its default is derived ({@code defaultDoc})
   * @param defaultDoc how the default reads in the reference (derived defaults, "none"); null when
   *     {@code defaultYaml} says it all or the key is required
   */
  public record Field(String name, String type, boolean required, String defaultYaml, String defaultDoc,
      String constraint, String description) {

    /** The default column of the reference table. */
    public String defaultText() {
      if (required) {
        return "required";
      }
      if (defaultYaml != null) {
        return "`" + defaultYaml + "`";
      }
      return defaultDoc == null ? "none" : defaultDoc;
    }
  }

  /**
   * The keys of one mapping in the file.
   *
   * @param path how the mapping is named in key paths with list indices left out, e.g.
   *     {@code shelves[].lanes[]}; empty for the top level
   * @param forbidden keys that are refused with a specific message instead of "unknown key"
   */
  public record Section(String path, String title, List<Field> fields, Map<String, String> forbidden) {
    public Section {
      fields = List.copyOf(fields);
      forbidden = Map.copyOf(forbidden);
    }

    public Optional<Field> find(String name) {
      return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The field named {@code name}; asking for an undeclared one is a programming error. */
    public Field field(String name) {
      return find(name).orElseThrow(() -> new IllegalArgumentException("no key " + name + " in section '" + path + "'"));
    }

    public List<String> keys() {
      return fields.stream().map(Field::name).toList();
    }

    /** Full documented path of a key, e.g. {@code shelves[].lanes[].capacity}. */
    public String pathOf(String name) {
      return path.isEmpty() ? name : path + "." + name;
    }

    /** The reference table of this section, as it appears in {@code docs/config-reference.md}. */
    public String markdownTable() {
      StringBuilder b = new StringBuilder();
      b.append("| Key | Type | Default | Constraint | Description |\n");
      b.append("|---|---|---|---|---|\n");
      for (Field f : fields) {
        b.append("| `").append(pathOf(f.name())).append("` | ").append(f.type()).append(" | ")
            .append(f.defaultText()).append(" | ").append(f.constraint()).append(" | ")
            .append(f.description()).append(" |\n");
      }
      return b.toString();
    }
  }

  private static Field required(String name, String type, String constraint, String description) {
    return new Field(name, type, true, null, null, constraint, description);
  }

  private static Field optional(String name, String type, String defaultYaml, String constraint, String description) {
    return new Field(name, type, false, defaultYaml, null, constraint, description);
  }

  private static Field derived(String name, String type, String defaultDoc, String constraint, String description) {
    return new Field(name, type, false, null, defaultDoc, constraint, description);
  }

  public static final Section ROOT = new Section("", "Top level", List.of(
      required("store", "map", "see `store`", "Identity of the store and of this gateway."),
      required("catalog", "list of maps", "at least 1 entry", "Products sold in the store."),
      required("shelves", "list of maps", "at least 1 entry", "Weight shelves and their lanes (the planogram)."),
      required("devices", "list of maps", "at least 1 entry", "Devices that read shelves or gates, each with a driver `type`."),
      required("gates", "list of maps", "at least 1 entry", "Entry and exit gates where shoppers check in and out."),
      optional("sync", "map", "{}", "see `sync`", "Cloud uplink over MQTT; absent means all defaults (no broker, no uplink)."),
      optional("storage", "map", "{}", "see `storage`", "Local storage of the outbox."),
      optional("cameras", "list of maps", "[]", "see `cameras[]`", "Cameras that watch the store floor; each runs a vision pipeline."),
      optional("checkout", "map", "{}", "see `checkout`", "The store's checkout policy: when a receipt goes to review, who pays for a handed-over item.")), Map.of());

  public static final Section STORE = new Section("store", "Store", List.of(
      required("id", "string", "`" + ID_CHARSET + "`", "Store id; part of every MQTT topic and receipt."),
      required("gatewayId", "string", "`" + ID_CHARSET + "`", "Id of this gateway within the store."),
      optional("currency", "string", "EUR", "ISO 4217 code, 3 upper-case letters", "Currency of all prices in the store."),
      optional("timezone", "string", "UTC", "a `java.time.ZoneId`, e.g. `Europe/Berlin`", "Time zone of the store's business day.")),
      Map.of());

  public static final Section PRODUCT = new Section("catalog[]", "Catalog entry", List.of(
      required("sku", "string", "unique in the catalog", "Stock keeping unit, the product's id."),
      required("name", "string", "not blank", "Name printed on receipts."),
      required("unitWeight", "number", "> 0", "Mean weight of one unit, grams."),
      optional("weightSpread", "number", "0", ">= 0, less than `unitWeight`", "Standard deviation of one unit's weight, grams."),
      required("price", "integer", ">= 0", "Price of one unit in minor currency units (cents)."),
      derived("currency", "string", "`store.currency`", "equal to `store.currency`",
          "Currency of `price`; one currency per store.")), Map.of());

  public static final Section SHELF = new Section("shelves[]", "Shelf", List.of(
      required("id", "string", "unique among shelves", "Shelf id."),
      required("device", "string", "id of an entry in `devices`", "The weight device that reads this shelf's lanes."),
      required("lanes", "list of maps", "at least 1 entry", "Lanes of the shelf."),
      derived("facing", "string or number", "inferred: see below", "`+x`, `-x`, `+y`, `-y`, or degrees (0 = `+x`, 90 = `+y`)",
          "Which way the shelf's front faces on the store floor: the side shoppers stand on to take from it.")), Map.of());

  /**
   * Lightest product a weight lane sells: the shelf's change detector reports changes of 4 g and
   * more (DetectorSettings' floor); one unit must weigh half as much again to be seen reliably
   * among a plate's noise (simulated with published HX711 and load-cell figures: a 4.5 g unit
   * went uncharged now and then, 6 g never).
   */
  public static final double MIN_LANE_UNIT_GRAMS = 6.0;

  /**
   * Closest two lanes of one shelf should stand on the floor, metres (centre to centre); closer is
   * a warning. The checkout tells a shelf's lanes apart by where a shopper stood, and no lane is a
   * few centimetres wide: two lanes of a shelf closer than this are most likely a position copied
   * with the line. Lanes of different shelves may share a spot (the stacked shelves of a fridge or
   * a gondola).
   */
  public static final double MIN_LANE_SPACING_METRES = 0.05;

  public static final Section LANE = new Section("shelves[].lanes[]", "Lane", List.of(
      required("id", "string", "unique among all lanes of the store", "Lane id."),
      required("sku", "string", "a `sku` of `catalog` whose `unitWeight` is at least 6 g", "The product the planogram places here."),
      required("capacity", "integer", "> 0", "Units the lane holds when full."),
      derived("initialStock", "integer", "`capacity`", "0 to `capacity`", "Units on the lane at start."),
      required("channel", "string", "unique per device; numbers are kept as text",
          "The device channel that reads this lane (load cell index, OPC UA node key, ...)."),
      required("position", "position", "see `position`; less than " + MIN_LANE_SPACING_METRES
          + " m from another lane of its shelf is a warning", "Lane centre on the store floor.")), Map.of());

  public static final Section POSITION = new Section("position", "Position (lanes and gates)", List.of(
      required("x", "number", "finite", "Metres along the store's x axis."),
      required("y", "number", "finite", "Metres along the store's y axis.")), Map.of());

  public static final Section DEVICE = new Section("devices[]", "Device", List.of(
      required("id", "string", "unique among devices", "Device id, named by shelves and gates."),
      required("type", "string", "a driver type known to the agent", "Driver that runs the device, e.g. `hx711`, `opcua`, `simulated-shelf`."),
      optional("settings", "map", "{}", "checked by the driver of `type`", "The driver's own settings; see the driver's documentation.")),
      Map.of());

  /**
   * Closest a gate should stand to a lane's centre, metres; closer is a warning. Shoppers stand
   * about half a metre in front of a lane to take from it (where the simulator stands them); a gate
   * closer than that stands on the shelf or on that spot, so a shopper checking in would look like
   * one taking (and the middle of the store, towards which shelves without a facing turn, counts
   * gates as open floor). The closest gate of the shipped examples is 1.08 m from a lane; a gate
   * beside the end of a shelf is half a gate's width plus half a lane's width from its nearest
   * lane, or more.
   */
  public static final double MIN_GATE_TO_LANE_METRES = 0.5;

  public static final Section GATE = new Section("gates[]", "Gate", List.of(
      required("id", "string", "unique among gates", "Gate id."),
      required("position", "position", "see `position`; less than " + MIN_GATE_TO_LANE_METRES
          + " m from a lane is a warning", "Gate centre on the store floor."),
      derived("device", "string", "none", "id of an entry in `devices`", "Device that reports this gate's events, if any.")),
      Map.of());

  public static final Section SYNC = new Section("sync", "Sync", List.of(
      optional("brokers", "list of strings", "[]", "URIs with scheme tcp, ssl, mqtt, mqtts, ws or wss and a host",
          "MQTT brokers in failover order; empty means no uplink (receipts stay in the outbox)."),
      derived("clientId", "string", "`<store.id>-<store.gatewayId>`", "`" + ID_CHARSET + "`", "MQTT client id."),
      optional("topicRoot", "string", "storeedge/v1", "no `+` or `#`, no leading, trailing or double `/`",
          "Topics are `topicRoot/storeId/gatewayId/...`."),
      optional("tls", "map", "{}", "see `sync.tls`", "TLS material by file reference."),
      optional("credentials", "map", "{}", "see `sync.credentials`", "MQTT username and password file."),
      optional("keepAliveSeconds", "integer", "30", "1 to 3600", "MQTT keep-alive interval, seconds."),
      optional("sessionExpirySeconds", "integer", "604800", "0 to 4294967295",
          "MQTT 5 session expiry, seconds; the broker keeps queued messages this long.")), Map.of());

  private static final String EXISTING_FILE = "an existing file; relative to the store file's directory";

  public static final Section TLS = new Section("sync.tls", "TLS", List.of(
      derived("caFile", "path", "none (system trust store)", EXISTING_FILE, "PEM certificate(s) of the CA that signed the broker's certificate."),
      derived("certFile", "path", "none", EXISTING_FILE + "; needs `keyFile`", "PEM client certificate for mutual TLS."),
      derived("keyFile", "path", "none", EXISTING_FILE + "; needs `certFile`", "PEM private key of `certFile`."),
      derived("keyStore", "path", "none", EXISTING_FILE + "; not with `certFile`", "PKCS#12 key store holding the client certificate and key."),
      derived("keyStorePasswordFile", "path", "none", EXISTING_FILE + "; needs `keyStore`", "File whose first line is the key store password.")),
      Map.of());

  public static final Section CREDENTIALS = new Section("sync.credentials", "Credentials", List.of(
      derived("username", "string", "none", "not blank", "MQTT username."),
      derived("passwordFile", "path", "none", EXISTING_FILE, "File whose first line is the MQTT password.")),
      Map.of("password", "inline passwords are not accepted: put the password in a file and set sync.credentials.passwordFile"));

  public static final Section STORAGE = new Section("storage", "Storage", List.of(
      optional("database", "path", "data/storeedge.db", "relative to the store file's directory", "SQLite database file of the outbox."),
      optional("maxBytes", "size", "1GiB", ">= 1MiB; bytes or a number with B, kB, KB, MB, GB, TB, KiB, MiB, GiB, TiB",
          "Cap on the outbox size on disk.")), Map.of());

  public static final Section CHECKOUT = new Section("checkout", "Checkout", List.of(
      optional("reviewThreshold", "number", "0.8", "0.5 to 0.99",
          "A receipt line charged with a lower probability (who took it, what, how many) flags the receipt for review. "
          + "Higher: more reviews, fewer wrong charges nobody looked at; lower: the reverse. Measured: 0.95 about halves "
          + "the wrong charges nobody looked at for 4-6 points more review (docs/benchmarks.md); from 0.95 up, a pick "
          + "while the cameras had lost the only shopper inside (charged at 0.95) is always flagged too."),
      optional("handOffs", "string", "review", "`review`, `review-meetings` or `taker-pays`",
          "`review`: two shoppers who may have passed an item over (standing side by side, or hands meeting) get both "
          + "receipts flagged; the item stays with whoever took it from the shelf until a reviewer moves it. With cameras "
          + "that see hands, only hands seen meeting count. `review-meetings`: as `review`, and standing side by side "
          + "counts with cameras that see hands too (they miss some contacts): more reviews, fewer silent wrong charges "
          + "(measured in docs/benchmarks.md). "
          + "`taker-pays`: whoever takes an item from a shelf pays for it, whoever walks out with it (say so at the door); "
          + "hand-offs flag nothing."),
      optional("staffTokenPrefixes", "list of strings", "[]", "each not blank",
          "A token starting with one of these (e.g. `staff-`) checks in a member of staff: what they take from a shelf is "
          + "a removal and what they put on one a restock (stock is updated), never a charge; they get no receipt."),
      optional("handHitRate", "number", "0.9", "above 0, below 1",
          "Only with cameras that see hands (`cameras[].hands`): the share of takers' hands the cameras see in the lane "
          + "they take from, as measured on this installation. The higher, the less an unseen hand counts: a shopper "
          + "standing beside a taker whose hand was not seen is less often flagged as maybe having had a hand in too."),
      optional("handFalseRate", "number", "0.05", "above 0, below `handHitRate`",
          "Only with cameras that see hands: the share of bystanders' hands seen in a lane they did not change "
          + "(browsing, touching, a hand given to the wrong body). Also taken as the chance that a hand is joined to the "
          + "wrong one of two people within 0.8 m of each other: a hand seen on one of them then counts about "
          + "(1 - false) / false against the other, not as if the other's hand had simply been missed. And when a hand "
          + "is seen on a shopper while another stood clearly nearer the lane, the charge follows the hand, unreviewed "
          + "only if this rate makes a wrong body or a wrong lane unlikely enough against the nearer position: never with "
          + "the defaults; at 0.01 (with `handHitRate` 0.99) for most reaches past a neighbour."),
      optional("handContactPrecision", "number", "0.5", "above 0, below 1",
          "Only with cameras that see hands, and `handOffs` `review` or `review-meetings`: the share of the hand "
          + "contacts the cameras report between a shopper holding items and one holding none that really passed an "
          + "item over, as measured on this installation. Above 0.5, such a contact moves one unit to the empty-handed "
          + "shopper's receipt when the other held one product only, charged at this probability times the taker's "
          + "line: both receipts go out unflagged from `reviewThreshold` up (if the taker held one unit), flagged below "
          + "it. A contact whose camera says who gave (and what) is held to the same precision and moves one unit of "
          + "that product from the giver, whatever the other held, if the giver held it then. At 0.5 or below (the "
          + "default) nothing moves: the item stays with the taker and both receipts are flagged. Measured in "
          + "docs/benchmarks.md.")),
      Map.of());

  /** Largest pixel coordinate accepted in a camera calibration. */
  public static final double MAX_IMAGE_COORDINATE = 10000;

  /** Fewest point pairs of a camera calibration (a homography needs 4). */
  public static final int MIN_CALIBRATION_POINTS = 4;

  public static final Section CAMERA = new Section("cameras[]", "Camera", List.of(
      required("id", "string", "`" + ID_CHARSET + "`; unique among cameras", "Camera id; named in observations and camera faults."),
      required("type", "string", "a camera type known to the agent", "Frame source that reads the camera, e.g. `opencv`."),
      required("source", "string", "not blank", "Where frames come from: a device (`/dev/video0` or an index), a video or image file, or a stream URL; used as written."),
      optional("fps", "number", "5", "> 0", "Most frames per second the pipeline processes."),
      optional("model", "string", "ssd-mobilenetv2-oidv4", "a model in the agent's models directory", "Detector model that finds persons in the frames. A version installed on the gateway by the signed "
          + "`model-update` command is used in place of the shipped model of that name."),
      required("calibration", "map", "see `cameras[].calibration`", "Reference points that map the image to the store floor."),
      derived("hands", "map", "none", "see `cameras[].hands`", "Where hands inside a lane's shelf face count as that lane's interactions: found by the camera's own "
          + "model (a hand class) or by a hand model of their own (`hands.model`)."),
      optional("settings", "map", "{}", "checked by the camera's `type`", "The frame source's own settings; `source` and `fps` above take precedence."),
      optional("appearance", "string", "clothing-colours", "`clothing-colours` or `off`", "What the camera reads of a tracked shopper "
          + "besides where they are. `clothing-colours`: a colour histogram of each shopper's box (clothes, hair; no faces, no shapes), "
          + "held in memory while the track lives and never stored or sent, so that the tracker keeps two shoppers apart when they "
          + "meet and a shopper keeps their customer token from one camera to the next. `off`: boxes and positions only.")),
      Map.of());

  /** Fewest points of a shelf face polygon. */
  public static final int MIN_SHELF_FACE_POINTS = 3;

  public static final Section HANDS = new Section("cameras[].hands", "Camera hands", List.of(
      derived("model", "string", "the camera's `model`", "a model name under vision/models or a model directory",
          "A separate hand model, run on a square crop around each shelf face of every frame (a hand in a whole "
          + "shelf camera's frame is too small for a 192x192 model), e.g. `mediapipe-palm`. Without it, the camera's own "
          + "model must have a hand class."),
      optional("label", "string", "hand", "not blank", "Detection label of a hand in the camera's model; with `model`, "
          + "every hand the hand model finds gets this label."),
      optional("minScore", "number", "0.3", "0 to 1", "Lowest detection score a hand counts with."),
      required("shelfFaces", "list", "at least 1; each lane at most once", "The front of each lane as this camera sees it.")),
      Map.of());

  public static final Section SHELF_FACE = new Section("cameras[].hands.shelfFaces[]", "Shelf face", List.of(
      required("lane", "string", "a lane id of `shelves`", "The lane whose front this is."),
      required("points", "list of [x, y] pairs", "at least " + MIN_SHELF_FACE_POINTS + " pairs; each coordinate 0 to 10000",
          "Polygon around the lane's front in the camera image, pixels.")), Map.of());

  public static final Section CALIBRATION = new Section("cameras[].calibration", "Camera calibration", List.of(
      required("image", "list of [x, y] pairs", "at least " + MIN_CALIBRATION_POINTS + " pairs; each coordinate 0 to 10000",
          "Reference points in the camera image, pixels."),
      required("floor", "list of [x, y] pairs", "as many pairs as `image`; finite",
          "The same points on the store floor, metres, in the same order.")), Map.of());

  /** Every section, in the order of the reference. */
  public static List<Section> sections() {
    return List.of(ROOT, STORE, PRODUCT, SHELF, LANE, POSITION, DEVICE, GATE, SYNC, TLS, CREDENTIALS, STORAGE, CHECKOUT, CAMERA, CALIBRATION, HANDS, SHELF_FACE);
  }

  /** Every documented key path, e.g. {@code shelves[].lanes[].capacity}, by section. */
  public static Map<String, List<String>> keyPaths() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Section s : sections()) {
      out.put(s.path(), s.fields().stream().map(f -> s.pathOf(f.name())).collect(Collectors.toList()));
    }
    return out;
  }
}
