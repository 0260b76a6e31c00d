"""The store catalog: the unified product, brands, the category tree and merchant offers."""
