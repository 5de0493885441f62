package org.coursebatch.core.enrollment.bulk;

import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.CREATOR;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.LEARNERS;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.ORG;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.ORG_ADMIN;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.OUTSIDER;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.STRANGER;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.SYSADMIN;
import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.coursebatch.core.batch.BatchView;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.enrollment.EnrollmentSelection;
import org.coursebatch.core.enrollment.bulk.EnrollmentBatchAdmin.FoundEnrollment;
import org.coursebatch.core.enrollment.bulk.ItemFanOut.Learners;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.error.Rejection;
import org.coursebatch.core.identity.Caller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminScopeTest {

  private static BulkAdminCluster cluster;
  private static String batchId;
  private static String otherBatchId;

  @BeforeAll
  static void start() {
    cluster = BulkAdminCluster.start("AdminScopeTest");
    batchId = cluster.newBatch();
    otherBatchId = cluster.newBatch();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static AdminScope scopeOf(Caller caller) {
    return new AdminScope(cluster.testKit.system(), cluster.access, cluster.batches, 4, caller);
  }

  @Test
  void theBatchesAreAnsweredToThoseWhoAdministerThem() {
    for (Caller admin : List.of(CREATOR, SYSADMIN, ORG_ADMIN)) {
      Map<String, BatchView> views = cluster.await(scopeOf(admin).administered(List.of(batchId, otherBatchId), true));
      assertEquals(List.of(batchId, otherBatchId), List.copyOf(views.keySet()), admin.userId());
    }
  }

  @Test
  void oneBatchNotAdministeredRefusesTheWholeOperationNamingIt() {
    var e = refusal(scopeOf(OUTSIDER).administered(List.of(batchId), true));
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertTrue(e.message().contains(batchId), e.message());
  }

  @Test
  void aMissingBatchRefusesTheOperationOnlyWhenItMustExist() {
    String missing = "0139" + System.nanoTime();
    var e = refusal(scopeOf(CREATOR).administered(List.of(batchId, missing), true));
    assertEquals(ErrorCode.UNKNOWN_IDS, e.code());
    assertTrue(e.message().contains(missing), e.message());
    // Otherwise it is left to the items that name it.
    assertEquals(Set.of(batchId), cluster.await(scopeOf(CREATOR).administered(List.of(batchId, missing), false)).keySet());
    // A missing batch is told before a denied one: nothing about the existing batches leaks then.
    assertEquals(ErrorCode.UNKNOWN_IDS, refusal(scopeOf(OUTSIDER).administered(List.of(batchId, missing), true)).code());
  }

  @Test
  void mayAdministerIsNullForAnAdministratorElseTheDenial() {
    assertNull(cluster.await(scopeOf(CREATOR).mayAdminister(batchId)));
    assertEquals(ErrorCode.PERMISSION_DENIED, cluster.await(scopeOf(OUTSIDER).mayAdminister(batchId)).code());
    // A batch that does not exist is not told apart from one the caller does not administer.
    assertEquals(ErrorCode.PERMISSION_DENIED, cluster.await(scopeOf(CREATOR).mayAdminister("0139-gone")).code());
  }

  @Test
  void anActionOnALearnerRunsOnlyWithAuthorityOverThem() {
    BatchView view = view(batchId);
    Learners learners = new Learners(cluster.await(cluster.access.knownLearners(List.of(LEARNERS.get(0), STRANGER))), null);
    assertEquals("ran", onLearner(scopeOf(CREATOR), view, LEARNERS.get(0), learners, true));
    String denied = onLearner(scopeOf(CREATOR), view, STRANGER, learners, false);
    assertTrue(denied.startsWith("PERMISSION_DENIED") && denied.contains(STRANGER), denied);
    assertEquals("ran", onLearner(scopeOf(SYSADMIN), view, STRANGER, learners, true));
    assertEquals("ran", onLearner(scopeOf(ORG_ADMIN), view, LEARNERS.get(0), learners, true));
  }

  @Test
  void aLearnerTheDirectoryDoesNotKnowIsNotFoundWhenEnrollingElseOnlyASystemAdminActsOnThem() {
    BatchView view = view(batchId);
    Learners none = new Learners(Map.of(), null);
    assertEquals("USER_NOT_FOUND", onLearner(scopeOf(SYSADMIN), view, UNKNOWN, none, true).split(" ")[0]);
    assertEquals("ran", onLearner(scopeOf(SYSADMIN), view, UNKNOWN, none, false));
    assertEquals("PERMISSION_DENIED", onLearner(scopeOf(CREATOR), view, UNKNOWN, none, false).split(" ")[0]);
  }

  @Test
  void aChunkWhoseLookupFailedFailsTheItemWithThatError() {
    Rejection lookup = ErrorCode.OPERATION_FAILED.reject("directory");
    assertEquals("OPERATION_FAILED directory",
        onLearner(scopeOf(SYSADMIN), view(batchId), LEARNERS.get(0), new Learners(Map.of(), lookup), false));
  }

  private static String onLearner(AdminScope scope, BatchView view, String userId, Learners learners, boolean mustBeKnown) {
    AtomicInteger runs = new AtomicInteger();
    String outcome = cluster.await(scope.onLearner(view, userId, learners, mustBeKnown, () -> {
      runs.incrementAndGet();
      return CompletableFuture.completedFuture("ran");
    }, denied -> denied.code() + " " + denied.message()));
    assertEquals(outcome.equals("ran") ? 1 : 0, runs.get());
    return outcome;
  }

  @Test
  void formsNeedAuthorityOverEveryKnownLearnerButAnUnknownOneIsLeftToItsItem() {
    Map<String, BatchView> views = Map.of(batchId, view(batchId));
    var known = cluster.await(cluster.access.knownLearners(List.of(LEARNERS.get(0), LEARNERS.get(1), STRANGER)));
    List<EnrollmentPeer> fine = List.of(new EnrollmentPeer(batchId, LEARNERS.get(0)), new EnrollmentPeer(batchId, UNKNOWN));
    assertSame(views, cluster.await(scopeOf(CREATOR).withAuthorityOver(fine, views, known)));
    List<EnrollmentPeer> withStranger = List.of(new EnrollmentPeer(batchId, LEARNERS.get(1)), new EnrollmentPeer(batchId, STRANGER));
    var e = refusal(scopeOf(CREATOR).withAuthorityOver(withStranger, views, known));
    assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
    assertTrue(e.message().contains(STRANGER) && !e.message().contains(LEARNERS.get(1)), e.message());
  }

  @Test
  void anEnrolmentIsReadByItsLearnerAndItsBatchsAdministratorsOnly() {
    var found = new FoundEnrollment(new EnrollmentId(batchId, LEARNERS.get(2), 1), null);
    assertSame(found, cluster.await(scopeOf(Caller.of(LEARNERS.get(2))).readable(found)));
    assertSame(found, cluster.await(scopeOf(CREATOR).readable(found)));
    assertEquals(ErrorCode.PERMISSION_DENIED, refusal(scopeOf(Caller.of(LEARNERS.get(0))).readable(found)).code());
    assertEquals(ErrorCode.PERMISSION_DENIED, refusal(scopeOf(OUTSIDER).readable(found)).code());
  }

  @Test
  void theCatalogIsEveryBatchForASystemAdminElseTheCallersAndTheirOrganisations() {
    Instant at = Instant.parse("2030-01-01T00:00:00Z");
    var sys = scopeOf(SYSADMIN);
    assertEquals(new EnrollmentSelection("b", "u", null, null, at), sys.catalogOf(cluster.await(sys.requester()), "b", "u", at));
    var creator = scopeOf(CREATOR);
    assertEquals(new EnrollmentSelection(null, null, CREATOR.userId(), null, null),
        creator.catalogOf(cluster.await(creator.requester()), null, null, null));
    var orgAdmin = scopeOf(ORG_ADMIN);
    assertEquals(new EnrollmentSelection(null, "u", ORG_ADMIN.userId(), ORG, null),
        orgAdmin.catalogOf(cluster.await(orgAdmin.requester()), null, "u", null));
  }

  @Test
  void theRequesterIsLookedUpOnceARequest() {
    var scope = scopeOf(CREATOR);
    assertSame(scope.requester(), scope.requester());
    assertEquals(Optional.of(ORG), cluster.await(scope.requester()).rootOrgId());
  }

  private static BatchView view(String id) {
    return cluster.await(cluster.batches.find(id)).orElseThrow();
  }

  private static Rejection refusal(CompletionStage<?> stage) {
    return cluster.refusal(stage);
  }
}
