"""AI provider adapters: they do network I/O, so they live outside ``domain``."""
