"""Everything that talks to doccano: the local server, the HTTP adapter, export, pull and ledger.

- ``server``: install doccano 1.8.4 in its own virtual environment and run it on 127.0.0.1;
  ``processes`` keeps track of what it started.
- ``client``: the one adapter over doccano-client / HTTP (retries, timeouts, clear errors).
- ``export``: upload predictions for review, idempotently, verified by reading back;
  ``record`` keeps our own record of what was exported (rule ids), which doccano cannot.
- ``documents``: the predictions schema as read and written here.
- ``pull``: take confirmed corrections back as gold (JSONL, DocBin, problems report).
- ``ledger``: count what reviewers changed, per label and per rule id.
"""
