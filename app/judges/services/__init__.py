"""The judge pool's rules: levels and trades (levels.py), profiles and the pool list
(pool.py), qualifications, availability and declared conflicts (records.py), the Excel
import and export (excel_io.py). Draws and panels live beside them (draws.py, panels.py)."""
