"""The store: settings, articles, article categories, pages, and the store's users (workspace members)."""
