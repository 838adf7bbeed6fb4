/**
 * Benchmarks run from the command line against the simulator, outside the test suite.
 *
 * <p>{@link org.storeedge.runtime.bench.TrackingHarness}: tracking accuracy (CLEAR MOT: MOTA,
 * ID switches, fragmentations, FP, FN) of the sim-person detector and ByteTracker on rendered
 * sequences with crossing shoppers, scored against the renderer's ground-truth boxes by
 * {@link org.storeedge.runtime.bench.TrackingScore}. Run from the repository root after
 * {@code mvn -B -o -q -pl edge-agent/runtime install -DskipTests}:
 *
 * <pre>
 * java -cp 'edge-agent/runtime/target/storeedge.jar:edge-agent/runtime/target/lib/*' \
 *   org.storeedge.runtime.bench.TrackingHarness [--scenario NAME|FILE]... [--seeds N] [--cameras N] \
 *   [--max-seconds S] [--reference-only] [--json FILE]
 * </pre>
 */
package org.storeedge.runtime.bench;
