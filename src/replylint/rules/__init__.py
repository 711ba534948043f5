"""Rules: their TOML files (file, catalogue, schema), the context exceptions they share, and the rule kinds."""
