"""The store's AI operations (``freshstore-api.txt``): generate a category list, clean brands, regenerate stock
texts, pick a logo icon, generate a logo, suggest article topics, fill an article's empty images.

Each is a job (``jobs.py``) submitted by ``service.StoreAiOps``, priced in credits from the document's AI Chips
(``domain.store.ai_billing``). See ``docs/store-ai-operations.md``.
"""
