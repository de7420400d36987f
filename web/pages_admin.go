package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/service"
)

// Administration: accounts and the holiday calendar. The service decides
// who may do what (an administrator's accounts are those of their unit and
// the units under it; only the province's administrator edits the
// calendar); these pages show its answers.

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
	Users      []service.UserView
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
	users, err := rq.svc().Users(rq.ctx(), rq.Caller, service.UserFilter{Unit: d.Unit, Role: d.Role, Q: d.Q})
	if err != nil {
		return err
	}
	d.Users, d.TotalShown = users, len(users)
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
	dates := []time.Time{{}} // today
	rounds, err := rq.rounds()
	if err != nil {
		return nil, err
	}
	for _, r := range rounds {
		if at, err := time.Parse(time.DateOnly, r.ReferenceDate); err == nil {
			dates = append(dates, at)
		}
	}
	for _, at := range dates {
		units, err := rq.svc().Units(rq.ctx(), service.UnitFilter{At: at})
		if err != nil {
			return nil, err
		}
		for _, un := range units {
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

// createUser creates an account.
func (u *UI) createUser(rq *request) error {
	p := rq.r.PostForm
	f := userForm{Username: strings.TrimSpace(p.Get("/username")), FullName: strings.TrimSpace(p.Get("/full_name")),
		Email: strings.TrimSpace(p.Get("/email")), Role: p.Get("/role"), UnitID: p.Get("/unit_id"), Head: p.Get("/head") == "true"}
	in := service.UserInput{Username: f.Username, FullName: f.FullName, Email: f.Email, Role: f.Role, UnitID: f.UnitID,
		Head: f.Head, Password: p.Get("/password")}
	if _, err := rq.svc().CreateUser(rq.ctx(), rq.Caller, in); err != nil {
		prob := problems.From(err)
		if prob == nil {
			return err
		}
		return u.showUsers(rq, prob.Status, func(d *usersData) {
			d.Form, d.Errs = f, newFormErrors(prob, rq.Lang, nil, userPointers...)
		})
	}
	rq.flash("flash_user_created")
	return rq.redirect("/ui/admin/users?q=" + url.QueryEscape(f.Username))
}

// setUserDisabled disables or re-enables an account.
func (u *UI) setUserDisabled(rq *request) error {
	disabled := rq.r.PostForm.Get("disabled") == "true"
	if _, err := rq.svc().PatchUser(rq.ctx(), rq.Caller, rq.r.PathValue("id"), service.UserPatch{Disabled: &disabled}); err != nil {
		return err
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
	err := rq.svc().ResetPassword(rq.ctx(), rq.Caller, id, service.PasswordInput{Password: rq.r.PostForm.Get("password")})
	if err != nil {
		prob := problems.From(err)
		if prob == nil || prob.Status != http.StatusUnprocessableEntity {
			return err
		}
		return u.showUsers(rq, prob.Status, func(d *usersData) {
			d.Form.Role = roleNominator
			d.ResetID, d.Reset = id, newFormErrors(prob, rq.Lang, nil, "/password")
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
	Days             []service.HolidayView
	CanEdit          bool
	Form             holidayForm
	Errs             formErrors
}

// holidayList shows a year's holidays and make-up working days.
func (u *UI) holidayList(rq *request) error {
	year, err := strconv.Atoi(rq.r.URL.Query().Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		year = rq.svc().Now().In(zone).Year()
	}
	return u.showHolidays(rq, http.StatusOK, year, nil)
}

// showHolidays renders the calendar of year; edit adds a refused form.
func (u *UI) showHolidays(rq *request, status, year int, edit func(*holidaysData)) error {
	days, err := rq.svc().Holidays(rq.ctx(), rq.Caller, strconv.Itoa(year))
	if err != nil {
		return err
	}
	d := &holidaysData{Year: year, Prev: year - 1, Next: year + 1, Days: days.Items,
		CanEdit: service.RequireCalendarEditor(rq.Caller) == nil}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "holidays", rq.page("holidays_title", d))
}

// addHoliday adds a day to the calendar.
func (u *UI) addHoliday(rq *request) error {
	p := rq.r.PostForm
	f := holidayForm{Date: strings.TrimSpace(p.Get("/date")), Name: strings.TrimSpace(p.Get("/name")), Workday: p.Get("/workday") == "true"}
	_, err := rq.svc().AddHoliday(rq.ctx(), rq.Caller, service.HolidayInput{Date: f.Date, Name: f.Name, Workday: f.Workday})
	year := rq.svc().Now().In(zone).Year()
	if t, err := time.Parse(time.DateOnly, f.Date); err == nil && t.Year() >= 2000 && t.Year() <= 2100 {
		year = t.Year()
	}
	if err != nil {
		prob := problems.From(err)
		if prob == nil {
			return err
		}
		return u.showHolidays(rq, prob.Status, year, func(d *holidaysData) {
			d.Form, d.Errs = f, newFormErrors(prob, rq.Lang, nil, "/date", "/name", "/workday")
		})
	}
	rq.flash("flash_holiday_added")
	return rq.redirect("/ui/admin/holidays?year=" + strconv.Itoa(year))
}

// deleteHoliday removes a day.
func (u *UI) deleteHoliday(rq *request) error {
	date := rq.r.PathValue("date")
	if err := rq.svc().DeleteHoliday(rq.ctx(), rq.Caller, date); err != nil {
		return err
	}
	rq.flash("flash_holiday_deleted")
	year := rq.svc().Now().In(zone).Year()
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
