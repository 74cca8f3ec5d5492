"""Reading documents and writing predictions (no pandas, no HTTP here)."""
