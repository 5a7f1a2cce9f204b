"""The screens of the desk, one per module."""
