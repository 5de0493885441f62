package org.coursebatch.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;

/**
 * Typed reads of request fields, each refusing a wrong type or format with the Sunbird error a
 * client expects ({@code DATA_TYPE_ERROR}, {@code DATE_FORMAT_ERRROR}, ...). Absent and JSON
 * {@code null} both read as "not given".
 */
public final class JsonFields {

  /** Strict {@code yyyy-MM-dd}: 2021-02-30 is refused, not rolled over. */
  public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

  private final ObjectNode node;
  private final String prefix;

  private JsonFields(ObjectNode node, String prefix) {
    this.node = node;
    this.prefix = prefix;
  }

  /** Reads fields of {@code value}, which must be a JSON object; {@code name} is used in errors. */
  public static JsonFields of(JsonNode value, String name) {
    if (value == null || !value.isObject()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject(name, "Map").asException();
    }
    return new JsonFields((ObjectNode) value, "");
  }

  public ObjectNode node() {
    return node;
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  /** Present in the JSON at all, even as {@code null} (a partial update clears a field with null). */
  public boolean mentions(String field) {
    return node.has(field);
  }

  public Optional<String> string(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject(prefix + field, "String").asException();
    }
    return Optional.of(v.textValue());
  }

  public String requiredString(String field) {
    return string(field).filter(s -> !s.isBlank())
        .orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject(prefix + field).asException());
  }

  /** {@link #string(String)} of at most {@code maxLength} characters ({@link FieldLimits}), else VALUE_TOO_LONG. */
  public Optional<String> string(String field, int maxLength) {
    return string(field).map(s -> FieldLimits.requireWithin(s, prefix + field, maxLength));
  }

  /** {@link #requiredString(String)} of at most {@code maxLength} characters, else VALUE_TOO_LONG. */
  public String requiredString(String field, int maxLength) {
    return FieldLimits.requireWithin(requiredString(field), prefix + field, maxLength);
  }

  /** The path of {@code field} in the request, as errors name it ({@code batch.template.identifier}). */
  public String path(String field) {
    return prefix + field;
  }

  public Optional<LocalDate> date(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw ErrorCode.DATE_FORMAT_ERROR.reject().asException();
    }
    LocalDate day;
    try {
      day = LocalDate.parse(v.textValue().trim(), DATE);
    } catch (DateTimeParseException e) {
      throw ErrorCode.DATE_FORMAT_ERROR.reject().asException();
    }
    FieldLimits.outOfRange(day, prefix + field).ifPresent(r -> {
      throw r.asException();
    });
    return Optional.of(day);
  }

  /** A list of non-blank strings; a single string is refused (Sunbird: "should be Arrays"). */
  public Optional<List<String>> stringList(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject(prefix + field, "Arrays").asException();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual() || item.textValue().isBlank()) {
        throw ErrorCode.INVALID_PARAMETER_VALUE.reject(item.toString(), prefix + field).asException();
      }
      out.add(item.textValue().trim());
    }
    return Optional.of(out);
  }

  /** {@link #stringList(String)} whose items are each at most {@code maxLength} characters ({@code mentors[2]}). */
  public Optional<List<String>> stringList(String field, int maxLength) {
    return stringList(field).map(items -> {
      for (int i = 0; i < items.size(); i++) {
        FieldLimits.requireWithin(items.get(i), prefix + field + "[" + i + "]", maxLength);
      }
      return items;
    });
  }

  /**
   * The value of {@code field} as given (any JSON but null), at most {@code maxLength} characters
   * as JSON text: free-form objects a request stores, e.g. a content's progressdetails.
   */
  public Optional<JsonNode> json(String field, int maxLength) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    FieldLimits.requireWithin(v.toString(), prefix + field, maxLength);
    return Optional.of(v);
  }

  /**
   * The list {@code field} of objects, each read with its path as the prefix of its fields
   * ({@code children[2].name}); absent or null: empty.
   */
  public List<JsonFields> objects(String field) {
    List<JsonNode> items = array(field).orElse(List.of());
    List<JsonFields> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String name = prefix + field + "[" + i + "]";
      if (!items.get(i).isObject()) {
        throw ErrorCode.DATA_TYPE_ERROR.reject(name, "Map").asException();
      }
      out.add(new JsonFields((ObjectNode) items.get(i), name + "."));
    }
    return out;
  }

  public Optional<JsonFields> object(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject(prefix + field, "Map").asException();
    }
    return Optional.of(new JsonFields((ObjectNode) v, prefix + field + "."));
  }

  public JsonFields requiredObject(String field) {
    return object(field).orElseThrow(() -> ErrorCode.MANDATORY_PARAMETER_MISSING.reject(prefix + field).asException());
  }

  public Optional<List<JsonNode>> array(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isArray()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject(prefix + field, "List").asException();
    }
    List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return Optional.of(out);
  }

  /** A whole number given as a JSON number or a numeric string (Sunbird samples use both). */
  public Optional<Integer> integer(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return Optional.of(v.intValue());
    }
    if (v.isTextual()) {
      try {
        return Optional.of(Integer.parseInt(v.textValue().trim()));
      } catch (NumberFormatException ignored) {
        // fall through to the type error
      }
    }
    throw ErrorCode.DATA_TYPE_ERROR.reject(prefix + field, "Integer").asException();
  }

  public Optional<Double> number(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isNumber()) {
      return Optional.of(v.doubleValue());
    }
    if (v.isTextual()) {
      try {
        return Optional.of(Double.parseDouble(v.textValue().trim()));
      } catch (NumberFormatException ignored) {
        // fall through to the type error
      }
    }
    throw ErrorCode.DATA_TYPE_ERROR.reject(prefix + field, "Number").asException();
  }

  /** Sunbird's {@code "Yes"/"No"} flags; booleans are accepted too. */
  public Optional<Boolean> yesNo(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isBoolean()) {
      return Optional.of(v.booleanValue());
    }
    if (v.isTextual()) {
      String t = v.textValue().trim();
      if (t.equalsIgnoreCase("yes") || t.equalsIgnoreCase("true")) {
        return Optional.of(true);
      }
      if (t.equalsIgnoreCase("no") || t.equalsIgnoreCase("false")) {
        return Optional.of(false);
      }
    }
    throw ErrorCode.INVALID_PARAMETER_VALUE.reject(v.toString(), prefix + field).asException();
  }
}
