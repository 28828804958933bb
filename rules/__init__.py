"""govlint's built-in rule pack: one TOML file per rule, loaded through the `govlint.rules` entry point."""
