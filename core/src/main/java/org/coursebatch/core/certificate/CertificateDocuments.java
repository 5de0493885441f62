package org.coursebatch.core.certificate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coursebatch.core.error.ErrorCode;
import org.coursebatch.core.json.FieldLimits;
import org.coursebatch.core.json.JsonFields;

/** Reads certificate-template assets and the issuer/signatory parts shared with batch templates. */
public final class CertificateDocuments {

  private CertificateDocuments() {}

  /**
   * A catalog asset: {@code name} required, {@code url} (or Sunbird's {@code artifactUrl}),
   * optional issuer and signatories, each within {@link FieldLimits}.
   */
  public static CertificateTemplateAsset parseAsset(String pathId, JsonNode value) {
    FieldLimits.requireWithin(pathId, "templateId", FieldLimits.ID);
    JsonFields doc = JsonFields.of(value, "request");
    String identifier = doc.string("identifier").orElse(pathId);
    if (!identifier.equals(pathId)) {
      throw ErrorCode.INVALID_PARAMETER_VALUE.reject(identifier, "identifier (it must equal the id in the path, " + pathId + ")").asException();
    }
    String name = doc.requiredString("name", FieldLimits.NAME);
    Optional<String> url = doc.string("url", FieldLimits.URL);
    Optional<String> artifactUrl = doc.string("artifactUrl", FieldLimits.URL);
    return new CertificateTemplateAsset(identifier, name, url.or(() -> artifactUrl).orElse(null), issuer(doc).orElse(null),
        signatories(doc).orElse(List.of()));
  }

  /** {@code issuer}: a JSON object when given, of at most {@link FieldLimits#JSON_OBJECT} characters as JSON. */
  public static Optional<JsonNode> issuer(JsonFields doc) {
    if (doc.has("issuer") && !doc.node().get("issuer").isObject()) {
      // named as lms-service's validator names it, wherever the document is in the request
      throw ErrorCode.DATA_TYPE_ERROR.reject("issuer", "Map").asException();
    }
    Optional<JsonNode> issuer = doc.object("issuer").map(JsonFields::node);
    issuer.ifPresent(i -> FieldLimits.requireWithin(i.toString(), doc.path("issuer"), FieldLimits.JSON_OBJECT));
    return issuer;
  }

  /**
   * {@code signatoryList}: a list of objects, each with name, id, designation and image; name, id
   * and designation of at most {@link FieldLimits#LABEL} characters, the image (a link) of at
   * most {@link FieldLimits#URL}.
   */
  public static Optional<List<Signatory>> signatories(JsonFields doc) {
    if (doc.has("signatoryList") && !doc.node().get("signatoryList").isArray()) {
      throw ErrorCode.DATA_TYPE_ERROR.reject("signatoryList", "List").asException();
    }
    Optional<List<JsonNode>> items = doc.array("signatoryList");
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<Signatory> out = new ArrayList<>();
    for (int i = 0; i < items.get().size(); i++) {
      JsonNode item = items.get().get(i);
      if (!item.isObject()) {
        throw ErrorCode.INVALID_DATA.reject().asException();
      }
      String name = text(item, "name");
      String id = text(item, "id");
      String designation = text(item, "designation");
      String image = text(item, "image");
      if (name == null || id == null || designation == null || image == null) {
        throw ErrorCode.INVALID_DATA.reject().asException();
      }
      String at = doc.path("signatoryList") + "[" + i + "].";
      FieldLimits.requireWithin(name, at + "name", FieldLimits.LABEL);
      FieldLimits.requireWithin(id, at + "id", FieldLimits.LABEL);
      FieldLimits.requireWithin(designation, at + "designation", FieldLimits.LABEL);
      FieldLimits.requireWithin(image, at + "image", FieldLimits.URL);
      out.add(new Signatory(name, id, designation, image));
    }
    return Optional.of(out);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }
}
