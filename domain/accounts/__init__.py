"""Workspaces, users, memberships and roles, API keys, access tokens, plans and credits."""
