package org.storeedge.runtime.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.storeedge.config.ConfigSchema;
import org.storeedge.config.StoreConfig;

/**
 * Which product each lane holds, as sent by a {@code planogram-update}:
 *
 * <pre>
 * {"lanes": [{"laneId": "a1", "sku": "COLA-330", "capacity": 12}, ...]}
 * </pre>
 *
 * <p>Lanes not listed keep what the store file says; {@code capacity} is optional (kept when
 * absent). Stored next to the store file as {@code FILE.planogram.json} ({@link #fileFor}) and laid
 * over the store file at every start, so it survives restarts; a {@code config-update} replaces
 * the whole store file and drops the overlay (the new file carries its own planogram).
 */
public record Planogram(List<Assignment> lanes) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Assignment(String laneId, String sku, Integer capacity) {}

  public Planogram {
    lanes = List.copyOf(lanes);
  }

  public static Path fileFor(Path storeFile) {
    return storeFile.resolveSibling(storeFile.getFileName() + ".planogram.json");
  }

  /** Parses and checks against {@code config}; every problem is listed at once. */
  public static Planogram parse(byte[] json, StoreConfig config) throws CommandRejected {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new CommandRejected("invalid", "planogram is not JSON: " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    List<Assignment> out = new ArrayList<>();
    JsonNode lanes = n == null ? null : n.get("lanes");
    if (lanes == null || !lanes.isArray()) {
      throw new CommandRejected("invalid", "planogram must be an object with a 'lanes' array");
    }
    Map<String, StoreConfig.Product> products = config.productsBySku();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < lanes.size(); i++) {
      JsonNode l = lanes.get(i);
      String at = "lanes[" + i + "]";
      String laneId = l.path("laneId").asText("");
      String sku = l.path("sku").asText("");
      if (config.lane(laneId).isEmpty()) {
        problems.add(at + ".laneId: unknown lane (got: '" + laneId + "')");
      } else if (!seen.add(laneId)) {
        problems.add(at + ".laneId: lane listed twice (got: '" + laneId + "')");
      }
      if (!products.containsKey(sku)) {
        problems.add(at + ".sku: not in the catalog (got: '" + sku + "')");
      } else if (products.get(sku).unitWeightGrams() < ConfigSchema.MIN_LANE_UNIT_GRAMS) {
        problems.add(at + ".sku: one unit weighs " + products.get(sku).unitWeightGrams() + " g, less than the "
            + ConfigSchema.MIN_LANE_UNIT_GRAMS + " g a weight lane can sell (got: '" + sku + "')");
      }
      Integer capacity = null;
      if (l.has("capacity")) {
        JsonNode c = l.get("capacity");
        if (!c.canConvertToInt() || !c.isIntegralNumber() || c.asInt() <= 0) {
          problems.add(at + ".capacity: must be an integer > 0 (got: " + c + ")");
        } else {
          capacity = c.asInt();
        }
      }
      out.add(new Assignment(laneId, sku, capacity));
    }
    if (!problems.isEmpty()) {
      throw new CommandRejected("invalid", problems.size() + " problem(s) in the planogram", problems);
    }
    return new Planogram(out);
  }

  /** Reads the overlay next to {@code storeFile}, if any, checked against {@code config}. */
  public static java.util.Optional<Planogram> load(Path storeFile, StoreConfig config) throws IOException, CommandRejected {
    try {
      return java.util.Optional.of(parse(Files.readAllBytes(fileFor(storeFile)), config));
    } catch (NoSuchFileException e) {
      return java.util.Optional.empty();
    }
  }

  /** {@code config} with these lanes' sku (and capacity) replaced; initial stock is capped at capacity. */
  public StoreConfig applyTo(StoreConfig config) {
    Map<String, Assignment> by = new java.util.HashMap<>();
    lanes.forEach(a -> by.put(a.laneId(), a));
    List<StoreConfig.Shelf> shelves = new ArrayList<>();
    for (StoreConfig.Shelf s : config.shelves()) {
      List<StoreConfig.Lane> ls = new ArrayList<>();
      for (StoreConfig.Lane l : s.lanes()) {
        Assignment a = by.get(l.id());
        if (a == null) {
          ls.add(l);
        } else {
          int cap = a.capacity() != null ? a.capacity() : l.capacity();
          ls.add(new StoreConfig.Lane(l.id(), a.sku(), cap, Math.min(l.initialStock(), cap), l.channel(), l.position()));
        }
      }
      shelves.add(s.withLanes(ls));
    }
    return config.withShelves(shelves);
  }
}
