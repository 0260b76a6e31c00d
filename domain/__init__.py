"""The business: one package per area. Imports nothing from the other top-level packages."""
