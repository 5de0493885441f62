package org.coursebatch.core.enrollment.bulk;

import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.coursebatch.core.error.ErrorCode;

/**
 * The limits a bulk request's input is held to. They are checked before anything runs, so a
 * request refused for its input changed nothing.
 */
final class InputLimits {

  /** Ids a message names before it says how many more there are: messages stay short for long lists. */
  private static final int LISTED_IDS = 10;

  private final int maxItems;

  InputLimits(int maxItems) {
    this.maxItems = maxItems;
  }

  void requireItems(List<?> items, String name) {
    if (items == null) {
      throw ErrorCode.NULL_ARGUMENT.reject(name).asException();
    }
    if (items.size() > maxItems) {
      throw ErrorCode.TOO_MANY_ITEMS.reject(maxItems, items.size()).asException();
    }
  }

  void requireIds(List<String> ids, String name) {
    requireItems(ids, name);
    for (int i = 0; i < ids.size(); i++) {
      requireText(ids.get(i), name + "[" + i + "]");
    }
  }

  static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw ErrorCode.NULL_ARGUMENT.reject(name).asException();
    }
  }

  static String listed(Collection<String> ids) {
    String shown = ids.stream().limit(LISTED_IDS).collect(Collectors.joining(", "));
    return ids.size() > LISTED_IDS ? shown + " and " + (ids.size() - LISTED_IDS) + " more" : shown;
  }
}
