package certificates

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

// Geometry of the layout's design page, in millimetres: A4 landscape, the
// draft and office-printer format of DESIGN.md. The 400×300 mm paper of
// the real certificate has nearly the same proportions (4:3 against √2:1),
// so the layout scales to it (see sheet); the boxes and sizes below are
// those of A4.
const (
	pageW = 297.0
	pageH = 210.0
	// frameOuter is the outer edge of the decorative border.
	frameOuter = 7.0
	// frameInner is the innermost line of the border: no text or drawing
	// of the content goes beyond it (the tests check every word's box).
	frameInner = 13.0

	ptMM = 25.4 / 72 // one point in millimetres

	// floorSize is the smallest font size a fitted text may reach on A4
	// (unless its style's minimum is smaller): below the style's minimum
	// only for pathological input, which is then truncated rather than
	// allowed to overflow. It scales with the paper, like the styles.
	floorSize = 7.0
)

// family is the font family name under which Render registers Fonts.
const family = "serif"

// doc is a document being drawn, with its fonts registered on first use:
// fpdf parses a whole TrueType file (and hashes its metrics) when a style
// is added, a good part of the time of a one-page render, so a style that
// no page draws is never added — and never embedded.
type doc struct {
	*fpdf.Fpdf
	fonts Fonts
	added map[string]bool
	// sheet is the paper of the page being drawn.
	sheet sheet
}

// font selects style ("", "B", "I" or "BI") at size points.
func (d *doc) font(style string, size float64) {
	if !d.added[style] {
		d.added[style] = true
		b := map[string][]byte{"": d.fonts.Regular, "B": d.fonts.Bold, "I": d.fonts.Italic, "BI": d.fonts.BoldItalic}[style]
		if err := addFont(d.Fpdf, style, b); err != nil {
			d.SetError(err)
		}
	}
	d.SetFont(family, style, size)
}

// addFont registers a TrueType file as style of family. fpdf panics on
// some malformed files and only prints others' errors on stdout, carrying
// on without the font: both become an error here, so that a bad font a
// deployment supplies fails a render, not the process.
func addFont(p *fpdf.Fpdf, style string, b []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the %s font is not a TrueType font fpdf can read: %v", styleNames[style], r)
		}
	}()
	p.AddUTF8FontFromBytes(family, style, b)
	if p.Error() == nil && p.GetFontDesc(family, style).Ascent == 0 {
		return fmt.Errorf("the %s font is not a TrueType font fpdf can read", styleNames[style])
	}
	return p.Error()
}

var styleNames = map[string]string{"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}

type rgb struct{ r, g, b int }

// palette is the colour scheme of a template: red and gold for the Bằng
// khen, the colours of the national emblem; blue for the Giấy khen.
type palette struct {
	frame, ornament, title, text rgb
}

var (
	meritPalette = palette{
		frame:    rgb{155, 27, 30},
		ornament: rgb{196, 154, 62},
		title:    rgb{200, 16, 30},
		text:     rgb{25, 25, 25},
	}
	commendationPalette = palette{
		frame:    rgb{22, 68, 140},
		ornament: rgb{110, 150, 205},
		title:    rgb{200, 16, 30},
		text:     rgb{25, 25, 25},
	}
	emblemRed  = rgb{218, 37, 29}
	emblemGold = rgb{255, 205, 0}
)

func setFill(p *fpdf.Fpdf, c rgb) { p.SetFillColor(c.r, c.g, c.b) }
func setDraw(p *fpdf.Fpdf, c rgb) { p.SetDrawColor(c.r, c.g, c.b) }
func setText(p *fpdf.Fpdf, c rgb) { p.SetTextColor(c.r, c.g, c.b) }

// box is a rectangle on the page, in millimetres from the top left.
type box struct{ x, y, w, h float64 }

// textStyle says how a block of text may be set.
type textStyle struct {
	style    string  // fpdf style: "", "B", "I" or "BI"
	max, min float64 // preferred and smallest font size, in points
	leading  float64 // line height as a multiple of the font size
	// paragraph text is wrapped at the largest size that fits the box,
	// rather than first shrunk to one line: a sentence reads better on
	// two lines than in small print on one.
	paragraph bool
}

func (s textStyle) lineHeight(size float64) float64 { return size * ptMM * s.leading }

// fitted is a text block set to fit its box.
type fitted struct {
	style string
	size  float64
	lines []string
}

// fit sets text in b: on one line at the largest size from st.max down to
// st.min that fits the width (a paragraph: wrapped at the largest size
// whose lines fit the height); failing that, wrapped at st.min; failing
// that (only for absurd lengths), wrapped at smaller sizes down to
// floorSize; and at last truncated with an ellipsis. Widths are measured
// with the font's own metrics (GetStringWidth), so the text never leaves
// its box whatever the font a deployment supplies.
func fit(p *doc, text string, st textStyle, b box) fitted {
	const step = 0.5
	if st.paragraph {
		for size := st.max; size >= st.min-1e-9; size -= step {
			p.font(st.style, size)
			lines := wrap(p, text, b.w)
			if float64(len(lines))*st.lineHeight(size) <= b.h {
				return fitted{st.style, size, balance(p, text, b.w, len(lines))}
			}
		}
	}
	for size := st.max; size >= st.min-1e-9; size -= step {
		p.font(st.style, size)
		if st.lineHeight(size) <= b.h && p.GetStringWidth(text) <= b.w {
			return fitted{st.style, size, []string{text}}
		}
	}
	floor := math.Min(floorSize*p.sheet.k, st.min)
	for size := math.Min(st.min, st.max); size >= floor-1e-9; size -= step {
		p.font(st.style, size)
		lines := wrap(p, text, b.w)
		if float64(len(lines))*st.lineHeight(size) <= b.h {
			return fitted{st.style, size, balance(p, text, b.w, len(lines))}
		}
	}
	p.font(st.style, floor)
	lines := wrap(p, text, b.w)
	n := max(int(b.h/st.lineHeight(floor)), 1)
	if len(lines) > n {
		lines = lines[:n]
		lines[n-1] = ellipsize(p, lines[n-1]+" …", b.w)
	}
	return fitted{st.style, floor, lines}
}

// wrap breaks text into lines no wider than w, at spaces, and inside a word
// only when the word alone is wider than w. The current font measures.
func wrap(p *doc, text string, w float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		cand := word
		if line != "" {
			cand = line + " " + word
		}
		if p.GetStringWidth(cand) <= w {
			line = cand
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		// A word wider than the box is cut where it must be. fpdf does not
		// kern, so a prefix is as wide as the sum of its characters.
		for p.GetStringWidth(word) > w {
			cut, width := 0, 0.0
			for i, r := range word {
				if width += p.GetStringWidth(string(r)); width > w {
					break
				}
				cut = i + utf8.RuneLen(r)
			}
			if cut == 0 { // not even one character fits: take one anyway
				_, cut = utf8.DecodeRuneInString(word)
			}
			lines = append(lines, word[:cut])
			word = word[cut:]
		}
		line = word
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// balance rewraps text into n lines of similar length: centred text wrapped
// greedily leaves a long line over a short one ("widow"), which looks
// unbalanced on a certificate. It finds the narrowest width that still
// gives n lines.
func balance(p *doc, text string, w float64, n int) []string {
	if n < 2 {
		return wrap(p, text, w)
	}
	lo, hi := w/float64(n), w
	for range 14 {
		mid := (lo + hi) / 2
		if len(wrap(p, text, mid)) <= n {
			hi = mid
		} else {
			lo = mid
		}
	}
	return wrap(p, text, hi)
}

// ellipsize shortens s, ending in "…", until it fits w.
func ellipsize(p *doc, s string, w float64) string {
	for p.GetStringWidth(s) > w && len(s) > 0 {
		rs := []rune(strings.TrimSuffix(s, "…"))
		if len(rs) == 0 {
			return "…"
		}
		s = strings.TrimRight(string(rs[:len(rs)-1]), " ") + "…"
	}
	return s
}

// align is the horizontal alignment of a text block in its box.
type align int

const (
	center align = iota
	left
)

// draw sets f in b, vertically centred, each line aligned as a says.
func (f fitted) draw(p *doc, st textStyle, b box, a align) {
	p.font(f.style, f.size)
	lh := st.lineHeight(f.size)
	capH := float64(p.GetFontDesc(family, f.style).CapHeight) / 1000 * f.size * ptMM
	if capH <= 0 {
		capH = 0.66 * f.size * ptMM
	}
	top := b.y + (b.h-float64(len(f.lines))*lh)/2
	for i, line := range f.lines {
		x := b.x
		if a == center {
			x = b.x + (b.w-p.GetStringWidth(line))/2
		}
		// Centre the capitals in the line's slot; Vietnamese diacritics sit
		// in the leading above them.
		p.Text(x, top+float64(i)*lh+lh/2+capH/2, line)
	}
}

// frames holds the border and emblem of each kind on each paper as a PDF
// form XObject (an fpdf template), built once per process, when first
// used: every page then refers to it with one operator instead of drawing
// some 200 ornaments, which keeps a printed batch small and fast. A
// template is bytes fixed at creation and only read afterwards, so
// concurrent renders share it.
var frames struct {
	sync.Mutex
	built map[frameKey]fpdf.Template
}

type frameKey struct {
	paper Paper
	merit bool
}

func frameTemplate(paper Paper, merit bool) fpdf.Template {
	frames.Lock()
	defer frames.Unlock()
	key := frameKey{paper, merit}
	if t, ok := frames.built[key]; ok {
		return t
	}
	pal := commendationPalette
	if merit {
		pal = meritPalette
	}
	g := sheets[paper]
	// "P": the size is already landscape; "L" would swap it.
	t := fpdf.CreateTpl(fpdf.PointType{}, fpdf.SizeType{Wd: g.w, Ht: g.h}, "P", "mm", "", func(t *fpdf.Tpl) {
		drawFrame(&t.Fpdf, pal, merit, g)
		drawEmblem(&t.Fpdf, g.w/2, 26.5*g.sy, 9.5*g.k)
	})
	if frames.built == nil {
		frames.built = map[frameKey]fpdf.Template{}
	}
	frames.built[key] = t
	return t
}

// drawFrame draws the border at the edges of the sheet g: a heavy outer
// rule, a band of ornaments between two hairlines, corner blocks, and
// flourishes inside the corners, every width and ornament scaled by g.k.
// Only fpdf primitives: no image to license or to embed on every page.
func drawFrame(p *fpdf.Fpdf, pal palette, merit bool, g sheet) {
	k, w, h := g.k, g.w, g.h
	outer, inner := frameOuter*k, frameInner*k
	p.SetLineJoinStyle("miter")
	setDraw(p, pal.frame)
	p.SetLineWidth(1.1 * k)
	p.Rect(outer, outer, w-2*outer, h-2*outer, "D")
	p.SetLineWidth(0.25 * k)
	bandOut, bandIn := 8.7*k, 12.3*k
	p.Rect(bandOut, bandOut, w-2*bandOut, h-2*bandOut, "D")
	p.Rect(bandIn, bandIn, w-2*bandIn, h-2*bandIn, "D")
	setDraw(p, pal.ornament)
	p.SetLineWidth(0.5 * k)
	p.Rect(inner, inner, w-2*inner, h-2*inner, "D")

	// The band: a chain of lozenges (Bằng khen) or of beads (Giấy khen),
	// spaced evenly between the corner blocks.
	mid := (bandOut + bandIn) / 2
	setFill(p, pal.ornament)
	setDraw(p, pal.frame)
	p.SetLineWidth(0.15 * k)
	bead := func(x, y float64) {
		if merit {
			d := 1.35 * k
			p.Polygon([]fpdf.PointType{{X: x, Y: y - d}, {X: x + d, Y: y}, {X: x, Y: y + d}, {X: x - d, Y: y}}, "FD")
		} else {
			p.Circle(x, y, 0.7*k, "F")
		}
	}
	run := func(from, to float64, at func(t float64)) {
		pitch := 5.0 * k
		n := int((to - from) / pitch)
		step := (to - from) / float64(n)
		for i := 0; i <= n; i++ {
			at(from + float64(i)*step)
		}
	}
	clear := (frameInner + 3) * k
	run(clear, w-clear, func(x float64) { bead(x, mid); bead(x, h-mid) })
	run(clear, h-clear, func(y float64) { bead(mid, y); bead(w-mid, y) })

	corners := []struct{ x, y, sx, sy float64 }{
		{outer, outer, 1, 1},
		{w - outer, outer, -1, 1},
		{outer, h - outer, 1, -1},
		{w - outer, h - outer, -1, -1},
	}
	for _, c := range corners {
		// Corner block over the band, with a lozenge in it.
		s := inner - outer
		x0, y0 := c.x, c.y
		if c.sx < 0 {
			x0 -= s
		}
		if c.sy < 0 {
			y0 -= s
		}
		setFill(p, pal.frame)
		p.Rect(x0, y0, s, s, "F")
		setFill(p, pal.ornament)
		cx, cy, l := x0+s/2, y0+s/2, 2.2*k
		p.Polygon([]fpdf.PointType{{X: cx, Y: cy - l}, {X: cx + l, Y: cy}, {X: cx, Y: cy + l}, {X: cx - l, Y: cy}}, "F")

		// Flourish inside the corner: two quarter circles and rules that
		// run along the edges, ending in a small lozenge.
		ix := c.x + c.sx*(inner-outer)
		iy := c.y + c.sy*(inner-outer)
		start := 270.0 // fpdf angles run counter-clockwise on the page
		switch {
		case c.sx < 0 && c.sy > 0:
			start = 180
		case c.sx > 0 && c.sy < 0:
			start = 0
		case c.sx < 0 && c.sy < 0:
			start = 90
		}
		setDraw(p, pal.ornament)
		p.SetLineWidth(0.45 * k)
		p.Arc(ix, iy, 7*k, 7*k, 0, start, start+90, "D")
		p.SetLineWidth(0.25 * k)
		p.Arc(ix, iy, 9*k, 9*k, 0, start, start+90, "D")
		reach, off, d := 22.0*k, 2.5*k, 1.2*k
		p.Line(ix+c.sx*9*k, iy+c.sy*off, ix+c.sx*reach, iy+c.sy*off)
		p.Line(ix+c.sx*off, iy+c.sy*9*k, ix+c.sx*off, iy+c.sy*reach)
		setFill(p, pal.ornament)
		for _, pt := range [][2]float64{{ix + c.sx*(reach+d), iy + c.sy*off}, {ix + c.sx*off, iy + c.sy*(reach+d)}} {
			p.Polygon([]fpdf.PointType{{X: pt[0], Y: pt[1] - d}, {X: pt[0] + d, Y: pt[1]}, {X: pt[0], Y: pt[1] + d}, {X: pt[0] - d, Y: pt[1]}}, "F")
		}
		// A dot at the heart of the corner.
		p.Circle(ix+c.sx*3.2*k, iy+c.sy*3.2*k, 1.1*k, "F")
	}
}

// drawEmblem draws a placeholder for the national emblem (Quốc huy): a red
// disc with the gold five-pointed star, in a wreath of gold grains standing
// for the rice ears, over a cogwheel. It marks where the emblem goes
// without reproducing it; printed stock carries the real one.
func drawEmblem(p *fpdf.Fpdf, cx, cy, r float64) {
	setFill(p, emblemGold)
	// The cogwheel at the foot, drawn first so the wreath overlaps it.
	cogY := cy + r*0.9
	cog := r * 0.28
	for i := range 10 {
		p.TransformBegin()
		p.TransformRotate(float64(i)*36, cx, cogY)
		p.Rect(cx-cog*0.2, cogY-cog*1.3, cog*0.4, cog*0.5, "F")
		p.TransformEnd()
	}
	p.Circle(cx, cogY, cog, "F")
	// Wreath: grains along the rim, tilted along it, from the foot up
	// both sides, leaving the top open as the ears do.
	for _, side := range []float64{-1, 1} {
		for i := range 9 {
			deg := -70 + float64(i)*17 // from the foot (-90) towards the top
			a := deg * math.Pi / 180
			x := cx + side*r*0.97*math.Cos(a)
			y := cy - r*0.97*math.Sin(a)
			p.Ellipse(x, y, r*0.2, r*0.09, side*(90-deg)+90, "F")
		}
	}
	p.Circle(cx, cy, r*0.86, "F")
	setFill(p, emblemRed)
	p.Circle(cx, cy, r*0.76, "F")
	star(p, cx, cy-r*0.04, r*0.5)
}

// star fills a gold five-pointed star of outer radius r centred at (cx, cy).
func star(p *fpdf.Fpdf, cx, cy, r float64) {
	pts := make([]fpdf.PointType, 0, 10)
	for i := range 10 {
		rad := r
		if i%2 == 1 {
			rad = r * 0.382
		}
		a := (-90 + float64(i)*36) * math.Pi / 180
		pts = append(pts, fpdf.PointType{X: cx + rad*math.Cos(a), Y: cy + rad*math.Sin(a)})
	}
	setFill(p, emblemGold)
	p.Polygon(pts, "F")
}

// drawQR draws a QR code matrix as filled runs of dark modules in the
// square (x, y, size), on a white square that includes the quiet zone the
// scanners need. modules[row][col] is true for dark.
func drawQR(p *fpdf.Fpdf, modules [][]bool, x, y, size float64) {
	n := len(modules)
	if n == 0 {
		return
	}
	m := size / float64(n)
	quiet := 2 * m
	p.SetFillColor(255, 255, 255)
	p.Rect(x-quiet, y-quiet, size+2*quiet, size+2*quiet, "F")
	p.SetFillColor(0, 0, 0)
	// A hair of overlap between rows and runs keeps rasterizers from
	// leaving white seams, which can confuse a scanner.
	const seam = 0.02
	for i, row := range modules {
		for j := 0; j < len(row); {
			if !row[j] {
				j++
				continue
			}
			k := j
			for k < len(row) && row[k] {
				k++
			}
			p.Rect(x+float64(j)*m, y+float64(i)*m, float64(k-j)*m+seam, m+seam, "F")
			j = k
		}
	}
}
