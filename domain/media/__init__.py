"""Media files: stored once through one storage port, served through signed, expiring URLs; image rendering."""
