"""Shopwright composition root: settings, building the app, the CLI."""
