"""Printable documents every feature shares: admission tickets today; attendance screens,
timetables and certificates next.

Contents:
    fonts.py         the CJK font, found and registered with reportlab once per process
    text.py          wrapping text to a width, between CJK characters and at Latin spaces
    qr.py            a QR code as a PNG (fixed mask: a sixth of the automatic mask search's cost)
    tokens.py        signed tokens for QR codes: one purpose per kind of token, an optional max age
    pdf.py           A4 pages: a document of one page per item, centred wrapped text, PNG images

Nothing here knows a feature's models; features draw their own pages with these pieces.
"""
