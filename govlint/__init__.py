"""govlint: a consistency linter for Chinese government information-disclosure annual reports."""
