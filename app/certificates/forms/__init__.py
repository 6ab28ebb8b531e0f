"""The forms of the certificate pages: templates.py (a template and its background),
certificates.py (issuing by hand, from the judge pool, correcting, revoking, verifying), batches.py (a new batch)."""
