"""Run builds in a long-lived process: the build server, the client the console script uses, and their wire protocol."""
