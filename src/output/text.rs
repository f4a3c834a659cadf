//! Text on raster charts, set with the font's own advances and kerning.
//!
//! plotters 0.3.7 sets text on bitmaps through ab_glyph glyph by glyph, and places each glyph's
//! rasterized box at the pen position truncated to a whole pixel, without the glyph's left side
//! bearing (`px_bounds().min.x`): letters with a wide bearing ("c", "o", "v") are pulled left
//! and the ones after them look pushed right, which reads as "nakh chivan" or "conv ergence".
//! [`GlyphText`] wraps a raster backend and draws text itself: each glyph positioned at its
//! fractional pen position (advance plus the font's kerning pair, from DejaVu Sans's `kern`
//! table) so that ab_glyph rasterizes it with its bearing and sub-pixel offset; every other
//! drawing call goes to the wrapped backend unchanged. SVG charts carry text as `<text>`
//! elements that the viewer sets, so they need no wrapper.
//!
//! Sizes are plotters': the font is scaled so that ascent minus descent is the style's size, and
//! the layout box (for anchoring) is as wide as the advances and kerning and `size / 1.24` high,
//! as `estimate_text_size` reports it, so that layouts measured through plotters still fit.

use std::sync::OnceLock;

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// The embedded font, parsed once.
fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(super::chart::FONT).ok())
        .as_ref()
}

/// Where the baseline sits below the top of plotters' layout box, as a share of the size: the
/// capitals (0.63 of the size in DejaVu Sans) centred in the box (0.81 of the size).
const BASELINE: f32 = 0.715;

/// One glyph of a line of text: its id and its pen position (pixels from the line's start).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub glyph: GlyphId,
    pub x: f32,
}

/// Lays out one line: each glyph at the sum of the advances and kerning pairs before it.
///
/// # Returns
/// The glyphs and the line's advance width, in pixels at `size`.
pub fn layout(text: &str, size: f32) -> (Vec<Placed>, f32) {
    let Some(font) = font() else {
        return (Vec::new(), 0.0);
    };
    let font = font.as_scaled(PxScale::from(size));
    let mut pen = 0.0f32;
    let mut prev: Option<GlyphId> = None;
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            pen += font.kern(p, id);
        }
        out.push(Placed { glyph: id, x: pen });
        pen += font.h_advance(id);
        prev = Some(id);
    }
    (out, pen)
}

/// A raster backend whose text is set by [`layout`] (see the module docs).
pub struct GlyphText<DB: DrawingBackend> {
    inner: DB,
}

impl<DB: DrawingBackend> GlyphText<DB> {
    pub fn new(inner: DB) -> GlyphText<DB> {
        GlyphText { inner }
    }
}

impl<DB: DrawingBackend> DrawingBackend for GlyphText<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let colour = style.color();
        let Some(font) = font() else {
            return Err(DrawingErrorKind::FontError(
                "the embedded font does not parse".into(),
            ));
        };
        if colour.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let size = style.size() as f32;
        let (glyphs, width) = layout(text, size);
        let height = size / 1.24;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Right => -width,
            HPos::Center => -width / 2.0,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -height / 2.0,
            VPos::Bottom => -height,
        };
        let trans = style.transform();
        let scale = PxScale::from(size);
        let (w, h) = self.inner.get_size();
        // Glyphs are rasterized at their fractional offsets inside the unrotated box, then each
        // pixel is turned with the box around the anchor.
        for g in glyphs {
            let glyph = g
                .glyph
                .with_scale_and_position(scale, point(g.x + dx, BASELINE * size + dy));
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let b = outline.px_bounds();
            let mut pixels: Vec<(i32, i32, f32)> = Vec::new();
            outline.draw(|x, y, c| {
                if c > 0.0 {
                    pixels.push((b.min.x as i32 + x as i32, b.min.y as i32 + y as i32, c));
                }
            });
            for (x, y, c) in pixels {
                let (x, y) = trans.transform(x, y);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
                    self.inner.draw_pixel(
                        (x, y),
                        BackendColor {
                            alpha: colour.alpha * f64::from(c.min(1.0)),
                            rgb: colour.rgb,
                        },
                    )?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pen_positions_grow_by_advance_and_kerning() {
        let (glyphs, width) = layout("AVo", 20.0);
        assert_eq!(glyphs.len(), 3);
        assert_eq!(glyphs[0].x, 0.0);
        assert!(glyphs[1].x > glyphs[0].x && glyphs[2].x > glyphs[1].x);
        assert!(width > glyphs[2].x);
        // "AV" is a kerning pair in DejaVu Sans: V comes closer to A than A's advance.
        let font = font().expect("the embedded font parses");
        let f = font.as_scaled(PxScale::from(20.0));
        let a = f.h_advance(f.glyph_id('A'));
        assert!(
            glyphs[1].x < a,
            "no kerning: V at {} after an A of {a}",
            glyphs[1].x
        );
    }

    /// The runs of blank pixel columns between the first and last inked column of a word set at
    /// `size` on a bitmap through [`GlyphText`].
    fn gaps(word: &str, size: f64) -> Vec<usize> {
        use plotters::prelude::*;
        crate::output::chart::register_font().expect("font registers");
        let (w, h) = (400u32, 60u32);
        let mut px = vec![255u8; (w * h * 3) as usize];
        {
            let root =
                GlyphText::new(BitMapBackend::with_buffer(&mut px, (w, h))).into_drawing_area();
            root.draw(&Text::new(
                word.to_string(),
                (10, 10),
                (crate::output::chart::FONT_FAMILY, size).into_font(),
            ))
            .expect("draws");
            root.present().expect("presents");
        }
        let inked: Vec<bool> = (0..w as usize)
            .map(|x| (0..h as usize).any(|y| px[(y * w as usize + x) * 3] < 160))
            .collect();
        let first = inked.iter().position(|&i| i).expect("some ink");
        let last = inked.iter().rposition(|&i| i).expect("some ink");
        let (mut gaps, mut run) = (Vec::new(), 0);
        for &i in &inked[first..=last] {
            if i {
                if run > 0 {
                    gaps.push(run);
                }
                run = 0;
            } else {
                run += 1;
            }
        }
        gaps
    }

    #[test]
    fn letters_of_a_word_sit_evenly_and_a_space_shows() {
        // Each letter stands apart from the next, and the gaps differ by a pixel at most:
        // plotters' own placement (no side bearing, truncated pen) made some letters touch and
        // left 3 px holes elsewhere ("nakh chivan").
        for size in [13.0, 16.0, 20.0] {
            for word in ["nonononon", "cvcvcvcvc"] {
                let g = gaps(word, size);
                assert_eq!(g.len(), 8, "{word} at {size}: letters touch: gaps {g:?}");
                let (lo, hi) = (g.iter().min().unwrap(), g.iter().max().unwrap());
                assert!(hi - lo <= 1, "{word} at {size}: uneven gaps {g:?}");
            }
            let spaced = gaps("no no", size);
            let word = gaps("nono", size);
            assert!(
                spaced.iter().max() > word.iter().max(),
                "at {size}: the space does not show: {spaced:?} vs {word:?}"
            );
        }
    }
}
