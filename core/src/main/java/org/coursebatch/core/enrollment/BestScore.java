package org.coursebatch.core.enrollment;

/** The best attempt at one assessment: the one that counts for certificates and aggregates. */
public record BestScore(String contentId, String attemptId, double score, double maxScore, int attempts) {}
