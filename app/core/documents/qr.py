"""QR codes as PNG images, for tickets, check-in screens and certificates.

The mask pattern is fixed: qrcode's automatic search over all eight masks is about 85 % of
its time (≈ 9 ms against ≈ 1.5 ms a code, see BENCH.md), and any mask decodes equally well.
"""
from __future__ import annotations

import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

MASK_PATTERN = 4
QUIET_ZONE_MODULES = 4   # the white border the QR standard asks for


def qr_png(text: str, pixels_per_module: int = 4) -> bytes:
    """`text` as a QR code (error correction M, quiet zone included), a black-and-white PNG."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE_MODULES, mask_pattern=MASK_PATTERN)
    code.add_data(text)
    code.make(fit=True)
    # From the module matrix straight to pixels: qrcode's own PIL image draws one rectangle
    # per module, which costs more than making the code.
    modules = code.get_matrix()
    size = len(modules)
    # Greyscale ("L"), not 1-bit: reportlab embeds L as DeviceGray but widens 1-bit to RGB.
    image = Image.new("L", (size, size))
    image.putdata([0 if dark else 255 for row in modules for dark in row])
    # Whole pixels per module, so viewers that scale without interpolation stay sharp.
    image = image.resize((size * pixels_per_module,) * 2, Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
