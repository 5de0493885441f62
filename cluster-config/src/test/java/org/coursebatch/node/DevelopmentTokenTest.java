package org.coursebatch.node;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's flow: with no key configured, `token` mints a token the node (same data dir)
 * accepts, with iat and exp an hour apart; a --ttl past the nodes' longest lifetime is refused.
 */
class DevelopmentTokenTest {

  @Test
  void tokenCommandMintsATokenTheNodeAccepts() throws Exception {
    Path dir = Files.createTempDirectory("dev-token");
    String token;
    PrintStream out = System.out;
    var captured = new ByteArrayOutputStream();
    System.setProperty("course-batch.data-dir", dir.toString());
    ConfigFactory.invalidateCaches();
    try {
      System.setOut(new PrintStream(captured, true));
      int code = new CommandLine(new Main()).execute("token", "--user", "dev-user", "--roles", "CONTENT_CREATOR");
      assertEquals(0, code);
      // Longer than a node takes (BATCH_JWT_MAX_TTL, 24 h by default): refused, nothing printed.
      assertEquals(2, new CommandLine(new Main()).execute("token", "--user", "dev-user", "--ttl", "PT25H"));
      assertEquals(2, new CommandLine(new Main()).execute("token", "--user", "dev-user", "--ttl", "PT0S"));
    } finally {
      System.setOut(out);
      System.clearProperty("course-batch.data-dir");
      ConfigFactory.invalidateCaches();
    }
    String[] lines = captured.toString().trim().split("\\R");
    token = lines[lines.length - 1].trim(); // the token is the command's only output line
    assertTrue(Files.exists(dir.resolve("dev-jwt-key.json")));
    var claims = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet();
    assertEquals(java.time.Duration.ofHours(1), java.time.Duration.between(claims.getIssueTime().toInstant(),
        claims.getExpirationTime().toInstant()), "issued now, valid for an hour by default");

    var config = ConfigFactory.parseMap(Map.of("course-batch.data-dir", dir.toString()))
        .withFallback(ConfigFactory.load("application-test.conf"));
    try (ServiceNode node = ServiceNode.start(config, Clock.systemUTC())) {
      assertTrue(Files.exists(dir.resolve("course-batch.mv.db")), "the embedded H2 database lives in the data dir");
      var api = new ApiClient("http://127.0.0.1:" + node.httpPort());
      var put = api.call("PUT", "/v1/catalog/course/do_dev", token,
          Map.of("name", "Dev course", "trackable", Map.of("enabled", "Yes"), "children", List.of(Map.of("identifier", "leaf"))));
      assertEquals(200, put.status(), put.toString());
      assertEquals(401, api.call("GET", "/v1/catalog/course/do_dev", TestNode.token("someone"), null).status(),
          "a token signed with another key is refused");
    }
  }
}
