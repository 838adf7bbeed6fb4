package org.storeedge.vision.track;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;
import org.storeedge.vision.track.TrackingMetrics.LabelledBox;

/**
 * People walking straight lines in image space, seen by an imperfect detector: seeded box noise,
 * scores, a person mostly hidden behind a nearer one (larger bottom y) is not detected or only
 * with a low score, optional occluder interval and false-positive flicker.
 */
final class SyntheticScene {
  record Walker(long id, double x0, double y0, double vx, double vy, double w, double h) {
    BoundingBox at(double t) {
      return BoundingBox.ofCentre(x0 + vx * t, y0 + vy * t, w, h);
    }
  }

  final List<Walker> walkers = new ArrayList<>();
  final Random rnd;
  double noisePx = 2;
  long hiddenFromMillis = -1;
  long hiddenToMillis = -1;
  long hiddenId = -1;
  BoundingBox flicker; // false positive shown every other frame
  int fps = 10;

  SyntheticScene(long seed) {
    rnd = new Random(seed);
  }

  List<LabelledBox> truthAt(long millis) {
    List<LabelledBox> out = new ArrayList<>();
    for (Walker w : walkers) {
      out.add(new LabelledBox(w.id, w.at(millis / 1000.0)));
    }
    return out;
  }

  List<Detection> detectionsAt(long millis, int frame) {
    double t = millis / 1000.0;
    List<Detection> out = new ArrayList<>();
    for (Walker w : walkers) {
      if (w.id == hiddenId && millis >= hiddenFromMillis && millis <= hiddenToMillis) {
        continue;
      }
      BoundingBox b = w.at(t);
      float score = 0.75f + 0.2f * rnd.nextFloat();
      for (Walker o : walkers) {
        BoundingBox ob = o.at(t);
        if (o != w && ob.bottom() > b.bottom() && b.iou(ob) > 0.3) { // behind someone
          score = b.iou(ob) > 0.6 ? -1 : 0.3f; // mostly hidden: missed; partly: low score
        }
      }
      if (score < 0) {
        continue;
      }
      out.add(new Detection("person", score, BoundingBox.ofCentre(b.centreX() + rnd.nextGaussian() * noisePx,
          b.centreY() + rnd.nextGaussian() * noisePx, b.w() + rnd.nextGaussian() * noisePx,
          b.h() + rnd.nextGaussian() * noisePx)));
    }
    if (flicker != null && frame % 2 == 0) {
      out.add(new Detection("person", 0.9f, flicker));
    }
    return out;
  }

  /** Runs the scene through a tracker, scoring it; returns the metrics. */
  TrackingMetrics.Result run(ByteTracker tracker, long durationMillis, List<List<Track>> outputs) {
    TrackingMetrics metrics = new TrackingMetrics(0.5);
    int frame = 0;
    for (long ms = 0; ms <= durationMillis; ms += 1000 / fps, frame++) {
      List<Track> tracks = tracker.update(detectionsAt(ms, frame), ms);
      if (outputs != null) {
        outputs.add(tracks);
      }
      List<LabelledBox> hyp = new ArrayList<>();
      for (Track tr : tracks) {
        if (tr.visible()) {
          hyp.add(new LabelledBox(tr.id(), tr.box()));
        }
      }
      metrics.addFrame(truthAt(ms), hyp);
    }
    return metrics.result();
  }
}
