"""Storefront marketing posts: captions, hashtags, calls to action and post/story images made from a catalog
product by the ``marketing.posts`` job."""
