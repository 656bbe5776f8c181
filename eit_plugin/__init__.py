"""EIT Savoie: industrial and territorial ecology for planning documents (QGIS plugin).

Nothing QGIS-specific is imported at module level, so that ``eit_plugin.core`` can be
imported and unit-tested without QGIS.
"""


def classFactory(iface):  # noqa: N802 (QGIS API name)
    """QGIS entry point: build the plugin for this QGIS interface."""
    from .plugin import EitPlugin

    return EitPlugin(iface)
