package org.storeedge.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency rules of the house, checked on the compiled classes of every module. */
class ArchitectureTest {
  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      // test jars of other modules (fixtures, benchmark harnesses) are not production code
      .withImportOption(location -> !location.contains("-tests.jar"))
      .importPackages("org.storeedge");

  @Test
  void coreAndCheckoutStayFreeOfNativesAndNetworkLibraries() {
    noClasses().that().resideInAnyPackage("org.storeedge.core..", "org.storeedge.checkout..", "org.storeedge.config..")
        .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.paho..", "org.sqlite..", "com.pi4j..",
            "org.eclipse.milo..", "ai.onnxruntime..", "org.opencv..", "com.hivemq..", "com.fasterxml..")
        .check(ALL);
  }

  @Test
  void dataFlowsOneWay() {
    noClasses().that().resideInAnyPackage("org.storeedge.core..", "org.storeedge.config..")
        .should().dependOnClassesThat().resideInAnyPackage("org.storeedge.checkout..", "org.storeedge.sync..",
            "org.storeedge.runtime..", "org.storeedge.simulator..")
        .check(ALL);
    noClasses().that().resideInAnyPackage("org.storeedge.checkout..", "org.storeedge.sync..",
            "org.storeedge.simulator..", "org.storeedge.driver..")
        .should().dependOnClassesThat().resideInAnyPackage("org.storeedge.runtime..")
        .check(ALL);
    noClasses().that().resideInAnyPackage("org.storeedge.checkout..")
        .should().dependOnClassesThat().resideInAnyPackage("org.storeedge.sync..", "org.storeedge.simulator..")
        .check(ALL);
  }

  @Test
  void timeComesFromTheInjectedSchedulerOnly() {
    noClasses().that().resideOutsideOfPackage("org.storeedge.core.time..")
        .and().resideOutsideOfPackage("..testing..") // test fixtures that wait on real network peers
        .should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(Thread.class, "sleep", long.class)
        .because("time and waiting go through org.storeedge.core.time so the simulator can run on virtual time")
        .check(ALL);
  }
}
