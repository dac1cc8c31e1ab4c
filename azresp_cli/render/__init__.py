"""Rich output for terminals; plain and JSON writers for pipes."""
