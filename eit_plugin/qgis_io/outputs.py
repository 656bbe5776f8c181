"""Outputs that never overwrite an input and appear only when the whole run succeeded.

``check_not_inputs`` compares every destination parameter of an algorithm with every file it
reads (resolved paths: ``|layername=`` suffixes, ``ogr:dbname=`` URIs, symbolic links, ``..``
and hard links all name the same file).

``atomic_outputs`` redirects every file destination into a hidden work folder beside it
(same file system, so the final move is a rename) and moves the results in only when the
block ends without an error. Files written beside an output (the PDF beside the HTML report,
a shapefile's .dbf/.shx/.prj) move with it. A failed run removes the work folder: no new
file, and an existing file of the same name is left as it was.
"""
from __future__ import annotations

import errno
import gc
import os
import re
import shutil
import tempfile
from contextlib import contextmanager

from ..core.errors import EitInputError
from ..i18n import tr

_WORK_PREFIX = ".eit-part-"
_DBNAME = re.compile(r"""dbname=(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\S+))""")


# --------------------------------------------------------------------------------------------
# Paths behind parameter values
# --------------------------------------------------------------------------------------------
def _static_text(value):
    """The text of a parameter value: plain strings, ``QgsProperty`` static values, the
    ``sink``/``source`` of output and source definitions."""
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProcessingOutputLayerDefinition, QgsProperty

    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink
    elif isinstance(value, QgsProcessingFeatureSourceDefinition):
        value = value.source
    if isinstance(value, QgsProperty):
        if value.propertyType() != QgsProperty.Type.StaticProperty:
            return None
        value = value.staticValue()
    if value is None:
        return None
    return str(value)


def file_of(text):
    """The local file a data source string names, or ``None`` (memory layer, database
    connection, temporary output). ``x.gpkg|layername=y`` and ``ogr:dbname='x.gpkg' table=y``
    give ``x.gpkg``."""
    if not text:
        return None
    text = str(text).strip()
    lower = text.lower()
    if lower.startswith("ogr:"):
        match = _DBNAME.search(text)
        if not match:
            return None
        text = next(g for g in match.groups() if g is not None)
        lower = text.lower()
    if lower in ("temporary_output", "") or lower.startswith(("memory:", "postgis:", "postgres", "mssql:",
                                                                "oracle:", "spatialite:", "dbname=")):
        return None
    if "://" in text and not lower.startswith("file://"):
        return None
    if lower.startswith("file://"):
        text = text[7:]
    return text.split("|")[0].split("?")[0] if not os.path.exists(text) else text


def _same_file(a: str, b: str) -> bool:
    ra, rb = os.path.realpath(a), os.path.realpath(b)
    if ra == rb:
        return True
    try:
        return os.path.samefile(ra, rb)
    except OSError:
        return False


def _layer_file(value, context):
    """The file behind an input value: a path, a layer, or a project layer id/name."""
    from qgis.core import QgsMapLayer, QgsProcessingUtils, QgsProviderRegistry

    layer = value if isinstance(value, QgsMapLayer) else None
    if layer is None:
        text = _static_text(value)
        if text is None:
            return None
        path = file_of(text)
        if path and os.path.exists(path):
            return path
        if context is None:
            return None
        layer = QgsProcessingUtils.mapLayerFromString(text, context, False)
    if layer is None:
        return None
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    path = parts.get("path") if parts else None
    return path or file_of(layer.source())


def input_files(algorithm, parameters, context) -> list:
    """``[(parameter name, path)]`` for every input that is a local file."""
    found = []
    for definition in algorithm.parameterDefinitions():
        if definition.isDestination():
            continue
        name = definition.name()
        value = parameters.get(name)
        if value in (None, ""):
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            path = _layer_file(item, context)
            if path:
                found.append((name, path))
    return found


def destination_files(algorithm, parameters) -> list:
    """``[(parameter name, path)]`` for every destination parameter given as a local file."""
    found = []
    for definition in algorithm.destinationParameterDefinitions():
        name = definition.name()
        path = file_of(_static_text(parameters.get(name)))
        if path:
            found.append((name, path))
    return found


def check_not_inputs(algorithm, parameters, context) -> None:
    """Raise ``EitInputError`` when an output is one of the algorithm's inputs."""
    inputs = input_files(algorithm, parameters, context)
    for out_name, out_path in destination_files(algorithm, parameters):
        for in_name, in_path in inputs:
            if _same_file(out_path, in_path):
                raise EitInputError(tr(
                    "{out} would overwrite the input {inp} ('{path}'): an input is never written. "
                    "Choose another file for {out}; nothing was done.").format(
                        out=out_name, inp=in_name, path=in_path))


# --------------------------------------------------------------------------------------------
# All-or-nothing writing
# --------------------------------------------------------------------------------------------
def _explain(err: OSError) -> str:
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return tr("no write permission")
    if err.errno == errno.ENOENT:
        return tr("the folder does not exist")
    if err.errno == errno.ENOSPC:
        return tr("the disk is full")
    if err.errno in (errno.EBUSY, errno.ETXTBSY):
        return tr("the file is in use (open in QGIS or another program?)")
    return err.strerror or str(err)


def _replace_value(value, old: str, new: str):
    """A copy of a destination parameter value with its file ``old`` replaced by ``new``."""
    from qgis.core import QgsProcessingOutputLayerDefinition, QgsProperty

    if isinstance(value, QgsProcessingOutputLayerDefinition):
        copy = QgsProcessingOutputLayerDefinition(value)
        copy.sink = QgsProperty.fromValue(_static_text(value).replace(old, new))
        return copy
    return str(value).replace(old, new)


def _with_extension(definition, path: str) -> str:
    """QGIS adds the default extension to a sink path without one; so do we, so that the file
    moved in is the one QGIS wrote."""
    if os.path.splitext(path)[1]:
        return path
    extension = definition.defaultFileExtension() if hasattr(definition, "defaultFileExtension") else ""
    return "{}.{}".format(path, extension) if extension else path


class _Plan:
    def __init__(self):
        self.work = {}  # destination folder → work folder
        self.created = []  # folders created for the outputs (removed if the run fails)
        self.targets = {}  # final path → parameter name

    def folder(self, name: str, folder: str) -> str:
        folder = os.path.abspath(folder)
        if folder in self.work:
            return self.work[folder]
        missing = []
        probe = folder
        while probe and not os.path.exists(probe):
            missing.append(probe)
            parent = os.path.dirname(probe)
            if parent == probe:
                break
            probe = parent
        if not os.path.isdir(probe):
            raise EitInputError(tr("{name}: cannot write into '{folder}': '{probe}' is not a folder.").format(
                name=name, folder=folder, probe=probe))
        for path in reversed(missing):
            try:
                os.mkdir(path)
            except OSError as err:
                raise EitInputError(tr(
                    "{name}: the folder '{folder}' does not exist and cannot be created ({why}). "
                    "Create it or choose another folder; nothing was done.").format(
                        name=name, folder=folder, why=_explain(err))) from None
            self.created.append(path)
        try:
            work = tempfile.mkdtemp(prefix=_WORK_PREFIX, dir=folder)
        except OSError as err:
            raise EitInputError(tr(
                "{name}: cannot write into the folder '{folder}' ({why}). Choose a folder you can write to; "
                "nothing was done.").format(name=name, folder=folder, why=_explain(err))) from None
        self.work[folder] = work
        return work

    def discard(self):
        for work in self.work.values():
            shutil.rmtree(work, ignore_errors=True)
        for path in reversed(self.created):
            try:
                os.rmdir(path)
            except OSError:
                pass

    def commit(self):
        """Move every file of every work folder into its destination folder; if one move
        fails, put back what was there and remove what was moved."""
        moved = []  # (final path, backup or None)
        try:
            for folder, work in sorted(self.work.items()):
                backups = tempfile.mkdtemp(prefix=_WORK_PREFIX + "old-", dir=folder)
                for entry in sorted(os.listdir(work)):
                    final = os.path.join(folder, entry)
                    backup = None
                    try:
                        if os.path.lexists(final):
                            backup = os.path.join(backups, entry)
                            os.replace(final, backup)
                        os.replace(os.path.join(work, entry), final)
                    except OSError as err:
                        if backup is not None and not os.path.lexists(final):
                            os.replace(backup, final)
                        name = self.targets.get(final) or self.targets.get(os.path.splitext(final)[0], "")
                        raise EitInputError(tr(
                            "{name}: '{path}' could not be written ({why}). Nothing was changed: "
                            "close the file if it is open and run again.").format(
                                name=name or tr("output"), path=final, why=_explain(err))) from None
                    moved.append((final, backup))
        except EitInputError:
            for final, backup in reversed(moved):
                _remove(final)
                if backup is not None:
                    os.replace(backup, final)
            raise
        finally:
            for folder in self.work:
                for leftover in os.listdir(folder):
                    if leftover.startswith(_WORK_PREFIX):
                        shutil.rmtree(os.path.join(folder, leftover), ignore_errors=True)


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.remove(path)


def _check_replaceable(name: str, path: str) -> None:
    if os.path.isdir(path):
        raise EitInputError(tr("{name}: '{path}' is a folder; give a file name.").format(name=name, path=path))
    if os.path.exists(path) and not os.access(path, os.W_OK):
        raise EitInputError(tr(
            "{name}: '{path}' exists and is read-only: it is not replaced. Choose another file or "
            "make it writable; nothing was done.").format(name=name, path=path))


@contextmanager
def atomic_outputs(algorithm, parameters, context):
    """Yield the parameters with every file destination redirected into a work folder beside
    it; on a normal exit move the files in (and fix ``results`` through :func:`final_results`),
    on an error remove them. Folders are checked (and missing ones created) before any work."""
    plan = _Plan()
    redirected = dict(parameters)
    replacements = []
    try:
        for definition in algorithm.destinationParameterDefinitions():
            name = definition.name()
            value = parameters.get(name)
            path = file_of(_static_text(value))
            if not path:
                continue
            full = os.path.abspath(_with_extension(definition, path))
            _check_replaceable(name, full)
            work = plan.folder(name, os.path.dirname(full))
            staged = os.path.join(work, os.path.basename(full))
            if os.path.exists(full) and _static_text(value).lower().startswith("ogr:"):
                # A layer added into an existing GeoPackage: the other layers are kept.
                shutil.copy2(full, staged)
            plan.targets[full] = name
            redirected[name] = _replace_value(value, path, staged)
            replacements.append((work + os.sep, os.path.dirname(full) + os.sep))
    except BaseException:
        plan.discard()
        raise
    _stage_layers_to_load(context, {full: os.path.join(plan.work[os.path.dirname(full)], os.path.basename(full))
                                    for full in plan.targets})
    state = {"replacements": replacements}
    try:
        yield redirected, state
    except BaseException:
        # The failed run's frames still hold its open outputs (sinks): close them while their
        # files exist, then remove the files.
        import sys
        import traceback

        traceback.clear_frames(sys.exc_info()[2])
        _release(context, plan)
        plan.discard()
        raise
    _release(context, plan)
    try:
        plan.commit()
    except BaseException:
        plan.discard()
        raise
    for path in plan.created:
        state.setdefault("created", []).append(path)


_KEPT_PROCESSORS = []  # the context deletes post-processors it drops: keep the copies alive


def _copy_processor(processor):
    """A copy of a post-processor written in Python (its state is its ``__dict__``); ``None``
    for one we cannot copy. Needed because the context deletes the post-processor of a key it
    drops, and a renamed key is a dropped one."""
    if processor is None or not hasattr(processor, "__dict__"):
        return None
    from qgis.core import QgsProcessingLayerPostProcessorInterface

    cls = type(processor)
    copy = cls.__new__(cls)
    QgsProcessingLayerPostProcessorInterface.__init__(copy)
    copy.__dict__.update(processor.__dict__)
    _KEPT_PROCESSORS.append(copy)
    return copy


def _rename_layers_to_load(context, rename) -> None:
    """Re-key the layers to load on completion with ``rename(key)`` (the GUI loads them by
    that key, so it must be the file's final path)."""
    if context is None:
        return
    from qgis.core import QgsProcessingContext

    layers = context.layersToLoadOnCompletion()
    renamed = {}
    changed = False
    for key, details in layers.items():
        new_key = rename(key)
        if new_key == key:
            renamed[key] = details
            continue
        changed = True
        fresh = QgsProcessingContext.LayerDetails(details.name, details.project, details.outputName)
        fresh.forceName = details.forceName
        fresh.layerTypeHint = details.layerTypeHint
        fresh.setPostProcessor(_copy_processor(details.postProcessor()))
        renamed[new_key] = fresh
    if changed:
        context.setLayersToLoadOnCompletion(renamed)


def _stage_layers_to_load(context, staged: dict) -> None:
    """Layers the caller asked to load on completion, keyed by the staged path the algorithm
    will see (they are keyed back by :func:`final_results`)."""
    if not staged:
        return

    def rename(key):
        path = file_of(key)
        full = os.path.abspath(path) if path else None
        return key.replace(path, staged[full]) if full in staged else key

    _rename_layers_to_load(context, rename)


def _release(context, plan) -> None:
    """Close the layers opened on the staged files, so that no open connection follows a file
    into its final place."""
    if context is not None:
        store = context.temporaryLayerStore()
        stale = [layer_id for layer_id, layer in store.mapLayers().items()
                 if any(work in layer.source() for work in plan.work.values())]
        if stale:
            store.removeMapLayers(stale)
    gc.collect()


def final_results(results, state, context=None):
    """``results`` with the staged paths replaced by the final ones (and the layers to load on
    completion keyed by their final path)."""
    replacements = state.get("replacements", [])

    def fix(value):
        if isinstance(value, str):
            for old, new in replacements:
                value = value.replace(old, new)
        return value

    fixed = {key: fix(value) for key, value in (results or {}).items()}
    if replacements:
        _rename_layers_to_load(context, fix)
    return fixed
