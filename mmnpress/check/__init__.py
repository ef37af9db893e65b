"""Check statements and profiles without building: the engine of the `check` command."""
