package org.coursebatch.core.catalog;

import akka.Done;
import java.util.concurrent.CompletionStage;
import org.coursebatch.core.certificate.CertificateTemplateAsset;

/** Registers courses and certificate templates in the built-in catalog (standalone mode). */
public interface CatalogAdmin {

  /** Registers the course, or replaces the one with the same id. */
  CompletionStage<Done> putCourse(Course course, String actor);

  /** Registers the asset, or replaces the one with the same id. */
  CompletionStage<Done> putCertificateTemplate(CertificateTemplateAsset asset, String actor);
}
