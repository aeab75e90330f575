"""G-code continuation for pen plotters (tokenised drawing commands)."""
