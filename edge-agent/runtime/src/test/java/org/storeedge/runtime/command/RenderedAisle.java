package org.storeedge.runtime.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.storeedge.config.StoreConfig;
import org.storeedge.simulator.camera.CameraPoses;
import org.storeedge.simulator.camera.RenderedFrame;
import org.storeedge.simulator.camera.ShopperFigure;
import org.storeedge.simulator.camera.SimulatedCameraRenderer;
import org.storeedge.vision.Frame;
import org.storeedge.vision.geometry.CameraPose;
import org.storeedge.vision.geometry.LaneZones;
import org.storeedge.vision.geometry.Point2;
import org.storeedge.vision.geometry.SimulatedCamera;
import org.storeedge.vision.geometry.Zone;

/**
 * A camera of the {@link TestGateway} store as the simulator renders it: 320x240, looking at the
 * lane zone of {@code a1} from the aisle, with or without a shopper standing in that zone. Writes
 * what an {@code opencv} camera can read (a PNG still, an MPEG-4 clip) and the store file's
 * {@code cameras} entry with a calibration taken from the camera's exact floor projection.
 */
final class RenderedAisle {
  static final int WIDTH = 320;
  static final int HEIGHT = 240;
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  final SimulatedCameraRenderer renderer;
  final SimulatedCamera camera;
  /** Where the shopper stands: the centre of lane a1's zone, floor metres. */
  final Point2 spot;

  RenderedAisle(StoreConfig store) {
    Zone a1 = LaneZones.defaults().build(store).stream().filter(z -> z.id().equals("a1")).findFirst().orElseThrow();
    double cx = a1.vertices().stream().mapToDouble(Point2::x).average().orElseThrow();
    double cy = a1.vertices().stream().mapToDouble(Point2::y).average().orElseThrow();
    spot = new Point2(cx, cy);
    assertThat(a1.contains(spot)).isTrue();
    CameraPose pose = CameraPoses.looking(cx - 1.3, cy + 2.6, 2.6, cx, cy,
        CameraPose.focalForHorizontalFov(WIDTH, 70), WIDTH, HEIGHT);
    renderer = new SimulatedCameraRenderer("cam-1", pose, store, 7, SimulatedCameraRenderer.Look.CLEAN);
    camera = new SimulatedCamera(pose);
  }

  RenderedFrame render(boolean shopper, long sequence) {
    List<ShopperFigure> figures = shopper ? List.of(ShopperFigure.standing("s-1", spot.x(), spot.y())) : List.of();
    return renderer.render(figures, T0.plusMillis(100 * sequence), sequence);
  }

  /** The frame as a lossless PNG (an opencv camera on a still image). */
  static Path png(Frame f, Path file) throws Exception {
    BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    System.arraycopy(f.bgr(), 0, dst, 0, dst.length);
    assertThat(ImageIO.write(img, "png", file.toFile())).isTrue();
    return file;
  }

  /** A 10 fps clip: {@code withShopper} frames of the shopper in the zone, then {@code empty} frames of the empty aisle. */
  Path video(Path file, int withShopper, int empty) throws Exception {
    try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toString(), WIDTH, HEIGHT, 0)) {
      rec.setFormat("mp4");
      rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      rec.setFrameRate(10);
      rec.setVideoQuality(2);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.start();
      for (int i = 0; i < withShopper + empty; i++) {
        Frame f = render(i < withShopper, i).frame();
        org.bytedeco.javacv.Frame out = new org.bytedeco.javacv.Frame(WIDTH, HEIGHT, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3);
        ByteBuffer b = (ByteBuffer) out.image[0];
        int stride = out.imageStride;
        for (int y = 0; y < HEIGHT; y++) {
          b.position(y * stride);
          b.put(f.bgr(), y * WIDTH * 3, WIDTH * 3);
        }
        b.rewind();
        rec.record(out, avutil.AV_PIX_FMT_BGR24);
      }
      rec.stop();
    }
    return file;
  }

  /** The store file's cameras section: one opencv camera on {@code source}, calibrated from four floor marks. */
  String camerasYaml(String source, String model, boolean loop) {
    double[][] floor = {{spot.x() - 0.6, spot.y() - 0.6}, {spot.x() + 0.6, spot.y() - 0.6},
        {spot.x() + 0.6, spot.y() + 0.6}, {spot.x() - 0.6, spot.y() + 0.6}};
    StringBuilder img = new StringBuilder();
    StringBuilder flo = new StringBuilder();
    for (double[] p : floor) {
      Point2 px = camera.projectFloor(p[0], p[1]).orElseThrow();
      assertThat(camera.inImage(px)).as("floor mark %s in the image", List.of(p[0], p[1])).isTrue();
      img.append(img.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "[%.3f, %.3f]", px.x(), px.y()));
      flo.append(flo.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "[%.3f, %.3f]", p[0], p[1]));
    }
    return """
        cameras:
          - id: cam-1
            type: opencv
            source: "%s"
            fps: 5
            model: %s
            settings: { loop: %s }
            calibration:
              image: [ %s ]
              floor: [ %s ]
        """.formatted(source, model, loop, img, flo);
  }
}
