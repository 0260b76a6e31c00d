"""REST surfaces: one module per surface, each translating its dialect to and from the domain."""
