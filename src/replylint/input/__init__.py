"""Reading the input: files, folders and stdin (sources), one reader per format (readers)."""
