"""Classify and repair Unicode text: scripts, invisible characters and Zawgyi-encoded Burmese."""
