/**
 * HX711 load-cell amplifiers bit-banged over GPIO (Pi4J 2.x).
 *
 * <pre>
 *  store config ──► Hx711DriverFactory ──► Hx711Driver (thread hx711-&lt;device&gt;)
 *                    (Hx711Settings)         │  per chip: poll DOUT, read, settle, fault checks
 *                                            ▼
 *                    Hx711Gpio ──pins──► Hx711 (24 bits + gain pulses) ──► raw counts
 *                    (Pi4jHx711Gpio,                                        │ (raw - offset) / scale
 *                     fake in tests)                                        ▼
 *                                                        ReadingSink ◄── WeightReading(lane, ms, g, status)
 * </pre>
 *
 * The chip logic sees only {@link org.storeedge.driver.hx711.Hx711Pins} (two wires and microsecond
 * timing), never the Pi4J context; only {@code Pi4j*} classes touch Pi4J.
 */
package org.storeedge.driver.hx711;
