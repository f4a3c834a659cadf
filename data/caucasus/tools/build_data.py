#!/usr/bin/env python3
"""Builds data/caucasus/nodes.geojson and links.geojson from the tables below.

The GeoJSON files are the data of record; this script is how they were made, from the project's
fact sheet (caucasus-facts, kept beside the project as ../shared/data/caucasus-facts.md). Run it
from anywhere:

    python3 data/caucasus/tools/build_data.py

It is deterministic: running it twice writes identical bytes. It needs `geographiclib`
(pip install geographiclib) to split published lengths over links by geodesic length.

Reading the tables
------------------
A line is a list of stops `(node, km)`; km is the source's chainage at that stop, or None. The script
cuts the line into one link per pair of consecutive stops and gives each link:
- both ends' km known            -> length_km = difference ("km-posts ...");
- a run of unknown stops between two known km -> the difference shared over the run's links in
  proportion to their geodesic geometry length ("share of ... by geometry");
- no km on either side           -> no length_km (the loader uses the geodesic length).
`total=` is shorthand for km 0 at the first stop and the total at the last.
"""

import json
import os
import sys

from geographiclib.geodesic import Geodesic

sys.dont_write_bytecode = True  # keep tools/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aliases import ALIAS_SOURCE, ALIASES  # noqa: E402
from nodes_table import BORDERS, COORD_SOURCES, NODES  # noqa: E402
from shapes import INTERPOLATE, OTHER_POINTS, SHAPES  # noqa: E402
from waypoints import WAYPOINTS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
FS = "caucasus-facts"  # the fact sheet, as cited in `source`

# ---------------------------------------------------------------------------------------------
# Node facts beyond the coordinate table
# ---------------------------------------------------------------------------------------------

NAKHCHIVAN = {"sadarak", "sharur", "shahtakhti", "nakhchivan", "culfa", "ordubad",
              "bx-yeraskh", "bx-dilucu", "bx-shahtakhti", "bx-julfa", "bx-meghri-w"}
ABKHAZIA = {"sukhumi", "ochamchire", "bx-psou"}

# Transfer facilities. `gauge`: break of gauge 1520/1435 (caucasus-facts §1). `transship`:
# a rail-road (or rail/road-ship) transshipment terminal: ports and the main cities and junctions
# where railway and road meet (a modelling assumption, see README.md).
GAUGE = {
    "akhalkalaki": "BTK break of gauge: bogie exchange / transhipment, automatic gauge changer for passenger stock [RM]",
    "jolfa-ir": "bogie change at Jolfa (IR); weekly Naxçıvan–Mashhad train 2016–2020 (de.wikipedia 'Dscholfa')",
    "astara-ir": "Astara (IR) terminal: dual-gauge 1520/1435 track, transhipment (Wikipedia Astara–Rasht–Qazvin)",
    "akhuryan": "historic crane transfer at Akhuryan on the dual-gauge Doğukapı–Akhuryan section (egtre.info)",
    "incheh-borun": "break of gauge 1520/1435 of the Uzen–Gorgan railway at the Turkmen–Iranian border (Akyayla / Inche Burun, caucasus-facts §12.10, M); placed on the Iranian side",
    "sadarak": "FUTURE break of gauge for the planned Kars–Dilucu line (1435 mm) meeting the Nakhchivan network (1520 mm); the site is not published (caucasus-facts §1, conf L) and is placed at Sədərək as a modelling assumption",
}
TRANSSHIP = [
    "baku", "alat", "ganja", "yevlakh", "astara-az", "nakhchivan", "culfa",
    "yerevan", "gyumri", "vanadzor", "tbilisi", "poti", "poti-port", "batumi", "batumi-port",
    "rostov", "moscow", "makhachkala", "port-kavkaz", "kars", "erzurum", "ankara", "istanbul",
    "jolfa-ir", "tabriz", "astara-ir", "rasht", "qazvin", "tehran",
    "aktau", "turkmenbashi", "chornomorsk",
    "kuryk", "astrakhan", "anzali", "gorgan",
]

# Kornidzor is a border node of the fact sheet's table (kind `border`), and the crossing
# added here for the Mincivan–Zəngilan–Kapan branch, which the table lacks.
EXTRA_BORDER = {
    "kornidzor": dict(countries="AM|AZ", status_rail=None, status_road="open",
                      note="Entry of the Lachin corridor (Goris–Kornidzor–Hakari bridge–Lachin–Shusha–Khankendi), a 5-km-wide corridor under Russian peacekeepers from 9 Nov 2020: open in 2021 but usable only for Armenia↔Nagorno-Karabakh traffic; the restriction is a policy rule of scenario baseline-2021 (caucasus-facts §3.1). Rerouted 30 Aug 2022, blockaded from 12 Dec 2022, AZ checkpoint at the Hakari bridge 23 Apr 2023, closed after Sep 2023."),
}
ADDED_NODES = [
    # id, name, aliases, countries, lat, lon, confidence, status_rail, status_road, source, note
    ("bx-zangilan-kapan", "Zəngilan – Kapan line crossing", "Zangilan–Kapan|Kapan rail crossing",
     "AM|AZ", 39.180, 46.480, "low", "closed", None,
     f"estimate by the data's authors (not in {FS} §7): a point between Zəngilan and Kapan near the AM–AZ border, so that the destroyed Mincivan–Zəngilan–Kapan branch ({FS} §2.5) has a border node",
     "Crossing of the Mincivan–Zəngilan–Kapan railway branch (39 km, destroyed); position is a rough estimate (up to ~10 km)."),
]
NODE_NOTES = {
    "inguri": "The fact sheet lists the Inguri bridge as kind `border`; it lies on the de facto Abkhazia line, not an international frontier (both sides are GE under ISO 3166), so it is modelled as a junction: the closure of the Abkhazia through-link is carried by the links' status. The rail bridge near Zugdidi was wrecked in the 1992–93 war (IWPR/ReliefWeb 2005).",
    "nurduz": "Iranian customs post of the Agarak–Nurduz crossing; the fact sheet gives kind `border`, but the crossing itself is the node bx-agarak-nurduz, so this one is modelled as a junction on the Iranian side.",
    "kalaleh": "Iranian side of the Aghband–Kalaleh bridge; the fact sheet gives kind `border`, but the crossing itself is the node bx-aghband-kalaleh, so this one is modelled as a junction on the Iranian side.",
    "kars": "Wikipedia-mirror station coordinates are ~25 km off the town; town-based estimate used (caucasus-facts §9).",
    "sarikamis": "Wikipedia-mirror station coordinates are ~25 km off the town; town-based estimate used (caucasus-facts §9).",
    "alat": "Ələt junction and the Port of Baku (Alat new port), one node; Caspian ferries to Aktau and Turkmenbashi leave from here.",
    "dalarik": "Destination of the first grain trains to Armenia via Azerbaijan and Georgia, Nov 2025; placed on the Gyumri–Yerevan line between Maralik and Armavir (modelling assumption).",
}


# Nodes added from the fact sheet's corrections (§12) rather than its coordinate table (§7).
NODE_SECTION = {
    "cetinkaya": "§12.3", "dogubayazit": "§12.11", "kuryk": "§12.21",
    "mangyshlak": "§12.10", "zhanaozen": "§12.10", "beyneu": "§12.10", "makat": "§12.10",
    "atyrau": "§12.10", "aksaraiskaya": "§12.10", "astrakhan": "§12.10", "gryazi": "§12.10, §12.18",
    "bereket": "§12.10", "etrek": "§12.10", "incheh-borun": "§12.10", "gorgan": "§12.10",
    "anzali": "§12.10", "masis": "§7, §12.6",
}
# Border statuses changed or added by the fact sheet's corrections (§12), cited beside §3/§4.
BORDER_STATUS_SOURCE = {
    "bx-julfa": f"rail closed: {FS} §12.1 (Railway Gazette 2021; CACI Analyst 8 Jul 2021; hyetert 2021; Report.az 26 Nov 2025)",
    "bx-kapikoy": f"road gate closed 24 Mar 2020 – 17 May 2021: {FS} §12.11 (Aydınlık 2021)",
    "bx-gurbulak": f"{FS} §12.11 (Tasnim via Eurasia Review 2020-06-05; Mehr News 2020-12-09)",
    "bx-ganyushkino": f"{FS} §12.10 (route Astrakhan–Atyrau–Makat–Beyneu–Uzen, L)",
    "bx-bolashak": f"{FS} §12.10 (TASS 2014: Uzen–Gyzylgaya–Bereket–Etrek–Gorgan opened 3 Dec 2014)",
    "bx-akyayla": f"{FS} §12.10 (TASS 2014; break of gauge at Akyayla / Inche Burun, M)",
}


def geod(a, b):
    """Geodesic distance in km between two (lat, lon) points on WGS84."""
    return Geodesic.WGS84.Inverse(a[0], a[1], b[0], b[1])["s12"] / 1000.0


def r6(x):
    return round(x + 0.0, 6)


def build_nodes():
    feats, pos = [], {}
    for (nid, name, aliases, country, kind, lat, lon, conf, src, desc) in NODES:
        p = {"id": nid, "name": name}
        if aliases:
            p["aliases"] = aliases
        p["country"] = country
        if nid in NAKHCHIVAN:
            p["region"] = "AZ-NX"
        if nid in ABKHAZIA:
            p["region"] = "GE-AB"
        p["kind"] = kind
        p["coord_confidence"] = conf
        tr = []
        if nid in GAUGE:
            tr.append("gauge")
        if nid in TRANSSHIP:
            tr.append("transship")
        if tr:
            p["transfers"] = "|".join(tr)
        section = NODE_SECTION.get(nid, "§10" if src == "long-haul" else "§7")
        p["source"] = f"{FS} {section}; coordinates: {COORD_SOURCES[src]}"
        notes = [desc] if desc != name else []
        if nid in EXTRA_BORDER:
            e = EXTRA_BORDER[nid]
            p["source"] += f"; status: {FS} §3.1, §4"
            p["countries"] = e["countries"]
            if e["status_rail"]:
                p["status_rail"] = e["status_rail"]
            if e["status_road"]:
                p["status_road"] = e["status_road"]
            notes.append(e["note"])
        if nid in GAUGE:
            notes.append("Break of gauge: " + GAUGE[nid] + ".")
        if nid in NODE_NOTES:
            notes.append(NODE_NOTES[nid])
        if notes:
            p["note"] = " ".join(n if n.endswith(".") else n + "." for n in notes)
        feats.append((nid, lat, lon, p))
    for (nid, name, aliases, countries, lat, lon, conf, src, srail, sroad, desc) in BORDERS:
        p = {"id": nid, "name": name, "aliases": aliases, "country": countries.split("|")[0]}
        if nid in NAKHCHIVAN:
            p["region"] = "AZ-NX"
        if nid in ABKHAZIA:
            p["region"] = "GE-AB"
        p["kind"] = "border"
        p["coord_confidence"] = conf
        p["source"] = (f"{FS} §7; coordinates: {COORD_SOURCES[src]}; "
                       f"status on 11 Jan 2021: {FS} §3 crossing table and §4")
        if nid in BORDER_STATUS_SOURCE:
            p["source"] += "; " + BORDER_STATUS_SOURCE[nid]
        p["countries"] = countries
        if srail:
            p["status_rail"] = srail
        if sroad:
            p["status_road"] = sroad
        note = desc + "."
        if nid == "bx-dilucu":
            note += (" No railway crossed here in 2021 (status_rail closed): the planned Kars–Iğdır–Aralık–Dilucu line"
                     " (groundbreaking 22 Aug 2025) is to cross here to Sədərək.")
        if nid == "bx-aghband-kalaleh":
            note += " Coded closed for road: the bridge did not exist on 11 Jan 2021."
        p["note"] = note
        feats.append((nid, lat, lon, p))
    for (nid, name, aliases, countries, lat, lon, conf, srail, sroad, src, note) in ADDED_NODES:
        p = {"id": nid, "name": name, "aliases": aliases, "country": countries.split("|")[0],
             "kind": "border", "coord_confidence": conf, "source": src, "countries": countries}
        if srail:
            p["status_rail"] = srail
        if sroad:
            p["status_road"] = sroad
        p["note"] = note
        feats.append((nid, lat, lon, p))
    labels = {}
    for nid, lat, lon, p in feats:
        if nid in ALIASES:
            have = [p["name"]] + ([a for a in p["aliases"].split("|") if a] if p.get("aliases") else [])
            extra = [a for a in ALIASES[nid] if a.casefold() not in {h.casefold() for h in have}]
            rest = {k: v for k, v in p.items() if k not in ("id", "name", "aliases")}
            p.clear()
            p.update({"id": nid, "name": have[0], "aliases": "|".join(have[1:] + extra)}, **rest)
            p["source"] += "; " + ALIAS_SOURCE
        for label in [nid, p["name"]] + (p["aliases"].split("|") if p.get("aliases") else []):
            other = labels.setdefault(label.casefold(), nid)
            if other != nid:
                sys.exit(f"label {label!r} names both {other} and {nid}")
    out = []
    for nid, lat, lon, p in feats:
        if nid in pos:
            sys.exit(f"duplicate node id {nid}")
        pos[nid] = (lat, lon)
        out.append({"type": "Feature", "properties": p,
                    "geometry": {"type": "Point", "coordinates": [r6(lon), r6(lat)]}})
    return out, pos


# ---------------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------------
# Each entry: mode, stops [(node, km|None)], and properties. `status` applies to every link unless
# `statuses` overrides a link given as "from>to". `notes` and `gauges` likewise.

S_BTKW = "[BTK-W] en.wikipedia 'Baku–Tbilisi–Kars railway'"
S_RM = "[RM] Railway Magazine 2017 'New Silk Road: Tbilisi to Kars line now open'"
S_DETY = "[DE-TY] de.wikipedia 'Bahnstrecke Tiflis–Jerewan'"
S_DEYJ = "[DE-YJ] de.wikipedia 'Bahnstrecke Jerewan–Dscholfa'"
S_DEAC = "[DE-AC] de.wikipedia 'Bahnstrecke Ələt–Culfa'"
S_DEAA = "[DE-AA] de.wikipedia 'Bahnstrecke Ağstafa–Atarbenian'"
S_DEBY = "[DE-BY] de.wikipedia 'Bahnstrecke Baku–Yalama'"
S_DEPB = "[DE-PB] de.wikipedia 'Bahnstrecke Poti–Baku'"
S_DETJ = "[DE-TJ] de.wikipedia 'Bahnstrecke Täbris–Dscholfa'"
S_DEVT = "[DE-VT] de.wikipedia 'Bahnstrecke Van–Täbris'"
S_DETT = "[DE-TT] de.wikipedia 'Bahnstrecke Teheran–Täbris' (route table)"
S_ADY = "ADY tariff distances (GitHub ADY tariff calculator code)"
S_TIME = "365 km in ≈10 h by the Yerevan–Tbilisi overnight train (2018 travel report)"

TB_YE_SPEED = dict(speed=36.5, speed_note=f"Speed derived: {S_TIME}, a passenger figure used as the line's commercial speed")

LINES = [
    # ---- Azerbaijani main line and BTK (§2.1, §2.2) ----
    dict(mode="rail", name="Baku–Biləcəri (Baku–Yalama / Baku–Tbilisi main lines)", line="R01",
         stops=[("baku", 534.2), ("bilajari", 548.8)], km_src="[DE-BY] km 534.2–548.8",
         status="open", gauge=1520, tracks=2, electrified=True,
         source=f"{FS} §2.1, §2.8; {S_DEBY}"),
    dict(mode="rail", name="Baku–Tbilisi main line (Biləcəri–Ələt)", line="R01",
         stops=[("bilajari", None), ("alat", None)],
         status="open", gauge=1520, tracks=2, electrified=True,
         source=f"{FS} §2.1 (chain Baku–Biləcəri–Ələt–Hacıqabul); {S_BTKW}",
         note="No published length for Biləcəri–Ələt; geodesic length used."),
    dict(mode="rail", name="Baku–Tbilisi main line (Ələt–Böyük Kəsik)", line="R01",
         stops=[("alat", 0), ("hajigabul", None), ("kurdamir", None), ("ujar", None), ("yevlakh", None),
                ("ganja", None), ("shamkir", None), ("tovuz", None), ("agstafa", None), ("boyuk-kesik", 429)],
         km_src=f"Ələt–Böyük Kəsik 429 km, {S_ADY}", status="open", gauge=1520, tracks=2, electrified=True,
         source=f"{FS} §2.1, §2.2, V14; {S_BTKW}; {S_DEPB}; {S_ADY}"),
    dict(mode="rail", name="Baku–Tbilisi main line (Böyük Kəsik–border)", line="R01",
         stops=[("boyuk-kesik", None), ("bx-gardabani-rail", None)],
         status="open", gauge=1520, tracks=2, electrified=True,
         source=f"{FS} §2.2, §3; {S_DEPB}"),
    dict(mode="rail", name="Baku–Tbilisi main line (border–Gardabani–Tbilisi)", line="R02",
         stops=[("bx-gardabani-rail", None), ("gardabani", None), ("rustavi", None), ("tbilisi", None)],
         status="open", gauge=1520, tracks=2, electrified=True,
         source=f"{FS} §2.1, §2.2; {S_DEPB}; {S_BTKW}"),
    dict(mode="rail", name="Tbilisi–Marabda (Tbilisi–Yerevan line, shared by BTK)", line="R03",
         stops=[("tbilisi", 0), ("marabda", 23.1)], km_src=S_DETY,
         status="open", gauge=1520, electrified=True, **TB_YE_SPEED,
         source=f"{FS} §2.1, §2.3, V2; {S_DETY}"),
    dict(mode="rail", name="Baku–Tbilisi–Kars railway (Marabda–Akhalkalaki)", line="R04",
         stops=[("marabda", 0), ("tsalka", None), ("akhalkalaki", 153)],
         km_src=f"Marabda–Akhalkalaki 153 km {S_RM}", status="open", gauge=1520, tracks=1,
         capacity=17808, capacity_note="capacity 17,808 t/day = 6.5 Mt/yr initial BTK capacity [BTK-W] / 365",
         source=f"{FS} §2.1, V2; {S_RM}; {S_BTKW}",
         note="1980s branch rebuilt for BTK; single track; electrification not verified (caucasus-facts §9). Freight only in 2021."),
    dict(mode="rail", name="Baku–Tbilisi–Kars railway (Akhalkalaki–border)", line="R05",
         stops=[("akhalkalaki", 105), ("bx-btk-tunnel", 76)], km_src="[BTK-W] route map km 105 and 76 (from Kars)",
         status="open", gauge=1435, tracks=1,
         capacity=17808, capacity_note="capacity 17,808 t/day = 6.5 Mt/yr initial BTK capacity [BTK-W] / 365",
         source=f"{FS} §2.1, V2; {S_BTKW}; {S_RM}",
         note="New 1435 mm line (29 km in Georgia) to the Kartsakhi border tunnel; opened 30 Oct 2017; freight only."),
    dict(mode="rail", name="Baku–Tbilisi–Kars railway (border–Kars)", line="R06",
         stops=[("bx-btk-tunnel", 76), ("kars", 0)], km_src="[BTK-W] route map km 76 to 0",
         status="open", gauge=1435, tracks=1, electrified=False,
         capacity=17808, capacity_note="capacity 17,808 t/day = 6.5 Mt/yr initial BTK capacity [BTK-W] / 365",
         source=f"{FS} §2.1, V2; {S_BTKW}; {S_RM}",
         note="New 1435 mm line in Turkey incl. ~4.4 km border tunnel, via the Çıldır area; non-electrified."),
    # ---- Tbilisi–Yerevan (§2.3) ----
    dict(mode="rail", name="Tbilisi–Yerevan railway (Marabda–Ayrum)", line="R07",
         stops=[("marabda", 23.1), ("marneuli", 31.0), ("sadakhlo", 60.4), ("bx-sadakhlo-rail", None), ("ayrum", 71.9)],
         km_src=S_DETY, status="open", gauge=1520, electrified=True, **TB_YE_SPEED,
         source=f"{FS} §2.3, V3; {S_DETY}"),
    dict(mode="rail", name="Tbilisi–Yerevan railway (Ayrum–Yerevan)", line="R08",
         stops=[("ayrum", 71.9), ("alaverdi", 98.2), ("vanadzor", 144.3), ("gyumri", 213.0), ("maralik", None),
                ("dalarik", None), ("armavir", None), ("masis", 353.3), ("yerevan", 365.0)],
         km_src=S_DETY, status="open", gauge=1520, electrified=True, **TB_YE_SPEED,
         source=f"{FS} §2.3, V3; {S_DETY}",
         km_notes={"gyumri": "Gyumri km ≈213 derived: Ayrum is 141 km from Gyumri (Ayrum station page, M)",
                   "masis": "junction km 353.3 [DE-YJ]"}),
    # ---- Gyumri–Kars (§2.4) ----
    dict(mode="rail", name="Gyumri–Kars railway", line="R09",
         stops=[("gyumri", None), ("akhuryan", None), ("bx-akhuryan-rail", None), ("dogukapi", None), ("akyaka", None), ("kars", None)],
         status="closed", gauge=1520,
         statuses={"gyumri>akhuryan": "open", "akyaka>kars": "open"},
         gauges={"bx-akhuryan-rail>dogukapi": 1435, "dogukapi>akyaka": 1435, "akyaka>kars": 1435},
         dual={"akhuryan>bx-akhuryan-rail", "bx-akhuryan-rail>dogukapi"},
         electrified_map={"dogukapi>akyaka": False, "akyaka>kars": False},
         source=f"{FS} §2.4, §3, V18; egtre.info; Kars station article (Wikipedia)",
         notes={"gyumri>akhuryan": "Armenian side up to the border station Akhuryan (the only non-electrified SCR station) coded open: the 1993 closure is at the border (modelling assumption, L).",
                "akhuryan>bx-akhuryan-rail": "Dual gauge 1435/1520 between Doğukapı and Akhuryan, crane transfer at Akhuryan; out of use since 12 Jul 1993 (egtre.info); Turkey closed the land border April 1993.",
                "bx-akhuryan-rail>dogukapi": "Dual gauge 1435/1520 between Doğukapı and Akhuryan; out of use since 12 Jul 1993 (egtre.info).",
                "dogukapi>akyaka": "Turkish border section beyond the Kars–Akyaka regional service; out of use since 1993.",
                "akyaka>kars": "Kars–Akyaka regional passenger trains since Feb 2011 (Kars station article)."},
         note="Gyumri–Kars ≈70 km is only a straight-segment estimate (L); no published length, geodesic used."),
    # ---- Southern line: Yerevan–Julfa (§2.5 [DE-YJ]) ----
    dict(mode="rail", name="Yerevan–Julfa railway (Masis–Yeraskh)", line="R10",
         stops=[("masis", 0), ("artashat", 32.2), ("ararat", 51.3), ("yeraskh", 66.9)],
         km_src=S_DEYJ, status="open", gauge=1520, electrified=True,
         source=f"{FS} §2.5, V4; {S_DEYJ}",
         note="Open to Yeraskh, a dead end at the closed AM–AZ border in 2021."),
    dict(mode="rail", name="Yerevan–Julfa railway (Yeraskh–Sədərək)", line="R11",
         stops=[("yeraskh", 66.9), ("bx-yeraskh", None), ("sadarak", 72.8)],
         km_src=S_DEYJ, status="closed", gauge=1520, electrified=True,
         source=f"{FS} §2.5, §4.1, V4; {S_DEYJ}",
         note="Closed at the AM–AZ border since the early 1990s."),
    dict(mode="rail", name="Yerevan–Julfa railway (Nakhchivan section)", line="R12",
         stops=[("sadarak", 72.8), ("sharur", 91.2), ("shahtakhti", 117.4), ("nakhchivan", 157.4), ("culfa", 202.5)],
         km_src=S_DEYJ, status="open", gauge=1520, electrified=True,
         source=f"{FS} §2.5, V4; {S_DEYJ}",
         note="Isolated Nakhchivan network; local trains Şərur–Culfa–Ordubad with VL8 electric locomotives (2019–20 blog)."),
    dict(mode="rail", name="Culfa–Jolfa railway crossing", line="R13",
         stops=[("culfa", None), ("bx-julfa", None), ("jolfa-ir", None)],
         status="closed", gauge=1520,
         source=f"{FS} §2.7, §3, §12.1, V18; de.wikipedia 'Dscholfa'; Railway Gazette 2021; CACI Analyst 8 Jul 2021; Report.az 26 Nov 2025",
         note="1520 mm track over the Aras to the gauge-change yard at Jolfa (IR); about 2–3 km (L). Out of use on 11 Jan 2021 and still in Nov 2025 (caucasus-facts §12.1): Iran's foreign minister welcomed proposals for its reopening on 18 Feb 2021 (Railway Gazette); 'Iran has no rail connection to the Caucasus' (CACI Analyst, 8 Jul 2021); the weekly Naxçıvan–Mashhad train was suspended in 2020; RAI's CEO on 26 Nov 2025: work 'underway to connect Iran's railway network with Nakhchivan'. The project julfa-rail-reopen opens it."),
    dict(mode="rail", name="Tabriz–Jolfa railway", line="R14",
         stops=[("jolfa-ir", 0), ("marand", 73.5), ("sufian", 115.3), ("tabriz", 146)],
         km_src="Tabriz–Jolfa 146 km (Jolfa station infobox); Sufian–Tabriz 30.7 km [DE-VT]; Jolfa–Marand 73.5 km [DE-TJ]",
         km_notes={"sufian": "Sufian km 115.3 derived: 146 − 30.7",
                   "marand": "Marand km 73.5 from Jolfa: [DE-TJ] km-posts Jolfa 883.5, Marand 810.0 (it gives Marand–Sufian 43.4 km against the 41.8 left here)"},
         status="open", gauge=1435, electrified=True,
         source=f"{FS} §2.7, V15; Jolfa station infobox (Wikipedia); {S_DETJ}; {S_DEVT}",
         note="25 kV 50 Hz, the only electrified Iranian line [DE-TJ]; 140 km in [DE-TJ]."),
    dict(mode="rail", name="Ələt–Culfa railway (Culfa–Ordubad)", line="R15",
         stops=[("ordubad", 370), ("culfa", 409)], km_src=S_DEAC, status="open", gauge=1520,
         source=f"{FS} §2.5 (status M), V5; {S_DEAC}"),
    dict(mode="rail", name="Ələt–Culfa railway (Meghri section, Ağbənd–Ordubad)", line="R16",
         stops=[("aghband", 306), ("bx-meghri-e", 313), ("nrnadzor", 315), ("meghri", 338), ("agarak", None),
                ("bx-meghri-w", 352), ("ordubad", 370)],
         km_src=S_DEAC, status="destroyed", gauge=1520,
         source=f"{FS} §2.5, V5, V6, V18; {S_DEAC}; Report.az/fed.az 2022 (Sanosyan); Massis Post Jan 2022 (Grigoryan)",
         km_notes={"bx-meghri-e": "border ~km 313 (\"between km 313 and 352 over Armenian territory\")",
                   "bx-meghri-w": "border ~km 352"},
         note="Dismantled in the 1990s. The Armenian section is ≈39 km by km-posts (313–352); 43 km (Sanosyan 2022, Pashinyan; TRIPP) or 45 km (Grigoryan 2022) as published; the 32 km 'gap' is the AZ–NX separation, not a route length."),
    dict(mode="rail", name="Ələt–Culfa railway (Horadiz–Ağbənd, old alignment)", line="R17",
         stops=[("horadiz", 202), ("khudafarin", None), ("mincivan", 283), ("aghband", 306)],
         km_src=S_DEAC, status="destroyed", gauge=1520,
         source=f"{FS} §2.5, V5; {S_DEAC}; Report.az 2021 quoting T. Ziyadov",
         note="Dismantled under occupation (1990s–2020)."),
    dict(mode="rail", name="Horadiz–Ağbənd railway (new line)", line="R18",
         stops=[("horadiz", 0), ("aghband", 110.4)], km_src="110.4 km main line (Trend 2025, Report.az 2026)",
         status="planned", gauge=1520,
         source=f"{FS} §5, V8, V18; News.az 2023 (design ordered 13 Mar 2021); Trend 2025; Report.az 2026",
         note="Did not exist on 11 Jan 2021: design and construction ordered 13 Mar 2021; 70 % by Feb 2026; 110.4 km main line (+30.2 km sidings), 9 stations, 1,071 m tunnel, 771 m bridge. Alignment not published: straight geometry."),
    dict(mode="rail", name="Mincivan–Zəngilan–Kapan branch", line="R19",
         stops=[("mincivan", 0), ("zangilan", None), ("bx-zangilan-kapan", None), ("kapan", 39)],
         km_src=f"branch length 39 km {S_DEAC}", status="destroyed", gauge=1520,
         source=f"{FS} §2.5; {S_DEAC}",
         note="Destroyed (M)."),
    dict(mode="rail", name="Ələt–Culfa railway (Ələt–Horadiz)", line="R20",
         stops=[("alat", 0), ("shirvan", 48), ("osmanli", 60), ("saatli", 96), ("imishli", None), ("horadiz", 202)],
         km_src=S_DEAC, status="open", gauge=1520,
         source=f"{FS} §2.5, V5; {S_DEAC}",
         note="Horadiz was the east terminus of operation in 2021."),
    # ---- Ağstafa–Ijevan–Atarbekyan (§2.6) ----
    dict(mode="rail", name="Ağstafa–Ijevan–Atarbekyan railway", line="R21",
         stops=[("agstafa", 0), ("qazax", 11.8), ("bx-ijevan", None), ("ijevan", 44.2), ("dilijan", 80), ("atarbekyan", 125.4)],
         km_src=S_DEAA, status="closed", gauge=1520, electrified=True,
         source=f"{FS} §2.6, V13; {S_DEAA}",
         note="Opened 1972 (Ağstafa–Ijevan) / 1985–86; passenger traffic stopped 1989, freight 1990. The fact sheet gives the status of the line as a whole: every section coded closed."),
    dict(mode="rail", name="Yerevan–Hrazdan (Yerevan–Sotk line)", line=None,
         stops=[("yerevan", None), ("atarbekyan", None)],
         status="open", gauge=1520, electrified=True,
         source=f"{FS} §2.6 (Atarbekyan joins the Yerevan–Sotk line); §1 (SCR network 3 kV DC)",
         note="Section of the Yerevan–Sotk line between Yerevan and the Atarbekyan (Hrazdan) junction; status open and straight geometry are modelling assumptions (L); no published length."),
    # ---- Baku–Yalama–Derbent–Makhachkala (§2.8) ----
    dict(mode="rail", name="Baku–Yalama railway", line="R22",
         stops=[("bilajari", 0), ("sumqayit", None), ("xachmaz", None), ("xudat", 186.5), ("yalama", 203.2), ("bx-samur-rail", 214)],
         km_src=f"{S_DEBY}, km from Biləcəri", status="open", gauge=1520, tracks=2, electrified=True,
         source=f"{FS} §2.8, V14; {S_DEBY}",
         note="Biləcəri–Yalama is 206 km in the text and 220 km in the infobox of [DE-BY]; the km-posts are used."),
    dict(mode="rail", name="Samur–Derbent–Makhachkala railway", line="R23",
         stops=[("bx-samur-rail", 0), ("derbent", 31), ("makhachkala", 156)],
         km_src="Derbent ≈31 km north of the border [DE-BY]; Derbent–Makhachkala ≈125 km (estimate, L)",
         status="open", gauge=1520,
         source=f"{FS} §2.8; {S_DEBY}",
         notes={"derbent>makhachkala": "Length ≈125 km is an estimate (L) of the fact sheet."}),
    dict(mode="rail", name="Makhachkala–Rostov railway (via Gudermes, Mozdok, Mineralnye Vody, Armavir)", line=None,
         stops=[("makhachkala", 0), ("rostov", 1065)], km_src="Makhachkala–Rostov about 1,050–1,080 km from km-posts (L; the midpoint, caucasus-facts §12.18)",
         status="open", gauge=1520,
         source=f"{FS} §10, §12.18 (L)",
         note="Trunk link to a long-haul end; the length is the midpoint of the fact sheet's km-post range (L)."),
    dict(mode="rail", name="Moscow–Rostov railway (Tikhiy Don route: Ryazan, Michurinsk, Gryazi, Voronezh, Likhaya)", line=None,
         stops=[("moscow", 0), ("gryazi", None), ("rostov", 1223)],
         km_src="Moscow Kazansky – Rostov-Glavny 1,223 km, the 'Tikhiy Don' train (caucasus-facts §12.18, M)",
         status="open", gauge=1520,
         source=f"{FS} §10, §12.18 (M)",
         note="Main line Moscow–Ryazan–Michurinsk–Gryazi–Voronezh–Liski–Rossosh–Millerovo–Likhaya–Rostov; split at Gryazi, where the line to Povorino, Volgograd and Astrakhan leaves."),
    # ---- North–South corridor, eastern route (caucasus-facts §12.10) ----
    dict(mode="rail", name="Gryazi–Povorino–Volgograd–Astrakhan railway", line=None,
         stops=[("gryazi", None), ("aksaraiskaya", None), ("astrakhan", None)], status="open", gauge=1520,
         source=f"{FS} §12.10 (Russia–Kazakhstan–Turkmenistan–Iran by rail in 2021; reached from Russia via Astrakhan, L); trunk added by the data's authors",
         note="Trunk to the Caspian and to Kazakhstan: Gryazi–Borisoglebsk–Povorino–Frolovo–Volgograd–Verkhniy Baskunchak–Aksaraiskaya–Astrakhan (the line's course through these towns is general knowledge, L); no published length."),
    dict(mode="rail", name="Astrakhan–Atyrau railway", line=None,
         stops=[("aksaraiskaya", None), ("bx-ganyushkino", None), ("atyrau", None)], status="open", gauge=1520,
         source=f"{FS} §12.10 (Russia–Astrakhan–Atyrau–Makat–Beyneu–Uzen, L)",
         note="Russia–Kazakhstan railway across the Volga delta; no published length."),
    dict(mode="rail", name="Atyrau–Makat–Beyneu–Mangyshlak railway", line=None,
         stops=[("atyrau", None), ("makat", None), ("beyneu", None), ("mangyshlak", None)], status="open", gauge=1520,
         source=f"{FS} §12.10 (Russia–Astrakhan–Atyrau–Makat–Beyneu–Uzen, L)",
         note="Kazakh main line to the Caspian coast; no published length."),
    dict(mode="rail", name="Mangyshlak–Uzen railway", line=None,
         stops=[("mangyshlak", None), ("zhanaozen", None)], status="open", gauge=1520,
         source=f"{FS} §12.10 (L)", note="No published length."),
    dict(mode="rail", name="Aktau port railway", line=None,
         stops=[("aktau", None), ("mangyshlak", None)], status="open", gauge=1520,
         source=f"{FS} §12.21 (Aktau handles containers); link added by the data's authors (L)",
         note="Aktau port to the Mangyshlak junction; no published length."),
    dict(mode="rail", name="Kuryk port railway", line=None,
         stops=[("kuryk", None), ("mangyshlak", None)], status="open", gauge=1520,
         source=f"{FS} §12.21 (rail wagons cross Ələt–Kuryk, KTZ 2017, M); link added by the data's authors (L)",
         note="The Kuryk rail-ferry complex's line to the Mangyshlak junction; no published length."),
    dict(mode="rail", name="Uzen–Bereket–Etrek–Gorgan railway (North–South corridor, eastern route)", line=None,
         stops=[("zhanaozen", 0), ("bx-bolashak", None), ("bereket", None), ("etrek", None), ("bx-akyayla", None),
                ("incheh-borun", None), ("gorgan", 928)],
         km_src="Uzen–Gorgan 928 km (TASS 2014, caucasus-facts §12.10, H)",
         status="open", gauge=1520, gauges={"incheh-borun>gorgan": 1435},
         source=f"{FS} §12.10; TASS 2014",
         note="Opened 3 Dec 2014. Sections KZ 120–146 km, TM ≈700 km, IR 82–88 km (sources differ, M); 1520 mm on the Kazakh and Turkmen sections, break of gauge at the Turkmen–Iranian border (Akyayla / Inche Burun, M), 1435 mm in Iran."),
    dict(mode="rail", name="Gorgan–Tehran railway (via Sari, Firuzkuh, Garmsar)", line=None,
         stops=[("gorgan", 0), ("tehran", 500)], km_src="Gorgan–Tehran by rail ≈500 km (caucasus-facts §12.10, L)",
         status="open", gauge=1435, source=f"{FS} §12.10 (L)",
         note="Iranian line from Gorgan along the Caspian plain to Sari and over the Alborz by Firuzkuh to Garmsar and Tehran; the length is an estimate (L)."),
    dict(mode="rail", name="Trans-Caspian railway (Türkmenbaşy–Balkanabat–Bereket)", line=None,
         stops=[("turkmenbashi", None), ("bereket", None)], status="open", gauge=1520,
         source=f"{FS} §2.12 (Ələt–Turkmenbashi rail ferry), §12.10 (Bereket); link added by the data's authors (L)",
         note="Joins the Turkmenbashi ferry port to the Uzen–Gorgan line at Bereket; its existence is general knowledge; no published length."),
    dict(mode="rail", name="Adler–Rostov railway (via Tuapse, Krasnodar)", line=None,
         stops=[("adler", None), ("rostov", None)], status="open", gauge=1520,
         source=f"{FS} §2.10 (Russia runs trains Adler–Psou–Sukhumi, Moscow–Sukhumi since 2004); trunk added by the data's authors",
         note="Connects the Abkhazia line to the Russian network; existence is general knowledge (Moscow–Sukhumi trains run over it); straight geometry; the length is an estimate (see length_note)."),
    dict(mode="rail", name="Port Kavkaz–Rostov railway", line=None,
         stops=[("port-kavkaz", None), ("rostov", None)], status="open", gauge=1520,
         source=f"{FS} §2.12 (Poti–Port Kavkaz rail ferry); connection added by the data's authors",
         note="Connects the Port Kavkaz train-ferry terminal to the Russian network (modelling assumption, L); straight geometry; the length is an estimate (see length_note)."),
    # ---- Astara and Rasht (§2.9) ----
    dict(mode="rail", name="Osmanlı–Astara railway", line="R24",
         stops=[("osmanli", None), ("salyan", None), ("lankaran", None), ("astara-az", None)],
         status="open", gauge=1520,
         source=f"{FS} §2.5 (Osmanlı: Astara branch), §2.9",
         note="No published length: geodesic used."),
    dict(mode="rail", name="Astara (AZ)–Astara (IR) link", line="R25",
         stops=[("astara-az", 0), ("bx-astara", 8.3), ("astara-ir", 10.0)],
         km_src="8.3 km of ADY track from Astara station to the Astarachay at the border, and 1.7 km on to the Iranian town "
                "(ilmondodeitreni.it, Nov 2016; Financial Tribune 2016: a 10-km line, 8 km in Azerbaijan and 2 km in Iran); "
                "the fact sheet's 'Astara–Astara link 8.3 km' (caucasus-facts §2.9) is the Azerbaijani part only",
         status="open", gauge=1520, dual={"astara-az>bx-astara", "bx-astara>astara-ir"},
         source=f"{FS} §2.9, V10; Wikipedia Astara–Rasht–Qazvin; privatbahn-magazin",
         note="Dual gauge 1520/1435, 82.5 m Astarachay bridge; completed Mar 2017, first through train 8 Feb 2018; Iranian terminal leased to ADY for 25 years; 364 kt in 2019."),
    dict(mode="rail", name="Rasht–Astara railway", line="R26",
         stops=[("astara-ir", 0), ("rasht", 162)], km_src="162 km (AzerNews 2023)",
         status="planned", gauge=1435,
         source=f"{FS} §2.9, §5, V10; AzerNews 2023; otaghiranonline",
         note="Unbuilt in 2021. Russia–Iran agreement 17 May 2023 (€1.6 bn, €1.3 bn Russian loan); completion promised 2027–28; construction start planned for March 2026. Alignment not published: straight geometry."),
    dict(mode="rail", name="Qazvin–Rasht railway", line="R27",
         stops=[("rasht", 0), ("qazvin", 164)], km_src="164 km (Wikipedia)", status="open", gauge=1435,
         source=f"{FS} §2.9, V10; Wikipedia Astara–Rasht–Qazvin",
         note="Opened 6 Mar 2019; 53 tunnels (>22 km)."),
    dict(mode="rail", name="Qazvin–Tehran railway", line=None,
         stops=[("qazvin", 0), ("tehran", 150)], km_src="about 150 km (estimate, L)", status="open", gauge=1435,
         source=f"{FS} §10 (L)",
         note="Length is an estimate (L)."),
    dict(mode="rail", name="Tabriz–Tehran railway (via Zanjan, Qazvin)", line=None,
         stops=[("tabriz", 0), ("qazvin", 586)],
         km_src="586 km derived: Tabriz–Tehran ≈736 km (Jolfa station infobox, H) − Qazvin–Tehran ≈150 km (L)",
         status="open", gauge=1435,
         source=f"{FS} §10; Jolfa station infobox (Wikipedia: Tabriz 146 km, Tehran 882 km); {S_DETT}",
         note="Length derived from a published and an estimated figure (L). The 736 km are the line of 1958, which runs from Mianeh "
              "round the Sahand massif by Hashtrud, Maragheh, Ajabshir and Azarshahr to Tabriz ([DE-TT]: Tabriz 735.9, Qazvin 143.6, "
              "so 592.3 km Qazvin–Tabriz), and the geometry follows it; the Mianeh–Bostanabad–Tabriz cut-off (Mianeh–Bostanabad "
              "132 km opened 27 Nov 2019, Bostanabad–Tabriz 70 km still under construction then, IRNA 2019-11-27) is not modelled."),
    # ---- Abkhazia (§2.10) ----
    dict(mode="rail", name="Adler–Sukhumi railway (Abkhazia)", line="R28",
         stops=[("adler", None), ("bx-psou", None), ("sukhumi", None)], status="open", gauge=1520,
         source=f"{FS} §2.10, §3, §4.4",
         note="Russia restored Moscow–Sukhumi service in 2004 and runs Adler–Psou–Sukhumi trains; open for RU↔Abkhazia traffic only."),
    dict(mode="rail", name="Sukhumi–Zugdidi railway (Abkhazia through-link)", line="R29",
         stops=[("sukhumi", None), ("ochamchire", None), ("inguri", None), ("zugdidi", None)], status="closed", gauge=1520,
         source=f"{FS} §2.10, §4.4, V18; IWPR/ReliefWeb 2005",
         note="Severed by the 1992–93 war; Inguri rail bridge near Zugdidi wrecked; Sukhumi/Ochamchire–Inguri derelict (M); 2005–2013 reopening talks never implemented."),
    dict(mode="rail", name="Senaki–Zugdidi railway", line="R30",
         stops=[("zugdidi", None), ("senaki", None)], status="open", gauge=1520,
         source=f"{FS} §2.10 (Senaki: branch to Zugdidi/Abkhazia)",
         note="Georgian branch; status open is a modelling assumption (L)."),
    # ---- Georgia west: Tbilisi–Poti, Samtredia–Batumi (§2.12) ----
    dict(mode="rail", name="Tbilisi–Poti railway (Poti–Baku main line)", line="R31",
         stops=[("tbilisi", 0), ("mtskheta", None), ("khashuri", None), ("samtredia", None), ("senaki", None), ("poti", 312.1)],
         km_src="Poti station km 312.1 [DE-PB], read as chainage from Tbilisi",
         status="open", gauge=1520, tracks=2, electrified=True,
         source=f"{FS} §2.2, §2.12; {S_DEPB}",
         note="Part of the 897 km Poti–Baku line [DE-PB]; double track, 3 kV DC."),
    dict(mode="rail", name="Poti port railway", line="R31",
         stops=[("poti", None), ("poti-port", None)], status="open", gauge=1520,
         source=f"{FS} §2.12", note="Station–port connection; geodesic length."),
    dict(mode="rail", name="Samtredia–Batumi railway", line="R32",
         stops=[("samtredia", 0), ("batumi", 104.1)], km_src="Batumi km 104.1 on the Samtredia–Batumi branch [DE-PB]",
         status="open", gauge=1520, electrified=True,
         source=f"{FS} §2.12; {S_DEPB}"),
    dict(mode="rail", name="Batumi port railway", line="R32",
         stops=[("batumi", None), ("batumi-port", None)], status="open", gauge=1520,
         source=f"{FS} §2.12", note="Station–port connection; geodesic length."),
    # ---- Turkey (§2.11, §10) ----
    dict(mode="rail", name="Kars–Erzurum–Erzincan–Divriği–Çetinkaya railway", line="R33",
         stops=[("kars", 0), ("sarikamis", None), ("horasan", None), ("erzurum", None), ("cetinkaya", 610)],
         km_src="Kars–Çetinkaya 610 km = Ankara–Kars 1,310 km (Eastern Express, DHA 2021, H) − Ankara–Çetinkaya ≈700 km (derived, L) (caucasus-facts §12.3)",
         status="open", gauge=1435, electrified=False,
         source=f"{FS} §2.11, §12.3; DHA 2021; Kars station article (Wikipedia)",
         note="TCDD, standard gauge since 1957/1962, non-electrified. The Kars line leaves the Sivas–Malatya line at Çetinkaya and runs by Divriği, Erzincan and Erzurum; Kars–Erzurum is not published separately."),
    dict(mode="rail", name="Ankara–Kırıkkale–Kayseri–Sivas–Çetinkaya railway", line=None,
         stops=[("ankara", 0), ("cetinkaya", 700)],
         km_src="Ankara–Çetinkaya ≈700 km (derived, L, caucasus-facts §12.3)",
         status="open", gauge=1435, electrified=False,
         source=f"{FS} §10, §12.3 (L)",
         note="The trunk shared by the Kars line and the Tatvan (Lake Van) line (caucasus-facts §12.3)."),
    dict(mode="rail", name="Ankara–Istanbul railway", line=None,
         stops=[("ankara", 0), ("istanbul", 530)], km_src="about 530 km (estimate, L)", status="open", gauge=1435,
         source=f"{FS} §10 (L)", note="Length is an estimate (L)."),
    dict(mode="rail", name="Kars–Iğdır–Aralık–Dilucu railway", line="R34",
         stops=[("kars", 0), ("digor", None), ("tuzluca", None), ("igdir", None), ("aralik", None), ("bx-dilucu", 224)],
         km_src="224 km (Minister Uraloğlu; 223.6 km project sheet)", status="planned", gauge=1435, tracks=2, electrified=True,
         capacity=41096, capacity_note="design capacity 41,096 t/day = 15 Mt/yr / 365 (Trend/MENAFN 2025)",
         source=f"{FS} §2.11, §5, V9, V18; Trend/MENAFN 2025-08-22; Vestnik Kavkaza 2025; Report.az 2026-03-05",
         note="Did not exist in 2021 (first announced Nov 2020; groundbreaking 22 Aug 2025; target 24 Sep 2029). Design speed 160 km/h (a passenger design figure, not used as freight speed); 6 stations, 5 tunnels (11.5 km), 3 viaducts, 10 bridges; double-track electrified (M). Alignment not published: straight segments between the named stations."),
    dict(mode="rail", name="Dilucu–Sədərək connection (Kars–Dilucu line to the Nakhchivan network)", line="R34",
         stops=[("bx-dilucu", None), ("sadarak", None)], status="planned", gauge=1435,
         source=f"{FS} §1 (gauge-change site not published, L), §2.11, §5",
         note="Modelling assumption: the 1435 mm Kars–Dilucu line is carried across the border to Sədərək, where it meets the 1520 mm Nakhchivan network (gauge change at Sədərək). No published length."),
    dict(mode="rail", name="Van–Tabriz railway (Van pier–Kapıköy)", line="R35",
         stops=[("van-pier", 0), ("bx-kapikoy", 114)], km_src=S_DEVT, status="open", gauge=1435, tracks=1, electrified=False,
         source=f"{FS} §2.11; {S_DEVT}",
         note="Single track, opened 1971. The km-posts of [DE-VT] may start at Van station rather than the pier."),
    dict(mode="rail", name="Van–Tabriz railway (Kapıköy–Razi–Sufian)", line="R36",
         stops=[("bx-kapikoy", 114), ("razi", 120), ("salmas", None), ("sufian", 307)], km_src=S_DEVT,
         status="open", gauge=1435, tracks=1, electrified=False,
         source=f"{FS} §2.11; {S_DEVT}",
         note="Van–Tabriz 337.7 km in [DE-VT] vs 362 km Van–Sufian in en.wikipedia (unresolved, caucasus-facts §9)."),
    dict(mode="rail", name="Çetinkaya–Malatya–Elazığ–Muş–Tatvan railway", line=None,
         stops=[("cetinkaya", 0), ("tatvan-pier", 615)],
         km_src="Çetinkaya–Tatvan 615 km = Ankara–Tatvan ≈1,315 km (Vangölü Express, Hürriyet 2025, M) − Ankara–Çetinkaya ≈700 km (derived, L) (caucasus-facts §12.3)",
         status="open", gauge=1435, electrified=False,
         source=f"{FS} §12.3; Hürriyet 2025",
         note="The Lake Van ferry's western railhead on the TCDD network; it leaves the Kars line at Çetinkaya, so that Kars ↔ Tatvan runs ≈1,225 km via Çetinkaya, never via Ankara (caucasus-facts §12.3)."),
]

# Roads (§3.1). W keys where the fact sheet gives them.
S_W = f"{FS} §3.1"
ROADS = [
    dict(name="Georgian Military Road", line="W01",
         stops=[("tbilisi", None), ("mtskheta", None)], status="open", source=f"{S_W}; {FS} §3 (Upper Lars)"),
    dict(name="Georgian Military Road", line="W01",
         stops=[("mtskheta", 0), ("stepantsminda", 121), ("bx-upper-lars", 136), ("vladikavkaz", None)],
         km_src="neutral zone at km 136 of the Mtskheta–Stepantsminda–Lars road (Armradio 2022); crossing ~15 km N of Stepantsminda",
         km_notes={"stepantsminda": "Stepantsminda km ≈121 derived: 136 − 15"},
         status="open", source=f"{S_W}; {FS} §3; Armradio 2022",
         note="Main Armenia–Russia truck route; weather closures at Upper Lars."),
    dict(name="Vladikavkaz–Rostov road (R-217 Kavkaz, M-4)", line=None, stops=[("vladikavkaz", 0), ("rostov", 700)],
         km_src="Vladikavkaz–Rostov-on-Don ≈700 km (caucasus-facts §12.5, L)", status="open",
         source=f"{FS} §10, §12.5 (L)", note="Trunk road to a long-haul end."),
    dict(name="Baku–Samur–Derbent road (M1)", line="W02",
         stops=[("baku", None), ("sumqayit", None), ("xachmaz", None), ("bx-samur-road", None), ("derbent", None)],
         status="open", source=f"{S_W}; {FS} §3 (Samur – Yarag-Kazmalyar)"),
    dict(name="Derbent–Makhachkala road", line=None, stops=[("derbent", None), ("makhachkala", None)], status="open",
         source=f"{FS} §2.8, §10", note="Geodesic length (L)."),
    dict(name="Makhachkala–Rostov road", line=None, stops=[("makhachkala", None), ("rostov", None)], status="open",
         source=f"{FS} §10 (trunk, L)", note="Trunk road to a long-haul end; the length is an estimate (see length_note)."),
    dict(name="Rostov–Moscow road (M-4 Don)", line=None, stops=[("rostov", 0), ("moscow", 1070)],
         km_src="Moscow–Rostov-on-Don by the M-4 ≈1,070 km (the M-4 is 1,544 km to Novorossiysk; caucasus-facts §12.5, M)", status="open",
         source=f"{FS} §10, §12.5 (M)", note="Trunk road to a long-haul end, by Voronezh, Yelets and Kashira."),
    dict(name="Baku–Gəncə–Qazax–Red Bridge–Tbilisi road (E60)", line="W03",
         stops=[("baku", None), ("alat", None), ("hajigabul", None), ("kurdamir", None), ("yevlakh", None), ("ganja", None),
                ("shamkir", None), ("tovuz", None), ("qazax", None), ("bx-red-bridge", None), ("rustavi", None), ("tbilisi", None)],
         status="open", source=f"{S_W}; {FS} §3 (Red Bridge)",
         note="Towns between Baku and Gəncə placed on the road are a modelling assumption."),
    dict(name="Tbilisi–Sadakhlo–Vanadzor–Yerevan road (M6)", line="W04",
         stops=[("tbilisi", None), ("marneuli", None), ("sadakhlo", None), ("bx-bagratashen", 0), ("alaverdi", None),
                ("vanadzor", None), ("yerevan", 220)],
         km_src="Bagratashen 220 km from Yerevan (Messenger 2011)", status="open",
         source=f"{S_W}; {FS} §3 (Bagratashen – Sadakhlo); Messenger 2011"),
    dict(name="Gyumri–Bavra–Ninotsminda–Akhalkalaki road", line="W05",
         stops=[("gyumri", None), ("bx-bavra", None), ("ninotsminda", None), ("akhalkalaki", None)], status="open",
         source=f"{S_W}; {FS} §3 (Bavra – Ninotsminda)",
         note="Bavra is <50 km from Gyumri (travel report, M); no exact length published."),
    dict(name="Akhalkalaki–Khashuri road (via Akhaltsikhe, Borjomi)", line=None,
         stops=[("akhalkalaki", None), ("khashuri", None)], status="open",
         source=f"{FS} §3 (Bavra: route to Batumi via Akhalkalaki); link added by the data's authors",
         note="Connects the Bavra route to the Georgian east–west highway (modelling assumption, L); geodesic length."),
    dict(name="Akhalkalaki–Kartsakhi–Çıldır–Kars road", line=None,
         stops=[("akhalkalaki", None), ("bx-aktas", None), ("cildir", None), ("kars", None)], status="open",
         source=f"{FS} §3 (Kartsakhi – Aktaş)", note="Persons closed 2020–22, cargo open; geodesic length."),
    dict(name="Tbilisi–Poti highway (E60/E70)", line=None,
         stops=[("mtskheta", None), ("khashuri", None), ("samtredia", None), ("senaki", None), ("poti", None)], status="open",
         source=f"{FS} §2.12, §4.3 (Armenia's outlets via the Georgian ports)",
         note="Road alongside the Poti railway (modelling assumption for the alignment); geodesic length."),
    dict(name="Poti port access road", line=None, stops=[("poti", None), ("poti-port", None)], status="open",
         source=f"{FS} §2.12"),
    dict(name="Samtredia–Batumi road", line=None, stops=[("samtredia", None), ("batumi", None)], status="open",
         source=f"{FS} §2.12, §4.3", note="Geodesic length."),
    dict(name="Batumi port access road", line=None, stops=[("batumi", None), ("batumi-port", None)], status="open",
         source=f"{FS} §2.12"),
    dict(name="Batumi–Sarp–Hopa coastal road", line=None,
         stops=[("batumi", None), ("bx-sarp", None), ("hopa", None)], status="open", source=f"{FS} §3 (Sarp)"),
    dict(name="Hopa–Artvin–Erzurum road", line=None, stops=[("hopa", None), ("erzurum", None)], status="open",
         source="link added by the data's authors to join the Sarp crossing to the Turkish trunk (L)",
         note="The length is an estimate (see length_note)"),
    dict(name="Senaki–Zugdidi road", line=None, stops=[("senaki", None), ("zugdidi", None)], status="open",
         source=f"{FS} §2.10 (Zugdidi)", note="Georgian road; geodesic length."),
    dict(name="Yerevan–Gyumri road (M1)", line=None, stops=[("yerevan", None), ("maralik", None), ("gyumri", None)], status="open",
         source=f"{FS} §7 (Maralik waypoint Gyumri–Yerevan)", note="Geodesic length."),
    dict(name="Gyumri–Vanadzor road", line=None, stops=[("gyumri", None), ("vanadzor", None)], status="open",
         source="Armenian road added by the data's authors (L)", note="Geodesic length."),
    dict(name="Vanadzor–Gogavan–Tbilisi road", line=None,
         stops=[("vanadzor", None), ("bx-gogavan", None), ("tbilisi", None)], status="open",
         source=f"{FS} §3 (Gogavan – Guguti, minor)", note="Georgian side joined straight to Tbilisi (modelling assumption); geodesic length."),
    dict(name="Yerevan–Sevan–Dilijan–Ijevan road (M4)", line=None,
         stops=[("yerevan", None), ("sevan-jn", None), ("dilijan", None), ("ijevan", None)], status="open",
         source=f"{FS} §7 (Sevan waypoint)", note="Geodesic length; the road crossing Ijevan–Qazax is not modelled (closed, no crossing in the fact sheet)."),
    dict(name="Armenian North–South road (M2)", line="W06",
         stops=[("yerevan", 0), ("ararat", None), ("yeraskh", None), ("goris", 254), ("vorotan", None), ("shurnukh", None),
                ("davit-bek", None), ("kapan", None), ("kajaran", None), ("meghri", 376), ("agarak", None),
                ("bx-agarak-nurduz", 384.3), ("nurduz", None)],
         fixed={"vorotan>shurnukh": None, "shurnukh>davit-bek": None},
         km_src="the M2 is 384.3 km long from Yerevan to the Agarak border checkpoint (Wikipedia 'M2 (Armenia)'); "
                "the rounded 'Yerevan–Nurduz ≈400 km' (IRAS 2025; Tehran Times 2021) is not used",
         status="open",
         km_notes={"goris": "Goris km 254: 254 km from Yerevan, 67 km from Kapan (Wikipedia 'Goris')",
                   "meghri": "Meghri km 376: 376 km from Yerevan, 73 km from Kapan (Wikipedia 'Meghri')"},
         lines={"vorotan>shurnukh": "W07", "shurnukh>davit-bek": "W07"},
         source=f"{S_W}, V16; IRAS 2025; Tehran Times 2021; Wikipedia 'M2 (Armenia)' (384.3 km), 'Goris' (254 km from Yerevan), 'Meghri' (376 km)",
         notes={"vorotan>shurnukh": "Goris–Kapan 21-km section (Vorotan–Shurnukh–Davit Bek) along/through Azerbaijani-controlled ground after Dec 2020, Russian border guards posted; open on 11 Jan 2021 (Armenian MoD 19 Dec 2020). AZ checkpoints from 25–26 Aug 2021, Iranian trucks charged (~$130) from Sep 2021.",
                "shurnukh>davit-bek": "Goris–Kapan 21-km section (Vorotan–Shurnukh–Davit Bek); see road-vorotan-shurnukh."}),
    dict(name="Goris–Tatev road", line="W08", stops=[("goris", None), ("tatev", None)], status="open",
         source=f"{S_W} (Tatev bypass); link added by the data's authors",
         note="Existing local road from Goris to Tatev, the northern approach of the Tatev–Aghvani bypass (modelling assumption, L); geodesic length."),
    dict(name="Tatev–Aghvani–Kapan road (Tatev bypass)", line="W08", stops=[("tatev", 0), ("kapan", 43)], km_src="43 km (Iran International 2021)",
         status="open", speed=20.0,
         speed_note="Speed 20 km/h is a modelling assumption (L) for a poor mountain road that 'very few drivers choose to take' (news.am 2021-09-16, caucasus-facts §12.17)",
         source=f"{S_W}, §5, §12.17; Iran International 2021; news.am 2021-09-16",
         note="Existed in Jan 2021 as a poor road (caucasus-facts §12.17): open but slow in the baseline. Repaved in 2021 (Tatev–Aghvani 'completely paved', Nov 2021, M) to avoid the Azerbaijani-checkpointed M2 section. Aghvani is not a node of the data: the road is drawn to Kapan."),
    dict(name="Meghri–Nrnadzor road", line=None, stops=[("meghri", None), ("nrnadzor", None)], status="open",
         source="Armenian road along the Aras, added by the data's authors (L)", note="Geodesic length."),
    dict(name="Meghri road corridor (Nrnadzor–Ağbənd)", line=None,
         stops=[("nrnadzor", None), ("bx-meghri-e", None), ("aghband", None)], status="closed",
         source=f"{FS} §2.5, §3, §4.1, §5 (Meghri road)",
         note="Road along the old railway to the closed AM–AZ border; coded closed (no through road across the border in 2021)."),
    dict(name="Meghri road corridor (Agarak–Ordubad)", line=None,
         stops=[("agarak", None), ("bx-meghri-w", None), ("ordubad", None)], status="closed",
         source=f"{FS} §2.5, §3, §4.1, §5 (Meghri road)",
         note="Road along the old railway to the closed AM–NX border; coded closed (no through road across the border in 2021)."),
    dict(name="Ələt–Şirvan–Saatlı–İmişli–Horadiz road", line=None,
         stops=[("alat", None), ("shirvan", None), ("saatli", None), ("imishli", None), ("horadiz", None)], status="open",
         source=f"{FS} §2.5 (towns of the Ələt–Horadiz railway); road added by the data's authors",
         note="Road to Horadiz along the Ələt–Horadiz railway (modelling assumption for the alignment, L); geodesic length."),
    dict(name="Horadiz–Mincivan–Ağbənd road", line=None,
         stops=[("horadiz", 0), ("mincivan", None), ("aghband", 123.6)], status="planned",
         km_src="Horadiz–Ağbənd highway 123.6 km (AAYDA via News.az, caucasus-facts §12.5, M)",
         source=f"{FS} §5, §12.5 (Horadiz–Ağbənd highway, AAYDA via News.az: under construction in 2021, largely complete by 2025)",
         note="Modelling assumption (L): the fact sheet gives no road status in the districts returned to Azerbaijan in late 2020; the road link from Horadiz to Ağbənd is coded planned and is opened by the meghri-road and aras-corridor scenarios. Straight geometry, geodesic length."),
    dict(name="Aghband–Kalaleh bridge (Aras corridor)", line=None,
         stops=[("aghband", None), ("bx-aghband-kalaleh", None), ("kalaleh", None)], status="planned",
         source=f"{FS} §3, §5; Iran Press; amtehran; MENAFN; Report.az 2026-02-23",
         note="Road bridge did not exist in 2021: works launched 21 Sep 2022, groundbreaking 6 Oct 2023, completed 23 Feb 2026 awaiting border facilities. Bridge dimensions differ by source (216–374 m)."),
    dict(name="Aras road (Kalaleh–Nurduz–Jolfa), Iran", line=None,
         stops=[("kalaleh", None), ("nurduz", None), ("jolfa-ir", None)], status="open",
         source=f"{FS} §5 (Aras corridor: Aghband–Kalaleh–Jolfa); road on the Iranian bank added by the data's authors",
         note="Existing Iranian road along the Aras (modelling assumption, L); geodesic length."),
    dict(name="Nakhchivan road (Culfa–Naxçıvan–Sədərək)", line=None,
         stops=[("ordubad", None), ("culfa", None), ("nakhchivan", None), ("shahtakhti", None), ("sharur", None), ("sadarak", None)],
         status="open", source=f"{FS} §3.1 (Nakhchivan outlets), §4.6, §4.7",
         note="Nakhchivan's internal road along the railway (modelling assumption for the alignment); geodesic length."),
    dict(name="Şahtaxtı–Poldasht road", line="W09",
         stops=[("shahtakhti", None), ("bx-shahtakhti", None), ("poldasht", None)], status="open",
         source=f"{S_W}; {FS} §3 (Şahtaxtı – Poldasht)"),
    dict(name="Poldasht–Jolfa road (Iran)", line=None, stops=[("poldasht", None), ("jolfa-ir", None)], status="open",
         source="road on the Iranian bank of the Aras added by the data's authors (L)", note="Geodesic length."),
    dict(name="Culfa–Jolfa road", line="W10",
         stops=[("culfa", None), ("bx-julfa", None), ("jolfa-ir", None)], status="open",
         source=f"{S_W}; {FS} §3 (Culfa – Jolfa)"),
    dict(name="Sədərək–Dilucu–Iğdır road", line="W11",
         stops=[("sadarak", None), ("bx-dilucu", None), ("aralik", None), ("igdir", None)], status="open",
         source=f"{S_W}; {FS} §3 (Sədərək – Dilucu)",
         note="Cargo open, persons restricted; buses Nakhchivan–Iğdır–Istanbul."),
    dict(name="Iğdır–Kars road", line=None, stops=[("igdir", None), ("kars", None)], status="open",
         source=f"{FS} §4.5 (road via Georgia–Turkey to Kars/Iğdır)", note="Geodesic length (L)."),
    dict(name="Iğdır–Ağrı–Erzurum road", line=None, stops=[("igdir", None), ("erzurum", None)], status="open",
         source="Turkish trunk road added by the data's authors (L)", note="The length is an estimate (see length_note)"),
    dict(name="Kars–Erzurum road", line=None, stops=[("kars", None), ("erzurum", None)], status="open",
         source=f"{FS} §2.11 (Kars–Erzurum corridor)", note="The length is an estimate (see length_note)"),
    dict(name="Erzurum–Ankara road", line=None, stops=[("erzurum", None), ("ankara", None)], status="open",
         source=f"{FS} §10 (trunk, L)", note="Trunk road; the length is an estimate (see length_note)."),
    dict(name="Ankara–Istanbul road", line=None, stops=[("ankara", None), ("istanbul", None)], status="open",
         source=f"{FS} §10 (trunk, L)", note="Trunk road; the length is an estimate (see length_note)."),
    dict(name="Yerevan–Armavir–Margara road (M5)", line=None, stops=[("yerevan", None), ("armavir", None)], status="open",
         source=f"{FS} §3.1 (Margara route)", note="Geodesic length."),
    dict(name="Margara route (Armavir–Margara–Iğdır)", line="W12",
         stops=[("armavir", None), ("bx-margara", None), ("igdir", None)], status="closed",
         source=f"{S_W}; {FS} §3 (Margara – Alican), §4.2; Duvar/Anadolu",
         note="Closed since April 1993; opened only on 11 Feb 2023 for 5 aid trucks; Armenia finished a new checkpoint in 2024."),
    dict(name="Baku–Ələt–Salyan road (M3)", line="W14", stops=[("alat", None), ("salyan", None)], status="open",
         source=f"{S_W} (Baku–Nakhchivan via Iran)"),
    dict(name="Baku–Nakhchivan road via Iran (Salyan–Biləsuvar–Ardabil–Tabriz–Jolfa)", line="W14",
         stops=[("salyan", None), ("bilasuvar", None), ("bx-bilasuvar", None), ("ardabil", None), ("tabriz", None),
                ("sufian", None), ("marand", None), ("jolfa-ir", None)],
         status="open", source=f"{S_W}; {FS} §3 (Biləsuvar – Bileh Savar); metbuat.az 2019",
         note="Night bus Baku→Nakhchivan ≈13 h (metbuat.az Jan 2019); distance not published (≈700–780 km by road, L). Services suspended 14–19 Jun 2025 and from 28 Feb 2026."),
    dict(name="Salyan–Lənkəran–Astara road (M3)", line=None,
         stops=[("salyan", None), ("lankaran", None), ("astara-az", None), ("bx-astara", None), ("astara-ir", None)],
         status="open", source=f"{FS} §3 (Astara – Astara), §12.13; Trend 2022; Tehran Times 2023",
         note="In 2021 the old Astarachay road bridge was in use; the new road bridge (89 m × 30 m, €4.8 M) had its foundation laid on 25 Jan 2022 (Trend) and was unfinished in Jul 2023 (Tehran Times) (caucasus-facts §12.13)."),
    dict(name="Astara–Ardabil road (Iran)", line=None, stops=[("astara-ir", None), ("ardabil", None)], status="open",
         source="Iranian road added by the data's authors (L)", note="Geodesic length."),
    dict(name="Astara–Rasht–Qazvin–Tehran road (Iran)", line=None,
         stops=[("astara-ir", None), ("rasht", None), ("qazvin", None), ("tehran", None)], status="open",
         source="Iranian roads added by the data's authors (L)", note="Geodesic length."),
    dict(name="Tabriz–Qazvin road (Iran)", line=None, stops=[("tabriz", None), ("qazvin", None)], status="open",
         source="Iranian road added by the data's authors (L)", note="The length is an estimate (see length_note)"),
    # ---- Turkey–Iran by road (caucasus-facts §12.11) ----
    dict(name="Erzurum–Horasan–Ağrı–Doğubayazıt road (E80 / D100)", line=None, stops=[("erzurum", None), ("dogubayazit", None)], status="open",
         source=f"{FS} §12.11 (road to the Gürbulak crossing); road added by the data's authors (L)",
         note="Main Turkish road to Iran; no published length."),
    dict(name="Iğdır–Doğubayazıt road", line=None, stops=[("igdir", None), ("dogubayazit", None)], status="open",
         source=f"{FS} §12.11; road added by the data's authors (L)", note="No published length."),
    dict(name="Doğubayazıt–Gürbulak–Bazargan–Maku–Marand road", line=None,
         stops=[("dogubayazit", None), ("bx-gurbulak", None), ("marand", None)], status="open",
         source=f"{FS} §12.11; Tasnim via Eurasia Review 2020-06-05; Mehr News 2020-12-09",
         note="Gürbulak–Bazargan, the main Turkey–Iran road crossing, reopened to trucks on 4 Jun 2020; about 350 trucks a day entered Iran there in Dec 2020 against a capacity of 600. The Iranian road runs by Bazargan, Maku and Evoghli to Marand."),
    dict(name="Van–Özalp–Kapıköy–Razi–Salmas road", line=None,
         stops=[("van-pier", None), ("bx-kapikoy", None), ("razi", None), ("salmas", None)], status="open",
         source=f"{FS} §12.11; Aydınlık 2021",
         note="The Kapıköy – Razi road gate was closed to vehicles from 24 Mar 2020 to 17 May 2021 (Aydınlık 2021): the crossing bx-kapikoy is closed for road on 11 Jan 2021, the rail crossing open. The road ends at the Van pier node, which stands for the town of Van."),
    dict(name="Salmas–Tasuj–Shabestar–Sufian road", line=None, stops=[("salmas", None), ("sufian", None)], status="open",
         source=f"{FS} §12.11 (Kapıköy–Razi road); Iranian road added by the data's authors (L)", note="No published length."),
    dict(name="Doğubayazıt–Çaldıran–Muradiye–Van road", line=None, stops=[("dogubayazit", None), ("van-pier", None)], status="open",
         source="Turkish road added by the data's authors to join Van to the Gürbulak road (L)", note="No published length."),
    dict(name="Bandar-e Anzali–Rasht road", line=None, stops=[("anzali", None), ("rasht", None)], status="open",
         source=f"{FS} §12.10 (Anzali, an Iranian Caspian port); road added by the data's authors (L)", note="No published length."),
    dict(name="Lachin corridor", line="W17",
         stops=[("goris", None), ("kornidzor", None), ("lachin", None), ("shusha", None), ("khankendi", None)], status="open",
         source=f"{S_W}; {FS} §4; 9 Nov 2020 statement",
         note="Open in 2021 only for Armenia↔Nagorno-Karabakh traffic (policy rule on the crossing kornidzor in baseline-2021), not for AZ↔NX transit. Not joined to the rest of Azerbaijan's road network in the data (no road in the fact sheet)."),
]
for r in ROADS:
    r["mode"] = "road"

# Ferries (§2.11, §2.12). shape: sea waypoints (lat, lon) chosen by the data's authors to keep the
# line at sea (schematic, not a sailing route).
FERRIES = [
    dict(id_from="poti-port", id_to="port-kavkaz", name="Poti–Port Kavkaz train ferry", line="F01", status="closed",
         carries="rail", gauge=1520, hours=36, hours_src="~36 h (Messenger 2008/09)", headway=168,
         shape=[(44.60, 36.90)],
         source=f"{FS} §2.12, §12.20; Messenger 2008/09; Azatutyun ~2017; Regnum; Armenpress 2022-03-24; Interfax 2022; xalqqazeti 2023",
         note="First sailings Mar 2005, relaunched 2007 (Regnum, M). Its 2021 status is uncertain (L): no regular service found, while Armenia's economy minister spoke in Mar 2022 of a 'regular ferry connection, twice a week' (Armenpress 2022-03-24); kept closed in the baseline (caucasus-facts §12.20). Armenian-subsidised relaunch Aug 2022, later stopped as unprofitable."),
    dict(id_from="poti-port", id_to="chornomorsk", name="Poti–Chornomorsk ferry (Ukrferry)", line="F02", status="open",
         carries="rail|road", gauge=1520, hours=60, hours_src="~60 h for Chornomorsk–Batumi (Reuters/Euromaidan 2024), assumed for Poti too (L)",
         headway=168, shape=[(42.90, 33.50)],
         source=f"{FS} §2.12, §12.12; Reuters/Euromaidan 2024; Reuters Jul 2024; CFTS Apr 2025; Ukrainska Pravda/AFP 2025-04-10",
         note="Rail and trucks; operating in 2021; suspended Feb 2022; the Jul 2024 restart was postponed and did not take place (Reuters Jul 2024; CFTS Apr 2025); trial sailings Chornomorsk–Batumi on 18 and 26 Mar 2025, 'not yet a regular ferry service' (Ukrainska Pravda/AFP 2025-04-10) (caucasus-facts §12.12). 49 wagons + 50 trucks per voyage."),
    dict(id_from="batumi-port", id_to="chornomorsk", name="Batumi–Chornomorsk ferry (Ukrferry)", line="F02", status="open",
         carries="rail|road", gauge=1520, hours=60, hours_src="~60 h (Reuters/Euromaidan 2024)",
         headway=168, shape=[(42.90, 33.50)],
         source=f"{FS} §2.12, §12.12; Reuters/Euromaidan 2024; Reuters Jul 2024; CFTS Apr 2025; Ukrainska Pravda/AFP 2025-04-10",
         note="Rail and trucks; operating in 2021; suspended Feb 2022; the Jul 2024 restart was postponed and did not take place (Reuters Jul 2024; CFTS Apr 2025); trial sailings on 18 and 26 Mar 2025, 'not yet a regular ferry service' (Ukrainska Pravda/AFP 2025-04-10) (caucasus-facts §12.12). 49 wagons + 50 trucks per voyage."),
    dict(id_from="alat", id_to="aktau", name="Ələt (Baku)–Aktau ferry", line="F03", status="open",
         carries="road", gauge=None, hours=None, headway=48, shape=[(40.20, 50.60)],
         source=f"{FS} §2.12, §12.21; KTZ 2017",
         note="Ro-ro and container ferry. Kazakhstan's rail-ferry complex is at Kuryk, not Aktau (KTZ 2017, caucasus-facts §12.21): rail wagons cross Ələt–Kuryk, Aktau handles containers, modelled as carrying road vehicles only. No published distance or sailing time: geodesic length, default ferry speed."),
    dict(id_from="alat", id_to="kuryk", name="Ələt (Baku)–Kuryk rail ferry", line="F03", status="open",
         carries="rail|road", gauge=1520, hours=None, headway=48, shape=[(40.20, 50.60)],
         source=f"{FS} §12.21; KTZ 2017 (M)",
         note="Rail wagons cross Ələt–Kuryk (KTZ 2017, caucasus-facts §12.21). No published distance or sailing time: geodesic length, default ferry speed."),
    dict(id_from="alat", id_to="turkmenbashi", name="Ələt (Baku)–Turkmenbashi ferry", line="F04", status="open",
         carries="rail|road", gauge=1520, hours=12, hours_src="about 12 h in one source, 9–10 h for the Berkarar Ro-Pax (Report.az 2015, caucasus-facts §12.21, L)",
         headway=24, length=306, length_src="306 km (Report.az 2015, caucasus-facts §12.21, L; 343 km in azerbaijans.com, §2.12)",
         shape=[], source=f"{FS} §2.12, §12.21, V17; Report.az 2015; azerbaijans.com",
         note="Rail/ro-ro ferry line since 1962."),
    dict(id_from="tatvan-pier", id_to="van-pier", name="Lake Van train ferry", line="F05", status="open",
         carries="rail", gauge=1435, hours=3.5, hours_src="the new ferries (since 2018) cross in about 3.5 h (UIC 2018; railturkey 2018; caucasus-facts §12.4, M)", headway=12, shape=[],
         source=f"{FS} §2.11, §12.4; {S_DEVT}; UIC 2018; railturkey 2018",
         note="Train ferry Tatvan–Van on the Turkey–Iran railway."),
    # Caspian cargo shipping of §12.10: Russian and Iranian ports carry cargo by ship with transshipment
    # (no train ferry), modelled as ferries carrying road vehicles and containers.
    dict(id_from="makhachkala", id_to="anzali", name="Makhachkala–Bandar-e Anzali Caspian shipping", line=None, status="open",
         carries="road", gauge=None, hours=None, headway=72, shape=[(42.50, 48.60), (40.60, 50.60), (39.00, 50.20), (38.00, 49.60)],
         source=f"{FS} §12.10 (Russian and Iranian Caspian ports carry cargo by ship, transshipment, no train ferry; L)",
         note="Cargo ships, not a train ferry: modelled as carrying road vehicles and containers, with transshipment at both ports. No published distance or sailing time: geometry length, default ferry speed."),
    dict(id_from="astrakhan", id_to="anzali", name="Astrakhan (Olya)–Bandar-e Anzali Caspian shipping", line=None, status="open",
         carries="road", gauge=None, hours=None, headway=72, shape=[(46.0932, 47.7308), (45.8476, 47.5664), (45.30, 47.90), (43.60, 48.60), (42.30, 49.00), (40.60, 50.60), (39.00, 50.20), (38.00, 49.60)],
         source=f"{FS} §12.10 (Russian and Iranian Caspian ports carry cargo by ship, transshipment, no train ferry; L)",
         note="Cargo ships from Astrakhan (and Olya downstream) by the Volga–Caspian channel (shape points on the Bakhtemir arm: GeoNames coordinates of Ikryanoye and Oranzherei; then schematic sea points): modelled as carrying road vehicles and containers, with transshipment at both ports. No published distance or sailing time: geometry length, default ferry speed."),
]

GAUGE_NOTE = {
    1520: "1520 mm: the Caspian and Black Sea train ferries serve 1520 mm railways at both ends (caucasus-facts §1: AZ, GE, RU; KZ, TM and UA are also 1520 mm)",
    1435: "1435 mm: TCDD network at both piers (caucasus-facts §1)",
}


TOO_LONG = set()  # rail and road links with a piece over MAX_SEGMENT_KM: an error, listed at the end
MAX_SEGMENT_KM = 60.0  # no straight piece of a rail or road geometry may be longer (issue 15)


def polyline_km(coords):
    return sum(geod(coords[i], coords[i + 1]) for i in range(len(coords) - 1))


def densify(a, b, n):
    """n - 1 points evenly spaced on the WGS84 geodesic from a to b (both excluded)."""
    line = Geodesic.WGS84.InverseLine(a[0], a[1], b[0], b[1])
    out = []
    for k in range(1, n):
        g = line.Position(line.s13 * k / n)
        out.append((round(g["lat2"], 6), round(g["lon2"], 6)))
    return out


def runs(items, key):
    """Consecutive items grouped by key: [(key, [items]), ...] in order."""
    out = []
    for x in items:
        k = key(x)
        if out and out[-1][0] == k:
            out[-1][1].append(x)
        else:
            out.append((k, [x]))
    return out


def link_geometry(link_id, a, b, pos):
    """The link's shape: its ends, the named shape points of shapes.py between them, and, for the
    links of INTERPOLATE, geodesic points that split any piece still over 60 km. Returns the
    coordinates and the `source` text describing them."""
    names = SHAPES.get(link_id, [])
    where = {q: OTHER_POINTS.get(q) or WAYPOINTS[q] for q in names}
    pts = [(pos[a], a)] + [((where[q][0], where[q][1]), q.rsplit("@", 1)[0]) for q in names] + [(pos[b], b)]
    coords, gaps = [pts[0][0]], []
    for (p, pn), (q, qn) in zip(pts, pts[1:]):
        d = geod(p, q)
        if d > MAX_SEGMENT_KM and link_id in INTERPOLATE:
            n = int(d // MAX_SEGMENT_KM) + 1
            coords.extend(densify(p, q, n))
            gaps.append(f"{pn}–{qn}")
        coords.append(q)
    text = ""
    if names:
        text = "shape points: " + "; ".join(
            "GeoNames coordinates (gazetteer cities500) of " + ", ".join(q.rsplit("@", 1)[0] for q in run) if geonames
            else "; ".join(f"{q.rsplit('@', 1)[0]} at {OTHER_POINTS[q][2]}" for q in run)
            for geonames, run in runs(names, lambda q: q not in OTHER_POINTS))
    if gaps:
        text += ("; " if text else "") + ("between " + ", ".join(gaps) + " no town lies near the line for more than 60 km: "
                                          "points interpolated on the geodesic between the named points (the line's course there is not surveyed)")
    return coords, text


def link_plan(L, pos):
    """Geometry, polyline length and raw published spans of every link of a line."""
    mode = L["mode"]
    names = [s[0] for s in L["stops"]]
    for n in names:
        if n not in pos:
            sys.exit(f"unknown node {n} in {L['name']}")
    geoms, texts, plens = [], [], []
    for i in range(len(names) - 1):
        lid = f"{mode}-{names[i]}-{names[i + 1]}"
        coords, text = link_geometry(lid, names[i], names[i + 1], pos)
        if mode in ("rail", "road"):
            longest = max(geod(coords[j], coords[j + 1]) for j in range(len(coords) - 1))
            if longest > MAX_SEGMENT_KM:
                TOO_LONG.add(f"{lid}: a straight piece of {longest:.0f} km")
        geoms.append(coords)
        texts.append(text)
        plens.append(polyline_km(coords))
    return names, geoms, texts, plens


def detour_factors(pos):
    """One detour factor per land mode: the ratio of the published lengths of the data (every span
    between two stops with a published km) to the lengths of their shape polylines. A link without a
    published length gets its polyline length times its mode's factor."""
    sums = {"rail": [0.0, 0.0], "road": [0.0, 0.0]}
    for L in LINES + ROADS:
        names, _, _, plens = link_plan(L, pos)
        kms = [s[1] for s in L["stops"]]
        known = [i for i, k in enumerate(kms) if k is not None]
        for a, b in zip(known, known[1:]):
            sums[L["mode"]][0] += abs(kms[b] - kms[a])
            sums[L["mode"]][1] += sum(plens[a:b])
    return {m: round(pub / poly, 3) for m, (pub, poly) in sums.items()}, sums


def seg_key(a, b):
    return f"{a}>{b}"


def make_links(pos):
    feats, ids = [], set()
    factors, sums = detour_factors(pos)
    factor_text = {m: (f"{factors[m]}, the ratio of the data's {sums[m][0]:,.0f} km of published {m} lengths to the "
                       f"{sums[m][1]:,.0f} km of their shape polylines") for m in factors}

    def add(props, coords):
        if props["id"] in ids:
            sys.exit(f"duplicate link id {props['id']}")
        ids.add(props["id"])
        feats.append({"type": "Feature", "properties": props,
                      "geometry": {"type": "LineString", "coordinates": [[r6(lon), r6(lat)] for lat, lon in coords]}})

    for L in LINES + ROADS:
        mode = L["mode"]
        names, geoms, texts, geo = link_plan(L, pos)
        kms = [s[1] for s in L["stops"]]
        lengths = [None] * len(geo)
        lnotes = [None] * len(geo)
        fixed = L.get("fixed", {})
        known = [i for i, k in enumerate(kms) if k is not None]
        km_src = L.get("km_src", "")
        km_notes = L.get("km_notes", {})
        for a, b in zip(known, known[1:]):
            span = abs(kms[b] - kms[a])
            run = list(range(a, b))
            extra = "; ".join(km_notes[names[j]] for j in range(a, b + 1) if names[j] in km_notes)
            extra = f"; {extra}" if extra else ""
            if len(run) == 1:
                lengths[a] = round(span, 1)
                lnotes[a] = f"km-posts {kms[a]:g}–{kms[b]:g}: {km_src}{extra}"
                continue
            # the M2 case: a sourced sub-length inside a longer published total
            fixed_here = [j for j in run if seg_key(names[j], names[j + 1]) in fixed]
            rest = span
            if fixed_here:
                sub = 21.0  # Goris–Kapan section, caucasus-facts §3.1 / V16
                sgeo = sum(geo[j] for j in fixed_here)
                for j in fixed_here:
                    lengths[j] = round(sub * geo[j] / sgeo, 1)
                    lnotes[j] = (f"share of the 21 km Vorotan–Shurnukh–Davit Bek section (Hyetert 2020; Armenian MoD) by geometry")
                rest = span - sub
            free = [j for j in run if j not in fixed_here]
            fgeo = sum(geo[j] for j in free)
            for j in free:
                lengths[j] = round(rest * geo[j] / fgeo, 1)
                what = f"{span:g} km" if not fixed_here else f"{rest:g} km (= {span:g} km less the 21-km section)"
                lnotes[j] = (f"share of {what} between {names[a]} (km {kms[a]:g}) and {names[b]} (km {kms[b]:g}) by geometry: {km_src}{extra}")
        for i in range(len(geo)):
            if lengths[i] is None:
                lengths[i] = round(geo[i] * factors[mode], 1)
                lnotes[i] = (f"estimate (L), no published length: shape polyline {geo[i]:.1f} km × the {mode} detour factor "
                             f"{factor_text[mode]} (data README, 'Lengths')")
        for i in range(len(geo)):
            a, b = names[i], names[i + 1]
            k = seg_key(a, b)
            p = {"id": f"{mode}-{a}-{b}", "from": a, "to": b, "mode": mode,
                 "status": L.get("statuses", {}).get(k, L["status"]), "name": L["name"]}
            line = L.get("lines", {}).get(k, L.get("line"))
            if line:
                p["line"] = line
            if mode == "rail":
                p["gauge_mm"] = L.get("gauges", {}).get(k, L["gauge"])
                if k in L.get("dual", set()):
                    p["dual_gauge"] = True
                if "tracks" in L:
                    p["tracks"] = L["tracks"]
                el = L.get("electrified_map", {}).get(k, L.get("electrified"))
                if el is not None:
                    p["electrified"] = el
            if "speed" in L:
                p["speed_kmh"] = L["speed"]
            p["length_km"] = lengths[i]
            p["length_note"] = lnotes[i]
            if "capacity" in L:
                p["capacity"] = L["capacity"]
            p["source"] = L["source"] + (f"; {texts[i]}" if texts[i] else "")
            note = []
            if L.get("note"):
                note.append(L["note"])
            if L.get("notes", {}).get(k):
                note.append(L["notes"][k])
            if "speed" in L:
                note.append(L["speed_note"] + ".")
            if "capacity" in L:
                note.append(L["capacity_note"][0].upper() + L["capacity_note"][1:] + ".")
            if note:
                p["note"] = " ".join(note)
            add(p, geoms[i])

    for F in FERRIES:
        a, b = F["id_from"], F["id_to"]
        coords = [pos[a]] + F["shape"] + [pos[b]]
        glen = sum(geod(coords[i], coords[i + 1]) for i in range(len(coords) - 1))
        p = {"id": f"ferry-{a}-{b}", "from": a, "to": b, "mode": "ferry", "status": F["status"],
             "name": F["name"], "line": F["line"]}
        if "rail" in F["carries"]:
            p["gauge_mm"] = F["gauge"]
        p["carries"] = F["carries"]
        notes = [F["note"]]
        if F.get("hours"):
            base = F.get("length", glen)
            p["speed_kmh"] = round(base / F["hours"], 1)
            notes.append(f"Speed derived: {base:.0f} km (geometry length) / {F['hours']} h, {F['hours_src']}.")
        if F.get("length"):
            p["length_km"] = F["length"]
            p["length_note"] = F["length_src"]
        p["headway_h"] = F["headway"]
        notes.append(f"Headway {F['headway']} h is an estimate (L), not a published timetable.")
        if "rail" in F["carries"]:
            notes.append(f"Gauge {GAUGE_NOTE[F['gauge']]}.")
        if F["shape"]:
            notes.append("Sea waypoints are schematic, to keep the line off land.")
        p["source"] = F["source"]
        p["note"] = " ".join(notes)
        add(p, coords)
    return feats


def dump(path, name, feats):
    doc = {"type": "FeatureCollection", "name": name, "features": feats}
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    nodes, pos = build_nodes()
    links = make_links(pos)
    if TOO_LONG:
        sys.exit("add shape points in shapes.py:\n" + "\n".join(sorted(TOO_LONG)))
    dump(os.path.join(OUT, "nodes.geojson"), "nodes", nodes)
    dump(os.path.join(OUT, "links.geojson"), "links", links)
    print(f"wrote {len(nodes)} nodes and {len(links)} links to {OUT}")


if __name__ == "__main__":
    main()
