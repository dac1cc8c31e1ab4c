"""Typer commands: parse options, call core, hand results to render."""
