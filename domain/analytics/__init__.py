"""Store analytics: tracking hits on the Matomo protocol, visits, clicks, checkouts and their daily rollups."""
