package learning

import (
	"strconv"
	"strings"
)

// shortNames are the indicators' names where the letter's full wording
// does not fit: a chart's picker, a workbook's sheet name (at most 31
// characters with its prefix), a table's column.
var shortNames = map[string]string{
	"gia-dinh-hoc-tap":  "Gia đình học tập",
	"cong-dong-hoc-tap": "Cộng đồng học tập",
	"don-vi-hoc-tap":    "Đơn vị học tập",
	"cong-dan-lao-dong": "CDHT - người lao động",
	"cong-dan-cbccvc":   "CDHT - CB, CC, VC",
	"trung-tam-cntt":    "TTHTCĐ ứng dụng CNTT",
	"xa-xep-loai-tot":   "Xã xếp loại tốt",
	"huyen-hoc-tap":     "Huyện học tập",
}

// ShortName is the indicator's short name, or its code when it has none.
func ShortName(code string) string {
	if n, ok := shortNames[code]; ok {
		return n
	}
	return code
}

// PerCommune reports whether the indicator means anything for one
// commune-level unit: Huyện học tập counts districts, which no commune
// contains.
func (ind Indicator) PerCommune() bool { return ind.DenominatorUnits != "district" }

// FormatPercent writes a rate as Vietnamese documents do, with a decimal
// comma: 75,0.
func FormatPercent(p float64) string {
	return strings.Replace(strconv.FormatFloat(p, 'f', 1, 64), ".", ",", 1)
}

// Verdict says in words whether a value meets its target: "Đạt", "Chưa
// đạt", or why it cannot be said.
func (v Value) Verdict() string {
	switch {
	case v.Met != nil && *v.Met:
		return "Đạt"
	case v.Met != nil:
		return "Chưa đạt"
	case v.Target == nil:
		return "Chưa đặt chỉ tiêu"
	default:
		return "Chưa có số liệu"
	}
}
