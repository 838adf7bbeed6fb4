package org.storeedge.sync.mqtt;

/**
 * Handles one downlink command ({@code {prefix}cmd/{name}}). Runs on the uplink's command thread
 * "storeedge-uplink-cmd", one command at a time; it may block briefly but should not wait on the
 * network. The returned bytes are published as the reply on {@code {prefix}cmd-reply}. Throwing
 * produces an error reply and is counted; it never stops the uplink.
 */
@FunctionalInterface
public interface CommandHandler {
  byte[] handle(String name, byte[] payload) throws Exception;
}
