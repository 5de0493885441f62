package org.coursebatch.k8s.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coursebatch.k8s.Target;
import org.junit.jupiter.api.Test;

/** The image's base is pinned by digest, and the air-gapped build the READMEs show names that digest. */
class BaseImageTest {
  private static final Pattern PINNED = Pattern.compile("eclipse-temurin:17-jre@sha256:[0-9a-f]{64}");

  @Test
  void theBaseImageIsPinnedAndTheDocumentedMirrorBuildUsesTheSameDigest() throws IOException {
    String pom = Files.readString(Target.MODULE.resolve("../cluster-config/pom.xml"));
    Matcher from = Pattern.compile("<from><image>([^<]*)</image></from>").matcher(pom);
    assertTrue(from.find(), "cluster-config/pom.xml names no base image");
    String base = from.group(1);
    assertTrue(PINNED.matcher(base).matches(), "the base image is not pinned by digest: " + base);
    for (Path readme : List.of(Target.MODULE.resolve("README.md"), Target.MODULE.resolve("../README.md"))) {
      String text = Files.readString(readme);
      Matcher mirror = Pattern.compile("-Djib\\.from\\.image=MIRROR/(\\S+)").matcher(text);
      assertTrue(mirror.find(), readme + " shows no build from a mirror (-Djib.from.image=MIRROR/…)");
      assertEquals(base, mirror.group(1), readme + ": the mirror build's base image");
    }
  }
}
