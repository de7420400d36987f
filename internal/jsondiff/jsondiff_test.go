package jsondiff

import (
	"reflect"
	"testing"
)

func TestDiff(t *testing.T) {
	before := `{"name":"Nguyễn Thị Hồng","titles":[{"title":"Công dân học tập","year":2023}],"a/b":1,"gone":true}`
	after := `{"name":"Nguyễn Thị Hồng","titles":[{"title":"Công dân học tập","year":2024},{"title":"Gia đình học tập","year":2024}],"a/b":2,"new":"x"}`
	got, err := Diff([]byte(before), []byte(after))
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Pointer: "/a~1b", Before: 1.0, After: 2.0},
		{Pointer: "/gone", Before: true},
		{Pointer: "/new", After: "x"},
		{Pointer: "/titles/0/year", Before: 2023.0, After: 2024.0},
		{Pointer: "/titles/1", After: map[string]any{"title": "Gia đình học tập", "year": 2024.0}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Diff =\n%#v\nwant\n%#v", got, want)
	}
	if got, _ := Diff([]byte(after), []byte(after)); len(got) != 0 {
		t.Fatalf("identical documents differ: %v", got)
	}
	if _, err := Diff([]byte("{"), []byte("{}")); err == nil {
		t.Fatal("malformed JSON accepted")
	}
}
