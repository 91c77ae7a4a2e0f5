package vacancy

// ChangedVacancies reports whether the call opened, changed or closed a
// vacancy: what the public vacancy lists show changed.
func (r *Report) ChangedVacancies() bool {
	return r.Created+r.Updated+r.Reopened+r.Closed+r.Expired > 0
}
