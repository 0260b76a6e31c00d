"""The store surface (freshstore-api.txt), mounted at ``/api/...``: one module per resource group."""
