package org.storeedge.sync.outbox;

import java.nio.file.Path;

/**
 * What {@link SqliteOutbox#open} did with a corrupt database.
 *
 * @param atMillis when, epoch milliseconds of the outbox clock
 * @param movedTo where the corrupt file now is (with its -wal/-shm, if any, beside it)
 * @param rowsSalvaged entries copied into the new database
 * @param unreadableSeqs sequence numbers that could not be read (an upper bound on entries lost:
 *     some may never have existed or were already delivered)
 * @param detail integrity check result and the unreadable sequence ranges, shortened
 */
public record SalvageReport(long atMillis, Path movedTo, long rowsSalvaged, long unreadableSeqs,
    String detail) {}
