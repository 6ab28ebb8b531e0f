"""The rules of certificates: issuing.py (issue, correct, revoke — one path for every source),
manual.py (staff issuing by hand), templates.py (templates, backgrounds, preview),
verification.py (the public check), listing.py (what the pages list), batches.py (batches:
asked for by staff, issued a chunk at a time by the scheduler's job; their zip)."""
