package model

// RevisionConnection is a page of an entry's history.
type RevisionConnection struct {
	Edges    []RevisionEdge
	PageInfo PageInfo
	Count    Counter
}

// TranslationWorkConnection is a page of the entries that need work in a
// locale.
type TranslationWorkConnection struct {
	Edges    []TranslationWorkEdge
	PageInfo PageInfo
	Count    Counter
}
