"""Hold every click command of the command line, each a thin call into the stages (`main` is the group)."""
