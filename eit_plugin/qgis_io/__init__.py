"""The thin QGIS layer: layers ⇄ pandas tables, CRS, field mapping. Used by Processing and GUI."""
