"""``python -m benchmarks``: the content-generation benchmark (see ``benchmarks.content_generation``)."""

from __future__ import annotations

import sys

from benchmarks.content_generation import main

if __name__ == "__main__":
    sys.exit(main())
