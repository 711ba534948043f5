"""The commands: the CLI, linting files (run, parallel, progress), the language server, eval and explain."""
