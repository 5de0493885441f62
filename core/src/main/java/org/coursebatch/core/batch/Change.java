package org.coursebatch.core.batch;

import java.util.function.Function;

/**
 * One field of a partial update: absent (keep the stored value) or present with a new value,
 * where a present {@code null} clears an optional field.
 */
public record Change<T>(boolean present, T value) {

  private static final Change<?> KEEP = new Change<>(false, null);

  @SuppressWarnings("unchecked")
  public static <T> Change<T> keep() {
    return (Change<T>) KEEP;
  }

  public static <T> Change<T> to(T value) {
    return new Change<>(true, value);
  }

  /** The new value when present, else the current one. */
  public T orElse(T current) {
    return present ? value : current;
  }

  /** Whether this change sets a value different from the current one. */
  public boolean differsFrom(T current) {
    return present && !java.util.Objects.equals(value, current);
  }

  public <R> Change<R> map(Function<T, R> f) {
    return present ? to(value == null ? null : f.apply(value)) : keep();
  }
}
