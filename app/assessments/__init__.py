"""Assessment plans, scheduling, item results, judgement and internal review."""
