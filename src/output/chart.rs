//! Charts as PNG and SVG (plotters): heatmaps, horizontal bar charts (grouped or stacked),
//! histograms and line charts, each with a title, axis labels with units, a legend, and the
//! Okabe-Ito colours, which stay distinct for the common forms of colour blindness.
//!
//! Text is drawn with DejaVu Sans, embedded in the binary and registered once with plotters'
//! `ab_glyph` backend (which measures it), and set on PNGs by [`super::text::GlyphText`] with
//! the font's advances and kerning, so that a PNG renders the same on a machine without any
//! system font. (An SVG names the `sans-serif` family and leaves the choice to the viewer.)
//!
//! Charts take plain data (names and numbers): the analyses fill them. Each chart type
//! implements [`Chart`]; [`write_chart`] writes `<stem>.png` and `<stem>.svg` atomically.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

use super::text::GlyphText;
use super::{write_atomic, OutputError};

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu.txt`).
pub(crate) static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The family every chart asks for; [`register_font`] maps it to the embedded font.
pub const FONT_FAMILY: &str = "sans-serif";

/// A colour, 8 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, as SVG writes it.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// Relative luminance in [0, 1] (sRGB weights, no gamma): below about 0.45 white text reads
    /// better on it than dark text.
    pub fn luminance(self) -> f64 {
        (0.2126 * self.0 as f64 + 0.7152 * self.1 as f64 + 0.0722 * self.2 as f64) / 255.0
    }

    /// `r,g,b,255`, as QGIS styles write it.
    pub fn qgis(self) -> String {
        format!("{},{},{},255", self.0, self.1, self.2)
    }

    pub(crate) fn c(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }
}

/// The Okabe-Ito palette (Okabe and Ito 2008, "Color Universal Design"): black, orange, sky blue,
/// bluish green, yellow, blue, vermillion, reddish purple.
pub const OKABE_ITO: [Rgb; 8] = [
    Rgb(0x00, 0x00, 0x00),
    Rgb(0xE6, 0x9F, 0x00),
    Rgb(0x56, 0xB4, 0xE9),
    Rgb(0x00, 0x9E, 0x73),
    Rgb(0xF0, 0xE4, 0x42),
    Rgb(0x00, 0x72, 0xB2),
    Rgb(0xD5, 0x5E, 0x00),
    Rgb(0xCC, 0x79, 0xA7),
];

/// The colour of the `i`-th data series: Okabe-Ito, strongest first, yellow and black last;
/// cycles after eight.
pub fn series_colour(i: usize) -> Rgb {
    const ORDER: [usize; 8] = [5, 1, 3, 6, 2, 7, 4, 0];
    OKABE_ITO[ORDER[i % ORDER.len()]]
}

/// The colour for missing values (unreachable).
pub const MISSING_COLOUR: Rgb = Rgb(0xDD, 0xDD, 0xDD);

const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// The ink of every chart's text and axes.
pub(crate) const TEXT_COLOUR: RGBColor = TEXT;
const GRID: RGBColor = RGBColor(0xE2, 0xE2, 0xE2);
pub(crate) const TITLE_PX: u32 = 26;
const DESC_PX: u32 = 17;
const LABEL_PX: u32 = 14;

/// Registers the embedded font for the `sans-serif` family, once per process.
///
/// # Errors
/// A message when the embedded font cannot be parsed (a broken build, never user data).
pub fn register_font() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, FONT)
            .map_err(|_| "the embedded DejaVu Sans font could not be read".to_string())
    })
    .clone()
}

/// A drawing failure, as text (plotters' errors are generic over the backend).
#[derive(Debug, Clone, PartialEq)]
pub struct DrawError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> DrawError {
        DrawError(e.to_string())
    }
}

/// Something that draws itself on any plotters backend.
pub trait Chart {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws the whole chart on `root` (the backend's full, unshifted area).
    ///
    /// # Errors
    /// [`DrawError`] from the backend.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError>;
}

/// Renders a chart as an SVG document.
///
/// # Errors
/// [`OutputError::Draw`] naming `path` (used only in the message).
pub fn render_svg(chart: &impl Chart, path: &Path) -> Result<String, OutputError> {
    register_font().map_err(|m| draw_error(path, m))?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, chart.size()).into_drawing_area();
        chart.draw(&root).map_err(|e| draw_error(path, e.0))?;
        root.present()
            .map_err(|e| draw_error(path, e.to_string()))?;
    }
    Ok(svg)
}

/// Renders a chart as a PNG file's bytes (8-bit RGB).
///
/// # Errors
/// [`OutputError::Draw`] naming `path` (used only in the message).
pub fn render_png(chart: &impl Chart, path: &Path) -> Result<Vec<u8>, OutputError> {
    register_font().map_err(|m| draw_error(path, m))?;
    let (w, h) = chart.size();
    let mut pixels = vec![255u8; w as usize * h as usize * 3];
    {
        // Text set by our own layout (advances and kerning): see `super::text`.
        let root =
            GlyphText::new(BitMapBackend::with_buffer(&mut pixels, (w, h))).into_drawing_area();
        chart.draw(&root).map_err(|e| draw_error(path, e.0))?;
        root.present()
            .map_err(|e| draw_error(path, e.to_string()))?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc
            .write_header()
            .map_err(|e| draw_error(path, e.to_string()))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| draw_error(path, e.to_string()))?;
        writer
            .finish()
            .map_err(|e| draw_error(path, e.to_string()))?;
    }
    Ok(out)
}

/// Writes `<stem>.png` and `<stem>.svg`, each atomically.
///
/// # Returns
/// The two paths, PNG first.
///
/// # Errors
/// [`OutputError`] naming the file that could not be drawn or written.
pub fn write_chart(chart: &impl Chart, stem: &Path) -> Result<Vec<PathBuf>, OutputError> {
    let png_path = stem.with_extension("png");
    let svg_path = stem.with_extension("svg");
    let png = render_png(chart, &png_path)?;
    write_atomic(&png_path, &png)?;
    let svg = render_svg(chart, &svg_path)?;
    write_atomic(&svg_path, svg.as_bytes())?;
    Ok(vec![png_path, svg_path])
}

fn draw_error(path: &Path, message: impl Into<String>) -> OutputError {
    OutputError::Draw {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// A named list of numbers: one value per category (bar charts) or samples (histograms).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

/// A named list of (x, y) points.
#[derive(Debug, Clone, PartialEq)]
pub struct XySeries {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// How a legend shows an entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    /// A filled box.
    Fill(Rgb),
    /// A line, solid or dashed, `width` pixels.
    Line {
        colour: Rgb,
        width: u32,
        dashed: bool,
    },
    /// A dot with an outline.
    Dot {
        fill: Rgb,
        outline: Rgb,
        radius: u32,
    },
    /// A diamond.
    Diamond(Rgb),
    /// A grey box with a cross: a missing value.
    Missing,
}

/// One legend line.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub label: String,
    pub mark: Mark,
}

impl LegendEntry {
    pub fn new(label: impl Into<String>, mark: Mark) -> LegendEntry {
        LegendEntry {
            label: label.into(),
            mark,
        }
    }
}

pub(crate) fn font(px: u32) -> TextStyle<'static> {
    (FONT_FAMILY, px).into_font().color(&TEXT)
}

fn title_font() -> TextStyle<'static> {
    (FONT_FAMILY, TITLE_PX).into_font().color(&TEXT)
}

/// `text` (with its end cut and "…" added if need be) in at most `room` pixels at the segment
/// label size, or `None` when not even six characters fit.
fn fitted<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    room: u32,
) -> Result<Option<String>, DrawError> {
    let style = font(LABEL_PX - 2);
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    loop {
        let candidate = if n == chars.len() {
            text.to_string()
        } else {
            format!("{}…", chars[..n].iter().collect::<String>().trim_end())
        };
        if area.estimate_text_size(&candidate, &style)?.0 <= room {
            return Ok(Some(candidate));
        }
        if n <= 6 {
            return Ok(None);
        }
        n -= 1;
    }
}

/// Width in pixels of the widest text, with the chart font at `px`.
pub(crate) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    texts: impl IntoIterator<Item = impl AsRef<str>>,
    px: u32,
) -> Result<u32, DrawError> {
    let style = font(px);
    let mut w = 0;
    for t in texts {
        w = w.max(area.estimate_text_size(t.as_ref(), &style)?.0);
    }
    Ok(w)
}

/// A drawing area in pixels.
type Area<DB> = DrawingArea<DB, Shift>;

/// Fills the background, draws the title, and splits off a legend panel on the right.
///
/// # Returns
/// (plot area, legend area).
fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    legend: &[LegendEntry],
    legend_title: Option<&str>,
) -> Result<(Area<DB>, Area<DB>), DrawError> {
    root.fill(&WHITE)?;
    let body = root.titled(title, title_font())?;
    let labels = legend.iter().map(|e| e.label.as_str()).chain(legend_title);
    let width = text_width(root, labels, LABEL_PX)? + 70;
    let (w, _) = body.dim_in_pixel();
    let (plot, side) = body.split_horizontally(w.saturating_sub(width.min(w / 2)));
    draw_legend(&side, legend_title, legend)?;
    Ok((plot, side))
}

/// Draws legend entries top-down in a panel.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: Option<&str>,
    entries: &[LegendEntry],
) -> Result<(), DrawError> {
    let mut y = 20;
    if let Some(t) = title {
        area.draw(&Text::new(t.to_string(), (10, y), font(LABEL_PX)))?;
        y += 26;
    }
    for e in entries {
        let (x0, cy) = (12, y + 8);
        match e.mark {
            Mark::Fill(c) => {
                area.draw(&Rectangle::new(
                    [(x0, cy - 7), (x0 + 24, cy + 7)],
                    c.c().filled(),
                ))?;
            }
            Mark::Line {
                colour,
                width,
                dashed,
            } => {
                let style = colour.c().stroke_width(width);
                if dashed {
                    area.draw(&DashedPathElement::new(
                        vec![(x0, cy), (x0 + 26, cy)],
                        6,
                        4,
                        style,
                    ))?;
                } else {
                    area.draw(&PathElement::new(vec![(x0, cy), (x0 + 26, cy)], style))?;
                }
            }
            Mark::Dot {
                fill,
                outline,
                radius,
            } => {
                let r = radius as i32;
                area.draw(&Circle::new((x0 + 12, cy), r, fill.c().filled()))?;
                area.draw(&Circle::new((x0 + 12, cy), r, outline.c().stroke_width(1)))?;
            }
            Mark::Diamond(c) => {
                area.draw(&diamond((x0 + 12, cy), 6, c))?;
            }
            Mark::Missing => {
                missing_cell(area, (x0, cy - 7), (x0 + 24, cy + 7))?;
            }
        }
        area.draw(&Text::new(
            e.label.clone(),
            (x0 + 34, cy),
            font(LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        y += 24;
    }
    Ok(())
}

pub(crate) fn diamond(c: (i32, i32), r: i32, colour: Rgb) -> Polygon<(i32, i32)> {
    Polygon::new(
        vec![
            (c.0, c.1 - r),
            (c.0 + r, c.1),
            (c.0, c.1 + r),
            (c.0 - r, c.1),
        ],
        colour.c().filled(),
    )
}

/// A grey cell crossed out: the mark of a missing value.
fn missing_cell<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    a: (i32, i32),
    b: (i32, i32),
) -> Result<(), DrawError> {
    area.draw(&Rectangle::new([a, b], MISSING_COLOUR.c().filled()))?;
    let grey = RGBColor(0x88, 0x88, 0x88).stroke_width(2);
    area.draw(&PathElement::new(vec![a, b], grey))?;
    area.draw(&PathElement::new(vec![(a.0, b.1), (b.0, a.1)], grey))?;
    Ok(())
}

/// A value for a cell or bar end: about three significant digits.
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Viridis (a perceptually uniform, colour-blind-safe sequential map) at `t` in 0..=1.
pub fn viridis(t: f64) -> Rgb {
    const STOPS: [(u8, u8, u8); 9] = [
        (0x44, 0x01, 0x54),
        (0x47, 0x2c, 0x7a),
        (0x3b, 0x51, 0x8b),
        (0x2c, 0x71, 0x8e),
        (0x21, 0x90, 0x8d),
        (0x27, 0xad, 0x81),
        (0x5c, 0xc8, 0x63),
        (0xaa, 0xdc, 0x32),
        (0xfd, 0xe7, 0x25),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let lerp = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    Rgb(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}

/// A matrix of values with a missing marker: route x scenario cost, restoration matrix.
///
/// Rows run top to bottom, columns left to right; `None` cells are drawn grey and crossed out
/// and listed in the legend as `missing_label` ("unreachable").
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub title: String,
    /// Axis description of the rows, with its unit if any ("trade route").
    pub row_axis: String,
    /// Axis description of the columns ("scenario").
    pub column_axis: String,
    /// What the colours measure, with its unit ("cost, USD per tonne").
    pub value_label: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `values[row][column]`.
    pub values: Vec<Vec<Option<f64>>>,
    pub missing_label: String,
    /// Colours on a diverging scale centred on zero (blue below, orange above, white at zero),
    /// for changes; else viridis from the lowest to the highest value.
    pub diverging: bool,
    /// Text written in a missing cell instead of the cross (`restored`), `[row][column]`; empty
    /// or `None` for the cross.
    pub missing_text: Vec<Vec<Option<String>>>,
}

/// The diverging scale of [`Heatmap::diverging`]: `t` in [-1, 1], blue (Okabe-Ito) at -1,
/// white at 0, vermillion at 1.
fn diverging_colour(t: f64) -> Rgb {
    let t = if t.is_finite() {
        t.clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let end = if t < 0.0 {
        Rgb(0x00, 0x72, 0xB2)
    } else {
        Rgb(0xD5, 0x5E, 0x00)
    };
    let f = t.abs();
    let lerp = |a: u8| (255.0 + (a as f64 - 255.0) * f).round() as u8;
    Rgb(lerp(end.0), lerp(end.1), lerp(end.2))
}

impl Heatmap {
    fn text(&self, r: usize, c: usize) -> Option<&str> {
        self.missing_text
            .get(r)
            .and_then(|row| row.get(c))
            .and_then(|t| t.as_deref())
    }

    fn cell(&self, r: usize, c: usize) -> Option<f64> {
        self.values
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .flatten()
            .filter(|v| v.is_finite())
    }

    fn range(&self) -> (f64, f64) {
        let vals = (0..self.rows.len())
            .flat_map(|r| (0..self.columns.len()).map(move |c| (r, c)))
            .filter_map(|(r, c)| self.cell(r, c));
        let (lo, hi) = vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        if lo.is_finite() {
            (lo, hi)
        } else {
            (0.0, 1.0)
        }
    }

    fn has_missing(&self) -> bool {
        (0..self.rows.len()).any(|r| (0..self.columns.len()).any(|c| self.cell(r, c).is_none()))
    }
}

impl Chart for Heatmap {
    fn size(&self) -> (u32, u32) {
        let longest_row = self
            .rows
            .iter()
            .map(|r| r.chars().count())
            .max()
            .unwrap_or(0) as u32;
        let wrapped: Vec<Vec<String>> = self.columns.iter().map(|c| wrap_label(c)).collect();
        let longest_col = wrapped
            .iter()
            .flatten()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0) as u32;
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1) as u32;
        let cell_w = (longest_col * 7 + 12).max(64);
        let w = 120 + longest_row * 9 + cell_w * self.columns.len() as u32 + 260;
        let h = 200 + 44 * self.rows.len() as u32 + COLUMN_LINE_PX * lines.saturating_sub(1);
        (w.clamp(640, 4000), h.clamp(360, 4000))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let mut legend = Vec::new();
        if self.has_missing() {
            legend.push(LegendEntry::new(self.missing_label.clone(), Mark::Missing));
        }
        let (plot, side) = frame(root, &self.title, &legend, Some(&self.value_label))?;
        let (nr, nc) = (self.rows.len(), self.columns.len());
        let label_w = text_width(root, &self.rows, LABEL_PX)?;
        let wrapped: Vec<Vec<String>> = self.columns.iter().map(|c| wrap_label(c)).collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1) as u32;
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .x_label_area_size(56 + COLUMN_LINE_PX * lines.saturating_sub(1))
            .y_label_area_size(label_w + 40)
            .build_cartesian_2d(0f64..nc.max(1) as f64, 0f64..nr.max(1) as f64)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .x_desc(self.column_axis.clone())
            .y_desc(self.row_axis.clone())
            .axis_desc_style(font(DESC_PX))
            .draw()?;
        let (lo, hi) = self.range();
        let (lo, hi) = if self.diverging {
            let m = lo.abs().max(hi.abs()).max(1e-9);
            (-m, m)
        } else {
            (lo, hi)
        };
        let t = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        let paint = |v: f64| {
            if self.diverging {
                diverging_colour(2.0 * t(v) - 1.0)
            } else {
                viridis(t(v))
            }
        };
        for r in 0..nr {
            let y0 = (nr - 1 - r) as f64;
            for c in 0..nc {
                let a = chart.backend_coord(&(c as f64, y0 + 1.0));
                let b = chart.backend_coord(&(c as f64 + 1.0, y0));
                let (a, b) = ((a.0 + 1, a.1 + 1), (b.0 - 1, b.1 - 1));
                match self.cell(r, c) {
                    Some(v) => {
                        let colour = paint(v);
                        root.draw(&Rectangle::new([a, b], colour.c().filled()))?;
                        let dark = if self.diverging {
                            (2.0 * t(v) - 1.0).abs() > 0.6
                        } else {
                            t(v) <= 0.6
                        };
                        let ink = if dark { WHITE } else { TEXT };
                        root.draw(&Text::new(
                            short_number(v),
                            ((a.0 + b.0) / 2, (a.1 + b.1) / 2),
                            font(LABEL_PX)
                                .color(&ink)
                                .pos(Pos::new(HPos::Center, VPos::Center)),
                        ))?;
                    }
                    None => match self.text(r, c) {
                        Some(text) => {
                            root.draw(&Rectangle::new([a, b], MISSING_COLOUR.c().filled()))?;
                            root.draw(&Text::new(
                                text.to_string(),
                                ((a.0 + b.0) / 2, (a.1 + b.1) / 2),
                                font(LABEL_PX - 2).pos(Pos::new(HPos::Center, VPos::Center)),
                            ))?;
                        }
                        None => missing_cell(root, a, b)?,
                    },
                }
            }
        }
        // Category names: rows right-aligned left of the plot, columns centred below it.
        for (r, name) in self.rows.iter().enumerate() {
            let p = chart.backend_coord(&(0.0, (nr - 1 - r) as f64 + 0.5));
            root.draw(&Text::new(
                name.clone(),
                (p.0 - 8, p.1),
                font(LABEL_PX).pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        for (c, lines) in wrapped.iter().enumerate() {
            let p = chart.backend_coord(&(c as f64 + 0.5, 0.0));
            for (k, line) in lines.iter().enumerate() {
                root.draw(&Text::new(
                    line.clone(),
                    (p.0, p.1 + 8 + COLUMN_LINE_PX as i32 * k as i32),
                    font(LABEL_PX).pos(Pos::new(HPos::Center, VPos::Top)),
                ))?;
            }
        }
        colour_bar(
            &side,
            lo,
            hi,
            20 + 26 * i32::from(self.has_missing()) + 30,
            self.diverging,
        )?;
        Ok(())
    }
}

/// Height of one line of a wrapped column label, in pixels.
const COLUMN_LINE_PX: u32 = 18;

/// Longest line of a column label before it wraps, in characters.
const COLUMN_LINE_CHARS: usize = 11;

/// Splits a column label into lines of at most [`COLUMN_LINE_CHARS`] characters where it can,
/// breaking after `+`, `-` or a space (`meghri-rail+gazakh-ijevan` -> `meghri-rail+`,
/// `gazakh-ijevan`); a single longer word stays whole.
fn wrap_label(label: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut piece = String::new();
    for ch in label.chars() {
        piece.push(ch);
        if matches!(ch, '+' | '-' | ' ') {
            pieces.push(std::mem::take(&mut piece));
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for p in pieces {
        if !line.is_empty() && line.chars().count() + p.chars().count() > COLUMN_LINE_CHARS {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
        }
        line.push_str(&p);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// A vertical colour bar with five value ticks, from `top` pixels down in the legend panel.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lo: f64,
    hi: f64,
    top: i32,
    diverging: bool,
) -> Result<(), DrawError> {
    let (_, h) = area.dim_in_pixel();
    let height = (h as i32 - top - 40).clamp(60, 260);
    let (x0, x1) = (14, 38);
    for i in 0..height {
        let t = 1.0 - i as f64 / (height - 1).max(1) as f64;
        area.draw(&Rectangle::new(
            [(x0, top + i), (x1, top + i + 1)],
            if diverging {
                diverging_colour(2.0 * t - 1.0)
            } else {
                viridis(t)
            }
            .c()
            .filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(x0, top), (x1, top + height)],
        TEXT.stroke_width(1),
    ))?;
    for k in 0..5 {
        let f = k as f64 / 4.0;
        let v = hi - (hi - lo) * f;
        let y = top + (f * (height - 1) as f64).round() as i32;
        area.draw(&PathElement::new(
            vec![(x1, y), (x1 + 5, y)],
            TEXT.stroke_width(1),
        ))?;
        area.draw(&Text::new(
            short_number(v),
            (x1 + 9, y),
            font(LABEL_PX - 1).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Bars side by side or stacked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarLayout {
    Grouped,
    Stacked,
}

/// A horizontal bar chart: one row of bars per category, one colour per series.
///
/// Stacked bars put positive values right of zero and negative values left of it.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    /// Axis description of the values, with the unit ("credit, hours saved").
    pub value_axis: String,
    /// Axis description of the categories ("project").
    pub category_axis: String,
    /// Category names, top to bottom.
    pub categories: Vec<String>,
    /// One value per category in each series.
    pub series: Vec<Series>,
    pub layout: BarLayout,
    /// `Some((k, label))`: only the first `k` series get a colour of their own; the others share
    /// one grey, listed once in the legend as `label`. Stacked bars name every segment that has
    /// room for its series' name, so a grey segment still says whose it is.
    pub coloured: Option<(usize, String)>,
}

/// The colour shared by the series past [`BarChart::coloured`]'s count.
const OTHERS_COLOUR: Rgb = Rgb(0x55, 0x55, 0x55);

impl BarChart {
    fn colour(&self, s: usize) -> Rgb {
        match &self.coloured {
            Some((k, _)) if s >= *k => OTHERS_COLOUR,
            _ => series_colour(s),
        }
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let own = self
            .coloured
            .as_ref()
            .map_or(self.series.len(), |(k, _)| *k);
        let mut legend: Vec<LegendEntry> = self
            .series
            .iter()
            .take(own)
            .enumerate()
            .map(|(i, s)| LegendEntry::new(s.name.clone(), Mark::Fill(series_colour(i))))
            .collect();
        if let Some((k, label)) = &self.coloured {
            if self.series.len() > *k {
                legend.push(LegendEntry::new(label.clone(), Mark::Fill(OTHERS_COLOUR)));
            }
        }
        legend
    }

    fn value(&self, s: usize, c: usize) -> f64 {
        self.series[s]
            .values
            .get(c)
            .copied()
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
    }

    /// The value range to show, always including zero.
    fn range(&self) -> (f64, f64) {
        let (mut lo, mut hi) = (0f64, 0f64);
        for c in 0..self.categories.len() {
            match self.layout {
                BarLayout::Grouped => {
                    for s in 0..self.series.len() {
                        lo = lo.min(self.value(s, c));
                        hi = hi.max(self.value(s, c));
                    }
                }
                BarLayout::Stacked => {
                    let vals = (0..self.series.len()).map(|s| self.value(s, c));
                    let pos: f64 = vals.clone().filter(|v| *v > 0.0).sum();
                    let neg: f64 = vals.filter(|v| *v < 0.0).sum();
                    lo = lo.min(neg);
                    hi = hi.max(pos);
                }
            }
        }
        if hi - lo <= 0.0 {
            hi = 1.0;
        }
        let pad = (hi - lo) * 0.08;
        (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad)
    }
}

impl Chart for BarChart {
    fn size(&self) -> (u32, u32) {
        let rows = match self.layout {
            BarLayout::Grouped => self.categories.len() * self.series.len().max(1),
            BarLayout::Stacked => self.categories.len(),
        } as u32;
        let per = if self.layout == BarLayout::Grouped {
            22
        } else {
            40
        };
        (1200, (220 + per * rows).clamp(400, 4000))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let legend = self.legend();
        let (plot, _) = frame(root, &self.title, &legend, None)?;
        let n = self.categories.len();
        let label_w = text_width(root, &self.categories, LABEL_PX)?;
        let (lo, hi) = self.range();
        let mut chart = ChartBuilder::on(&plot)
            .margin(14)
            .x_label_area_size(56)
            .y_label_area_size(label_w + 44)
            .build_cartesian_2d(lo..hi, 0f64..n.max(1) as f64)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(8)
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_label_formatter(&|v| tick(*v))
            .x_desc(self.value_axis.clone())
            .y_desc(self.category_axis.clone())
            .axis_desc_style(font(DESC_PX))
            .label_style(font(LABEL_PX))
            .draw()?;
        let ns = self.series.len().max(1);
        for c in 0..n {
            let band = (n - 1 - c) as f64;
            let (mut pos, mut neg) = (0.0, 0.0);
            for s in 0..self.series.len() {
                let v = self.value(s, c);
                let (x0, x1, y0, y1) = match self.layout {
                    BarLayout::Grouped => {
                        let h = 0.8 / ns as f64;
                        let top = band + 0.9 - h * s as f64;
                        (0.0, v, top - h * 0.92, top)
                    }
                    BarLayout::Stacked => {
                        let (start, acc) = if v >= 0.0 {
                            (pos, &mut pos)
                        } else {
                            (neg, &mut neg)
                        };
                        *acc += v;
                        (start, start + v, band + 0.15, band + 0.85)
                    }
                };
                if v != 0.0 {
                    let colour = self.colour(s);
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(x0, y0), (x1, y1)],
                        colour.c().filled(),
                    )))?;
                    if self.layout == BarLayout::Stacked {
                        let a = chart.backend_coord(&(x0.min(x1), y1));
                        let b = chart.backend_coord(&(x0.max(x1), y0));
                        // A white seam between neighbouring segments of one colour.
                        root.draw(&PathElement::new(
                            vec![(b.0, a.1), (b.0, b.1)],
                            WHITE.stroke_width(1),
                        ))?;
                        let room = (b.0 - a.0 - 8).max(0) as u32;
                        if let Some(name) = fitted(root, &self.series[s].name, room)? {
                            let ink = if colour.luminance() < 0.45 {
                                WHITE
                            } else {
                                TEXT
                            };
                            root.draw(&Text::new(
                                name,
                                (a.0 + 4, (a.1 + b.1) / 2),
                                font(LABEL_PX - 2)
                                    .color(&ink)
                                    .pos(Pos::new(HPos::Left, VPos::Center)),
                            ))?;
                        }
                    }
                }
                if self.layout == BarLayout::Grouped && n * ns <= 60 {
                    let p = chart.backend_coord(&(x1, (y0 + y1) / 2.0));
                    let (dx, h) = if v >= 0.0 {
                        (5, HPos::Left)
                    } else {
                        (-5, HPos::Right)
                    };
                    root.draw(&Text::new(
                        short_number(v),
                        (p.0 + dx, p.1),
                        font(LABEL_PX - 2).pos(Pos::new(h, VPos::Center)),
                    ))?;
                }
            }
        }
        if lo < 0.0 {
            let a = chart.backend_coord(&(0.0, 0.0));
            let b = chart.backend_coord(&(0.0, n as f64));
            root.draw(&PathElement::new(vec![a, b], TEXT.stroke_width(1)))?;
        }
        for (c, name) in self.categories.iter().enumerate() {
            let p = chart.backend_coord(&(lo, (n - 1 - c) as f64 + 0.5));
            root.draw(&Text::new(
                name.clone(),
                (p.0 - 8, p.1),
                font(LABEL_PX).pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

/// What a set of projects does for a route in a [`SetMatrix`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetEffect {
    /// Makes an unreachable route reachable.
    Restores,
    /// Makes it reachable and brings it within the threshold of the best cost.
    RestoresWithin,
    /// The route is reachable already; the set brings it within the threshold of the best.
    Within,
}

/// One cell of a [`SetMatrix`]: a minimal set of projects and the route's cost with it open.
#[derive(Debug, Clone, PartialEq)]
pub struct SetCell {
    /// The projects' names, one per line.
    pub projects: Vec<String>,
    pub cost: f64,
    pub effect: SetEffect,
}

/// One row of a [`SetMatrix`]: a route, its cost in the base (`None`: unreachable) and its sets.
#[derive(Debug, Clone, PartialEq)]
pub struct SetRow {
    pub route: String,
    pub base: Option<f64>,
    pub sets: Vec<SetCell>,
}

/// Routes x the minimal project sets that restore them: a first column with the route's state in
/// the base, then each of the route's own sets (its projects by name and the cost with them
/// open), coloured by what the set does. Unlike a shared column per set, no cell is empty filler.
#[derive(Debug, Clone, PartialEq)]
pub struct SetMatrix {
    pub title: String,
    /// Header of the first column ("in 2021").
    pub base_label: String,
    /// Unit of the costs ("h").
    pub unit: String,
    /// Legend text of each effect: restores, restores and within, within.
    pub effect_labels: [String; 3],
    pub rows: Vec<SetRow>,
}

const SET_CELL_W: i32 = 300;
const SET_LINE_H: i32 = 17;

/// Sets side by side in one band; a route with more continues on the next band, so the chart
/// stays about 1,000 px wide and readable when a report shows it at 900 px.
const SETS_PER_BAND: usize = 2;

impl SetMatrix {
    /// A row's bands: its sets in groups of [`SETS_PER_BAND`], each with its height in pixels
    /// (lines of text of its tallest set, at least two).
    fn bands<'r>(&self, r: &'r SetRow) -> Vec<(&'r [SetCell], i32)> {
        let lines = |sets: &[SetCell]| {
            sets.iter()
                .map(|c| c.projects.len() as i32 + 1)
                .max()
                .unwrap_or(1)
                .max(2)
        };
        if r.sets.is_empty() {
            return vec![(&r.sets[..], 2 * SET_LINE_H + 8)];
        }
        r.sets
            .chunks(SETS_PER_BAND)
            .map(|band| (band, lines(band) * SET_LINE_H + 8))
            .collect()
    }

    /// A row's height: its bands with 6 px between them.
    fn height(&self, r: &SetRow) -> i32 {
        let bands = self.bands(r);
        bands.iter().map(|(_, h)| h).sum::<i32>() + 6 * (bands.len() as i32 - 1)
    }

    fn effect_colour(e: SetEffect) -> Rgb {
        match e {
            SetEffect::Restores => Rgb(0xB8, 0xD8, 0xEE),
            SetEffect::RestoresWithin => Rgb(0x56, 0xA0, 0xD3),
            SetEffect::Within => Rgb(0xF5, 0xD3, 0x8C),
        }
    }
}

impl Chart for SetMatrix {
    fn size(&self) -> (u32, u32) {
        let longest = self
            .rows
            .iter()
            .map(|r| r.route.chars().count())
            .max()
            .unwrap_or(0) as i32;
        let cols = self
            .rows
            .iter()
            .map(|r| r.sets.len().min(SETS_PER_BAND))
            .max()
            .unwrap_or(1) as i32;
        let w = 40 + longest * 9 + 140 + cols * (SET_CELL_W + 6) + 20;
        let h: i32 = 150 + self.rows.iter().map(|r| self.height(r) + 6).sum::<i32>();
        (w.clamp(640, 4000) as u32, h.clamp(300, 4000) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        root.fill(&WHITE)?;
        root.draw(&Text::new(
            self.title.clone(),
            (20, 14),
            title_font().pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        // Legend in one line under the title.
        let mut x = 20;
        let y = 58;
        let effects = [
            SetEffect::Restores,
            SetEffect::RestoresWithin,
            SetEffect::Within,
        ];
        for (e, label) in effects.iter().zip(&self.effect_labels) {
            root.draw(&Rectangle::new(
                [(x, y - 8), (x + 24, y + 8)],
                Self::effect_colour(*e).c().filled(),
            ))?;
            root.draw(&Text::new(
                label.clone(),
                (x + 30, y),
                font(LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            x += 30 + text_width(root, [label.as_str()], LABEL_PX)? as i32 + 30;
        }
        let label_w =
            text_width(root, self.rows.iter().map(|r| r.route.as_str()), LABEL_PX)? as i32;
        let x_base = 30 + label_w + 12;
        let base_w = 120;
        let x_sets = x_base + base_w + 10;
        let mut top = 90;
        root.draw(&Text::new(
            format!("{}, {}", self.base_label, self.unit),
            (x_base + base_w / 2, top),
            font(LABEL_PX).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        root.draw(&Text::new(
            format!(
                "minimal sets of projects: names, and the cost with them open, {}",
                self.unit
            ),
            (x_sets, top),
            font(LABEL_PX).pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        top += 28;
        for r in &self.rows {
            let h = self.height(r);
            let mid = top + h / 2;
            root.draw(&Text::new(
                r.route.clone(),
                (x_base - 10, mid),
                font(LABEL_PX).pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            let a = (x_base, top);
            let b = (x_base + base_w, top + h);
            match r.base {
                Some(v) => {
                    root.draw(&Rectangle::new([a, b], RGBColor(0xF2, 0xF2, 0xF2).filled()))?;
                    root.draw(&Text::new(
                        short_number(v),
                        (x_base + base_w / 2, mid),
                        font(LABEL_PX).pos(Pos::new(HPos::Center, VPos::Center)),
                    ))?;
                }
                None => {
                    root.draw(&Rectangle::new([a, b], MISSING_COLOUR.c().filled()))?;
                    root.draw(&Text::new(
                        "unreachable".to_string(),
                        (x_base + base_w / 2, mid),
                        font(LABEL_PX).pos(Pos::new(HPos::Center, VPos::Center)),
                    ))?;
                }
            }
            let mut band_top = top;
            for (band, band_h) in self.bands(r) {
                for (k, c) in band.iter().enumerate() {
                    let x0 = x_sets + k as i32 * (SET_CELL_W + 6);
                    root.draw(&Rectangle::new(
                        [(x0, band_top), (x0 + SET_CELL_W, band_top + band_h)],
                        Self::effect_colour(c.effect).c().filled(),
                    ))?;
                    for (i, name) in c.projects.iter().enumerate() {
                        root.draw(&Text::new(
                            name.clone(),
                            (x0 + 8, band_top + 5 + i as i32 * SET_LINE_H),
                            font(LABEL_PX - 1).pos(Pos::new(HPos::Left, VPos::Top)),
                        ))?;
                    }
                    root.draw(&Text::new(
                        format!("→ {} {}", short_number(c.cost), self.unit),
                        (x0 + 8, band_top + 5 + c.projects.len() as i32 * SET_LINE_H),
                        font(LABEL_PX - 1).pos(Pos::new(HPos::Left, VPos::Top)),
                    ))?;
                }
                band_top += band_h + 6;
            }
            top += h + 6;
        }
        Ok(())
    }
}

/// Two measures of different units for the same categories, side by side: one panel of bars
/// each, sharing the category labels on the left (criticality: routes cut, and extra cost of the
/// routes still connected). Each panel has its own axis, so no bar is read on another's scale.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedBars {
    pub title: String,
    /// Axis description of the categories ("corridor section").
    pub category_axis: String,
    /// Category names, top to bottom.
    pub categories: Vec<String>,
    /// Left panel: its axis with unit and one value per category.
    pub left: Series,
    /// Whether the left values are counts (integer ticks and labels).
    pub left_counts: bool,
    /// Right panel: its axis with unit and one value per category.
    pub right: Series,
}

impl Chart for PairedBars {
    fn size(&self) -> (u32, u32) {
        (
            1200,
            (200 + 40 * self.categories.len() as u32).clamp(400, 4000),
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        root.fill(&WHITE)?;
        let body = root.titled(&self.title, title_font())?;
        // The category axis is named above the labels, not rotated beside them.
        let (head, body) = body.split_vertically(28);
        head.draw(&Text::new(
            self.category_axis.clone(),
            (14, 4),
            font(DESC_PX),
        ))?;
        let n = self.categories.len();
        let label_w = text_width(root, &self.categories, LABEL_PX)?;
        let (w, _) = body.dim_in_pixel();
        let gutter = label_w + 40;
        let (_, rest) = body.split_horizontally(gutter);
        let (left, right) = rest.split_horizontally(w.saturating_sub(gutter) * 2 / 5);
        let panels = [
            (left, &self.left, self.left_counts, series_colour(0)),
            (right, &self.right, false, series_colour(1)),
        ];
        for (k, (area, series, counts, colour)) in panels.into_iter().enumerate() {
            let value = |c: usize| {
                series
                    .values
                    .get(c)
                    .copied()
                    .filter(|v| v.is_finite())
                    .unwrap_or(0.0)
            };
            let top = (0..n).map(value).fold(0.0f64, f64::max);
            // Room right of the longest bar for its label.
            let hi = if top > 0.0 { top * 1.22 } else { 1.0 };
            let hi = if counts { hi.ceil().max(1.0) } else { hi };
            let mut chart = ChartBuilder::on(&area)
                .margin(14)
                .x_label_area_size(56)
                .y_label_area_size(10)
                .build_cartesian_2d(0f64..hi, 0f64..n.max(1) as f64)?;
            let ticks = if counts { (hi as usize + 1).min(8) } else { 6 };
            let formatter = |v: &f64| {
                if counts {
                    if (v - v.round()).abs() < 1e-9 {
                        format!("{}", v.round() as i64)
                    } else {
                        String::new()
                    }
                } else {
                    tick(*v)
                }
            };
            let mut mesh = chart.configure_mesh();
            mesh.disable_y_mesh()
                .y_labels(0)
                .x_labels(ticks)
                .light_line_style(WHITE)
                .bold_line_style(GRID)
                .x_label_formatter(&formatter)
                .x_desc(series.name.clone())
                .axis_desc_style(font(DESC_PX))
                .label_style(font(LABEL_PX));
            mesh.draw()?;
            for c in 0..n {
                let band = (n - 1 - c) as f64;
                let v = value(c);
                if v > 0.0 {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(0.0, band + 0.2), (v, band + 0.8)],
                        colour.c().filled(),
                    )))?;
                }
                let p = chart.backend_coord(&(v, band + 0.5));
                let label = if counts {
                    format!("{}", v.round() as i64)
                } else {
                    short_number(v)
                };
                root.draw(&Text::new(
                    label,
                    (p.0 + 5, p.1),
                    font(LABEL_PX - 1).pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
                if k == 0 {
                    let q = chart.backend_coord(&(0.0, band + 0.5));
                    root.draw(&Text::new(
                        self.categories[c].clone(),
                        (q.0 - 8, q.1),
                        font(LABEL_PX).pos(Pos::new(HPos::Right, VPos::Center)),
                    ))?;
                }
            }
        }
        Ok(())
    }
}

/// Distributions of samples (reliability, cost under disruption): one translucent histogram per
/// series over shared bins, outlined so that overlaps stay readable.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub title: String,
    /// What the samples measure, with the unit ("cost, USD per tonne").
    pub value_axis: String,
    /// What the bar heights count ("draws").
    pub count_axis: String,
    pub series: Vec<Series>,
    /// Number of bins (at least 1).
    pub bins: usize,
}

impl Histogram {
    fn edges(&self) -> (f64, f64) {
        let all = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .filter(|v| v.is_finite());
        let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        if !lo.is_finite() {
            (0.0, 1.0)
        } else if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, hi + 0.5)
        }
    }

    /// Counts per bin of each series.
    pub fn counts(&self) -> Vec<Vec<u32>> {
        let bins = self.bins.max(1);
        let (lo, hi) = self.edges();
        self.series
            .iter()
            .map(|s| {
                let mut counts = vec![0u32; bins];
                for v in s.values.iter().copied().filter(|v| v.is_finite()) {
                    let i = (((v - lo) / (hi - lo)) * bins as f64).floor() as usize;
                    counts[i.min(bins - 1)] += 1;
                }
                counts
            })
            .collect()
    }
}

impl Chart for Histogram {
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let legend: Vec<LegendEntry> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| LegendEntry::new(s.name.clone(), Mark::Fill(series_colour(i))))
            .collect();
        let (plot, _) = frame(root, &self.title, &legend, None)?;
        let bins = self.bins.max(1);
        let (lo, hi) = self.edges();
        let counts = self.counts();
        let top = counts.iter().flatten().copied().max().unwrap_or(0).max(1) as f64 * 1.1;
        let mut chart = ChartBuilder::on(&plot)
            .margin(14)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(lo..hi, 0f64..top)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_label_formatter(&|v| tick(*v))
            .x_desc(self.value_axis.clone())
            .y_desc(self.count_axis.clone())
            .axis_desc_style(font(DESC_PX))
            .label_style(font(LABEL_PX))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        let width = (hi - lo) / bins as f64;
        for (s, counts) in counts.iter().enumerate() {
            let colour = series_colour(s).c();
            chart.draw_series(counts.iter().enumerate().filter(|(_, &n)| n > 0).map(
                |(i, &n)| {
                    let x0 = lo + width * i as f64;
                    Rectangle::new(
                        [(x0, 0.0), (x0 + width, n as f64)],
                        colour.mix(0.35).filled(),
                    )
                },
            ))?;
            let mut step = vec![(lo, 0.0)];
            for (i, &n) in counts.iter().enumerate() {
                let x0 = lo + width * i as f64;
                step.push((x0, n as f64));
                step.push((x0 + width, n as f64));
            }
            step.push((hi, 0.0));
            chart.draw_series(std::iter::once(PathElement::new(
                step,
                colour.stroke_width(2),
            )))?;
        }
        Ok(())
    }
}

/// Lines through points: a convergence trace (relative gap against iteration, log y).
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub title: String,
    pub x_axis: String,
    pub y_axis: String,
    pub series: Vec<XySeries>,
    /// Logarithmic y axis; points with y <= 0 are left out (they have no place on it).
    pub log_y: bool,
}

impl LineChart {
    fn points(&self, s: &XySeries) -> Vec<(f64, f64)> {
        s.points
            .iter()
            .copied()
            .filter(|(x, y)| x.is_finite() && y.is_finite() && (!self.log_y || *y > 0.0))
            .collect()
    }

    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let pts: Vec<(f64, f64)> = self.series.iter().flat_map(|s| self.points(s)).collect();
        let fold = |f: fn(&(f64, f64)) -> f64| {
            pts.iter()
                .map(f)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(v), b.max(v))
                })
        };
        let (mut x0, mut x1) = fold(|p| p.0);
        let (mut y0, mut y1) = fold(|p| p.1);
        if !x0.is_finite() {
            (x0, x1, y0, y1) = (0.0, 1.0, if self.log_y { 0.1 } else { 0.0 }, 1.0);
        }
        if x1 <= x0 {
            x1 = x0 + 1.0;
        }
        if self.log_y {
            (y0, y1) = (y0 / 1.5, if y1 > y0 { y1 * 1.5 } else { y0 * 10.0 });
        } else {
            let pad = if y1 > y0 { (y1 - y0) * 0.08 } else { 1.0 };
            (y0, y1) = (y0 - pad, y1 + pad);
        }
        ((x0, x1), (y0, y1))
    }
}

/// Tick labels for a linear axis: no trailing zeros (`10`, `2.5`), at most four decimals.
pub(crate) fn tick(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Tick labels for a log axis: `1e-3` style below 0.01 and above 10^5.
fn log_tick(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if !(0.01..1e5).contains(&v.abs()) {
        format!("{v:.0e}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The grid, axis labels and lines of a [`LineChart`] on `$chart` (linear or log y: the two
/// coordinate types differ, hence a macro), with `$ytick` labelling the y axis.
macro_rules! draw_lines {
    ($self:ident, $chart:ident, $ytick:expr) => {{
        $chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_label_formatter(&|v| tick(*v))
            .x_desc($self.x_axis.clone())
            .y_desc($self.y_axis.clone())
            .axis_desc_style(font(DESC_PX))
            .label_style(font(LABEL_PX))
            .y_label_formatter(&|v| $ytick(*v))
            .draw()?;
        for (i, s) in $self.series.iter().enumerate() {
            let colour = series_colour(i).c();
            let pts = $self.points(s);
            $chart.draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))?;
            if pts.len() <= 60 {
                $chart.draw_series(pts.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
            }
        }
    }};
}

impl Chart for LineChart {
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let legend: Vec<LegendEntry> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| {
                LegendEntry::new(
                    s.name.clone(),
                    Mark::Line {
                        colour: series_colour(i),
                        width: 2,
                        dashed: false,
                    },
                )
            })
            .collect();
        let (plot, _) = frame(root, &self.title, &legend, None)?;
        let ((x0, x1), (y0, y1)) = self.ranges();
        let mut builder = ChartBuilder::on(&plot);
        builder
            .margin(14)
            .x_label_area_size(56)
            .y_label_area_size(90);
        if self.log_y {
            let mut chart = builder.build_cartesian_2d(x0..x1, (y0..y1).log_scale())?;
            draw_lines!(self, chart, log_tick);
        } else {
            let mut chart = builder.build_cartesian_2d(x0..x1, y0..y1)?;
            draw_lines!(self, chart, tick);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_registers() {
        assert_eq!(register_font(), Ok(()));
        assert_eq!(register_font(), Ok(()));
    }

    #[test]
    fn viridis_runs_from_purple_to_yellow() {
        assert_eq!(viridis(0.0), Rgb(0x44, 0x01, 0x54));
        assert_eq!(viridis(1.0), Rgb(0xfd, 0xe7, 0x25));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }

    #[test]
    fn histogram_counts_put_the_maximum_in_the_last_bin() {
        let h = Histogram {
            title: String::new(),
            value_axis: String::new(),
            count_axis: String::new(),
            series: vec![Series {
                name: "a".into(),
                values: vec![0.0, 1.0, 2.0, 3.0, 4.0, f64::NAN],
            }],
            bins: 4,
        };
        assert_eq!(h.counts(), vec![vec![1, 1, 1, 2]]);
    }

    #[test]
    fn ticks_drop_trailing_zeros() {
        assert_eq!(tick(10.0), "10");
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(-0.00001), "0");
    }

    #[test]
    fn short_numbers_keep_about_three_digits() {
        assert_eq!(short_number(1234.4), "1234");
        assert_eq!(short_number(12.345), "12.3");
        assert_eq!(short_number(1.2345), "1.23");
    }

    #[test]
    fn long_column_labels_wrap_after_plus_and_hyphen() {
        assert_eq!(wrap_label("yerevan-poti"), vec!["yerevan-", "poti"]);
        assert_eq!(wrap_label("baku-kars"), vec!["baku-kars"]);
        assert_eq!(
            wrap_label("meghri-rail+gazakh-ijevan"),
            vec!["meghri-", "rail+", "gazakh-", "ijevan"]
        );
        assert_eq!(
            wrap_label("moscow-tehran-multimodal"),
            vec!["moscow-", "tehran-", "multimodal"]
        );
        // A single longer word stays whole.
        assert_eq!(wrap_label("transshipment"), vec!["transshipment"]);
        assert_eq!(wrap_label(""), vec![""]);
    }
}
