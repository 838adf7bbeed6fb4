package org.storeedge.sync.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Lane calibrations in the state database (table {@code lane_calibration}). {@link #save}
 * returns once the row is on disk; safe from any thread.
 */
public final class CalibrationStore {
  private final StateDatabase db;

  public CalibrationStore(StateDatabase db) {
    this.db = db;
  }

  /** Every stored calibration by lane id. */
  public Map<String, LaneCalibration> loadAll() {
    return db.inTransaction(c -> {
      Map<String, LaneCalibration> m = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT lane_id, zero_grams, gain, updated_ms, last_step FROM lane_calibration ORDER BY lane_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          m.put(rs.getString(1), new LaneCalibration(rs.getString(1), rs.getDouble(2), rs.getDouble(3), rs.getLong(4),
              rs.getString(5)));
        }
      }
      return m;
    });
  }

  public Optional<LaneCalibration> load(String laneId) {
    return Optional.ofNullable(loadAll().get(laneId));
  }

  /** Inserts or replaces the lane's calibration; durable on return. */
  public void save(LaneCalibration cal) {
    db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO lane_calibration(lane_id, zero_grams, gain, updated_ms, last_step) VALUES (?,?,?,?,?) "
              + "ON CONFLICT(lane_id) DO UPDATE SET zero_grams=excluded.zero_grams, gain=excluded.gain, "
              + "updated_ms=excluded.updated_ms, last_step=excluded.last_step")) {
        ps.setString(1, cal.laneId());
        ps.setDouble(2, cal.zeroGrams());
        ps.setDouble(3, cal.gain());
        ps.setLong(4, cal.updatedMillis());
        ps.setString(5, cal.lastStep());
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** Removes the lane's calibration (back to no correction); true if there was one. */
  public boolean delete(String laneId) {
    return db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM lane_calibration WHERE lane_id=?")) {
        ps.setString(1, laneId);
        return ps.executeUpdate() > 0;
      }
    });
  }
}
