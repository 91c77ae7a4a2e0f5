package webhook

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// queueName is River's queue for webhook deliveries.
const queueName = "webhooks"

// deliveryArgs is the job of one delivery; River keeps it until the
// delivery succeeded or gave up.
type deliveryArgs struct {
	DeliveryID string `json:"delivery_id"`
}

func (deliveryArgs) Kind() string { return "webhook_delivery" }

func (deliveryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueName, MaxAttempts: MaxAttempts}
}

// deliveryWorker works delivery jobs.
type deliveryWorker struct {
	river.WorkerDefaults[deliveryArgs]
	s *Service
}

func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[deliveryArgs]) error {
	return w.s.deliver(ctx, job.Args.DeliveryID, job.Attempt >= job.MaxAttempts)
}

// NextRetry schedules the next attempt by the service's backoff.
func (w *deliveryWorker) NextRetry(job *river.Job[deliveryArgs]) time.Time {
	return time.Now().Add(w.s.retryDelay(job.Attempt))
}

// Timeout leaves room for the HTTP attempt and the writes around it.
func (w *deliveryWorker) Timeout(*river.Job[deliveryArgs]) time.Duration { return 3 * Timeout }

// queue is River's client: it inserts delivery jobs in the transactions of
// the changes and, once started, works them. River locks each job for one
// worker (FOR UPDATE SKIP LOCKED on PostgreSQL), so any number of replicas
// deliver each job once.
type queue struct {
	client *river.Client[*sql.Tx]
}

func newQueue(s *Service, cfg Config) (*queue, error) {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &deliveryWorker{s: s}); err != nil {
		return nil, err
	}
	poll := cfg.PollInterval
	if poll <= 0 {
		poll = time.Second
	}
	n := cfg.Workers
	if n <= 0 {
		n = 10
	}
	client, err := river.NewClient(cfg.Driver, &river.Config{
		Queues:            map[string]river.QueueConfig{queueName: {MaxWorkers: n}},
		Workers:           workers,
		PollOnly:          true,
		FetchPollInterval: poll,
		FetchCooldown:     min(poll, 100*time.Millisecond),
		Logger:            warnings(cfg.Log),
		// Finished jobs are only bookkeeping: the attempts table is the log.
		CompletedJobRetentionPeriod: time.Hour,
	})
	if err != nil {
		return nil, err
	}
	return &queue{client: client}, nil
}

// enqueue inserts a job per delivery in tx.
func (q *queue) enqueue(ctx context.Context, tx Tx, deliveryIDs []string) error {
	sqlTx, err := tx.SQLTx()
	if err != nil {
		return err
	}
	params := make([]river.InsertManyParams, len(deliveryIDs))
	for i, id := range deliveryIDs {
		params[i] = river.InsertManyParams{Args: deliveryArgs{DeliveryID: id}}
	}
	_, err = q.client.InsertManyTx(ctx, sqlTx, params)
	return err
}

// warnings passes on log's warnings and errors only: River reports its
// routine work (job counts every few seconds) at the info level.
func warnings(log *slog.Logger) *slog.Logger {
	if log == nil {
		log = slog.Default()
	}
	return slog.New(minLevel{log.Handler(), slog.LevelWarn})
}

// minLevel is a slog.Handler that drops records below its level.
type minLevel struct {
	slog.Handler
	level slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(attrs), h.level}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.level}
}
