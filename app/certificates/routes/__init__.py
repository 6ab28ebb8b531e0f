"""HTML pages of certificates: templates.py (staff: templates, background, preview),
staff.py (staff: issued certificates, issuing by hand and from the judge pool, correcting,
revoking), batches.py (staff: batches, their progress and zip), public.py (anyone: verification; the holder: my certificates and downloads)."""
