package org.coursebatch.node;

import static org.coursebatch.node.SealedSecretsTest.Contract.apply;
import static org.coursebatch.node.SealedSecretsTest.Contract.assertApplied;
import static org.coursebatch.node.SealedSecretsTest.Contract.batch;
import static org.coursebatch.node.SealedSecretsTest.Contract.forms;
import static org.coursebatch.node.SealedSecretsTest.Contract.node;
import static org.coursebatch.node.SealedSecretsTest.Contract.rows;
import static org.coursebatch.node.SealedSecretsTest.Contract.signs;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.testing.MutableClock;
import org.coursebatch.persistence.secret.SecretsKey;
import org.junit.jupiter.api.Test;

/**
 * The shared secrets on the embedded default, a node with no database settings (H2 in its data
 * directory): the case {@link SealedSecretsTest} leaves out, as it always names its database.
 */
class EmbeddedSecretsKeyH2Test {

  /**
   * With no settings at all (the embedded default) a key is generated once into the data
   * directory: the secrets are sealed with it, and a restart reads them with it again.
   */
  @Test
  void theEmbeddedDefaultSealsWithAKeyItKeepsInTheDataDirectory() throws Exception {
    Path dir = Files.createTempDirectory("sealed-secrets-embedded");
    MutableClock clock = MutableClock.startingNow();
    Map<String, String> sealed;
    List<JsonNode> forms;
    try (TestNode first = node(dir, null, clock, null, false)) {
      forms = forms(first.client(), batch(first.client(), clock), 1);
      sealed = rows(first);
    }
    Path keyFile = dir.resolve("secrets-key");
    String keyId = SecretsKey.parse(Files.readString(keyFile), "the key file").id();
    assertEquals(2, sealed.size(), sealed.toString());
    sealed.forEach((name, text) -> assertTrue(text.startsWith("v1:" + keyId + ":"), name + ": " + text));
    assertFalse(signs(sealed.get(ServiceNode.FORM_SECRET_NAME), forms.get(0)));

    try (TestNode restarted = node(dir, null, clock, null, false)) {
      assertEquals(sealed, rows(restarted));
      assertApplied(apply(restarted.client(), forms.get(0)), "a form issued before the restart");
    }
    assertEquals(keyId, SecretsKey.parse(Files.readString(keyFile), "the key file").id(), "the key file was kept");
  }
}
