"""Spaces: groups of workspace members who post catalog products to each other (the space product post
document, ``/swm/rs/v1``), with a max-products setting and email notification for members who opted in."""
