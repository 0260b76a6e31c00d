"""AI providers as ports (text generation with structured outputs), model names and token usage."""
