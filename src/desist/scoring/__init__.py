"""Scoring for cohort selection: the risk matrix, OGRS3, learned models and score audits."""
