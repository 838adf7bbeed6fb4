package org.storeedge.core.event;

import org.storeedge.core.device.ReadingStatus;

/** A lane whose device went bad ({@code status} not OK) or recovered ({@code status} OK). */
public record DeviceFault(String laneId, ReadingStatus status, long atMillis) {}
