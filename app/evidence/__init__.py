"""The evidence portfolio: files the evaluator attaches to an assessment's items (DOMAIN.md
step 4), kept in the app's store, shown to those who may see the assessment, zipped with an
index for the centre, and purged after the retention period."""
