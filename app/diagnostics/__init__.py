"""Diagnostics: the questionnaire part of an instrument, answered before any assessment."""
