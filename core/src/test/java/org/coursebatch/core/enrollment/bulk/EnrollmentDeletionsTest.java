package org.coursebatch.core.enrollment.bulk;

import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.CREATOR;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.LEARNERS;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.OUTSIDER;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.STRANGER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.NotUsed;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.EnrollmentSelection;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.request.ClientRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnrollmentDeletionsTest {

  private static final int MAX_ITEMS = 3;

  private static BulkAdminCluster cluster;
  private static EnrollmentBatchAdmin.Parts parts;

  @BeforeAll
  static void start() {
    cluster = BulkAdminCluster.start("EnrollmentDeletionsTest");
    parts = cluster.parts(MAX_ITEMS, 4);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void listNothing() {
    cluster.listing.ids = s -> Source.empty();
    cluster.listing.asked.clear();
  }

  private static EnrollmentDeletions of(Caller caller) {
    return new EnrollmentDeletions(parts.enrollments(), parts.queries(), parts.resolver(), parts.fanOut(), parts.limits(),
        parts.scopeOf(caller), caller, ClientRequest.none());
  }

  private static boolean exists(EnrollmentId id) {
    return cluster.await(cluster.resolver.find(id.toString())).isPresent();
  }

  @Test
  void namedEnrolmentsAreDeletedAndEachNameNotFoundFailsAlone() {
    String batchId = cluster.newBatch();
    EnrollmentId enrolled = cluster.enrol(batchId, LEARNERS.get(0));
    String neverEnrolled = new EnrollmentId(batchId, LEARNERS.get(1), 1).toString();
    List<DeleteResponse> out = byRequested(cluster.all(of(CREATOR).named(List.of(enrolled.toString(), neverEnrolled, "no-such-alias"))));
    assertEquals(new DeleteResponse(enrolled.toString(), enrolled.toString(), null), out.get(0));
    assertEquals(neverEnrolled, out.get(1).enrollmentId());
    assertEquals(ErrorCode.ENROLLMENT_NOT_FOUND, out.get(1).error().code());
    assertEquals(new DeleteResponse("no-such-alias", null, ErrorCode.ENROLLMENT_NOT_FOUND.reject("no-such-alias")), out.get(2));
    assertTrue(!exists(enrolled));
  }

  @Test
  void asManyNamesAsTheLimitAreTakenAndOneMoreRefusesThemAll() {
    String batchId = cluster.newBatch();
    EnrollmentId enrolled = cluster.enrol(batchId, LEARNERS.get(0));
    List<String> tooMany = List.of(enrolled.toString(), "a", "b", "c");
    assertEquals(ErrorCode.TOO_MANY_ITEMS, cluster.refusal(of(CREATOR).named(tooMany)).code());
    assertTrue(exists(enrolled));
    assertEquals(ErrorCode.NULL_ARGUMENT, cluster.refusal(of(CREATOR).named(List.of(enrolled.toString(), " "))).code());
    assertEquals(MAX_ITEMS, cluster.all(of(CREATOR).named(tooMany.subList(0, MAX_ITEMS))).size());
    assertTrue(!exists(enrolled));
  }

  @Test
  void anIdInABatchTheCallerDoesNotAdministerRefusesTheWholeRequest() {
    String batchId = cluster.newBatch();
    EnrollmentId enrolled = cluster.enrol(batchId, LEARNERS.get(0));
    assertEquals(ErrorCode.PERMISSION_DENIED, cluster.refusal(of(OUTSIDER).named(List.of(enrolled.toString()))).code());
    assertTrue(exists(enrolled));
  }

  @Test
  void aLearnerOutsideTheCallersAuthorityFailsTheirItemOnly() {
    String batchId = cluster.newBatch();
    EnrollmentId ours = cluster.enrol(batchId, LEARNERS.get(1));
    EnrollmentId theirs = cluster.enrol(batchId, STRANGER);
    List<DeleteResponse> out = byRequested(cluster.all(of(CREATOR).named(List.of(ours.toString(), theirs.toString()))));
    assertNull(out.get(0).error());
    assertEquals(ErrorCode.PERMISSION_DENIED, out.get(1).error().code());
    assertTrue(!exists(ours));
    assertTrue(exists(theirs));
  }

  @Test
  void anAliasIntoABatchTheCallerDoesNotAdministerIsRefusedOnItsOwn() {
    String othersBatch = cluster.newBatch();
    EnrollmentId elsewhere = cluster.enrol(othersBatch, LEARNERS.get(2));
    String alias = "sis-" + System.nanoTime();
    cluster.await(cluster.asks.<EnrollmentAliasEntity.Command, EnrollmentAliasEntity.Assigned>write(cluster.resolver.aliasRef(alias),
        ClientRequest.none(), (deadline, r) -> new EnrollmentAliasEntity.Assign(elsewhere.toString(), CREATOR.userId(), deadline, r)));
    // The outsider names no batch by a primary id, so the request starts; the alias's batch is checked with its item.
    List<DeleteResponse> out = cluster.all(of(OUTSIDER).named(List.of(alias)));
    assertEquals(1, out.size());
    assertEquals(elsewhere.toString(), out.get(0).enrollmentId());
    assertEquals(ErrorCode.PERMISSION_DENIED, out.get(0).error().code());
    assertTrue(exists(elsewhere));
    // Its administrator deletes it through the alias.
    assertNull(cluster.all(of(CREATOR).named(List.of(alias))).get(0).error());
    assertTrue(!exists(elsewhere));
  }

  @Test
  void aBatchsEnrolmentsAreThoseTheReadSideListsLeavingOutOnesAlreadyGone() {
    String batchId = cluster.newBatch();
    EnrollmentId enrolled = cluster.enrol(batchId, LEARNERS.get(0));
    EnrollmentId gone = new EnrollmentId(batchId, LEARNERS.get(1), 1);
    cluster.listing.ids = s -> Source.from(List.of(enrolled, gone));
    assertEquals(List.of(new DeleteResponse(enrolled.toString(), enrolled.toString(), null)), cluster.all(of(CREATOR).ofBatch(batchId)));
    assertEquals(List.of(EnrollmentSelection.ofBatch(batchId)), cluster.listing.asked);
    assertTrue(!exists(enrolled));
  }

  @Test
  void aBatchMustBeNamedExistAndBeAdministered() {
    String batchId = cluster.newBatch();
    assertEquals(ErrorCode.NULL_ARGUMENT, cluster.refusal(of(CREATOR).ofBatch(" ")).code());
    assertEquals(ErrorCode.UNKNOWN_IDS, cluster.refusal(of(CREATOR).ofBatch("0139-no-such-batch")).code());
    assertEquals(ErrorCode.PERMISSION_DENIED, cluster.refusal(of(OUTSIDER).ofBatch(batchId)).code());
    assertTrue(cluster.listing.asked.isEmpty());
  }

  @Test
  void theCatalogsDeletionsSelectWithinTheCallersCatalog() {
    Instant at = Instant.parse("2030-01-01T00:00:00Z");
    cluster.all(of(CREATOR).all());
    cluster.all(of(CREATOR).ofStudent(LEARNERS.get(0)));
    cluster.all(of(CREATOR).ineffectiveAt(at));
    assertEquals(List.of(
        new EnrollmentSelection(null, null, CREATOR.userId(), null, null),
        new EnrollmentSelection(null, LEARNERS.get(0), CREATOR.userId(), null, null),
        new EnrollmentSelection(null, null, CREATOR.userId(), null, at)), cluster.listing.asked);
    assertEquals(ErrorCode.NULL_ARGUMENT, cluster.refusal(of(CREATOR).ofStudent("")).code());
    assertEquals(ErrorCode.NULL_ARGUMENT, cluster.refusal(of(CREATOR).ineffectiveAt(null)).code());
    assertEquals(3, cluster.listing.asked.size());
  }

  @Test
  void whenTheListingBreaksOffTheDeletionsUnderWayAreReportedBeforeTheStreamFails() throws Exception {
    String batchId = cluster.newBatch();
    EnrollmentId enrolled = cluster.enrol(batchId, LEARNERS.get(0));
    // The first page is read, the next one fails.
    cluster.listing.ids = s -> Source.from(List.of(1, 2)).map(page -> {
      if (page == 2) {
        throw new IllegalStateException("read side gone");
      }
      return enrolled;
    });
    Source<DeleteResponse, NotUsed> responses = cluster.await(of(CREATOR).all());
    List<DeleteResponse> seen = new CopyOnWriteArrayList<>();
    var done = responses.runWith(Sink.foreach(seen::add), cluster.testKit.system()).toCompletableFuture();
    var failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> done.get(20, TimeUnit.SECONDS));
    assertEquals("read side gone", failure.getCause().getMessage());
    assertEquals(List.of(new DeleteResponse(enrolled.toString(), enrolled.toString(), null)), seen);
    assertTrue(!exists(enrolled));
  }

  /** Responses come as items finish; sorted by the request's names to compare. */
  private static List<DeleteResponse> byRequested(List<DeleteResponse> out) {
    return out.stream().sorted(Comparator.comparing(DeleteResponse::requestedId)).toList();
  }
}
