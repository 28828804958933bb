"""`govlint serve`: a local web page where clerks check reports without a terminal (extra `web`)."""
