package certificates

import "fmt"

// Paper is the sheet a certificate is set on.
type Paper string

const (
	// PaperA4 is A4 landscape, 297×210 mm: the draft, printed on an office
	// printer, and the paper of certificates issued before the real stock
	// was supported (their stored PDFs must render again identically).
	PaperA4 Paper = "a4"
	// Paper400x300 is the printed stock of Bằng khen and Giấy khen,
	// 400×300 mm landscape (DESIGN.md §2): issued certificates.
	Paper400x300 Paper = "400x300"
)

// sheet is the geometry of a paper and how the layout, designed in the
// millimetres of A4 landscape (pageW × pageH), maps onto it. Positions
// follow the page (sx, sy: a block a third of the way down A4 is a third
// of the way down any paper); sizes — boxes, font sizes, rules, ornaments —
// scale by k, the smaller of the two, so that nothing is stretched and,
// since k ≤ sx and k ≤ sy, blocks that do not touch on A4 do not touch on
// any paper and stay inside its frame. On A4 the mapping is the identity.
type sheet struct {
	w, h   float64 // the page, in millimetres
	k      float64 // the scale of sizes
	sx, sy float64 // the scale of positions
}

func newSheet(w, h float64) sheet {
	sx, sy := w/pageW, h/pageH
	return sheet{w: w, h: h, k: min(sx, sy), sx: sx, sy: sy}
}

var sheets = map[Paper]sheet{
	PaperA4:      newSheet(pageW, pageH),
	Paper400x300: newSheet(400, 300),
}

// paperFor is the paper of a certificate: the one asked for, or by
// default A4 for a draft and the 400×300 mm stock for an issued one.
func paperFor(p Paper, draft bool) (Paper, error) {
	switch {
	case p == "" && draft:
		return PaperA4, nil
	case p == "":
		return Paper400x300, nil
	}
	if _, ok := sheets[p]; !ok {
		return "", fmt.Errorf("unknown paper %q", p)
	}
	return p, nil
}

// at maps a box of the A4 design onto the sheet: its centre moves with
// the page, its size scales by k. Written so that on A4 (all scales 1) it
// gives b back exactly, to the bit: certificates issued on A4 must render
// to the same bytes.
func (g sheet) at(b box) box {
	return box{
		x: b.x*g.sx + b.w*(g.sx-g.k)/2,
		y: b.y*g.sy + b.h*(g.sy-g.k)/2,
		w: b.w * g.k,
		h: b.h * g.k,
	}
}

// text scales a text style's font sizes.
func (g sheet) text(st textStyle) textStyle {
	st.max *= g.k
	st.min *= g.k
	return st
}
