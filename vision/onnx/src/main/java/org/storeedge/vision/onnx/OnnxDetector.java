package org.storeedge.vision.onnx;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_dnn.DNN_LAYOUT_NCHW;
import static org.bytedeco.opencv.global.opencv_dnn.DNN_LAYOUT_NHWC;
import static org.bytedeco.opencv.global.opencv_dnn.DNN_PMODE_NULL;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImageWithParams;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_dnn.Image2BlobParams;
import org.storeedge.vision.BoundingBox;
import org.storeedge.vision.Detection;
import org.storeedge.vision.Detector;
import org.storeedge.vision.Frame;

/**
 * A {@link Detector} running an ONNX model in ONNX Runtime, configured by a {@link
 * DetectorConfig}.
 *
 * <pre>
 *  Frame (BGR bytes) -> Mat -> resize (+ letterbox border) -> blobFromImageWithParams
 *     (colour swap, (x - mean) * scale, float, NCHW|NHWC) -> session.run -> decoder (SSD|YOLO)
 *     -> score threshold -> NMS -> boxes mapped back to frame pixels -> Detections
 * </pre>
 *
 * <p>Threads: one ONNX Runtime session and one set of native image buffers per detector, reused
 * across frames, so {@link #detect} must be called from one thread at a time (the pipeline's
 * inference thread). The session's own intra-op pool has {@code config.intraOpThreads()}
 * threads. {@link #close} releases the session and buffers, after the last detect; closing again does nothing.
 *
 * <p>Failures: a frame the model cannot run raises {@link IllegalStateException} naming the
 * model and the frame; the detector stays usable.
 */
public final class OnnxDetector implements Detector {
  private final DetectorConfig config;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;
  private final List<String> outputNames;
  private final long[] inputShape;
  private final FloatBuffer input;
  private final Image2BlobParams blobParams;
  private final Mat resized = new Mat();
  private final Mat padded = new Mat();
  private final Mat blob = new Mat();
  private Mat frameMat;
  /** The buffer whose pixels {@link #frameMat} holds. */
  private byte[] loaded;
  private boolean closed;

  private OnnxDetector(DetectorConfig config, OrtEnvironment env, OrtSession session, String inputName,
      List<String> outputNames) {
    this.config = config;
    this.env = env;
    this.session = session;
    this.inputName = inputName;
    this.outputNames = outputNames;
    int w = config.inputWidth();
    int h = config.inputHeight();
    this.inputShape = config.layout() == DetectorConfig.Layout.NCHW ? new long[] {1, 3, h, w} : new long[] {1, h, w, 3};
    this.input = ByteBuffer.allocateDirect(w * h * 3 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    float[] mean = config.mean();
    float[] scale = config.scale();
    this.blobParams = new Image2BlobParams(
        new Scalar(scale[0], scale[1], scale[2], 0), new Size(w, h), new Scalar(mean[0], mean[1], mean[2], 0),
        config.colourOrder() == DetectorConfig.ColourOrder.RGB, CV_32F,
        config.layout() == DetectorConfig.Layout.NCHW ? DNN_LAYOUT_NCHW : DNN_LAYOUT_NHWC, DNN_PMODE_NULL,
        new Scalar(0));
  }

  /**
   * Loads the model and checks that its input matches the config.
   *
   * @throws OrtException the runtime cannot load the file
   * @throws IllegalArgumentException the model's input or outputs do not match the config
   */
  public static OnnxDetector open(DetectorConfig config) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      if (config.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(config.intraOpThreads());
      }
      options.setInterOpNumThreads(1);
      // no busy-waiting between runs: a camera runs two models per frame (persons, hands) and a
      // gateway several cameras, each its own session; spinning threads would take the cores
      // the other sessions need (one camera with a hand model: 70 ms per frame spinning, 36 without)
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.setOptimizationLevel(config.optimisation());
      session = env.createSession(config.modelFile().toString(), options);
    }
    try {
      if (session.getNumInputs() != 1) {
        throw new IllegalArgumentException("model " + config.name() + " must have one image input (got: "
            + session.getInputNames() + ")");
      }
      Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
      long[] expected = config.layout() == DetectorConfig.Layout.NCHW
          ? new long[] {1, 3, config.inputHeight(), config.inputWidth()}
          : new long[] {1, config.inputHeight(), config.inputWidth(), 3};
      if (in.getValue().getInfo() instanceof TensorInfo ti) {
        long[] actual = ti.getShape();
        boolean ok = actual.length == 4;
        for (int i = 0; ok && i < 4; i++) {
          ok = actual[i] < 0 || actual[i] == expected[i];
        }
        if (!ok) {
          throw new IllegalArgumentException("model " + config.name() + " input " + in.getKey() + " has shape "
              + Arrays.toString(actual) + " but the config describes " + Arrays.toString(expected));
        }
      }
      List<String> outputs = config.outputNames().isEmpty() ? List.copyOf(new LinkedHashSet<>(session.getOutputNames()))
          : config.outputNames();
      for (String o : outputs) {
        if (!session.getOutputNames().contains(o)) {
          throw new IllegalArgumentException("model " + config.name() + " has no output '" + o + "' (outputs: "
              + session.getOutputNames() + ")");
        }
      }
      return new OnnxDetector(config, env, session, in.getKey(), outputs);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  public DetectorConfig config() {
    return config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public List<Detection> detect(Frame frame) {
    load(frame);
    try {
      return detect(frameMat);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + " (" + frame + ")", e);
    }
  }

  /**
   * Runs the model on one rectangle of the frame (a crop, fitted into the model input like a
   * whole frame); boxes are in the frame's pixels. For small objects a whole frame would shrink
   * below what the model can see, e.g. hands in a shelf camera's view.
   *
   * @throws IllegalArgumentException when the rectangle is empty or not inside the frame
   */
  public List<Detection> detect(Frame frame, int x, int y, int width, int height) {
    if (width <= 0 || height <= 0 || x < 0 || y < 0 || x + width > frame.width() || y + height > frame.height()) {
      throw new IllegalArgumentException("model " + config.name() + ": crop " + width + "x" + height + "+" + x + "+" + y
          + " is not inside the " + frame.width() + "x" + frame.height() + " frame");
    }
    load(frame);
    List<Detection> found;
    try (Rect r = new Rect(x, y, width, height); Mat crop = frameMat.apply(r)) {
      found = detect(crop);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + " (" + frame + ", crop at " + x + "," + y + ")", e);
    }
    List<Detection> out = new ArrayList<>(found.size());
    for (Detection d : found) {
      BoundingBox b = d.box();
      out.add(new Detection(d.label(), d.score(), new BoundingBox(b.x() + x, b.y() + y, b.w(), b.h())));
    }
    return out;
  }

  /** Copies the frame into the native frame buffer unless it is already there. */
  private void load(Frame frame) {
    if (frameMat == null || frameMat.cols() != frame.width() || frameMat.rows() != frame.height()) {
      if (frameMat != null) {
        frameMat.close();
      }
      frameMat = new Mat(frame.height(), frame.width(), CV_8UC3);
      loaded = null;
    }
    if (loaded != frame.bgr()) { // a frame's buffer is never written again once handed over
      frameMat.data().put(frame.bgr(), 0, frame.bgr().length);
      loaded = frame.bgr();
    }
  }

  /** Same as {@link #detect(Frame)} for an 8-bit BGR image already in native memory. */
  public List<Detection> detect(Mat bgr) {
    ImageTransform t = preprocess(bgr);
    List<FloatTensor> outputs = run();
    return postprocess(outputs, t);
  }

  /** Fills the input buffer from {@code bgr}; returns how the image was placed in the input. */
  ImageTransform preprocess(Mat bgr) {
    if (bgr.type() != CV_8UC3 || bgr.cols() <= 0 || bgr.rows() <= 0) {
      throw new IllegalArgumentException("model " + config.name() + " needs an 8-bit 3-channel BGR image (got: type "
          + bgr.type() + ", " + bgr.cols() + "x" + bgr.rows() + ")");
    }
    ImageTransform t = ImageTransform.of(config.resize(), bgr.cols(), bgr.rows(), config.inputWidth(), config.inputHeight());
    // bilinear, as the models' own pipelines resize (INTER_AREA costs ~10x more at non-integer scales)
    resize(bgr, resized, new Size(t.scaledWidth(), t.scaledHeight()), 0, 0, INTER_LINEAR);
    Mat placed = resized;
    if (t.padX() != 0 || t.padY() != 0 || t.padRight() != 0 || t.padBottom() != 0) {
      int v = config.padValue();
      copyMakeBorder(resized, padded, t.padY(), t.padBottom(), t.padX(), t.padRight(), BORDER_CONSTANT,
          new Scalar(v, v, v, 0));
      placed = padded;
    }
    blobFromImageWithParams(placed, blob, blobParams);
    int n = config.inputWidth() * config.inputHeight() * 3;
    FloatBuffer src = new FloatPointer(blob.data()).capacity(n).asBuffer();
    input.clear();
    input.put(src);
    input.flip();
    return t;
  }

  /** Runs the session on the current input buffer; outputs in {@link #outputNames} order. */
  List<FloatTensor> run() {
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, inputShape);
         OrtSession.Result result = session.run(Map.of(inputName, tensor), new LinkedHashSet<>(outputNames))) {
      List<FloatTensor> out = new ArrayList<>(outputNames.size());
      for (String name : outputNames) {
        Optional<OnnxValue> v = result.get(name);
        if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
          throw new IllegalStateException("model " + config.name() + " gave no tensor output '" + name + "'");
        }
        FloatBuffer fb = t.getFloatBuffer();
        if (fb == null) {
          throw new IllegalStateException("model " + config.name() + " output '" + name + "' is not float");
        }
        float[] data = new float[fb.remaining()];
        fb.get(data);
        out.add(new FloatTensor(name, data, t.getInfo().getShape()));
      }
      return out;
    } catch (OrtException e) {
      throw new IllegalStateException("model " + config.name() + " failed: " + e.getMessage(), e);
    } finally {
      input.rewind();
    }
  }

  List<Detection> postprocess(List<FloatTensor> outputs, ImageTransform t) {
    List<Candidate> candidates;
    try {
      candidates = config.decoder().decode(outputs, config.scoreThreshold());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("model " + config.name() + ": " + e.getMessage(), e);
    }
    List<Candidate> kept = Nms.apply(candidates, config.iouThreshold(), config.perClassNms(), config.maxDetections());
    List<Detection> out = new ArrayList<>(kept.size());
    for (Candidate c : kept) {
      double x1 = clamp(t.toImageX(c.x1()), t.srcWidth());
      double y1 = clamp(t.toImageY(c.y1()), t.srcHeight());
      double x2 = clamp(t.toImageX(c.x2()), t.srcWidth());
      double y2 = clamp(t.toImageY(c.y2()), t.srcHeight());
      if (x2 - x1 <= 0 || y2 - y1 <= 0) {
        continue;
      }
      out.add(new Detection(config.label(c.classIndex()), c.score(), BoundingBox.ofCorners(x1, y1, x2, y2)));
    }
    return out;
  }

  private static double clamp(double v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.close();
    } catch (OrtException e) {
      // closing a session only fails when the runtime is already gone; nothing left to release
    }
    resized.close();
    padded.close();
    blob.close();
    blobParams.close();
    if (frameMat != null) {
      frameMat.close();
    }
  }
}
