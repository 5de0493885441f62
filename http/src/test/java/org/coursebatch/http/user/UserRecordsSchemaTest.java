package org.coursebatch.http.user;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.coursebatch.core.user.UserProfile;
import org.coursebatch.http.OpenApiExamples;
import org.coursebatch.http.api.Envelope;
import org.junit.jupiter.api.Test;

/** The user directory records write what openapi.yaml documents. */
class UserRecordsSchemaTest {

  @Test
  void recordsWriteTheirSchemasProperties() {
    OpenApiExamples doc = OpenApiExamples.load();
    doc.assertRecordMatchesSchema(UserResult.ProfileStored.class, "UserProfileStoredResult");
    doc.assertRecordMatchesSchema(UserResult.ProfileRead.class, "UserProfileReadResult");
    doc.assertRecordMatchesSchema(UserResult.Profile.class, "UserProfile");
    doc.assertRecordMatchesSchema(UserResult.ProfileErased.class, "UserProfileErasedResult");
    doc.assertRecordMatchesSchema(UserResult.ConsentUpdated.class, "UserConsentUpdatedResult");
    doc.assertRecordMatchesSchema(UserResult.ConsentOf.class, "UserConsentUpdatedResult/properties/consent");
    doc.assertRecordMatchesSchema(UserResult.Consents.class, "UserConsentReadResult");
    doc.assertRecordMatchesSchema(UserResult.ConsentDocument.class, "UserConsent");
  }

  /** A profile is written with every field a PUT takes, in the order of UserProfile.Field, after userId. */
  @Test
  void aProfileWritesEveryFieldInTheOrderOfTheFields() {
    List<String> expected = new ArrayList<>(List.of("userId"));
    for (UserProfile.Field f : UserProfile.Field.values()) {
      expected.add(f.key());
    }
    List<String> written = new ArrayList<>();
    Envelope.JSON.getSerializationConfig().introspect(Envelope.JSON.constructType(UserResult.Profile.class))
        .findProperties().forEach(p -> written.add(p.getName()));
    assertEquals(expected, written);
  }
}
