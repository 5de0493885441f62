package org.coursebatch.core.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.coursebatch.core.JournalEvent;

/**
 * A journal event as stored with tamper evidence: the event, the hash of the entity's previous
 * event, and its own hash over both. Events written before the chain existed are stored as the
 * bare {@link JournalEvent}; readers of the journal take either through {@link #unwrap}.
 *
 * <p>Stored as the event's own JSON with two more fields at the end, so auditors read it as
 * before: {@code {"type":"Enrolled", ..., "prevHash":"…","hash":"…"}} (serializer
 * {@code journal-chained-json}, id {@value #SERIALIZER_ID}; {@link ChainedEventMigration} evolves
 * the event inside). The hash is defined in {@link JournalHash}; {@link EventChain} makes the
 * chain as an entity writes.
 */
@JsonSerialize(using = ChainedEvent.Writer.class)
@JsonDeserialize(using = ChainedEvent.Reader.class)
public record ChainedEvent(JournalEvent event, String prevHash, String hash, String storedJson) {

  /** The serializer id of chained events in {@code event_journal.event_ser_id} (core's reference.conf). */
  public static final int SERIALIZER_ID = 7302;

  /**
   * @param storedJson the whole stored form when the chain has already written the event's JSON to
   *     hash it ({@link #written}), so the journal writes it as it is instead of a second time;
   *     null otherwise (an event read back). Not part of the value: equality and the text ignore it.
   */
  public ChainedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(hash, "hash");
  }

  public ChainedEvent(JournalEvent event, String prevHash, String hash) {
    this(event, prevHash, hash, null);
  }

  /**
   * The chained event whose stored form is {@code eventJson} (the event as the journal's mapper
   * writes it, a JSON object with at least its type) with the chain's two fields appended.
   */
  static ChainedEvent written(JournalEvent event, String prevHash, String hash, byte[] eventJson) {
    if (eventJson.length < 2 || eventJson[0] != '{' || eventJson[eventJson.length - 1] != '}') {
      throw new IllegalArgumentException("A journal event must be written as a JSON object: " + event);
    }
    String fields = new String(eventJson, 1, eventJson.length - 2, StandardCharsets.UTF_8);
    String stored = "{" + fields + (fields.isEmpty() ? "" : ",") + "\"" + JournalHash.PREV_HASH + "\":\"" + prevHash + "\",\""
        + JournalHash.HASH + "\":\"" + hash + "\"}";
    return new ChainedEvent(event, prevHash, hash, stored);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChainedEvent other && event.equals(other.event) && prevHash.equals(other.prevHash) && hash.equals(other.hash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(event, prevHash, hash);
  }

  @Override
  public String toString() {
    return "ChainedEvent[event=" + event + ", prevHash=" + prevHash + ", hash=" + hash + "]";
  }

  /** The event a journal entry holds, whether chained or written before the chain existed. */
  public static JournalEvent unwrap(Object stored) {
    if (stored instanceof ChainedEvent chained) {
      return chained.event();
    }
    if (stored instanceof JournalEvent event) {
      return event;
    }
    throw new IllegalArgumentException("Not a journal event: " + (stored == null ? "null" : stored.getClass().getName()));
  }

  /** The entry's hash, empty for an event written before the chain existed. */
  public static Optional<String> hashOf(Object stored) {
    return stored instanceof ChainedEvent chained ? Optional.of(chained.hash()) : Optional.empty();
  }

  /** Writes the event's JSON (exactly as for a bare event) with {@code prevHash} and {@code hash} appended. */
  static final class Writer extends StdSerializer<ChainedEvent> {
    Writer() {
      super(ChainedEvent.class);
    }

    @Override
    public void serialize(ChainedEvent value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (value.storedJson() != null) {
        gen.writeRawValue(value.storedJson());
        return;
      }
      TokenBuffer event = new TokenBuffer(gen.getCodec(), false);
      // The event's own class (an interface's serializer would know no fields), with its type id as usual.
      provider.findTypedValueSerializer(value.event().getClass(), true, null).serialize(value.event(), event, provider);
      try (JsonParser p = event.asParser(gen.getCodec())) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw JsonMappingException.from(gen, "A journal event must be a JSON object: " + value.event());
        }
        gen.writeStartObject();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          if (name.equals(JournalHash.PREV_HASH) || name.equals(JournalHash.HASH)) {
            throw JsonMappingException.from(gen, "Event field '" + name + "' is reserved for the hash chain: "
                + value.event().getClass().getName());
          }
          gen.writeFieldName(name);
          p.nextToken();
          gen.copyCurrentStructure(p);
        }
        gen.writeStringField(JournalHash.PREV_HASH, value.prevHash());
        gen.writeStringField(JournalHash.HASH, value.hash());
        gen.writeEndObject();
      }
    }
  }

  /** Reads the flat form: the chain's two fields, and the rest as the event with the same mapper. */
  static final class Reader extends StdDeserializer<ChainedEvent> implements ContextualDeserializer {
    /**
     * The event's deserializer (its type id picks the class), found once: Jackson builds the type
     * part of a polymorphic root deserializer anew on every look-up, which cost a read-side
     * projection about half of its time per event.
     */
    private final JsonDeserializer<Object> events;

    Reader() {
      this(null);
    }

    private Reader(JsonDeserializer<Object> events) {
      super(ChainedEvent.class);
      this.events = events;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) throws JsonMappingException {
      return events != null ? this : new Reader(ctxt.findRootValueDeserializer(ctxt.constructType(JournalEvent.class)));
    }

    @Override
    public ChainedEvent deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.START_OBJECT) {
        t = p.nextToken();
      }
      TokenBuffer event = ctxt.bufferForInputBuffering(p);
      event.writeStartObject();
      String prevHash = null;
      String hash = null;
      for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals(JournalHash.PREV_HASH)) {
          prevHash = p.getValueAsString();
        } else if (name.equals(JournalHash.HASH)) {
          hash = p.getValueAsString();
        } else {
          event.writeFieldName(name);
          event.copyCurrentStructure(p);
        }
      }
      event.writeEndObject();
      if (t != JsonToken.END_OBJECT) {
        return (ChainedEvent) ctxt.handleUnexpectedToken(ChainedEvent.class, p);
      }
      if (prevHash == null || hash == null) {
        return (ChainedEvent) ctxt.handleWeirdStringValue(ChainedEvent.class, String.valueOf(hash),
            "a chained journal event needs string fields '%s' and '%s'", JournalHash.PREV_HASH, JournalHash.HASH);
      }
      try (JsonParser eventParser = event.asParser(p.getCodec())) {
        eventParser.nextToken();
        JournalEvent read = (JournalEvent) (events != null ? events.deserialize(eventParser, ctxt)
            : ctxt.readValue(eventParser, JournalEvent.class));
        return new ChainedEvent(read, prevHash, hash);
      }
    }
  }
}
