package textnorm

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Nguyễn Thị Hồng":               "nguyen thi hong",
		"  ĐẶNG   văn  Đức ":            "dang van duc",
		norm.NFD.String("Dĩ An"):        "di an",
		"Trường THPT chuyên Hùng Vương": "truong thpt chuyen hung vuong",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	nfd := norm.NFD.String("Thủ Dầu Một")
	if nfd == "Thủ Dầu Một" {
		t.Fatal("test input is not decomposed")
	}
	if got := Clean("  " + nfd + "\n"); got != "Thủ Dầu Một" {
		t.Fatalf("Clean = %q", got)
	}
}

func TestValid(t *testing.T) {
	for s, want := range map[string]bool{
		"Bằng khen\ttỉnh\n":  true,
		"a\x00b":             false,
		"a\x1bb":             false,
		string([]byte{0xff}): false,
	} {
		if got := Valid(s); got != want {
			t.Errorf("Valid(%q) = %v", s, got)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Nguyễn Thị Hồng", "Đ", "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Fold(s)
		if Fold(once) != once {
			t.Fatalf("Fold is not idempotent on %q", s)
		}
	})
}
