"""Appeals (inconformidades) against a judgement, and the re-assessment that follows an attempt."""
