package apperr

// Reason says what exactly is wrong with a BAD_USER_INPUT, in a word that
// stays the same whatever the message says, so a client can show its own
// text in its own language. Transports send it as extensions.reason; its
// parameters (field, max, allowed...) travel as the error's details.
//
// Reasons are the values below and nothing else: the type has no exported
// field, so no other package can make one, and a test holds this list
// equal to the documented enum InputErrorReason (graph/schema/errors.graphqls).
type Reason struct{ name string }

// String is the reason's wire name, e.g. "TOO_LONG"; "" for no reason.
func (r Reason) String() string { return r.name }

// The reasons, with the parameters each one comes with besides field (the
// argument or input field at fault, where there is one). Keep the schema's
// enum, the README and the admin's messages in step.
var (
	// Required: a value that must be given is missing or empty.
	Required = Reason{"REQUIRED"}
	// TooLong: a text is too long. Parameters: max, unit ("characters",
	// "bytes" or "words").
	TooLong = Reason{"TOO_LONG"}
	// TooShort: a text is too short. Parameters: min, unit.
	TooShort = Reason{"TOO_SHORT"}
	// TooMany: a list has too many items. Parameter: max.
	TooMany = Reason{"TOO_MANY"}
	// OutOfRange: a number or a count is outside its bounds. Parameters:
	// min, max.
	OutOfRange = Reason{"OUT_OF_RANGE"}
	// MinAboveMax: a range's lower bound is above its upper bound.
	MinAboveMax = Reason{"MIN_ABOVE_MAX"}
	// Duplicate: a value is given twice where each must be unique.
	// Parameter: value.
	Duplicate = Reason{"DUPLICATE"}
	// InvalidFormat: a value does not have the required form (an id, a
	// name, an anchor, a key); the message says which form.
	InvalidFormat = Reason{"INVALID_FORMAT"}
	// InvalidText: a text is not plain UTF-8 text (a NUL byte, an invalid
	// byte sequence or a line break where one line is wanted), or too
	// long. Parameters: maxBytes, maxItems where lists are bounded too.
	InvalidText = Reason{"INVALID_TEXT"}
	// InvalidJSON: a JSON value does not parse or is not an object.
	InvalidJSON = Reason{"INVALID_JSON"}
	// InvalidSlug: a slug is not lower-case letters and digits joined by
	// single hyphens, at most 200 characters. Parameter: slug.
	InvalidSlug = Reason{"INVALID_SLUG"}
	// InvalidURL: a URL or link is not of an accepted kind (the message
	// says which kinds).
	InvalidURL = Reason{"INVALID_URL"}
	// URLNotAllowed: a feed URL points at a host that is not public.
	URLNotAllowed = Reason{"URL_NOT_ALLOWED"}
	// InvalidHost: a host name is not one such as careers.example.com.
	InvalidHost = Reason{"INVALID_HOST"}
	// InvalidEmail: an email address is not valid.
	InvalidEmail = Reason{"INVALID_EMAIL"}
	// InvalidLocale: a locale is not one of the supported ones. Parameter:
	// supportedLocales.
	InvalidLocale = Reason{"INVALID_LOCALE"}
	// InvalidLanguage: a language is not a BCP 47 language tag.
	InvalidLanguage = Reason{"INVALID_LANGUAGE"}
	// InvalidTimeZone: a time zone is not an IANA zone such as
	// Europe/Amsterdam.
	InvalidTimeZone = Reason{"INVALID_TIME_ZONE"}
	// InvalidCurrency: a currency is not an ISO 4217 code such as EUR.
	InvalidCurrency = Reason{"INVALID_CURRENCY"}
	// InvalidPattern: a pattern is not a valid regular expression.
	InvalidPattern = Reason{"INVALID_PATTERN"}
	// InvalidCursor: a cursor is not one this list returned.
	InvalidCursor = Reason{"INVALID_CURSOR"}
	// UnsupportedValue: a value is not one of those allowed. Parameter:
	// allowed (the values that are).
	UnsupportedValue = Reason{"UNSUPPORTED_VALUE"}
	// UnknownReference: a value names something that does not exist (an
	// entry, a published role). Parameter: id where an id was given.
	UnknownReference = Reason{"UNKNOWN_REFERENCE"}
	// WrongType: a value names or describes something of another type
	// than the one wanted.
	WrongType = Reason{"WRONG_TYPE"}
	// NotApplicable: a value is given where it has no meaning (locales
	// for a role other than TRANSLATOR, snapshot fields in UPSERT mode).
	NotApplicable = Reason{"NOT_APPLICABLE"}
	// ExclusiveArguments: two arguments that exclude each other are both
	// given (first and last).
	ExclusiveArguments = Reason{"EXCLUSIVE_ARGUMENTS"}
	// NothingToChange: an update names nothing to change.
	NothingToChange = Reason{"NOTHING_TO_CHANGE"}
	// PublishRefused: an entry cannot be published as it is. Parameter:
	// problems, one per locale: locale, and missingFields, noTranslation
	// or slugTaken (the slug another live entry uses).
	PublishRefused = Reason{"PUBLISH_REFUSED"}
	// NoFeed: a source without a feed (a push source) is asked to pull.
	NoFeed = Reason{"NO_FEED"}
	// SnapshotIncomplete: a snapshot's calls do not add up (a chunk says
	// it is the last but a later one was stored). Nothing was written.
	SnapshotIncomplete = Reason{"SNAPSHOT_INCOMPLETE"}
	// MassCloseUnconfirmed: a snapshot would close most open vacancies
	// and was not sent with allowMassClose. Nothing was written.
	MassCloseUnconfirmed = Reason{"MASS_CLOSE_UNCONFIRMED"}
	// QueryTooLarge: the operation is nested too deep or selects too many
	// fields or aliases. Parameters: limit (maxDepth, maxFields or
	// maxAliases) and max.
	QueryTooLarge = Reason{"QUERY_TOO_LARGE"}
	// MethodNotAllowed: a mutation was sent with GET. Parameter:
	// allowedMethod.
	MethodNotAllowed = Reason{"METHOD_NOT_ALLOWED"}
	// InvalidRequest: the request itself cannot be read (a body that is
	// not JSON or too large), or no more specific reason applies.
	InvalidRequest = Reason{"INVALID_REQUEST"}
)
