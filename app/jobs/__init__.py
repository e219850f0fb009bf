"""Scheduled jobs: periodic tasks that run once per period however many workers run them."""
