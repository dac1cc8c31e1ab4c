"""Config, auth, client factory and the Turn engine. Knows nothing of rich or prompt-toolkit."""
