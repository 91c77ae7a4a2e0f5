// Package normalize reads what recruitment sources send into the canonical
// values a vacancy stores: one-line fields as plain text, descriptions as
// a small safe subset of HTML, dates without silent time-zone shifts,
// Google's employment and workplace types from the words sources use,
// salary amounts, periods and currencies (also from free text such as
// "€ 2.800 - € 3.400 per maand"), hours per week and countries.
//
// It is pure input cleaning: no sources, storage or problem reports.
// Package vacancy applies it to every item and reports what it refused;
// the feed parsers use it to recognise values in what they read. The
// vocabulary it maps onto (EmploymentType, WorkplaceType, SalaryUnit,
// Date) lives here so that this package depends on nothing of vacancy.
package normalize
