"""Users, roles, login, centres and the people they serve (candidates, accredited evaluators)."""
