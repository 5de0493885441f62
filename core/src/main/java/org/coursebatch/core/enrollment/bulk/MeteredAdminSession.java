package org.coursebatch.core.enrollment.bulk;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A session whose items are counted as they stream out, by operation and outcome
 * ({@code coursebatch.bulk.items}): the rate of bulk work, and how much of it fails item by item.
 */
final class MeteredAdminSession implements EnrollmentBatchAdminSession {

  static final String NAME = "coursebatch.bulk.items";

  /** The counters of every operation and outcome, made once per node (so each series shows from the start). */
  static final class ItemCounters {
    private final Map<String, Counter[]> byOperation = new HashMap<>();

    ItemCounters(MeterRegistry registry) {
      for (String operation : List.of("create", "update", "delete", "alias")) {
        byOperation.put(operation, new Counter[] {counter(registry, operation, "succeeded"), counter(registry, operation, "failed")});
      }
    }

    private static Counter counter(MeterRegistry registry, String operation, String outcome) {
      return Counter.builder(NAME).description("Items of bulk enrolment operations, as they finish")
          .tag("operation", operation).tag("outcome", outcome).register(registry);
    }

    void count(String operation, ItemResponse item) {
      byOperation.get(operation)[item.succeeded() ? 0 : 1].increment();
    }
  }

  private final EnrollmentBatchAdminSession session;
  private final ItemCounters counters;

  MeteredAdminSession(EnrollmentBatchAdminSession session, ItemCounters counters) {
    this.session = session;
    this.counters = counters;
  }

  @Override
  public CompletionStage<List<EnrollmentForm>> getEnrollmentFormsForCreate(List<EnrollmentPeer> peers,
      List<String> enrollmentRecordTypes) {
    return session.getEnrollmentFormsForCreate(peers, enrollmentRecordTypes);
  }

  @Override
  public CompletionStage<Source<CreateResponse, NotUsed>> createEnrollments(List<EnrollmentForm> enrollmentForms) {
    return counted("create", session.createEnrollments(enrollmentForms));
  }

  @Override
  public CompletionStage<List<EnrollmentForm>> getEnrollmentFormsForUpdate(List<String> enrollmentIds) {
    return session.getEnrollmentFormsForUpdate(enrollmentIds);
  }

  @Override
  public CompletionStage<Source<UpdateResponse, NotUsed>> updateEnrollments(List<EnrollmentForm> enrollmentForms) {
    return counted("update", session.updateEnrollments(enrollmentForms));
  }

  @Override
  public CompletionStage<Source<DeleteResponse, NotUsed>> deleteAllEnrollments() {
    return counted("delete", session.deleteAllEnrollments());
  }

  @Override
  public CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollments(List<String> enrollmentIds) {
    return counted("delete", session.deleteEnrollments(enrollmentIds));
  }

  @Override
  public CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollmentsForProgramOffering(String programOfferingId) {
    return counted("delete", session.deleteEnrollmentsForProgramOffering(programOfferingId));
  }

  @Override
  public CompletionStage<Source<DeleteResponse, NotUsed>> deleteEnrollmentsForStudent(String resourceId) {
    return counted("delete", session.deleteEnrollmentsForStudent(resourceId));
  }

  @Override
  public CompletionStage<Source<DeleteResponse, NotUsed>> deleteIneffectiveEnrollmentsByDate(Instant date) {
    return counted("delete", session.deleteIneffectiveEnrollmentsByDate(date));
  }

  @Override
  public CompletionStage<Source<AliasResponse, NotUsed>> aliasEnrollments(List<AliasRequest> aliasRequests) {
    return counted("alias", session.aliasEnrollments(aliasRequests));
  }

  private <R extends ItemResponse> CompletionStage<Source<R, NotUsed>> counted(String operation,
      CompletionStage<Source<R, NotUsed>> items) {
    return items.thenApply(source -> source.map(item -> {
      counters.count(operation, item);
      return item;
    }));
  }
}
