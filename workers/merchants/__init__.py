"""Merchant catalog adapters (``domain.merchants.ports.MerchantCatalog``): Amazon PA-API 5, eBay Browse, feeds."""
