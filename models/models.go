// Package models holds the relational data of tdkt: the gorm models, their
// versioned migrations and the queries shared by the API and the
// activities. The same models run on SQLite (the embedded default) and
// PostgreSQL (production).
package models

import (
	"time"

	"github.com/tdkt/tdkt/access"
)

// Unit kinds.
const (
	KindProvince   = "province"   // tỉnh
	KindDistrict   = "district"   // huyện / thị xã / thành phố thuộc tỉnh
	KindCommune    = "commune"    // xã / phường / thị trấn
	KindDepartment = "department" // sở, ban, ngành
	KindSchool     = "school"
	KindAgency     = "agency"
	KindEnterprise = "enterprise"
)

// Unit is an organisational unit: a level of government, a department, a
// school, an enterprise. Units form a hierarchy with effective dates, so
// that a 2024 dossier keeps its three-tier history after the district level
// was abolished.
type Unit struct {
	ID   string `gorm:"primaryKey;size:64"`
	Name string `gorm:"size:255;not null"`
	// Code is the national administrative code of an administrative unit
	// (tỉnh, huyện, xã: "25951"); a merger may give a new unit the code of
	// one of the old ones, so a code names one unit on a date, not for
	// ever. Other bodies may carry their own registry code, or none.
	Code string `gorm:"size:16;index"`
	// Kind is the class routing and permissions read (province, commune…);
	// LegalKind is the unit's kind as its documents name it (tỉnh, thành
	// phố, huyện, quận, thị xã, phường, xã, thị trấn, đặc khu, sở, trường).
	Kind          string `gorm:"size:32;not null;index"`
	LegalKind     string `gorm:"size:32"`
	ReviewLevel   string `gorm:"size:32;index"` // routing.Level this unit reviews at, if any
	EffectiveFrom time.Time
	EffectiveTo   *time.Time // nil: still in force
	CreatedAt     time.Time
}

// InForce reports whether the unit exists on day t.
func (u Unit) InForce(t time.Time) bool { return inForce(u.EffectiveFrom, u.EffectiveTo, t) }

// UnitParent places a unit under a parent for a period. A commune sat
// under its district until 1 July 2025 and directly under the province
// after: two rows, so that old dossiers keep their three-tier route.
type UnitParent struct {
	UnitID        string    `gorm:"primaryKey;size:64"`
	EffectiveFrom time.Time `gorm:"primaryKey"`
	ParentID      string    `gorm:"size:64;not null;index"`
	EffectiveTo   *time.Time
}

// UnitLineage records that a unit, ended by a reorganisation, went into
// another: whole (share "full") or in part ("partial", when its territory
// was divided among several). Lineage lets a new unit see what its
// predecessors nominated and received.
type UnitLineage struct {
	PredecessorID string `gorm:"primaryKey;size:64"`
	SuccessorID   string `gorm:"primaryKey;size:64;index"`
	Share         string `gorm:"size:16;not null"`
}

// Shares of a predecessor in its successor.
const (
	ShareFull    = "full"
	SharePartial = "partial"
)

// InForce reports whether the link holds on day t.
func (p UnitParent) InForce(t time.Time) bool { return inForce(p.EffectiveFrom, p.EffectiveTo, t) }

func inForce(from time.Time, to *time.Time, t time.Time) bool {
	return !t.Before(from) && (to == nil || t.Before(*to))
}

// Roles of users (package access holds the rules that read them).
const (
	RoleNominator = access.RoleNominator // a nominating body's clerk
	RoleReviewer  = access.RoleReviewer  // a reviewer at a level
	RoleInterior  = access.RoleInterior  // Sở Nội vụ officer
	RoleAdmin     = access.RoleAdmin
)

// User is an account. Every user belongs to one unit; the unit's review
// level is the level a reviewer acts at.
type User struct {
	ID           string `gorm:"primaryKey;size:64"`
	Username     string `gorm:"size:64;not null;uniqueIndex"`
	FullName     string `gorm:"size:255;not null"`
	Email        string `gorm:"size:255"`
	Role         string `gorm:"size:32;not null"`
	UnitID       string `gorm:"size:64;not null;index"`
	Head         bool   // head of the unit: receives escalations
	PasswordHash string `gorm:"size:255;not null"`
	// FailedLogins counts consecutive wrong passwords; at the limit the
	// account is locked until LockedUntil.
	FailedLogins int `gorm:"not null;default:0"`
	LockedUntil  *time.Time
	// DisabledAt is when an administrator disabled the account: it can
	// neither log in nor use a token it already holds. Nil: active.
	DisabledAt *time.Time
	// Generation is carried by every token issued to the account; a
	// password reset increments it, which ends every session opened
	// before (whoever learnt the old password is logged out).
	Generation int `gorm:"not null;default:0"`
	CreatedAt  time.Time
}

// AuditEvent records an administrator's change to accounts or reference
// data (who, what, when), beside the nominations' own audit trail.
type AuditEvent struct {
	ID        uint      `gorm:"primaryKey"`
	At        time.Time `gorm:"not null;index"`
	ActorID   string    `gorm:"size:64;not null"`
	ActorName string    `gorm:"size:64;not null"` // the actor's username at the time
	Action    string    `gorm:"size:32;not null"` // user.create, user.disable, holiday.add …
	Target    string    `gorm:"size:255;not null;index"`
	Detail    string    `gorm:"type:text"`
	RequestID string    `gorm:"size:64"`
}

// CreateKey remembers the Idempotency-Key of a draft's creation, so that a
// retried POST returns the same draft instead of a second one.
type CreateKey struct {
	UserID       string `gorm:"primaryKey;size:64"`
	Key          string `gorm:"primaryKey;column:idem_key;size:128"`
	NominationID string `gorm:"size:64;not null"`
	CreatedAt    time.Time
}

// RequestKey remembers which request an Idempotency-Key was first used for
// (a SHA-256 of the operation's target and body), so that the key reused
// for a different request is refused instead of silently answering with
// the first one's outcome. Scope is the operation and its target
// (service: the route and the nomination).
type RequestKey struct {
	UserID      string `gorm:"primaryKey;size:64"`
	Scope       string `gorm:"primaryKey;size:192"`
	Key         string `gorm:"primaryKey;column:idem_key;size:128"`
	Fingerprint string `gorm:"size:64;not null"`
	CreatedAt   time.Time
}

// RevokedToken is an access token ended by logout before its expiry.
type RevokedToken struct {
	JTI       string    `gorm:"primaryKey;size:64"`
	ExpiresAt time.Time `gorm:"not null;index"`
}

// Round kinds.
const (
	RoundAnnual      = "annual"
	RoundPreliminary = "preliminary" // sơ kết 2023–2025
	RoundFinal       = "final"       // tổng kết 2023–2030
)

// Round is a review round: the period it covers, its submission window,
// the chain it routes through and its deadlines.
type Round struct {
	ID            string `gorm:"primaryKey;size:64"`
	Code          string `gorm:"size:64;not null;uniqueIndex"`
	Name          string `gorm:"size:255;not null"`
	Kind          string `gorm:"size:32;not null"`
	PeriodFrom    int    // first year covered
	PeriodTo      int    // last year covered
	OpensAt       time.Time
	ClosesAt      time.Time
	Chain         string    `gorm:"size:32;not null"` // routing.Chain code
	ReferenceDate time.Time // units in force at this date route the round
	// FixedRouting keeps the units of ReferenceDate for every step: a
	// rehearsal of a past chain (the demo's three tiers of 2025). A real
	// round routes each step by the units in force on the day it is
	// reached, so nothing waits for a unit that has ended.
	FixedRouting   bool `gorm:"not null;default:false"`
	DueWorkingDays int  `gorm:"not null;default:10"`
	// LevelDueDays overrides DueWorkingDays per level: JSON {"district": 15}.
	LevelDueDays string `gorm:"type:text"`
	// RemindWorkingDays is how many working days before a deadline the
	// reviewers are reminded.
	RemindWorkingDays int    `gorm:"not null;default:2"`
	Awards            string `gorm:"type:text;not null"` // JSON list of routing.Award codes
	// State is projected by the round's workflow: scheduled, open, closed.
	State     string `gorm:"size:16;not null;default:scheduled"`
	CreatedAt time.Time
}

// Round states.
const (
	RoundScheduled = "scheduled"
	RoundOpen      = "open"
	RoundClosed    = "closed"
)

// RoundQuota caps how many nominations a unit may submit for an award in a
// round.
type RoundQuota struct {
	RoundID string `gorm:"primaryKey;size:64"`
	UnitID  string `gorm:"primaryKey;size:64"`
	Award   string `gorm:"primaryKey;size:64"`
	Max     int    `gorm:"not null"`
}

// Nomination is the read model of one nomination: its dossier, and the
// state last projected from its workflow.
type Nomination struct {
	ID          string `gorm:"primaryKey;size:64"`
	RoundID     string `gorm:"size:64;not null;index"`
	UnitID      string `gorm:"size:64;not null;index"` // nominating body
	CreatedBy   string `gorm:"size:64;not null"`
	NomineeKind string `gorm:"size:32;not null"`
	NomineeName string `gorm:"size:255;not null"`
	SearchName  string `gorm:"size:255;index"` // NomineeName folded for accent-insensitive search
	Award       string `gorm:"size:64;not null"`
	// FormCode and FormVersion name the version of the dossier form the
	// nomination was filed under (forms.Get): it is validated, shown and
	// printed with that version even after a newer one is in force.
	FormCode       string `gorm:"size:32;not null;default:''"`
	FormVersion    int    `gorm:"not null;default:0"`
	Dossier        string `gorm:"type:text;not null"` // JSON
	DossierVersion int    `gorm:"not null;default:0"` // last submitted version, 0 for a draft
	// PendingVersion is the version being submitted: above DossierVersion
	// while a submission is in flight, when edits and withdrawal of the
	// draft wait (the claim that keeps them from racing the submission).
	PendingVersion int `gorm:"not null;default:0"`
	// Eligibility holds the results of the award's rules at the last
	// submission (JSON list of forms.Result), shown to reviewers.
	Eligibility string `gorm:"type:text"`
	// NomineeKey identifies the nominee (CCCD, or folded name and date of
	// birth) to find a second open nomination of the same person.
	NomineeKey    string `gorm:"size:255;index"`
	Status        string `gorm:"size:32;not null;index:idx_nominations_inbox,priority:1;index:idx_nominations_due,priority:1"`
	CurrentLevel  string `gorm:"size:32;index:idx_nominations_inbox,priority:2"`
	CurrentUnitID string `gorm:"size:64;index:idx_nominations_inbox,priority:3"`
	CurrentStep   int
	Route         string     `gorm:"type:text"` // JSON routing.Route, fixed at first submission
	WorkflowID    string     `gorm:"size:128"`
	Seq           int        `gorm:"not null;default:0"` // last projected transition
	DueAt         *time.Time `gorm:"index:idx_nominations_due,priority:2"`
	EscalatedAt   *time.Time // the deadline passed and the level's head was told
	SubmittedAt   *time.Time
	FinishedAt    *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time `gorm:"index:idx_nominations_updated"` // the default list order
}

// RouteStep is one level of a nomination's planned route, kept as rows so
// that "what may this reviewer see" is an indexed query.
//
// idx_route_steps_scope (unit, level, nomination) answers a reviewer's
// scope from the index alone, on both engines.
type RouteStep struct {
	NominationID string `gorm:"primaryKey;size:64;index:idx_route_steps_scope,priority:3"`
	Step         int    `gorm:"primaryKey;autoIncrement:false"`
	Level        string `gorm:"size:32;not null;index:idx_route_steps_scope,priority:2"`
	UnitID       string `gorm:"size:64;not null;index:idx_route_steps_scope,priority:1"`
	UnitName     string `gorm:"size:255"`
}

// DossierVersion keeps every submitted version of a dossier.
type DossierVersion struct {
	NominationID string `gorm:"primaryKey;size:64"`
	Version      int    `gorm:"primaryKey"`
	Dossier      string `gorm:"type:text;not null"`
	NomineeName  string `gorm:"size:255;not null"`
	CreatedBy    string `gorm:"size:64;not null"`
	CreatedAt    time.Time
}

// ReviewStep is one entry of a nomination's audit trail: a transition of
// its workflow, projected once (the (nomination, seq) key makes the
// projection idempotent).
type ReviewStep struct {
	ID             uint   `gorm:"primaryKey"`
	NominationID   string `gorm:"size:64;not null;uniqueIndex:idx_review_steps_seq,priority:1"`
	Seq            int    `gorm:"not null;uniqueIndex:idx_review_steps_seq,priority:2"`
	Action         string `gorm:"size:32;not null"` // submit, approve, return, resubmit, reject, withdraw, accept
	Level          string `gorm:"size:32"`
	UnitID         string `gorm:"size:64"`
	ActorID        string `gorm:"size:64"`
	ActorName      string `gorm:"size:255"`
	Comment        string `gorm:"type:text"`
	FromStatus     string `gorm:"size:32"`
	ToStatus       string `gorm:"size:32;not null"`
	DossierVersion int
	At             time.Time `gorm:"not null"`
}

// Attachment is a piece of evidence; the file itself lives under the data
// directory, named by its ID, never by the uploaded name.
type Attachment struct {
	ID           string `gorm:"primaryKey;size:64"`
	NominationID string `gorm:"size:64;not null;index"`
	FileName     string `gorm:"size:255;not null"` // sanitised display name
	ContentType  string `gorm:"size:64;not null"`
	Size         int64  `gorm:"not null"`
	SHA256       string `gorm:"size:64;not null"`
	UploadedBy   string `gorm:"size:64;not null"`
	CreatedAt    time.Time
}

// Decision is a commendation decision ("Quyết định số 123/QĐ-UBND") listing
// many awardees.
type Decision struct {
	ID           string `gorm:"primaryKey;size:64"`
	RoundID      string `gorm:"size:64;index"`
	IssuerUnitID string `gorm:"size:64;not null;uniqueIndex:idx_decisions_number,priority:1"`
	Year         int    `gorm:"not null;uniqueIndex:idx_decisions_number,priority:2"`
	Number       string `gorm:"size:64;not null;uniqueIndex:idx_decisions_number,priority:3"`
	SignedOn     time.Time
	SignerTitle  string `gorm:"size:255"`
	SignerName   string `gorm:"size:255"`
	CreatedBy    string `gorm:"size:64"`
	CreatedAt    time.Time
}

// Certificate is an issued certificate of merit or of commendation. The
// register number (số vào sổ) runs per issuer and year without gaps.
type Certificate struct {
	ID             string `gorm:"primaryKey;size:64"`
	DecisionID     string `gorm:"size:64;not null;index"`
	NominationID   string `gorm:"size:64;not null;uniqueIndex"`
	IssuerUnitID   string `gorm:"size:64;not null;uniqueIndex:idx_certificates_register,priority:1"`
	Year           int    `gorm:"not null;uniqueIndex:idx_certificates_register,priority:2"`
	RegisterNumber int    `gorm:"not null;uniqueIndex:idx_certificates_register,priority:3"`
	VerifyCode     string `gorm:"size:64;not null;uniqueIndex"`
	Status         string `gorm:"size:32;not null"` // valid, revoked
	RevokedReason  string `gorm:"type:text"`
	PDFSHA256      string `gorm:"column:pdf_sha256;size:64"`
	// Paper is the sheet the certificate is set on (a certificates.Paper):
	// "400x300", the printed stock, for those issued since the stock was
	// supported; "a4" for those issued before, whose stored PDFs must
	// render again to the same bytes. The default is for the rows of then.
	Paper     string `gorm:"size:16;not null;default:a4"`
	CreatedAt time.Time
}

// RegisterCounter hands out register numbers (số vào sổ) per issuer and
// year: read and incremented under a row lock, so numbers are consecutive
// without gaps even when decisions are issued at once.
type RegisterCounter struct {
	IssuerUnitID string `gorm:"primaryKey;size:64"`
	Year         int    `gorm:"primaryKey;autoIncrement:false"`
	Last         int    `gorm:"not null"`
}

// CouncilSession is a meeting of the provincial emulation and
// commendation council that votes on a round's province-level nominees.
type CouncilSession struct {
	ID             string    `gorm:"primaryKey;size:64"`
	RoundID        string    `gorm:"size:64;not null;index"`
	HeldOn         time.Time `gorm:"not null"`
	MembersTotal   int       `gorm:"not null"`
	MembersPresent int       `gorm:"not null"`
	// ThresholdPercent: a nominee passes with more than this share of all
	// members voting for (default 50: more than half).
	ThresholdPercent int    `gorm:"not null"`
	CreatedBy        string `gorm:"size:64"`
	CreatedAt        time.Time
}

// CouncilVote is one nominee's vote in a session.
type CouncilVote struct {
	SessionID    string `gorm:"primaryKey;size:64"`
	NominationID string `gorm:"primaryKey;size:64;index"`
	For          int    `gorm:"not null"`
	Against      int    `gorm:"not null"`
	Passed       bool   `gorm:"not null"`
}

// Posting is the public posting of a Prime Minister's Bằng khen nominee's
// name for 10 working days before the council, to collect objections.
type Posting struct {
	NominationID string    `gorm:"primaryKey;size:64"`
	RoundID      string    `gorm:"size:64;not null;index"`
	StartsAt     time.Time `gorm:"not null"`
	EndsAt       time.Time `gorm:"not null"`
	CreatedBy    string    `gorm:"size:64"`
}

// Objection is one objection raised during a posting; the council may
// only vote once every objection is resolved.
type Objection struct {
	ID           string `gorm:"primaryKey;size:64"`
	NominationID string `gorm:"size:64;not null;index"`
	Author       string `gorm:"size:255;not null"`
	Contact      string `gorm:"size:255"`
	Text         string `gorm:"type:text;not null"`
	Resolution   string `gorm:"type:text"`
	ResolvedBy   string `gorm:"size:64"`
	ResolvedAt   *time.Time
	CreatedAt    time.Time
}

// Holiday is a public holiday on which offices are closed; deadlines in
// working days skip it.
type Holiday struct {
	Date string `gorm:"primaryKey;size:10"` // YYYY-MM-DD
	Name string `gorm:"size:255;not null"`
	// Workday marks a weekend day worked in exchange for a bridge day off
	// (ngày làm bù): a working day despite being a Saturday.
	Workday bool `gorm:"not null;default:false"`
}

// Outbox records every notification and its delivery: a message is
// written once (Key is unique) and delivered by a retried activity.
type Outbox struct {
	ID           uint   `gorm:"primaryKey"`
	Key          string `gorm:"column:dedup_key;size:255;not null;uniqueIndex"`
	NominationID string `gorm:"size:64;index"`
	Kind         string `gorm:"size:32;not null"`
	Recipient    string `gorm:"size:255;not null"`
	Subject      string `gorm:"size:500;not null"`
	Body         string `gorm:"type:text;not null"`
	Status       string `gorm:"size:16;not null;index"` // pending, sent
	Attempts     int    `gorm:"not null;default:0"`
	LastError    string `gorm:"type:text"`
	CreatedAt    time.Time
	SentAt       *time.Time
}

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
)

// All lists every model, in creation order, for migrations and tests.
func All() []any {
	return []any{&Unit{}, &UnitParent{}, &UnitLineage{}, &User{}, &Round{}, &RoundQuota{}, &Nomination{}, &RouteStep{}, &DossierVersion{},
		&ReviewStep{}, &Attachment{}, &Decision{}, &Certificate{}, &Holiday{}, &Outbox{}, &RevokedToken{}, &CreateKey{}, &RequestKey{},
		&RegisterCounter{}, &CouncilSession{}, &CouncilVote{}, &Posting{}, &Objection{}, &AuditEvent{}, &ReferenceVersion{}, &LegalBasis{}, &Signer{}, &UnitName{}, &Authority{},
		&LearningHolder{}, &LearningRecognition{}, &LearningTally{}, &LearningCount{}, &LearningTarget{},
		&LearningReport{}, &LearningReportVersion{}, &LearningProposal{}, &LearningProposalEvent{}}
}
