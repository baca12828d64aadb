"""Users, login, roles and tokens."""
