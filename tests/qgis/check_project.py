#!/usr/bin/python3
"""Open a corridor.qgs project headless with QGIS's Python API and check it as a user would see it.

Usage: /usr/bin/python3 tests/qgis/check_project.py DIR/corridor.qgs [--png OUT.png]

Checks, for every layer of the project:
- it is valid (QGIS found and read its GeoJSON) and has features;
- its style is the one of the `.qml` beside its file (same renderer type, same classes, same
  colours) when the layer carries the file's base name; a per-scenario links layer is instead
  styled by rules on its own `status_<scenario>` column, which must exist;
- every feature gets a symbol (no feature falls through the rules; for a categorized layer, every
  value has a class, which may start unticked);
- labels are on for `nodes`.
Then renders the project (visible layers, in the layers panel order, on the project's default
extent) to a PNG and checks that the image is not blank.

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
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

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


def check_layer(project, layer, folder):
    name = layer.name()
    if not isinstance(layer, QgsVectorLayer):
        fail(f"{name}: not a vector layer")
        return
    if not layer.isValid():
        fail(f"{name}: invalid layer (source {layer.source()})")
        return
    count = layer.featureCount()
    if count <= 0:
        fail(f"{name}: no features")
    renderer = layer.renderer()
    if renderer is None:
        fail(f"{name}: no renderer")
        return
    source = layer.source().split("|")[0]
    base = os.path.splitext(os.path.basename(source))[0]
    qml = os.path.join(os.path.dirname(source), base + ".qml")
    fields = layer.fields().names()
    if name == base:
        if not os.path.exists(qml):
            fail(f"{name}: no style {qml} beside its file")
        else:
            # A fresh layer on the same file picks up the .qml beside it as QGIS's default style.
            fresh = QgsVectorLayer(source, base, "ogr")
            if not fresh.isValid():
                fail(f"{name}: the file does not open on its own")
            elif fingerprint(fresh.renderer()) != fingerprint(renderer):
                fail(
                    f"{name}: the project's style differs from {os.path.basename(qml)}:\n"
                    f"  project: {fingerprint(renderer)}\n  qml:     {fingerprint(fresh.renderer())}"
                )
            if fresh.renderer() is not None and fresh.renderer().type() == "singleSymbol":
                fail(f"{name}: {os.path.basename(qml)} was not applied (single symbol default)")
            del fresh
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
        fail(f"{name}: unexpected layer name (file {base})")
    # Every feature gets a symbol: a categorized renderer must have a class for its value (a
    # class may start unticked, as the routes of scenarios other than the first two do); any
    # other renderer must draw it.
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
        drawn = sum(1 for c in renderer.categories() if c.renderState())
        if drawn == 0:
            fail(f"{name}: no class is drawn when the project opens")
    else:
        unstyled = [
            f.attribute("id") if "id" in fields else f.id()
            for f in layer.getFeatures(QgsFeatureRequest())
            if not renderer.symbolsForFeature(f, context)
        ]
    renderer.stopRender(context)
    if unstyled:
        fail(f"{name}: {len(unstyled)} features have no symbol, e.g. {unstyled[:3]}")
    if name == "nodes" and not (layer.labelsEnabled() and layer.labeling() is not None):
        fail("nodes: labels are off")
    print(f"ok: {name}: {count} features, {renderer.type()}, fields {len(fields)}")


def render(project, png):
    root = project.layerTreeRoot()
    layers = [node.layer() for node in root.findLayers() if node.isVisible() and node.layer()]
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(project.crs())
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(1400, 1000))
    extent = project.viewSettings().defaultViewExtent()
    if extent.isEmpty():
        extent = QgsRectangle()
        for layer in layers:
            t = QgsCoordinateTransform(layer.crs(), project.crs(), project)
            extent.combineExtentWith(t.transformBoundingBox(layer.extent()))
    settings.setExtent(extent)
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    if not image.save(png, "PNG"):
        fail(f"could not save the render to {png}")
        return
    # Non-blank: a fair share of the sampled pixels is not the white background.
    step = 4
    inked = sum(
        1
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
        if QColor(image.pixel(x, y)).lightness() < 240
    )
    total = (image.height() // step) * (image.width() // step)
    share = inked / max(total, 1)
    if share < 0.002:
        fail(f"render {png} is blank ({inked} of {total} sampled pixels inked)")
    print(f"ok: rendered {len(layers)} layers to {png} ({share:.1%} of pixels inked)")
    del job, settings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", help="path to corridor.qgs")
    parser.add_argument("--png", help="where to render the project [default: beside it]")
    args = parser.parse_args()
    path = os.path.abspath(args.project)
    png = args.png or os.path.join(os.path.dirname(path), "qgis-render.png")

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    if not project.read(path):
        fail(f"QGIS could not read {path}: {project.error()}")
    else:
        if project.readPath("./x") != os.path.join(os.path.dirname(path), "x"):
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
            check_layer(project, layer, os.path.dirname(path))
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
