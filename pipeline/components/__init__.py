"""The spaCy components of the archival pipeline (spaCy only: no pandas, HTTP or doccano)."""
