package org.coursebatch.persistence.db;

import akka.actor.typed.ActorSystem;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.Optional;

/** JSON for the document columns: Akka's {@code jackson-json} mapper (java.time, Optional, records). */
public final class JsonDocuments {

  private JsonDocuments() {}

  public static ObjectMapper mapper(ActorSystem<?> system) {
    return JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
  }

  /**
   * Writes documents without null fields. That mapper reads an explicit {@code null} into a
   * {@code JsonNode} field as a NullNode, but an absent field as null, so this keeps a round trip exact.
   */
  public static ObjectWriter writer(ObjectMapper mapper) {
    return mapper.copy().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL).writer();
  }
}
