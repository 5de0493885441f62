package org.coursebatch.core.certificate;

import com.fasterxml.jackson.databind.JsonNode;
import org.coursebatch.core.json.AbsentJson;
import java.util.List;

/**
 * A certificate-template asset known to the catalog: the design (name, url) and optional default
 * issuer and signatories that batches attaching the template inherit.
 */
public record CertificateTemplateAsset(String identifier, String name, String url, JsonNode issuer, List<Signatory> signatoryList) {
  public CertificateTemplateAsset {
    signatoryList = signatoryList == null ? List.of() : List.copyOf(signatoryList);
    issuer = AbsentJson.orNull(issuer);
  }
}
