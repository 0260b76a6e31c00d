"""Channels and the content types each takes per locale: built-in ones, and the workspace's own rows that add
channels or replace a built-in one (``GET /channels/{channel}/locales/{locale}/content-types``)."""
