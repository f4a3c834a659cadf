//! Small multiples of cost changes: one panel per trade route, one row per scenario that changes
//! the route, a horizontal bar of the change against a reference scenario in % of the reference
//! cost (the cost's unit in the row's label), and distinct marks for the two changes that have
//! no length: *restored* (no path in the reference, one under the scenario) and *cut* (the
//! reverse). `cost_by_scenario.png` of `corridor run`.
//!
//! Sized to be read at report width: 1,000 px wide with text of at least 15 px (plotters' size:
//! an SVG `font-size` of 12.1), so that at 900 px (the width `report.md` and `report.html` show
//! it at) no text is below 10.9 px. Every panel shares one axis,
//! drawn above and below the panels, so that bars compare across routes.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::{
    diamond, font, short_number, text_width, tick, Chart, DrawError, Rgb, OKABE_ITO, TEXT_COLOUR,
    TITLE_PX,
};

/// What a scenario does to a route against the reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// Reachable in both: the route's cost under the scenario.
    To(f64),
    /// Unreachable in the reference, reachable under the scenario at this cost.
    Restored(f64),
    /// Reachable in the reference, unreachable under the scenario.
    Cut,
}

/// One row of a panel: a scenario (by name) and its change.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    pub label: String,
    pub change: Change,
}

/// One route's panel.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangePanel {
    /// The route, for people (`yerevan-moscow: Yerevan – Moscow`).
    pub title: String,
    /// The route's cost in the reference; `None`: unreachable there.
    pub reference: Option<f64>,
    /// The scenarios that change it, in the data's order.
    pub rows: Vec<ChangeRow>,
    /// How many other scenarios leave it as in the reference.
    pub unchanged: usize,
}

/// The chart: panels of changes against one reference scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangePanels {
    pub title: String,
    /// Lines under the title (what is shown, what is left out).
    pub notes: Vec<String>,
    /// The reference for people, short (`2021`).
    pub reference_label: String,
    /// The cost's unit (`h`).
    pub unit: String,
    pub panels: Vec<ChangePanel>,
}

const WIDTH: u32 = 1000;
const MARGIN: i32 = 16;
const LABEL_PX: u32 = 15;
const NOTE_PX: u32 = 16;
const HEAD_PX: u32 = 16;
const TICK_PX: u32 = 15;
const ROW_H: i32 = 24;
const HEAD_H: i32 = 28;
const PANEL_GAP: i32 = 10;
const AXIS_H: i32 = 26;
/// Widest scenario label, in pixels: longer names are shortened (see [`short_label`]).
const MAX_LABEL_W: u32 = 330;

/// Bars that lower the cost.
pub const CHEAPER: Rgb = OKABE_ITO[5];
/// Bars that raise it.
pub const DEARER: Rgb = OKABE_ITO[1];
/// The mark of a restored route.
pub const RESTORED: Rgb = OKABE_ITO[3];
/// The mark of a cut route.
pub const CUT: Rgb = OKABE_ITO[6];

const GRID: RGBColor = RGBColor(0xE2, 0xE2, 0xE2);
const HEAD_FILL: RGBColor = RGBColor(0xF0, 0xF0, 0xF0);
const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// A scenario's name short enough for a row label: whole up to 46 characters, else without its
/// parenthesis, else cut with an ellipsis.
pub fn short_label(name: &str) -> String {
    const MAX: usize = 46;
    if name.chars().count() <= MAX {
        return name.to_string();
    }
    let head = name.split(" (").next().unwrap_or(name).trim_end();
    if head.chars().count() <= MAX && head.chars().count() >= 10 {
        return head.to_string();
    }
    format!("{}…", name.chars().take(MAX - 1).collect::<String>())
}

/// The change in % of the reference cost (0 for a reference cost of 0).
fn percent(reference: f64, to: f64) -> f64 {
    if reference > 0.0 {
        (to - reference) / reference * 100.0
    } else {
        0.0
    }
}

/// A signed number with a true minus sign.
fn signed(v: f64, text: String) -> String {
    if v > 0.0 {
        format!("+{text}")
    } else {
        text.replacen('-', "−", 1)
    }
}

/// A tick step of 1, 2, 2.5 or 5 times a power of ten giving about `n` intervals over `span`.
fn nice_step(span: f64, n: f64) -> f64 {
    let raw = (span / n).max(1e-9);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

impl ChangePanels {
    /// The value text of a row (right column).
    fn value_text(&self, reference: Option<f64>, change: Change) -> String {
        match (change, reference) {
            (Change::To(b), Some(a)) => format!(
                "{} % ({} {})",
                signed(b - a, {
                    let v = percent(a, b);
                    if v.abs() < 10.0 {
                        format!("{v:.1}")
                    } else {
                        format!("{v:.0}")
                    }
                }),
                signed(b - a, short_number(b - a)),
                self.unit
            ),
            (Change::To(b), None) | (Change::Restored(b), _) => {
                format!("restored: {} {}", short_number(b), self.unit)
            }
            (Change::Cut, _) => "cut: no path".to_string(),
        }
    }

    /// The % range of the axis, rounded out to whole ticks: (low, high, step).
    fn axis(&self) -> (f64, f64, f64) {
        let (mut lo, mut hi) = (0f64, 0f64);
        for p in &self.panels {
            for r in &p.rows {
                if let (Change::To(b), Some(a)) = (r.change, p.reference) {
                    let v = percent(a, b);
                    if v.is_finite() {
                        lo = lo.min(v);
                        hi = hi.max(v);
                    }
                }
            }
        }
        if hi - lo < 1e-9 {
            (lo, hi) = (-10.0, 10.0);
        }
        let step = nice_step(hi - lo, 6.0);
        ((lo / step).floor() * step, (hi / step).ceil() * step, step)
    }

    fn note_lines(&self) -> i32 {
        self.notes.len() as i32
    }

    /// Pixels above the first panel: title, notes, legend, the top axis.
    fn top(&self) -> i32 {
        14 + TITLE_PX as i32 + 10 + 22 * self.note_lines() + 36 + AXIS_H
    }
}

impl Chart for ChangePanels {
    fn size(&self) -> (u32, u32) {
        let panels: i32 = self
            .panels
            .iter()
            .map(|p| HEAD_H + ROW_H * p.rows.len() as i32 + PANEL_GAP)
            .sum();
        let h = self.top() + panels + AXIS_H + 40;
        (WIDTH, h.clamp(300, 8000) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        root.fill(&WHITE)?;
        let w = WIDTH as i32;
        // The title, smaller when it would not fit.
        let mut title_px = TITLE_PX;
        while title_px > 18 && text_width(root, [&self.title], title_px)? as i32 > w - 2 * MARGIN {
            title_px -= 1;
        }
        root.draw(&Text::new(
            self.title.clone(),
            (MARGIN, 14),
            font(title_px).pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
        let mut y = 14 + TITLE_PX as i32 + 10;
        for note in &self.notes {
            root.draw(&Text::new(
                note.clone(),
                (MARGIN, y),
                font(NOTE_PX).pos(Pos::new(HPos::Left, VPos::Top)),
            ))?;
            y += 22;
        }
        // Legend in one line.
        let mid = y + 15;
        let mut x = MARGIN;
        let entries = [
            (0, "cheaper".to_string()),
            (1, "dearer".to_string()),
            (2, format!("restored: no path in {}", self.reference_label)),
            (
                3,
                format!("cut: a path in {}, none here", self.reference_label),
            ),
        ];
        for (kind, label) in &entries {
            match kind {
                0 | 1 => {
                    let c = if *kind == 0 { CHEAPER } else { DEARER };
                    root.draw(&Rectangle::new(
                        [(x, mid - 7), (x + 22, mid + 7)],
                        c.c().filled(),
                    ))?;
                }
                2 => root.draw(&diamond((x + 11, mid), 7, RESTORED))?,
                _ => cross(root, (x + 11, mid), 6)?,
            }
            root.draw(&Text::new(
                label.clone(),
                (x + 28, mid),
                font(LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            x += 28 + text_width(root, [label.as_str()], LABEL_PX)? as i32 + 26;
        }

        // Columns: scenario names, the bars, the values.
        let labels = self
            .panels
            .iter()
            .flat_map(|p| p.rows.iter())
            .map(|r| &r.label);
        let label_w = text_width(root, labels, LABEL_PX)?.min(MAX_LABEL_W) as i32;
        let values = self.panels.iter().flat_map(|p| {
            p.rows
                .iter()
                .map(|r| self.value_text(p.reference, r.change))
        });
        let value_w = text_width(root, values, LABEL_PX)?.clamp(60, 240) as i32;
        let x0 = MARGIN + label_w + 14;
        let x1 = w - MARGIN - value_w - 14;
        let (lo, hi, step) = self.axis();
        let px = |v: f64| x0 + ((v - lo) / (hi - lo) * (x1 - x0) as f64).round() as i32;
        // Without a bar (only restored and cut routes) the % axis would measure nothing.
        let has_bars = self.panels.iter().any(|p| {
            p.reference.is_some() && p.rows.iter().any(|r| matches!(r.change, Change::To(_)))
        });
        let ticks: Vec<f64> = (0..)
            .map(|k| lo + step * k as f64)
            .take_while(|v| *v <= hi + step * 1e-6)
            .filter(|_| has_bars)
            .collect();
        let top = self.top();
        let bottom = self.size().1 as i32 - AXIS_H - 40;
        // Axis labels above and below the panels, the grid through them.
        for &t in &ticks {
            let x = px(t);
            let text = format!("{} %", signed(t, tick(t)));
            for (yy, v) in [(top - 6, VPos::Bottom), (bottom + 6, VPos::Top)] {
                root.draw(&Text::new(
                    text.clone(),
                    (x, yy),
                    font(TICK_PX).pos(Pos::new(HPos::Center, v)),
                ))?;
            }
        }
        if has_bars {
            root.draw(&Text::new(
                format!(
                    "change of the best path's cost against {}, % of the {} cost",
                    self.reference_label, self.reference_label
                ),
                ((x0 + x1) / 2, bottom + 28),
                font(NOTE_PX).pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
        }

        let zero = px(0.0);
        let mut y = top;
        for p in &self.panels {
            // The route's heading on a grey band: its name, its reference cost, what is unchanged.
            root.draw(&Rectangle::new(
                [(MARGIN, y), (w - MARGIN, y + HEAD_H - 2)],
                HEAD_FILL.filled(),
            ))?;
            root.draw(&Text::new(
                p.title.clone(),
                (MARGIN + 6, y + HEAD_H / 2 - 1),
                font(HEAD_PX).pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
            let reference = match p.reference {
                Some(c) => format!(
                    "{}: {} {}",
                    self.reference_label,
                    short_number(c),
                    self.unit
                ),
                None => format!("{}: no path", self.reference_label),
            };
            let state = if p.unchanged > 0 {
                format!(
                    "{reference} · unchanged in {} other scenario{}",
                    p.unchanged,
                    if p.unchanged == 1 { "" } else { "s" }
                )
            } else {
                reference
            };
            root.draw(&Text::new(
                state,
                (w - MARGIN - 6, y + HEAD_H / 2 - 1),
                font(LABEL_PX)
                    .color(&MUTED)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            y += HEAD_H;
            let rows_top = y;
            let rows_bottom = y + ROW_H * p.rows.len() as i32;
            for &t in &ticks {
                let x = px(t);
                root.draw(&PathElement::new(
                    vec![(x, rows_top), (x, rows_bottom)],
                    GRID.stroke_width(1),
                ))?;
            }
            root.draw(&PathElement::new(
                vec![(zero, rows_top), (zero, rows_bottom)],
                TEXT_COLOUR.stroke_width(1),
            ))?;
            for r in &p.rows {
                let cy = y + ROW_H / 2;
                root.draw(&Text::new(
                    r.label.clone(),
                    (x0 - 10, cy),
                    font(LABEL_PX).pos(Pos::new(HPos::Right, VPos::Center)),
                ))?;
                match (r.change, p.reference) {
                    (Change::To(b), Some(a)) => {
                        let end = px(percent(a, b));
                        let colour = if b < a { CHEAPER } else { DEARER };
                        // At least 2 px, so that a small change still shows its side.
                        let (l, r) = if end < zero {
                            (end.min(zero - 2), zero)
                        } else {
                            (zero, end.max(zero + 2))
                        };
                        root.draw(&Rectangle::new(
                            [(l, cy - 7), (r, cy + 7)],
                            colour.c().filled(),
                        ))?;
                    }
                    (Change::Cut, _) => cross(root, (zero, cy), 6)?,
                    _ => root.draw(&diamond((zero, cy), 7, RESTORED))?,
                }
                root.draw(&Text::new(
                    self.value_text(p.reference, r.change),
                    (x1 + 14, cy),
                    font(LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center)),
                ))?;
                y += ROW_H;
            }
            y += PANEL_GAP;
        }
        Ok(())
    }
}

/// The cut mark: a thick ✕ in [`CUT`], `r` pixels from its centre to each arm's end.
fn cross<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    r: i32,
) -> Result<(), DrawError> {
    let style = CUT.c().stroke_width(3);
    area.draw(&PathElement::new(
        vec![(x - r, y - r), (x + r, y + r)],
        style,
    ))?;
    area.draw(&PathElement::new(
        vec![(x - r, y + r), (x + r, y - r)],
        style,
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_lose_their_parenthesis_first() {
        assert_eq!(
            short_label("Gyumri–Kars railway reopened"),
            "Gyumri–Kars railway reopened"
        );
        assert_eq!(
            short_label("Abkhazia railway through-link reopened (Sukhumi–Inguri–Zugdidi)"),
            "Abkhazia railway through-link reopened"
        );
        let long = "A".repeat(60);
        assert_eq!(short_label(&long).chars().count(), 46);
        assert!(short_label(&long).ends_with('…'));
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(100.0, 6.0), 20.0);
        assert_eq!(nice_step(12.0, 6.0), 2.0);
        assert_eq!(nice_step(70.0, 6.0), 20.0);
        assert_eq!(nice_step(140.0, 6.0), 25.0);
    }

    #[test]
    fn values_say_percent_and_unit_with_true_signs() {
        let c = ChangePanels {
            title: String::new(),
            notes: Vec::new(),
            reference_label: "2021".into(),
            unit: "h".into(),
            panels: Vec::new(),
        };
        assert_eq!(
            c.value_text(Some(200.0), Change::To(100.0)),
            "−50 % (−100 h)"
        );
        assert_eq!(
            c.value_text(Some(100.0), Change::To(117.4)),
            "+17 % (+17.4 h)"
        );
        assert_eq!(
            c.value_text(Some(100.0), Change::To(98.85)),
            "−1.2 % (−1.15 h)"
        );
        assert_eq!(
            c.value_text(None, Change::Restored(108.0)),
            "restored: 108 h"
        );
        assert_eq!(c.value_text(Some(5.0), Change::Cut), "cut: no path");
    }
}
