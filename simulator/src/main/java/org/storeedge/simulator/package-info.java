/**
 * A whole store on virtual time, for the demo, the {@code simulate} command and tests.
 *
 * <pre>
 *   scenario YAML --ScenarioLoader--> Scenario --+
 *   StoreConfig ---------------------------------+--> SimulatedStore (plans the run from the seed)
 *                                                        |  start(gateSink, presenceSink)
 *        VirtualScheduler <--- gate events, presence (5 Hz), hand on / item moves / hand off
 *              |
 *   driverFactory().create(...) --> WeightDriver --samples SimulatedLane at 10/80 Hz--> ReadingSink
 *                                   groundTruth(): carts per token + interactions + hand-offs
 * </pre>
 *
 * Everything runs on the thread that drives the {@link org.storeedge.core.time.VirtualScheduler}.
 */
package org.storeedge.simulator;
