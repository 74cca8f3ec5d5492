"""``python -m pipeline.cli``: the same as the ``archival-ner`` command."""
from . import main

main()
