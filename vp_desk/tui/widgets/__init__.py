"""Widgets and helpers shared by the screens (dialogs, notices, clipboard)."""
