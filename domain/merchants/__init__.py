"""Merchant catalogs: the port every merchant adapter implements, the workspace's connections (credentials
encrypted), and the store operations that import from them (import links, fill categories)."""
