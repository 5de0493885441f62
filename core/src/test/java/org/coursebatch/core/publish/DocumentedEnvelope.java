package org.coursebatch.core.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The outbound events' JSON Schema as docs/events.md gives it, for tests of what is published. */
public final class DocumentedEnvelope {

  /** docs/events.md from a module's directory, where the tests run. */
  public static final Path DOC = Path.of("../docs/events.md");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonSchema schema;

  private DocumentedEnvelope(JsonSchema schema) {
    this.schema = schema;
  }

  /** The first JSON block after the heading "JSON Schema of the envelope". */
  public static DocumentedEnvelope load() {
    try {
      String doc = Files.readString(DOC);
      int heading = doc.indexOf("### JSON Schema of the envelope");
      int start = doc.indexOf("```json", heading) + "```json".length();
      JsonNode schema = JSON.readTree(doc.substring(start, doc.indexOf("```", start)));
      return new DocumentedEnvelope(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code message} breaks of the schema; empty when it is valid. */
  public List<String> violations(JsonNode message) {
    return schema.validate(message).stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
