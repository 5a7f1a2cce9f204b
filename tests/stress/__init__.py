"""Long-running fault loops, run by hand (not collected by pytest)."""
