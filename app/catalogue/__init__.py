"""The public catalogue: search published standards and read one, without an account."""
