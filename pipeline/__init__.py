"""archival-ner: rule-based entity annotation of archival transcriptions.

The package is layered one way, from leaves to the command line:
``labels``/``errors`` <- ``rules`` <- ``components`` <- ``io`` <- ``evaluation`` <- ``cli``.
"""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("archival-ner")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

PIPELINE_NAME = "archival_ner"
