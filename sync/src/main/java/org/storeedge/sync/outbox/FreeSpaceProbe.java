package org.storeedge.sync.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Usable bytes on the file system holding a directory. Called on the outbox writer thread once
 * per group commit, so it must be quick; an IOException means "unknown" (nothing is refused).
 */
@FunctionalInterface
public interface FreeSpaceProbe {

  long usableBytes(Path directory) throws IOException;

  /** The real file system, via {@link java.nio.file.FileStore#getUsableSpace()}. */
  static FreeSpaceProbe fileStore() {
    return dir -> Files.getFileStore(dir).getUsableSpace();
  }
}
