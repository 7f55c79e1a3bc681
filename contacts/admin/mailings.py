"""Admin for mailings: topic alerts and sends to media lists."""
