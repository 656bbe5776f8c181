"""The EIT method itself: plain Python, pandas, numpy, scipy and networkx.

No QGIS import here (QtCore's translate is used through ``eit_plugin.i18n`` when present),
so every module is unit-tested without QGIS. Tables are pandas DataFrames whose columns are
the output schemas of ``fields.py``; positions are ``x``/``y`` columns in metres (EPSG:2154
or any projected CRS the caller chose).
"""
