package loadtest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// load is one measured run: conns keep-alive connections sending req as
// fast as answers come back, for d or until maxRequests answers.
type load struct {
	addr        string
	req         []byte
	wantStatus  int
	conns       int
	d           time.Duration
	maxRequests int64
	// pid, when set, is the server process whose resident memory is
	// sampled while the load runs.
	pid int
}

// figures are what a run measured.
type figures struct {
	requests int64
	errors   int64
	elapsed  time.Duration
	p50, p99 time.Duration
	peakRSS  int64 // bytes; 0 when not sampled
}

func (f figures) rate() float64 { return float64(f.requests) / f.elapsed.Seconds() }

// maxSamples bounds the latencies one connection keeps, so a long run
// cannot grow without limit; later answers are still counted.
const maxSamples = 1 << 18

func (l load) run() figures {
	var (
		done     atomic.Int64
		failed   atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		all      []time.Duration
		deadline = time.Now().Add(l.d)
	)
	stopRSS := make(chan struct{})
	rssDone := make(chan int64, 1)
	go func() { rssDone <- samplePeakRSS(l.pid, stopRSS) }()
	start := time.Now()
	for range l.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			var conn net.Conn
			var br *bufio.Reader
			for time.Now().Before(deadline) && done.Load() < l.maxRequests {
				if conn == nil {
					c, err := net.Dial("tcp", l.addr)
					if err != nil {
						failed.Add(1)
						time.Sleep(10 * time.Millisecond)
						continue
					}
					conn, br = c, bufio.NewReaderSize(c, 64<<10)
				}
				t0 := time.Now()
				ok := l.roundTrip(conn, br)
				if !ok {
					failed.Add(1)
					_ = conn.Close()
					conn = nil
					continue
				}
				done.Add(1)
				if len(lat) < maxSamples {
					lat = append(lat, time.Since(t0))
				}
			}
			if conn != nil {
				_ = conn.Close()
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopRSS)
	f := figures{requests: done.Load(), errors: failed.Load(), elapsed: elapsed, peakRSS: <-rssDone}
	if len(all) > 0 {
		slices.Sort(all)
		f.p50 = all[len(all)*50/100]
		f.p99 = all[min(len(all)-1, len(all)*99/100)]
	}
	return f
}

func (l load) roundTrip(conn net.Conn, br *bufio.Reader) bool {
	if _, err := conn.Write(l.req); err != nil {
		return false
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return false
	}
	_, err = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return err == nil && resp.StatusCode == l.wantStatus
}

// samplePeakRSS reads the resident memory of pid every 50 ms until stop
// and returns the largest value seen.
func samplePeakRSS(pid int, stop <-chan struct{}) int64 {
	if pid == 0 {
		<-stop
		return 0
	}
	var peak int64
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		peak = max(peak, residentBytes(pid, "VmRSS:"))
		select {
		case <-stop:
			return peak
		case <-t.C:
		}
	}
}

// residentBytes reads one kB field of /proc/PID/status (Linux only; 0
// elsewhere).
func residentBytes(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// getRequest and postRequest are raw HTTP/1.1 requests, written once and
// sent as they are, so the load generator spends little per request.
func getRequest(target string, header ...string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n", target)
	for i := 0; i+1 < len(header); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", header[i], header[i+1])
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

func postRequest(path string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, len(body))
	b.Write(body)
	return b.Bytes()
}
