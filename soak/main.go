package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/expressconnect-go/expressconnect"
	"github.com/expressconnect-go/expressconnect/expressconnecttest"
)

// settings are the command's flags.
type settings struct {
	duration       time.Duration
	sandbox        string
	workers        int
	circuits       int
	seed           uint64
	faultEvery     time.Duration
	retention      time.Duration
	maxGoSlope     float64 // goroutines per minute
	maxGoRise      int     // goroutines
	maxHeapSlope   float64 // MiB per minute
	maxSandboxRSS  int64   // MiB
	sampleInterval time.Duration
	samplesPath    string // where to write the samples as CSV; "" for nowhere
}

// Exit statuses.
const (
	exitBroken = 1 // an invariant broke
	exitUsage  = 2 // the run could not be made
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// parseFlags reads the flags of args.
func parseFlags(args []string, stderr io.Writer) (settings, error) {
	var s settings
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&s.duration, "duration", 0, "how long the traffic runs, such as 60s or 30m (required)")
	fs.StringVar(&s.sandbox, "sandbox", "", "path of the built expressconnect-local command (required)")
	fs.IntVar(&s.workers, "workers", 32, "goroutines driving hosted connections (1 to 256)")
	fs.IntVar(&s.circuits, "circuits", 4, "circuits the workers share (1 to 16)")
	fs.Uint64Var(&s.seed, "seed", 0, "seed of the workers' and the chaos's choices (0: random, printed)")
	fs.DurationVar(&s.faultEvery, "fault-every", 300*time.Millisecond, "mean interval between two injections of 1 to 3 faults")
	fs.DurationVar(&s.retention, "retention", 10*time.Minute, "the sandbox's -retention of deleted hosted connections and used tokens (at least 5m)")
	fs.Float64Var(&s.maxGoSlope, "max-goroutine-slope", 1, "goroutines per minute over the second half beyond which (when also 3 standard errors above 0) the run fails")
	fs.IntVar(&s.maxGoRise, "max-goroutine-rise", 5, "goroutines more than before the traffic, once it has stopped and idle connections are closed, beyond which the run fails")
	fs.Float64Var(&s.maxHeapSlope, "max-heap-slope", 1, "MiB per minute of heap in use over the second half beyond which (when also 3 standard errors above 0) the run fails")
	fs.Int64Var(&s.maxSandboxRSS, "max-sandbox-rss", 512, "MiB of the sandbox's resident memory beyond which the run fails")
	fs.DurationVar(&s.sampleInterval, "sample-every", time.Second, "interval between two samples of goroutines, heap and the sandbox's RSS")
	fs.StringVar(&s.samplesPath, "samples", "", "file to write every sample to, as CSV (seconds, goroutines, goroutines less two per open connection, client connections open, heap bytes, sandbox RSS bytes)")
	if err := fs.Parse(args); err != nil {
		return s, err
	}
	switch {
	case fs.NArg() > 0:
		return s, fmt.Errorf("unexpected arguments: %q", fs.Args())
	case s.duration <= 0:
		return s, errors.New("-duration is required and must be positive")
	case s.sandbox == "":
		return s, errors.New("-sandbox is required: the path of the built expressconnect-local")
	case s.workers < 1 || s.workers > 256:
		return s, errors.New("-workers must be 1 to 256")
	case s.circuits < 1 || s.circuits > 16 || s.circuits > s.workers:
		return s, errors.New("-circuits must be 1 to 16, and at most -workers")
	case s.faultEvery <= 0 || s.sampleInterval <= 0:
		return s, errors.New("-fault-every and -sample-every must be positive")
	case s.retention < 5*time.Minute:
		return s, errors.New("-retention must be at least 5m: longer than an order and than the interval between two checks of the orders")
	}
	if s.seed == 0 {
		s.seed = rand.Uint64()
	}
	return s, nil
}

// run runs the soak and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	set, err := parseFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "soak:", err)
		}
		return exitUsage
	}
	r, err := newRun(ctx, set, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "soak:", err)
		return exitUsage
	}
	res := r.soak(ctx)
	if set.samplesPath != "" {
		if err := writeSamples(set.samplesPath, res); err != nil {
			fmt.Fprintln(stderr, "soak:", err)
		}
	}
	broken := res.print(stdout)
	if len(broken) > 0 {
		for _, b := range broken {
			fmt.Fprintln(stderr, "soak: FAIL:", b)
		}
		return exitBroken
	}
	fmt.Fprintln(stderr, "soak: every invariant held")
	return 0
}

// soakRun is one run: the sandbox, the clients and what is measured.
type soakRun struct {
	set        settings
	log        io.Writer
	creds      credentials
	scan       *scanner
	box        *sandbox
	admin      *expressconnecttest.Admin
	clients    []*expressconnect.Client
	clientDesc []string
	transports []*http.Transport
	conns      *connCounter // the clients' connections
	obs        []*observer  // one per client
	sink       *logSink
	orders     *orderBook
	ops        *opStats
	circuits   []string

	heavy      sync.Mutex // held while a snapshot is in memory, so that no heap sample counts it
	goroutines series
	own        series // goroutines less the two that net/http runs for each open connection
	openConns  series // the clients' connections open
	heap       series // bytes in use after GC
	rss        series // bytes
	rssErr     error
	start      time.Time

	adminErrors   atomic.Int64 // checks of the orders that could not read the sandbox
	requestsRead  int64        // request-log records scanned, under heavy
	requestCursor uint64       // where the next read of the sandbox's request log starts, under heavy
}

// newRun starts the sandbox and makes the clients.
func newRun(ctx context.Context, set settings, log io.Writer) (*soakRun, error) {
	creds, err := newCredentials()
	if err != nil {
		return nil, err
	}
	r := &soakRun{set: set, log: log, creds: creds, orders: newOrderBook()}
	r.scan = newScanner(creds.secrets())
	r.ops = newOpStats(r.scan)
	r.sink = &logSink{scan: r.scan}
	for i := range set.circuits {
		r.circuits = append(r.circuits, fmt.Sprintf("pc-bp1soakcircuit%07d", i+1))
	}
	quota := 64 * ((set.workers + set.circuits - 1) / set.circuits)
	r.box, err = startSandbox(ctx, set.sandbox, sandboxArgs(creds, r.circuits, quota, set.retention), r.scan)
	if err != nil {
		return nil, err
	}
	if r.admin, err = expressconnecttest.NewAdmin(r.box.url, creds.adminToken); err == nil {
		_, err = r.admin.Actions(ctx)
	}
	if err != nil {
		r.box.kill()
		return nil, fmt.Errorf("the sandbox's admin API: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(r.sink, &slog.HandlerOptions{Level: slog.LevelDebug}))
	kinds := []struct {
		desc string
		opts []expressconnect.Option
	}{
		{"AccessKey, HMAC-SHA1", []expressconnect.Option{expressconnect.WithAccessKey(creds.accessKeyID, creds.accessKeySecret)}},
		{"STS, ACS3-HMAC-SHA256", []expressconnect.Option{
			expressconnect.WithSTSCredentials(creds.stsAccessKeyID, creds.stsAccessKeySecret, creds.stsSecurity),
			expressconnect.WithSignatureAlgorithm(expressconnect.SignatureACS3HMACSHA256)}},
		{"AccessKey, ACS3-HMAC-SHA256, adaptive rate limit", []expressconnect.Option{
			expressconnect.WithAccessKey(creds.accessKeyID, creds.accessKeySecret),
			expressconnect.WithSignatureAlgorithm(expressconnect.SignatureACS3HMACSHA256),
			expressconnect.WithAdaptiveRateLimit(true)}},
	}
	r.conns = &connCounter{dialer: net.Dialer{Timeout: 5 * time.Second}}
	for _, k := range kinds {
		tr := &http.Transport{
			DialContext:           r.conns.DialContext,
			MaxIdleConns:          set.workers,
			MaxIdleConnsPerHost:   set.workers,
			IdleConnTimeout:       90 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
		}
		obs := newObserver(r.scan)
		opts := append([]expressconnect.Option{
			expressconnect.WithEndpoint(r.box.url),
			expressconnect.WithRegion(expressconnecttest.DefaultRegionID),
			expressconnect.WithHTTPClient(&http.Client{Transport: tr}),
			expressconnect.WithAttemptTimeout(attemptTimeout),
			expressconnect.WithObserver(obs),
			expressconnect.WithObserver(expressconnect.LogObserver(logger)),
			expressconnect.WithUserAgent("expressconnect-soak"),
		}, k.opts...)
		c, err := expressconnect.NewClient(opts...)
		if err != nil {
			r.box.kill()
			return nil, fmt.Errorf("a client (%s): %w", k.desc, err)
		}
		r.clients = append(r.clients, c)
		r.clientDesc = append(r.clientDesc, k.desc)
		r.transports = append(r.transports, tr)
		r.obs = append(r.obs, obs)
	}
	return r, nil
}

// soak runs the traffic and the chaos for the duration (or until ctx is done), then checks
// and measures.
func (r *soakRun) soak(ctx context.Context) *result {
	r.start = time.Now()
	fmt.Fprintf(r.log, "soak: %d workers for %s against %s (pid %d), seed %d\n", r.set.workers, r.set.duration, r.box.url, r.box.pid(), r.set.seed)

	sampling, stopSampling := context.WithCancel(context.Background())
	var samplers sync.WaitGroup
	samplers.Add(2)
	go func() { defer samplers.Done(); r.sampleDriver(sampling) }()
	go func() { defer samplers.Done(); r.sampleSandbox(sampling) }()
	goStart, heapStart := r.quiet()

	traffic, endTraffic := context.WithTimeout(ctx, r.set.duration)
	defer endTraffic()
	hard, endHard := context.WithCancel(context.Background())
	defer endHard()
	e := &env{admin: r.admin, orders: r.orders, ops: r.ops, scan: r.scan, hard: hard}
	ch := &chaos{admin: r.admin, scan: r.scan, rng: rand.New(rand.NewPCG(r.set.seed, 1<<32)), faultEvery: r.set.faultEvery,
		clockEvery: min(max(r.set.duration/8, 10*time.Second), 3*time.Minute), injected: map[string]int64{},
		clockHold: min(max(r.set.duration/24, 3*time.Second), 30*time.Second),
		tokens:    &e.tokens, beforeRise: func(ctx context.Context) {
			if _, err := r.verify(ctx, false); err != nil && ctx.Err() == nil {
				r.adminErrors.Add(1)
				fmt.Fprintln(r.log, "soak: verify:", r.scan.masked(err.Error()))
			}
		}}

	var background sync.WaitGroup
	background.Add(3)
	go func() { defer background.Done(); ch.run(traffic) }()
	go func() { defer background.Done(); r.verifyLoop(traffic) }()
	go func() { defer background.Done(); r.progress(traffic, e) }()
	var workers sync.WaitGroup
	for n := range r.set.workers {
		w := newWorker(n, r.set.workers, e, r.clients[n%len(r.clients)], r.circuits, r.set.seed)
		workers.Add(1)
		go func() { defer workers.Done(); w.run() }()
	}

	<-traffic.Done()
	elapsed := time.Since(r.start)
	e.stopping.Store(true)
	background.Wait()
	fmt.Fprintf(r.log, "soak: traffic stopped after %s; waiting for the workers to end their step\n", elapsed.Round(time.Second))
	finished := make(chan struct{})
	go func() { workers.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(90 * time.Second):
		fmt.Fprintln(r.log, "soak: the workers did not end their step within 90 s; ending their calls")
		endHard()
		<-finished
	}
	stopTime := time.Since(r.start)

	res := &result{set: r.set, elapsed: elapsed, clientDesc: r.clientDesc}
	res.finalErr = r.final(res)
	res.goStart, res.heapStart = goStart, heapStart
	res.goEnd, res.heapEnd = r.quiet()
	for time.Since(r.start) < stopTime+5*time.Second && res.goEnd > goStart+r.set.maxGoRise {
		time.Sleep(250 * time.Millisecond) // closed connections' goroutines end a moment later
		res.goEnd, res.heapEnd = r.quiet()
	}
	stopSampling()
	samplers.Wait()
	res.stopErr = r.box.stop()

	res.half = elapsed / 2
	res.goroutines, res.own, res.heap, res.rss, res.rssErr = r.goroutines.snapshot(), r.own.snapshot(), r.heap.snapshot(), r.rss.snapshot(), r.rssErr
	res.ops, res.api = r.ops, map[string]apiCounters{}
	for _, o := range r.obs {
		res.perClient = append(res.perClient, o.figures(res.api))
	}
	res.injected, res.injectFailed, res.maxOffset = ch.figures()
	res.stderrLines, res.stdoutLines, res.applied, res.codes = r.box.logFigures()
	res.scanned, res.hits, res.hitSamples = r.scan.totals()
	res.slogRecords = r.sink.count()
	res.orders = r.orders.figures()
	res.traffic = &e.figures
	res.adminErrors, res.requestsRead = r.adminErrors.Load(), r.requestsRead
	res.openConns, res.dialed = r.openConns.snapshot(), r.conns.dialed.Load()
	return res
}

// final ends the run's checks once the workers stopped: it clears the faults, lets requests
// that faults held finish, takes the last snapshot, and counts the hosted connections left.
func (r *soakRun) final(res *result) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := r.admin.ClearFaults(ctx); err != nil {
		return fmt.Errorf("clearing the faults: %w", err)
	}
	time.Sleep(4 * time.Second) // longer than any delay fault holds a request
	conns, err := r.verify(ctx, true)
	if err != nil {
		return err
	}
	for _, c := range conns {
		if c.VirtualPhysicalConnectionStatus != expressconnect.VpconnStatusDeleted {
			res.remaining++
		}
	}
	return nil
}

// quiet closes every idle connection of the driver, then returns its goroutines and its heap
// in use after a garbage collection.
func (r *soakRun) quiet() (int, uint64) {
	for _, tr := range r.transports {
		tr.CloseIdleConnections()
	}
	if tr, ok := http.DefaultTransport.(*http.Transport); ok {
		tr.CloseIdleConnections() // the Admin's
	}
	r.heavy.Lock()
	defer r.heavy.Unlock()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapAlloc
}

// sampleDriver samples the driver's goroutines and heap until ctx is done.
func (r *soakRun) sampleDriver(ctx context.Context) {
	for {
		r.heavy.Lock()
		n := runtime.NumGoroutine()
		sockets := openSockets()
		if sockets < 0 {
			sockets = int(r.conns.open.Load())
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		r.heavy.Unlock()
		at := time.Since(r.start)
		r.goroutines.add(at, float64(n))
		r.own.add(at, float64(n-2*sockets))
		r.openConns.add(at, float64(r.conns.open.Load()))
		r.heap.add(at, float64(m.HeapAlloc))
		if !sleepCtx(ctx, r.set.sampleInterval) {
			return
		}
	}
}

// sampleSandbox samples the sandbox's resident memory until ctx is done.
func (r *soakRun) sampleSandbox(ctx context.Context) {
	for {
		rss, err := readRSS(r.box.pid())
		if err != nil {
			r.rssErr = err
			return
		}
		r.rss.add(time.Since(r.start), float64(rss))
		if !sleepCtx(ctx, r.set.sampleInterval) {
			return
		}
	}
}

// verifyLoop checks the orders against a snapshot of the sandbox periodically, so that no
// evidence is forgotten by the sandbox's retention and the store of orders stays small.
func (r *soakRun) verifyLoop(ctx context.Context) {
	every := min(max(r.set.duration/6, 10*time.Second), 2*time.Minute)
	for sleepCtx(ctx, every) {
		if _, err := r.verify(ctx, false); err != nil && ctx.Err() == nil {
			r.adminErrors.Add(1)
			fmt.Fprintln(r.log, "soak: verify:", r.scan.masked(err.Error()))
		}
	}
}

// verify takes a snapshot of the sandbox's hosted connections and checks the orders against
// it, and scans the next page of the sandbox's request log for secrets.
func (r *soakRun) verify(ctx context.Context, final bool) ([]expressconnecttest.Connection, error) {
	r.heavy.Lock()
	defer r.heavy.Unlock()
	taken := time.Now()
	conns, err := r.admin.Connections(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the hosted connections: %w", err)
	}
	read := time.Since(taken)
	r.orders.check(conns, taken, final)
	if d := time.Since(taken); d > time.Second {
		fmt.Fprintf(r.log, "soak: a check of the orders took %s (%s to read %d hosted connections from the sandbox)\n",
			d.Round(time.Millisecond), read.Round(time.Millisecond), len(conns))
	}
	page, err := r.admin.Requests(ctx, r.requestCursor, 100)
	if err != nil {
		return conns, fmt.Errorf("reading the request log: %w", err)
	}
	r.requestCursor = page.Next
	for _, req := range page.Requests {
		r.scan.scanCredentials("sandbox request log", fmt.Sprintf("%+v", req))
		if b, err := json.Marshal(req); err == nil {
			r.scan.scanCredentials("sandbox request log", string(b))
		}
		r.requestsRead++
	}
	if !final {
		return nil, nil // let the snapshot go before the next heap sample
	}
	return conns, nil
}

// progress prints a line every so often until ctx is done.
func (r *soakRun) progress(ctx context.Context, e *env) {
	every := min(max(r.set.duration/10, 5*time.Second), 30*time.Second)
	for sleepCtx(ctx, every) {
		o := r.orders.figures()
		_, ok, ko := r.ops.counts()
		var nOK, nKO int64
		for _, v := range ok {
			nOK += v
		}
		for _, v := range ko {
			nKO += v
		}
		_, _, rss := bounds(r.rss.snapshot())
		_, _, g := bounds(r.goroutines.snapshot())
		_, _, h := bounds(r.heap.snapshot())
		fmt.Fprintf(r.log, "soak: %s: orders %d (done %d, reported %d, lost %d); operations %d ok, %d failed; sandbox RSS %.1f MiB; goroutines %.0f; heap %.1f MiB\n",
			time.Since(r.start).Round(time.Second), o.opened, o.done, o.reported, o.lost, nOK, nKO, rss/mib, g, h/mib)
	}
}
