package org.storeedge.simulator.camera;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;

/** The example store, and matching of detections against rendered ground truth. */
final class CameraTestSupport {
  private CameraTestSupport() {}

  static StoreConfig demoStore() {
    try {
      return new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(Path.of("../config/examples/demo-store.yaml"));
    } catch (Exception e) {
      throw new IllegalStateException("cannot load the example store: " + e, e);
    }
  }

  /** Counts at IoU >= 0.5: true positives, false positives, missed clearly visible persons. */
  record Score(int tp, int fp, int fn) {
    Score plus(Score o) {
      return new Score(tp + o.tp, fp + o.fp, fn + o.fn);
    }

    double precision() {
      return tp + fp == 0 ? 1 : (double) tp / (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? 1 : (double) tp / (tp + fn);
    }
  }

  /**
   * Greedy matching by score: a detection with IoU >= 0.5 to an unmatched clearly visible person
   * is a true positive; one that overlaps (IoU >= 0.3) a person that is in view but not clearly
   * visible is not counted; any other is a false positive.
   */
  static Score score(List<Detection> detections, RenderedFrame truth) {
    List<BoundingBox> gt = new ArrayList<>();
    List<BoundingBox> ignored = new ArrayList<>();
    for (PersonTruth p : truth.persons()) {
      (p.clearlyVisible() ? gt : ignored).add(p.box());
    }
    boolean[] matched = new boolean[gt.size()];
    int tp = 0, fp = 0;
    List<Detection> sorted = new ArrayList<>(detections);
    sorted.sort((a, b) -> Float.compare(b.score(), a.score()));
    for (Detection d : sorted) {
      int best = -1;
      double bestIou = 0.5;
      for (int i = 0; i < gt.size(); i++) {
        double iou = d.box().iou(gt.get(i));
        if (!matched[i] && iou >= bestIou) {
          best = i;
          bestIou = iou;
        }
      }
      if (best >= 0) {
        matched[best] = true;
        tp++;
      } else if (ignored.stream().noneMatch(b -> d.box().iou(b) >= 0.3)) {
        fp++;
      }
    }
    int fn = 0;
    for (boolean m : matched) {
      fn += m ? 0 : 1;
    }
    return new Score(tp, fp, fn);
  }
}
