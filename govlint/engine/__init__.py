"""The rule engine: rule specs, loading rule packs, configuration, running rules on a report."""
