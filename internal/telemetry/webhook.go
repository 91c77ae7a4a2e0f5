package telemetry

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// WebhookResults are the results a webhook delivery attempt is counted
// under: the receiver answered 2xx; it did not and a retry is scheduled;
// it did not on the last attempt; the address was refused.
var WebhookResults = []string{"succeeded", "retrying", "failed", "refused"}

// ObserveWebhooks counts webhook delivery attempts by result and reports
// the queue depth, read from pending (the deliveries not done yet) when
// scraped. It returns the function to count an attempt with (it fits
// webhook.Config.Delivered); with nil telemetry it counts nothing.
func (t *Telemetry) ObserveWebhooks(pending func(context.Context) (int, error)) (delivered func(result string)) {
	if t == nil {
		return func(string) {}
	}
	attempts := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "werkwijzer_webhook_deliveries_total",
		Help: "Webhook delivery attempts, by result (succeeded, retrying, failed, refused).",
	}, []string{"result"})
	for _, r := range WebhookResults {
		// Every result has its series from the start, so a rate over
		// failures is zero rather than absent until the first one.
		attempts.WithLabelValues(r)
	}
	depth := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "werkwijzer_webhook_queue_depth",
		Help: "Webhook deliveries not done yet (pending or being retried), across all replicas; -1 when the count failed.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := pending(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	})
	t.Registry.MustRegister(attempts, depth)
	return func(result string) { attempts.WithLabelValues(result).Inc() }
}
