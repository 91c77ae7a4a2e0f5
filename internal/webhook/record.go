package webhook

import (
	"context"

	"github.com/werkwijzer/werkwijzer/internal/content"
	"github.com/werkwijzer/werkwijzer/internal/vacancy"
)

// ContentRecorder returns the recorder content.Service.RecordChanges
// takes: it records each change as an event in the change's transaction,
// which inTx opens the webhook store in.
func (s *Service) ContentRecorder(inTx func(content.Store) (Tx, error)) func(context.Context, content.Store, content.Change) error {
	return func(ctx context.Context, tx content.Store, c content.Change) error {
		wtx, err := inTx(tx)
		if err != nil {
			return err
		}
		return s.Record(ctx, wtx, EntryEvent(newID(), c))
	}
}

// SyncRecorder returns the recorder vacancy.Config.RecordSync takes: it
// records a sync call that changed something as an event in the call's
// transaction, which inTx opens the webhook store in.
func (s *Service) SyncRecorder(inTx func(vacancy.Store) (Tx, error)) func(context.Context, vacancy.Store, *vacancy.Source, *vacancy.Report) error {
	return func(ctx context.Context, tx vacancy.Store, src *vacancy.Source, r *vacancy.Report) error {
		wtx, err := inTx(tx)
		if err != nil {
			return err
		}
		return s.Record(ctx, wtx, SyncEvent(newID(), src, r, s.now()))
	}
}
