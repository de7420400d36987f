package e2e

import (
	"net/http"
	"path/filepath"
	"testing"
)

// TestCouncilLatestVoteDecides: a nominee passed by one council session
// and rejected by a later one cannot be awarded; passed again, it can. A
// revoked certificate is left out of the batch for printing.
func TestCouncilLatestVoteDecides(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	id := accepted(t, s, "Ninh Thị Vân", "bang-khen-tinh")
	session := func(day string, votesFor int) {
		t.Helper()
		must(t, s.call("canbo.sonoivu", "POST", "/api/v1/rounds/thu-nghiem/council", map[string]any{
			"held_on": day, "members_total": 11, "members_present": 11,
			"votes": []map[string]any{{"nomination_id": id, "for": votesFor, "against": 11 - votesFor}}}),
			http.StatusCreated, "council "+day)
	}
	issue := map[string]any{"round_id": "thu-nghiem", "number": "88/QĐ-UBND", "signed_on": "2026-11-26",
		"signer_title": "CHỦ TỊCH", "signer_name": "Võ Văn Minh", "nomination_ids": []string{id}}
	session("2026-11-10", 9)
	session("2026-11-20", 5) // five of eleven: not more than half
	must(t, s.call("canbo.sonoivu", "POST", "/api/v1/decisions", issue), http.StatusUnprocessableEntity, "decision after a rejecting session")
	session("2026-11-24", 6)
	d := must(t, s.call("canbo.sonoivu", "POST", "/api/v1/decisions", issue), http.StatusCreated, "decision after passing again")
	cert := d.body["certificates"].([]any)[0].(map[string]any)
	must(t, s.call("canbo.sonoivu", "POST", "/api/v1/certificates/"+cert["id"].(string)+"/revoke",
		map[string]any{"reason": "Thu hồi để cấp lại"}), http.StatusNoContent, "revoke")
	must(t, s.call("canbo.sonoivu", "GET", "/api/v1/decisions/"+d.str("id")+"/certificates.pdf", nil),
		http.StatusNotFound, "batch of a decision whose only certificate is revoked")
}
