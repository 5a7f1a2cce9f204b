"""The domain: organisations, cases, contact moments and activities."""
