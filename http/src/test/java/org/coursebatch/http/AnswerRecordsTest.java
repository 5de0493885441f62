package org.coursebatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.coursebatch.http.api.Envelope;
import org.coursebatch.http.enrollment.BatchDetails;
import org.coursebatch.http.history.HistoryEndpoints;
import org.coursebatch.http.user.HttpUserDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Every public record of the answer packages is written as (part of) an answer, so each is either
 * a row of its feature's {@code …RecordsSchemaTest}, checked against its openapi.yaml schema, or
 * listed here with the reason it is not. A new answer record without a schema fails here.
 */
class AnswerRecordsTest {

  /** The packages of the features' answers (api, the envelope, is checked by OpenApiDocumentTest). */
  private static final List<String> ANSWER_PACKAGES = List.of("batch", "catalog", "enrollment", "enrollment.bulk", "exhaust",
      "group", "history", "ops", "user");

  /** Public records of those packages that are not checked against a schema, and why. */
  private static final Map<Class<?>, String> NOT_CHECKED = Map.of(
      // Dynamic: the batch's ids, then the fields the request named (batchFields), as batch read has them.
      BatchDetails.class, "an enrolment's batch with the requested fields; its schema is additionalProperties only",
      HistoryEndpoints.class, "the history routes, not an answer",
      HttpUserDirectory.Settings.class, "configuration, not an answer");

  @Test
  void everyAnswerRecordIsCheckedOrListed() {
    Set<String> checked = new TreeSet<>();
    for (Class<?> test : classesIn(AnswerRecordsTest.class, c -> c.endsWith("RecordsSchemaTest"))) {
      rows(test).forEach(row -> checked.add(((Class<?>) row.get()[0]).getName()));
    }
    Set<String> answers = new TreeSet<>();
    for (Class<?> c : classesIn(Envelope.class, name -> true)) {
      if (c.isRecord() && publicAllTheWay(c) && ANSWER_PACKAGES.contains(c.getPackageName().replaceFirst("^org\\.coursebatch\\.http\\.", ""))) {
        answers.add(c.getName());
      }
    }
    assertFalse(answers.isEmpty(), "answer records found");
    Set<String> unaccounted = new TreeSet<>(answers);
    unaccounted.removeAll(checked);
    NOT_CHECKED.keySet().forEach(c -> unaccounted.remove(c.getName()));
    assertEquals(Set.of(), unaccounted, "answer records neither in a RecordsSchemaTest row nor listed in NOT_CHECKED");
    NOT_CHECKED.keySet().forEach(c -> assertTrue(answers.contains(c.getName()) && !checked.contains(c.getName()),
        c.getName() + " is listed as not checked but is not an unchecked answer record"));
  }

  private static boolean publicAllTheWay(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static Stream<Arguments> rows(Class<?> recordsSchemaTest) {
    try {
      Method records = recordsSchemaTest.getDeclaredMethod("records");
      records.setAccessible(true);
      return (Stream<Arguments>) records.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(recordsSchemaTest.getName() + " has its rows in a static records()", e);
    }
  }

  /** The classes of the build output directory {@code anchor} was loaded from, named as {@code simpleName} accepts. */
  private static List<Class<?>> classesIn(Class<?> anchor, Predicate<String> simpleName) {
    try {
      Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path base = root.resolve("org/coursebatch/http");
      try (Stream<Path> files = Files.walk(base)) {
        return files.map(p -> root.relativize(p).toString())
            .filter(p -> p.endsWith(".class") && !p.contains("-"))
            .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
            .filter(name -> simpleName.test(name.substring(name.lastIndexOf('.') + 1)))
            .map(AnswerRecordsTest::load)
            .toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, AnswerRecordsTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(name, e);
    }
  }
}
