package vacancy

// CleanText exposes the plain-text cleaner to the external tests.
var CleanText = cleanText
