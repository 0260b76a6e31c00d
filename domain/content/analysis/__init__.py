"""Content analysis: the review summariser and tone-of-voice analysis (the content-services document's
"Content Analysis" jobs). Requests, job handlers, the offline methods and the provider prompts live here; the
job kinds are in ``kinds``."""
