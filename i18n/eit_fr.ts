<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>EIT</name>
    <message>
        <location filename="../eit_plugin/deps.py" line="48"/>
        <source>The EIT plugin needs the Python module(s) {names}, which this QGIS cannot import. Windows: open the OSGeo4W Shell and run &quot;python -m pip install {pip}&quot;. Debian/Ubuntu: &quot;sudo apt install {debian}&quot;. macOS: in the QGIS Python console run &quot;import pip; pip.main([&apos;install&apos;, &apos;{pip}&apos;])&quot;. Then restart QGIS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../eit_plugin/plugin.py" line="56"/>
        <source>Industrial ecology (EIT)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../eit_plugin/plugin.py" line="58"/>
        <source>Open the industrial and territorial ecology panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../eit_plugin/processing/base.py" line="97"/>
        <source>Cancelled by the user: no output was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/layers.py" line="69"/>
        <source>Layer &apos;{layer}&apos; has no field {fields} (matched case-insensitively). Its fields are: {present}. Rename the field or pick the right layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/layers.py" line="69"/>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../eit_plugin/qgis_io/layers.py" line="217"/>
        <source>Could not write feature {} to the output: {}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
