package org.coursebatch.persistence.db;

import akka.NotUsed;
import akka.japi.Pair;
import akka.stream.javadsl.Source;
import java.sql.Connection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Rows read page by page in the order of a text key (keyset pagination): each page is one query
 * for the rows after the last key read, run on {@code executor} when the stream wants more. A page
 * shorter than the page size is the last.
 */
public final class KeysetPages {

  private KeysetPages() {}

  /** One page: at most {@code pageSize} rows whose key comes after {@code after} ("" for the first), in key order. */
  @FunctionalInterface
  public interface PageQuery<T> {
    List<T> read(Connection connection, String after, int pageSize) throws Exception;
  }

  public static <T> Source<List<T>, NotUsed> of(Database db, Executor executor, int pageSize, Function<T, String> keyOf,
      PageQuery<T> query) {
    return Source.unfoldAsync(Optional.of(""), after -> {
      if (after.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.<Pair<Optional<String>, List<T>>>empty());
      }
      return db.runAsync(executor, c -> {
        List<T> page = query.read(c, after.get(), pageSize);
        if (page.isEmpty()) {
          return Optional.<Pair<Optional<String>, List<T>>>empty();
        }
        Optional<String> next = page.size() < pageSize ? Optional.empty() : Optional.of(keyOf.apply(page.get(page.size() - 1)));
        return Optional.of(Pair.create(next, Collections.unmodifiableList(page)));
      });
    });
  }
}
