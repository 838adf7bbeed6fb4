/**
 * The gateway runtime of {@code storeedge run}: downlink commands, signed updates, calibration.
 *
 * <pre>
 *  drivers --raw--> DeviceTap --LaneCalibrator: (g - zero) * gain--> Agent (rebuilt by AgentHost)
 *                      '-- OK readings per device (health)
 *  broker --cmd/{name}--> MqttUplink --> DownlinkCommands --reply--> cmd-reply
 *     outbox-status     outbox and uplink counters, oldest age per stream, free disk
 *     forget-customer   OutboxPurge: unsent entries of the customer deleted, others naming them rewritten
 *     calibrate         LaneCalibrator.tare/span -> CalibrationStore (state database)
 *     config-update     SignedUpdate.verify -> UpdateLedger (replay) -> StoreConfigLoader (all problems)
 *     planogram-update    -> UpdateTrial.begin (what the files hold now, FILE.trial)
 *                          -> AtomicFiles.replace -> AgentHost.restart
 *                          -> healthy within --health-timeout? UpdateTrial.end : UpdateTrial.undo + restart
 *     debug-snapshot    SignedUpdate.verify -> UpdateLedger (replay) -> GatewayCameras' DebugSnapshots.arm
 *                          (blurred PPMs in <data dir>/debug-snapshots/<camera>/, never published)
 *     model-update      SignedUpdate.verify -> UpdateLedger (replay) -> ModelPackage.read (ZIP, limits)
 *                          -> InstalledModels.write (a version, not in use) -> loaded and run on each
 *                          camera's last frame -> InstalledModels.useOnTrial -> GatewayCameras.restart
 *                          -> every camera ran 3 frames through it? confirm : InstalledModels.rollBack + restart
 * </pre>
 *
 * <p>Trust: update signatures (and those of {@code debug-snapshot}, which makes the gateway write
 * images of people) are Ed25519 by a key pinned with {@code run --trust-key PEM}
 * (repeatable; a key id is the first 16 hex digits of the SHA-256 of the key's X.509 encoding).
 * The signature covers the kind, key id, sequence, issue time and body (see {@link
 * org.storeedge.runtime.command.SignedUpdate}), so none can be swapped onto another signature.
 * Every authentic, valid update uses up its sequence number (also when it is rolled back); the
 * last one per kind is kept in the state database and survives restarts.
 *
 * <p>Only what has run healthily here stays in use: an agent that stops (power cut, crash, a model
 * that takes the process down) after an update was switched in and before its health check ended
 * finds the update's {@link org.storeedge.runtime.command.UpdateTrial} marker at its next start,
 * puts back what ran before, and reports it as an {@code update-interrupted} alert. The sequence
 * stays used up; the cloud sends the update again under a new one.
 *
 * <p>Healthy after an update: the agent was rebuilt and started, and every device reading lanes
 * delivered an OK reading within the health timeout. An authentic, valid update that arrives while
 * shoppers are in the store is held ({@link org.storeedge.runtime.command.PendingUpdates}, on disk
 * next to the store file, so it outlives a restart) and applied as soon as the store is empty, at
 * the latest after the payload's optional, unsigned {@code maxWaitSeconds} (default 3600, 0 applies
 * at once, at most a week): the open carts go over to the new agent, their receipts flagged
 * {@code agent-restarted}. The reply says {@code "pending": true} with {@code applyBy}; the outcome
 * is published on {@code events} as {@code update-applied}, {@code update-rolled-back} or
 * {@code update-refused}. One update waits per command, and per model for model-updates; a
 * newer sequence replaces the held one, an older one is refused ({@code superseded}). {@code outbox-status} lists what is held. Changes
 * to {@code sync} or {@code storage} are written but take effect at the next process start (the
 * reply lists them).
 *
 * <p>Calibration from the command line ({@code storeedge calibrate}) goes through the broker to
 * the running agent ({@link org.storeedge.runtime.command.CommandClient}): a calibration measures
 * live readings, which only the agent has. The command carries a message expiry equal to the
 * CLI's wait, so one nobody answered is never applied later.
 */
package org.storeedge.runtime.command;
