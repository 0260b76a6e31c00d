"""``python -m schema`` writes schema.graphql from the code."""

from schema import SDL_PATH, export_sdl

SDL_PATH.write_text(export_sdl())
print(f"wrote {SDL_PATH}")
