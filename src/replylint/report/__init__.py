"""What a run reports: diagnostics, suppressions, fixes, and the output formats (reporters)."""
