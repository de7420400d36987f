package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Administration: accounts and the holiday calendar. The API decides who
// may do what (an administrator's accounts are those of their unit and the
// units under it; only the province's administrator edits the calendar);
// these pages show its answers.

// adminPage lists what administrators manage.
func (u *UI) adminPage(rq *request) error {
	return rq.show(http.StatusOK, "admin", rq.page("admin_title", nil))
}

// userForm holds the new-account form as typed (never the password).
type userForm struct {
	Username, FullName, Email, Role, UnitID string
	Head                                    bool
}

// unitGroup is the units of one kind, for a select's optgroup.
type unitGroup struct {
	Kind  string
	Units []Unit
}

// usersData is the accounts page.
type usersData struct {
	Users      []User
	Groups     []unitGroup
	Q, Role    string
	Unit       string
	Roles      []string
	Form       userForm
	Errs       formErrors // the create form
	ResetID    string     // the account whose new password was refused
	Reset      formErrors
	Back       string // this page with its filters
	TotalShown int
}

var userPointers = []string{"/username", "/full_name", "/email", "/role", "/unit_id", "/head", "/password"}

// userList shows the accounts the administrator manages, filtered, with
// the create form.
func (u *UI) userList(rq *request) error {
	return u.showUsers(rq, http.StatusOK, func(d *usersData) { d.Form.Role = roleNominator })
}

// showUsers renders the accounts page; edit adds a refused form.
func (u *UI) showUsers(rq *request, status int, edit func(*usersData)) error {
	q := rq.r.URL.Query()
	if rq.r.Method == http.MethodPost {
		// A refused POST shows the list it came from.
		if back, err := url.Parse(safeNext(rq.r.PostForm.Get("back"))); err == nil {
			q = back.Query()
		}
	}
	d := &usersData{Q: strings.TrimSpace(q.Get("q")), Role: q.Get("role"), Unit: q.Get("unit"),
		Roles: []string{roleNominator, roleReviewer, roleInterior, roleAdmin}}
	if !slices.Contains(d.Roles, d.Role) {
		d.Role = ""
	}
	params := url.Values{}
	for k, v := range map[string]string{"q": d.Q, "role": d.Role, "unit": d.Unit} {
		if v != "" {
			params.Set(k, v)
		}
	}
	d.Back = "/ui/admin/users"
	if len(params) > 0 {
		d.Back += "?" + params.Encode()
	}
	var users list[User]
	if err := rq.get("/api/v1/users?"+params.Encode(), &users); err != nil {
		return err
	}
	d.Users, d.TotalShown = users.Items, users.Total
	groups, err := rq.unitGroups()
	if err != nil {
		return err
	}
	d.Groups = groups
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "users", rq.page("users_title", d))
}

// unitGroups lists every unit (in force today or at a round's reference
// date) by kind, then name.
func (rq *request) unitGroups() ([]unitGroup, error) {
	seen := map[string]bool{}
	byKind := map[string][]Unit{}
	dates := []string{""}
	if rounds, err := rq.rounds(); err == nil {
		for _, r := range rounds {
			dates = append(dates, r.ReferenceDate)
		}
	}
	for _, at := range dates {
		path := "/api/v1/units"
		if at != "" {
			path += "?at=" + url.QueryEscape(at)
		}
		var units list[Unit]
		if err := rq.get(path, &units); err != nil {
			return nil, err
		}
		for _, un := range units.Items {
			if !seen[un.ID] {
				seen[un.ID] = true
				byKind[un.Kind] = append(byKind[un.Kind], un)
			}
		}
	}
	var out []unitGroup
	for _, k := range []string{"province", "department", "district", "commune", "school", "agency", "enterprise"} {
		if units := byKind[k]; len(units) > 0 {
			slices.SortFunc(units, func(a, b Unit) int { return strings.Compare(a.Name, b.Name) })
			out = append(out, unitGroup{Kind: k, Units: units})
			delete(byKind, k)
		}
	}
	for k, units := range byKind { // kinds added later
		out = append(out, unitGroup{Kind: k, Units: units})
	}
	return out, nil
}

// createUser creates an account (POST /api/v1/users).
func (u *UI) createUser(rq *request) error {
	p := rq.r.PostForm
	f := userForm{Username: strings.TrimSpace(p.Get("/username")), FullName: strings.TrimSpace(p.Get("/full_name")),
		Email: strings.TrimSpace(p.Get("/email")), Role: p.Get("/role"), UnitID: p.Get("/unit_id"), Head: p.Get("/head") == "true"}
	body := map[string]any{"username": f.Username, "full_name": f.FullName, "role": f.Role, "unit_id": f.UnitID,
		"head": f.Head, "password": p.Get("/password")}
	if f.Email != "" {
		body["email"] = f.Email
	}
	res := rq.call(http.MethodPost, "/api/v1/users", body)
	if !res.ok() {
		return u.showUsers(rq, res.Status, func(d *usersData) {
			d.Form, d.Errs = f, newFormErrors(res.problem(), rq.Lang, nil, userPointers...)
		})
	}
	rq.flash("flash_user_created")
	return rq.redirect("/ui/admin/users?q=" + url.QueryEscape(f.Username))
}

// setUserDisabled disables or re-enables an account (PATCH
// /api/v1/users/{id}).
func (u *UI) setUserDisabled(rq *request) error {
	disabled := rq.r.PostForm.Get("disabled") == "true"
	res := rq.call(http.MethodPatch, "/api/v1/users/"+seg(rq.r.PathValue("id")), map[string]any{"disabled": disabled})
	if !res.ok() {
		return &apiError{res}
	}
	if disabled {
		rq.flash("flash_user_disabled")
	} else {
		rq.flash("flash_user_enabled")
	}
	return rq.redirect(safeNext(rq.r.PostForm.Get("back")))
}

// resetPassword sets an account's new password; a refused one is shown
// beside that account's form.
func (u *UI) resetPassword(rq *request) error {
	id := rq.r.PathValue("id")
	res := rq.call(http.MethodPost, "/api/v1/users/"+seg(id)+"/password", map[string]any{"password": rq.r.PostForm.Get("password")})
	if !res.ok() {
		if res.Status != http.StatusUnprocessableEntity {
			return &apiError{res}
		}
		return u.showUsers(rq, res.Status, func(d *usersData) {
			d.Form.Role = roleNominator
			d.ResetID, d.Reset = id, newFormErrors(res.problem(), rq.Lang, nil, "/password")
		})
	}
	rq.flash("flash_password")
	return rq.redirect(safeNext(rq.r.PostForm.Get("back")))
}

// holidayForm holds the holiday form as typed.
type holidayForm struct {
	Date, Name string
	Workday    bool
}

// holidaysData is the calendar page of a year.
type holidaysData struct {
	Year, Prev, Next int
	Days             []Holiday
	CanEdit          bool
	Form             holidayForm
	Errs             formErrors
}

// holidayList shows a year's holidays and make-up working days.
func (u *UI) holidayList(rq *request) error {
	year, err := strconv.Atoi(rq.r.URL.Query().Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		year = time.Now().In(zone).Year()
	}
	return u.showHolidays(rq, http.StatusOK, year, nil)
}

// showHolidays renders the calendar of year; edit adds a refused form.
func (u *UI) showHolidays(rq *request, status, year int, edit func(*holidaysData)) error {
	var days list[Holiday]
	if err := rq.get("/api/v1/holidays?year="+strconv.Itoa(year), &days); err != nil {
		return err
	}
	// The API lets only the province's administrator change the calendar.
	d := &holidaysData{Year: year, Prev: year - 1, Next: year + 1, Days: days.Items, CanEdit: rq.Me.Unit.Kind == "province"}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "holidays", rq.page("holidays_title", d))
}

// addHoliday adds a day to the calendar (POST /api/v1/holidays).
func (u *UI) addHoliday(rq *request) error {
	p := rq.r.PostForm
	f := holidayForm{Date: strings.TrimSpace(p.Get("/date")), Name: strings.TrimSpace(p.Get("/name")), Workday: p.Get("/workday") == "true"}
	res := rq.call(http.MethodPost, "/api/v1/holidays", map[string]any{"date": f.Date, "name": f.Name, "workday": f.Workday})
	year := time.Now().In(zone).Year()
	if t, err := time.Parse(time.DateOnly, f.Date); err == nil && t.Year() >= 2000 && t.Year() <= 2100 {
		year = t.Year()
	}
	if !res.ok() {
		return u.showHolidays(rq, res.Status, year, func(d *holidaysData) {
			d.Form, d.Errs = f, newFormErrors(res.problem(), rq.Lang, nil, "/date", "/name", "/workday")
		})
	}
	rq.flash("flash_holiday_added")
	return rq.redirect("/ui/admin/holidays?year=" + strconv.Itoa(year))
}

// deleteHoliday removes a day (DELETE /api/v1/holidays/{date}).
func (u *UI) deleteHoliday(rq *request) error {
	date := rq.r.PathValue("date")
	res := rq.call(http.MethodDelete, "/api/v1/holidays/"+seg(date), nil)
	if !res.ok() {
		return &apiError{res}
	}
	rq.flash("flash_holiday_deleted")
	year := time.Now().In(zone).Year()
	if t, err := time.Parse(time.DateOnly, date); err == nil {
		year = t.Year()
	}
	return rq.redirect("/ui/admin/holidays?year=" + strconv.Itoa(year))
}

// Weekday names the day of the week of a date ("YYYY-MM-DD").
func (p *page) Weekday(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return p.L("weekday", strconv.Itoa(int(t.Weekday())))
}

// unitSelect is the data of the "unitoptions" template: a select's units
// grouped by kind, with the selected one.
type unitSelect struct {
	Page     *page
	Groups   []unitGroup
	Selected string
}
