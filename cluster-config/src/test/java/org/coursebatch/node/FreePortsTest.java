package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ports handed to nodes started later lie below the kernel's ephemeral range, each once, free. */
class FreePortsTest {

  @Test
  void portsComeFromBelowTheEphemeralRangeOnceEachAndCanBeBound() throws Exception {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    int ephemeralLow = 32_768;
    if (Files.isReadable(range)) {
      try (var lines = Files.lines(range)) {
        ephemeralLow = Integer.parseInt(lines.findFirst().orElseThrow().trim().split("\\s+")[0]);
      }
    }
    Set<Integer> given = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = FreePorts.next();
      assertTrue(port >= 20_000 && port < ephemeralLow, port + " lies below the ephemeral range from " + ephemeralLow);
      assertTrue(given.add(port), port + " was handed out twice");
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertEquals(port, s.getLocalPort());
      }
    }
  }
}
