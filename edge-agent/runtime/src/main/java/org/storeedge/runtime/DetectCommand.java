package org.storeedge.runtime;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.storeedge.config.ConfigException;
import org.storeedge.config.DeviceSettingsValidator;
import org.storeedge.config.StoreConfig;
import org.storeedge.config.StoreConfigLoader;
import org.storeedge.runtime.command.InstalledModels;
import org.storeedge.vision.onnx.DetectCommandSupport;
import org.storeedge.vision.onnx.DetectorConfig;
import org.storeedge.vision.onnx.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code storeedge detect --image FILE [--model NAME] [--config FILE]}: a technician's check of a
 * detection model on one picture. Prints one JSON line per detection ({@code label}, {@code score},
 * {@code box} as x, y, width, height in pixels); a bad image, model or store file gets a clear
 * error and exit 2. With {@code --config}, a model name means what the gateway's cameras run: the
 * version {@code model-update} installed under the store's data directory, else the shipped one;
 * which one is said on stderr.
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

  @Option(names = "--config", paramLabel = "FILE",
      description = "a store file: a model installed on this gateway by model-update is used before the shipped one")
  Path config;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = modelsDir != null ? modelsDir : Path.of(System.getProperty("storeedge.home", ".")).resolve("vision/models");
    ModelRegistry shipped = new ModelRegistry(dir);
    Function<String, DetectorConfig> models = shipped::resolve;
    if (config != null) {
      StoreConfig cfg;
      try {
        cfg = new StoreConfigLoader(DeviceSettingsValidator.ACCEPT_ALL).load(config);
      } catch (ConfigException e) {
        e.lines().forEach(err::println);
        return Main.BAD_INPUT;
      } catch (IOException e) {
        err.println("storeedge detect: " + e.getMessage());
        return Main.BAD_INPUT;
      }
      InstalledModels installed = new InstalledModels(InstalledModels.rootFor(cfg.storage().database()));
      models = name -> {
        DetectorConfig c = installed.resolve(name, shipped);
        err.println("storeedge detect: model " + c.name() + " from " + c.modelFile().getParent());
        return c;
      };
    }
    try {
      for (String line : new DetectCommandSupport(models).detectJsonLines(image, model)) {
        out.println(line);
      }
      return Main.OK;
    } catch (DetectCommandSupport.DetectException e) {
      err.println("storeedge detect: " + e.getMessage());
      return Main.BAD_INPUT;
    }
  }
}
