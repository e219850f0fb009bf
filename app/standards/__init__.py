"""Competency standards: header, elements, criteria and the assessment instrument."""
