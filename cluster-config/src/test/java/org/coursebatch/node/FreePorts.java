package org.coursebatch.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for a server that a test starts later (a node in a JVM of its own, a port nothing listens
 * on). A port the kernel hands out for {@code bind(0)} lies in its ephemeral range, where any
 * outgoing connection on the machine may take it before the server binds it; these come from
 * below that range, where only a bind can take a port, and each is reserved by a lock file for
 * the life of this JVM, so test JVMs running side by side never pick the same one.
 */
final class FreePorts {

  /** The lowest port handed out: above the well-known and most registered services' ports. */
  private static final int LOWEST = 20_000;
  private static final Path LOCKS = Path.of(System.getProperty("java.io.tmpdir"), "course-batch-test-ports");
  /** Held until the JVM exits: a lock released early would let another JVM take the port. */
  private static final List<FileLock> HELD = new ArrayList<>();

  private FreePorts() {}

  /** A port nothing listens on, that no other test JVM on this machine has been given. */
  static synchronized int next() {
    int highest = ephemeralLow() - 1;
    if (highest - LOWEST < 1_000) {
      return kernelChosen(); // an unusual kernel setting: no room below the ephemeral range
    }
    int span = highest - LOWEST + 1;
    int start = ThreadLocalRandom.current().nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = LOWEST + (start + i) % span;
      if (reserve(port) && bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("No free port between " + LOWEST + " and " + highest);
  }

  private static boolean reserve(int port) {
    try {
      Files.createDirectories(LOCKS);
      FileChannel channel = FileChannel.open(LOCKS.resolve(port + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldHere) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        return false;
      }
      HELD.add(lock);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reserve port " + port + " under " + LOCKS, e);
    }
  }

  private static boolean bindable(int port) {
    for (InetAddress host : new InetAddress[] {InetAddress.getLoopbackAddress(), null}) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port));
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }

  /** The first port of the kernel's ephemeral range (Linux); 32768 where it cannot be read. */
  private static int ephemeralLow() {
    try {
      // Read line by line: procfs reports a size of 0, and Files.readString trusts the size.
      try (var lines = Files.lines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
        String range = lines.findFirst().orElse("").trim();
        return Integer.parseInt(range.split("\\s+")[0]);
      }
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static int kernelChosen() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
