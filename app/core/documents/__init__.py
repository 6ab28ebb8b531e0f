"""Printable documents every feature shares: admission tickets today; attendance screens,
timetables and certificates next.

- `fonts`  — the CJK font, found and registered with reportlab once per process
- `text`   — wrapping text to a width, between CJK characters and at Latin spaces
- `qr`     — a QR code as a PNG (fixed mask: a sixth of the automatic mask search's cost)
- `tokens` — signed tokens for QR codes: one purpose per kind of token, an optional max age
- `pdf`    — A4 pages: a document of one page per item, centred wrapped text, PNG images

Nothing here knows a feature's models; features draw their own pages with these pieces.
"""
