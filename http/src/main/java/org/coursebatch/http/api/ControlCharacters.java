package org.coursebatch.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.identity.EntityIds;

/**
 * Control characters in a request body: no field of this API gives one a meaning, and PostgreSQL
 * refuses a NUL byte outright, so a body with one in a string or a field name is refused whole
 * before any handler reads it. Tab, line feed and carriage return are allowed: free text (a
 * description, terms and conditions) may hold them.
 */
public final class ControlCharacters {

  private ControlCharacters() {}

  /**
   * 400 INVALID_PARAMETER_VALUE naming the first field that holds one, if any; the items of the
   * {@code request}'s {@code itemLists} are left to the handler, which checks them one by one.
   */
  static Optional<Rejection> refusal(JsonNode body, Set<String> itemLists) {
    return find(body, "", itemLists.stream().map(list -> "request." + list).collect(Collectors.toSet()));
  }

  /** The same for one part of a body at {@code path} ({@code request.contents[2]}). */
  public static Optional<Rejection> refusal(JsonNode node, String path) {
    return find(node, path, Set.of());
  }

  private static Optional<Rejection> find(JsonNode node, String path, Set<String> skipped) {
    if (skipped.contains(path) && node.isArray()) {
      return Optional.empty();
    }
    if (node.isTextual()) {
      return holdsOne(node.textValue()) ? Optional.of(refuse(node.textValue(), path)) : Optional.empty();
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<Rejection> found = find(node.get(i), path + "[" + i + "]", skipped);
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (holdsOne(field.getKey())) {
          return Optional.of(ErrorCode.INVALID_REQUEST_PARAMETER.reject(EntityIds.quoted(fieldPath)));
        }
        Optional<Rejection> found = find(field.getValue(), fieldPath, skipped);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static Rejection refuse(String value, String path) {
    return ErrorCode.INVALID_PARAMETER_VALUE.reject(EntityIds.quoted(value), path.isEmpty() ? "the body" : path);
  }

  static boolean holdsOne(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        return true;
      }
    }
    return false;
  }
}
