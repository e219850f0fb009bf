"""E-mail: the one way mail leaves the app (queued, in the recipient's language), and the
development outbox page."""
