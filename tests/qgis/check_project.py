#!/usr/bin/python3
"""Open a corridor.qgs project headless with QGIS's Python API and check it as a user would see it.

Usage: /usr/bin/python3 tests/qgis/check_project.py DIR/corridor.qgs [--png OUT.png]

The project reads every layer from DIR/corridor.gpkg. Checks:
- every layer is valid (QGIS read its GeoPackage table) and has features;
- every table's default style in the GeoPackage's `layer_styles` is what QGIS applies when the
  table is opened on its own, and the project's layer of that name has the same style (same
  renderer type, classes and colours); a per-scenario links layer is styled by rules on its own
  `status_<scenario>` column, which must exist; a per-scenario routes layer has the routes style;
- every feature gets a symbol, and every category of a categorized style is drawn;
- labels are on for `nodes` and `links`;
- visibility: nodes, links, the claims' routes and the basemap on; projects, criticality, flows
  and the groups "links by scenario" and "routes by scenario" off;
- each GeoJSON file beside the project still opens with its `.qml`;
- the print layout has a title, a map, a legend, a scale bar, a north arrow and a sources note,
  and exports to PDF and PNG; the PNG is not mostly background; the map frame shows the data
  (the nodes' and links' extent fills most of its width or height, see check_framing);
- the sources note names the basemap (Natural Earth), or says that there is none (a network
  outside the region the basemap covers: its layers are then absent).
Then renders the visible layers to a PNG (--png, default beside the project).

Run with the system interpreter (`/usr/bin/python3`), where Debian's python3-qgis lives; the script
sets QT_QPA_PLATFORM=offscreen itself. Exit status 0 when every check passes, 1 otherwise.
"""

import argparse
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-" + str(os.getuid()))

from qgis.core import (  # noqa: E402  (the environment must be set first)
    QgsApplication,
    QgsFeatureRequest,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor, QImage  # noqa: E402

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def fingerprint(renderer):
    """The parts of a renderer a user sees: type, classes and their symbols' colours and sizes."""
    if renderer is None:
        return None
    kind = renderer.type()
    classes = []
    if kind == "RuleRenderer":
        for rule in renderer.rootRule().children():
            classes.append((rule.label(), rule.filterExpression(), symbol_key(rule.symbol())))
    elif kind == "categorizedSymbol":
        classes.append(renderer.classAttribute())
        for cat in renderer.categories():
            classes.append((cat.label(), str(cat.value()), symbol_key(cat.symbol())))
    elif kind == "graduatedSymbol":
        classes.append(renderer.classAttribute())
        for r in renderer.ranges():
            classes.append((round(r.lowerValue(), 6), round(r.upperValue(), 6), symbol_key(r.symbol())))
    else:
        classes.append(symbol_key(renderer.symbol()) if hasattr(renderer, "symbol") else None)
    return (kind, tuple(classes))


def symbol_key(symbol):
    if symbol is None:
        return None
    layer = symbol.symbolLayer(0)
    props = layer.properties() if layer is not None else {}
    return (
        symbol.color().name(),
        props.get("line_width") or props.get("size"),
        props.get("line_style") or props.get("name"),
    )


def table_of(layer):
    for part in layer.source().split("|")[1:]:
        if part.startswith("layername="):
            return part[len("layername="):]
    return None


def check_layer(layer, gpkg):
    name = layer.name()
    if not isinstance(layer, QgsVectorLayer):
        fail(f"{name}: not a vector layer")
        return
    if not layer.isValid():
        fail(f"{name}: invalid layer (source {layer.source()})")
        return
    if not layer.source().split("|")[0].endswith("corridor.gpkg"):
        fail(f"{name}: reads {layer.source()}, not corridor.gpkg")
    count = layer.featureCount()
    if count <= 0:
        fail(f"{name}: no features")
    renderer = layer.renderer()
    if renderer is None:
        fail(f"{name}: no renderer")
        return
    table = table_of(layer)
    fields = layer.fields().names()
    # The table opened on its own gets its default style from layer_styles.
    fresh = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
    if not fresh.isValid():
        fail(f"{name}: table {table} does not open on its own")
        return
    if fresh.renderer() is None or fresh.renderer().type() == "singleSymbol":
        fail(f"{name}: table {table} has no default style in layer_styles")
    if name == table or name.startswith("routes: ") or name.startswith("the claims' routes: "):
        if fingerprint(fresh.renderer()) != fingerprint(renderer):
            fail(
                f"{name}: the project's style differs from {table}'s default style:\n"
                f"  project: {fingerprint(renderer)}\n  default: {fingerprint(fresh.renderer())}"
            )
    elif name.startswith("links: "):
        if renderer.type() != "RuleRenderer":
            fail(f"{name}: expected rules by scenario status, found {renderer.type()}")
        else:
            columns = {
                c
                for rule in renderer.rootRule().children()
                for c in fields
                if c.startswith("status_") and f'"{c}"' in rule.filterExpression()
            }
            if len(columns) != 1:
                fail(f"{name}: the rules should test one status_<scenario> column, found {columns}")
    else:
        fail(f"{name}: unexpected layer name (table {table})")
    del fresh
    context = QgsRenderContext()
    renderer.startRender(context, layer.fields())
    if renderer.type() == "categorizedSymbol":
        attr = renderer.classAttribute()
        values = {str(c.value()) for c in renderer.categories()}
        unstyled = [
            f.attribute("id") if "id" in fields else f.id()
            for f in layer.getFeatures(QgsFeatureRequest())
            if str(f.attribute(attr)) not in values
        ]
        off = [c.label() for c in renderer.categories() if not c.renderState()]
        if off:
            fail(f"{name}: categories not drawn: {off}")
    else:
        unstyled = [
            f.attribute("id") if "id" in fields else f.id()
            for f in layer.getFeatures(QgsFeatureRequest())
            if not renderer.symbolsForFeature(f, context)
        ]
    renderer.stopRender(context)
    if unstyled:
        fail(f"{name}: {len(unstyled)} features have no symbol, e.g. {unstyled[:3]}")
    if name in ("nodes", "links") and not (layer.labelsEnabled() and layer.labeling() is not None):
        fail(f"{name}: labels are off")
    print(f"ok: {name}: {count} features, {renderer.type()}, fields {len(fields)}")


def check_visibility(project):
    root = project.layerTreeRoot()
    state = {n.name(): n.isVisible() for n in root.findLayers()}
    groups = {g.name(): g.isVisible() for g in root.findGroups()}
    for must in ("nodes", "links"):
        if not state.get(must):
            fail(f"{must} should be on when the project opens")
    claims = [n for n in state if n.startswith("the claims' routes")]
    for n in claims:
        if not state[n]:
            fail(f"{n} should be on")
    for off in ("criticality", "flows", "projects"):
        if state.get(off):
            fail(f"{off} should be off when the project opens")
    for g in ("links by scenario", "routes by scenario"):
        if groups.get(g):
            fail(f"group {g} should be off")
    if "basemap" in groups and not groups["basemap"]:
        fail("the basemap should be on")
    print(f"ok: visibility: on {sorted(n for n, v in state.items() if v)}")


def check_geojson(folder):
    for f in sorted(os.listdir(folder)):
        if not f.endswith(".geojson"):
            continue
        base = f[: -len(".geojson")]
        layer = QgsVectorLayer(os.path.join(folder, f), base, "ogr")
        if not layer.isValid():
            fail(f"{f}: does not open")
        elif os.path.exists(os.path.join(folder, base + ".qml")) and (
            layer.renderer() is None or layer.renderer().type() == "singleSymbol"
        ):
            fail(f"{f}: its .qml was not applied")
        del layer


def non_background(png):
    image = QImage(png)
    if image.isNull():
        fail(f"{png}: not an image")
        return 0.0
    step = 4
    inked = 0
    total = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            total += 1
            if QColor(image.pixel(x, y)).lightness() < 245:
                inked += 1
    return inked / max(total, 1)


def check_framing(project, item):
    """The map frame shows the data: the visible network layers' extent (nodes and links), in the
    project's CRS, lies inside the frame's extent and fills at least 60 % of its width or of its
    height (the frame keeps its own shape, so one of the two may be smaller)."""
    from qgis.core import QgsCoordinateTransform, QgsRectangle

    data = QgsRectangle()
    data.setMinimal()
    for layer in project.mapLayers().values():
        if layer.name() not in ("nodes", "links"):
            continue
        t = QgsCoordinateTransform(layer.crs(), project.crs(), project)
        data.combineExtentWith(t.transformBoundingBox(layer.extent()))
    if data.isEmpty():
        fail("layout: no nodes or links to frame")
        return
    frame = item.extent()
    # The frame may cut into the data where it shows the network's core (a network with far
    # outliers, the bundled one); what it shows must then be mostly data.
    shown = frame.intersect(data)
    fill = max(shown.width() / frame.width(), shown.height() / frame.height())
    if fill < 0.6:
        fail(
            f"layout: the map frame {frame.toString(0)} is mostly empty around the data "
            f"{data.toString(0)} ({fill:.0%} of its width or height holds data)"
        )
        return
    print(f"ok: layout map frames the data ({fill:.0%} of its width or height holds data)")


def check_layout(project, folder):
    layouts = project.layoutManager().printLayouts()
    if not layouts:
        fail("the project has no print layout")
        return
    layout = layouts[0]
    kinds = {
        "map": QgsLayoutItemMap,
        "legend": QgsLayoutItemLegend,
        "scale bar": QgsLayoutItemScaleBar,
        "north arrow": QgsLayoutItemPicture,
        "title and sources": QgsLayoutItemLabel,
    }
    items = layout.items()
    for what, cls in kinds.items():
        found = [i for i in items if isinstance(i, cls)]
        if not found:
            fail(f"layout: no {what}")
        if cls is QgsLayoutItemLabel and len(found) < 2:
            fail("layout: expected a title and a sources note")
    texts = [i.text() for i in items if isinstance(i, QgsLayoutItemLabel)]
    has_basemap = any(n.name() == "basemap" for n in project.layerTreeRoot().findGroups())
    if has_basemap and not any("Natural Earth" in t for t in texts):
        fail(f"layout: the sources note does not name the basemap: {texts}")
    if not has_basemap and not any("No basemap" in t for t in texts):
        fail(f"layout: no basemap, and the sources note does not say so: {texts}")
    maps = [i for i in items if isinstance(i, QgsLayoutItemMap)]
    if maps and maps[0].extent().isEmpty():
        fail("layout: the map has an empty extent")
    if maps:
        check_framing(project, maps[0])
    exporter = QgsLayoutExporter(layout)
    pdf = os.path.join(folder, "layout.pdf")
    png = os.path.join(folder, "layout.png")
    r = exporter.exportToPdf(pdf, QgsLayoutExporter.PdfExportSettings())
    if r != QgsLayoutExporter.Success or not os.path.exists(pdf) or os.path.getsize(pdf) < 10000:
        fail(f"layout: PDF export failed ({r})")
    settings = QgsLayoutExporter.ImageExportSettings()
    settings.dpi = 100
    r = exporter.exportToImage(png, settings)
    if r != QgsLayoutExporter.Success or not os.path.exists(png):
        fail(f"layout: PNG export failed ({r})")
        return
    share = non_background(png)
    # With a basemap, it fills the map frame: most of the page is not white. Without one (a
    # network outside the basemap's region) the network's lines and points are the ink.
    least = 0.2 if has_basemap else 0.035
    if share < least:
        fail(f"layout: {png} is mostly background ({share:.1%} inked, at least {least:.0%} expected)")
    print(f"ok: layout exported to {pdf} and {png} ({share:.1%} of the PNG not background)")
    del exporter


def render(project, png):
    root = project.layerTreeRoot()
    layers = [node.layer() for node in root.findLayers() if node.isVisible() and node.layer()]
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(project.crs())
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(1400, 1000))
    settings.setExtent(project.viewSettings().defaultViewExtent())
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    if not image.save(png, "PNG"):
        fail(f"could not save the render to {png}")
        return
    share = non_background(png)
    # Without a basemap only the network's lines and points are ink.
    has_basemap = any(n.name() == "basemap" for n in root.findGroups())
    if share < (0.05 if has_basemap else 0.02):
        fail(f"render {png} is blank ({share:.1%} inked)")
    print(f"ok: rendered {len(layers)} layers to {png} ({share:.1%} of pixels inked)")
    del job, settings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", help="path to corridor.qgs")
    parser.add_argument("--png", help="where to render the project [default: beside it]")
    args = parser.parse_args()
    path = os.path.abspath(args.project)
    folder = os.path.dirname(path)
    gpkg = os.path.join(folder, "corridor.gpkg")
    png = args.png or os.path.join(folder, "qgis-render.png")

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    if not os.path.exists(gpkg):
        fail(f"{gpkg} is missing")
    elif not project.read(path):
        fail(f"QGIS could not read {path}: {project.error()}")
    else:
        if project.readPath("./x") != os.path.join(folder, "x"):
            fail("the project does not use relative paths")
        if project.crs().authid() != "EPSG:3857":
            fail(f"project CRS is {project.crs().authid()}, expected EPSG:3857")
        layers = project.mapLayers().values()
        if not layers:
            fail("the project has no layers")
        order = [n.name() for n in project.layerTreeRoot().findLayers()]
        if order and order[0] != "nodes":
            fail(f"nodes should be the top layer, the order is {order}")
        for layer in layers:
            check_layer(layer, gpkg)
        check_visibility(project)
        check_geojson(folder)
        check_layout(project, folder)
        if not failures:
            render(project, png)
    # QGIS segfaults at exit while Python holds layers no project owns: clear first.
    project.clear()
    app.exitQgis()
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
