"""The listing studio: marketplace images in 16 styles, listing copy, assets and their export, priced in credits."""
