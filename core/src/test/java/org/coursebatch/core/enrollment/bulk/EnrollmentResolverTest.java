package org.coursebatch.core.enrollment.bulk;

import static org.coursebatch.core.enrollment.bulk.BulkAdminCluster.CREATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.coursebatch.core.enrollment.EnrollmentId;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.request.ClientRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnrollmentResolverTest {

  private static BulkAdminCluster cluster;

  @BeforeAll
  static void start() {
    cluster = BulkAdminCluster.start("EnrollmentResolverTest");
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void onlyPrimaryIdsNameTheirBatchesOnceEachInOrder() {
    assertEquals(List.of("b2", "b1"), List.copyOf(EnrollmentResolver.primaryBatches(
        List.of("b2:u1:1", "an-alias", "b1:u1:1", "b2:u2:3", "b3:u1:0", "b3:u1"))));
  }

  @Test
  void anAliasIsSomeTextOfAtMost200PrintableCharactersNotShapedLikeAnId() {
    assertNull(EnrollmentResolver.invalidAlias("sis-2024-0001"));
    assertNull(EnrollmentResolver.invalidAlias("a".repeat(EnrollmentResolver.MAX_ALIAS_LENGTH)));
    assertInvalid("a".repeat(EnrollmentResolver.MAX_ALIAS_LENGTH + 1), "at most 200");
    assertInvalid(null, "required");
    assertInvalid("  ", "required");
    assertInvalid("tab\there", "control characters");
    assertInvalid("b1:u1:7", "form of an enrolment id");
    // Not an id (incarnation 0), so it may be an alias.
    assertNull(EnrollmentResolver.invalidAlias("b1:u1:0"));
  }

  @Test
  void aPrimaryIdNamesItselfWhetherOrNotItExists() {
    var id = new EnrollmentId("no-such-batch", "u1", 4);
    assertEquals(Optional.of(id), cluster.await(cluster.resolver.resolve(id.toString())));
  }

  @Test
  void anAliasNamesWhatItWasAssignedAndNothingBefore() {
    String batchId = cluster.newBatch();
    EnrollmentId id = cluster.enrol(batchId, BulkAdminCluster.LEARNERS.get(0));
    String alias = "sis-" + System.nanoTime();
    assertEquals(Optional.empty(), cluster.await(cluster.resolver.resolve(alias)));
    cluster.await(cluster.asks.<EnrollmentAliasEntity.Command, EnrollmentAliasEntity.Assigned>write(cluster.resolver.aliasRef(alias),
        ClientRequest.none(), (deadline, r) -> new EnrollmentAliasEntity.Assign(id.toString(), CREATOR.userId(), deadline, r)));
    assertEquals(Optional.of(id), cluster.await(cluster.resolver.resolve(alias)));
    assertEquals(id, cluster.await(cluster.resolver.find(alias)).orElseThrow().id());
  }

  @Test
  void textNoAliasCouldBeNamesNothing() {
    assertEquals(Optional.empty(), cluster.await(cluster.resolver.resolve("a".repeat(EnrollmentResolver.MAX_ALIAS_LENGTH + 1))));
    assertEquals(Optional.empty(), cluster.await(cluster.resolver.resolve("line\nbreak")));
  }

  @Test
  void findAnswersOnlyAnEnrolmentThatExistsInThatIncarnation() {
    String batchId = cluster.newBatch();
    String learner = BulkAdminCluster.LEARNERS.get(1);
    EnrollmentId id = cluster.enrol(batchId, learner);
    var found = cluster.await(cluster.resolver.find(id.toString())).orElseThrow();
    assertEquals(id, found.id());
    assertEquals(learner, found.enrollment().userId());
    var later = new EnrollmentId(batchId, learner, id.incarnation() + 1);
    assertEquals(Optional.empty(), cluster.await(cluster.resolver.find(later.toString())));
    assertEquals(Optional.empty(), cluster.await(cluster.resolver.find(new EnrollmentId(batchId, "never-enrolled", 1).toString())));
  }

  private static void assertInvalid(String alias, String why) {
    var r = EnrollmentResolver.invalidAlias(alias);
    assertEquals(ErrorCode.ALIAS_INVALID, r.code(), String.valueOf(alias));
    assertTrue(r.message().contains(why), r.message());
  }
}
