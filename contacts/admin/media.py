"""Admin for media outlets, contacts and lists."""
