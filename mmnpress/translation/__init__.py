"""Translations of a statement: the skeleton of a new one (`new --translate`)."""
