package account

import "context"

// IsOperator reports whether ctx acts as the server's operator (see
// WithOperator); other domain services use it to let the seed loader and
// the command line do their work without a signed-in user.
func IsOperator(ctx context.Context) bool { return isOperator(ctx) }
