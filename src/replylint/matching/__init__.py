"""Matching a rule pattern against a view of a draft: the compiled pattern, its pre-checks, the pattern cache."""
