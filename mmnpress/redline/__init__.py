"""Compare two versions of a statement and write the changes as tracked changes in Word."""
