package org.storeedge.runtime;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.storeedge.vision.onnx.DetectCommandSupport;
import org.storeedge.vision.onnx.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storeedge detect --image FILE [--model NAME]}: a technician's check of a detection model on
 * one picture. Prints one JSON line per detection ({@code label}, {@code score}, {@code box} as
 * x, y, width, height in pixels); a bad image or model gets a clear error and exit 2.
 */
@Command(name = "detect", description = "Run a detection model on one image and print the detections as JSON lines.")
final class DetectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--image", required = true, paramLabel = "FILE", description = "a JPEG or PNG image")
  Path image;

  @Option(names = "--model", paramLabel = "NAME|DIR",
      description = "a model under vision/models (default: " + DetectCommandSupport.DEFAULT_MODEL + ") or a model directory")
  String model;

  @Option(names = "--models-dir", paramLabel = "DIR", description = "where the named models live (default: vision/models of the installation)")
  Path modelsDir;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = modelsDir != null ? modelsDir : Path.of(System.getProperty("storeedge.home", ".")).resolve("vision/models");
    try {
      for (String line : new DetectCommandSupport(new ModelRegistry(dir)).detectJsonLines(image, model)) {
        out.println(line);
      }
      return Main.OK;
    } catch (DetectCommandSupport.DetectException e) {
      spec.commandLine().getErr().println("storeedge detect: " + e.getMessage());
      return Main.BAD_INPUT;
    }
  }
}
