"""Evaluation: gold question/answer sets, scoring, measurement runs."""
