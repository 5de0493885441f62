package org.coursebatch.core.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.coursebatch.core.batch.Batch;
import org.coursebatch.core.batch.BatchStatus;
import org.coursebatch.core.batch.EnrollmentType;
import org.coursebatch.core.identity.Caller;
import org.coursebatch.core.testing.AuthorizationTable;
import org.coursebatch.core.testing.AuthorizationTable.Identity;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md's authorization table is what the access policy decides for one fixture: a
 * batch of organisation A created by the creator for A, mentored by the mentor; the enrolled
 * learner (of A) as the learner acted on and read; a report requested by the creator; a group the
 * enrolled learner is a member of. Anonymous callers may do only the open operations (the router
 * refuses them everything else before the policy is asked).
 */
class AccessPolicyTableTest {

  private static final AccessPolicy POLICY = new AccessPolicy(AccessRoles.SUNBIRD);
  private static final Instant CREATED = Instant.parse("2024-01-01T10:00:00Z");
  private static final Batch BATCH = new Batch("0123", "do_course", "Batch", null, null, EnrollmentType.OPEN,
      LocalDate.parse("2024-01-10"), LocalDate.parse("2024-02-10"), null, "UTC", List.of(AuthorizationTable.ORG_A),
      List.of(Identity.MENTOR.userId()), Identity.CREATOR.userId(), CREATED, Identity.CREATOR.userId(), CREATED,
      BatchStatus.UPCOMING, Map.of(), null, null);
  private static final Learner LEARNER = new Learner(Identity.ENROLLED_LEARNER.userId(), Identity.ENROLLED_LEARNER.rootOrgId());

  /** The facts every operation may read, for {@code who}: only group membership depends on who asks. */
  private static AccessPolicy.Target target(Identity who) {
    return new AccessPolicy.Target(BATCH, LEARNER, Identity.CREATOR.rootOrgId(), LEARNER.rootOrgId(), false,
        Identity.CREATOR.userId(), who == Identity.ENROLLED_LEARNER);
  }

  private static boolean decide(Operation op, Identity who) {
    if (who == Identity.ANONYMOUS) {
      return op.open();
    }
    Requester requester = Requester.of(new Caller(who.userId(), who.roles()), who.rootOrgId());
    return POLICY.decide(op, requester, target(who)).allowed();
  }

  static AuthorizationTable decided() {
    Map<Operation, Map<Identity, Boolean>> cells = new EnumMap<>(Operation.class);
    for (Operation op : Operation.values()) {
      Map<Identity, Boolean> row = new EnumMap<>(Identity.class);
      for (Identity who : Identity.values()) {
        row.put(who, decide(op, who));
      }
      cells.put(op, row);
    }
    return new AuthorizationTable(cells);
  }

  @Test
  void theDocumentedTableIsWhatThePolicyDecides() throws Exception {
    String rendered = decided().render();
    String documented = AuthorizationTable.between(Files.readString(AuthorizationTable.DOCUMENT));
    if (!rendered.equals(documented)) {
      fail("docs/security.md's authorization table differs from the access policy; between "
          + AuthorizationTable.START + " and " + AuthorizationTable.END + " it should read:\n\n" + rendered + "\n");
    }
  }

  @Test
  void theTableReadsBackAsRendered() {
    AuthorizationTable decided = decided();
    assertEquals(decided.render(), AuthorizationTable.parse(decided.render()).render());
  }
}
