package org.coursebatch.core.certificate;

/** A person whose signature appears on a certificate. */
public record Signatory(String name, String id, String designation, String image) {}
