"""The interactive prompt-toolkit session."""
