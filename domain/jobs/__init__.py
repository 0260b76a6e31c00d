"""Background work: the jobs table, its events, the lifecycle and callback deliveries."""
