"""Publish statements to the organisation's website (WordPress) and remember what was published."""
