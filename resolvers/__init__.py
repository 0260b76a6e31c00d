"""Request handling: thin calls from GraphQL fields and REST routes into domain services."""
