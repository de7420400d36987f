// Package metrics exposes Prometheus metrics of the HTTP API and of the
// Temporal SDK (workflow and activity task counts and latencies, as the SDK
// reports them).
package metrics

import (
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
)

// Registry holds the process's metrics.
type Registry struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	sdk      *sdkMetrics
}

// New creates a registry with the Go runtime, process, HTTP and SDK metrics.
func New() *Registry {
	r := &Registry{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tdkt_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tdkt_http_request_duration_seconds", Help: "HTTP request latency by method and route.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		sdk: &sdkMetrics{series: map[string]*series{}},
	}
	r.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		r.requests, r.latency, r.sdk)
	return r
}

// Handler serves the metrics in the Prometheus text format.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{})
}

// ObserveHTTP records one request. route is the route template
// ("/api/v1/nominations/:id"), never the raw path, to bound cardinality.
func (r *Registry) ObserveHTTP(method, route string, status int, d time.Duration) {
	r.requests.WithLabelValues(method, route, statusClass(status)).Inc()
	r.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

func statusClass(status int) string {
	return string(rune('0'+status/100)) + "xx"
}

// SDK returns the handler to pass as client.Options.MetricsHandler.
func (r *Registry) SDK() client.MetricsHandler { return sdkHandler{m: r.sdk} }

// sdkMetrics keeps the SDK's metrics. The SDK tags a metric with varying
// sets of keys; Prometheus needs one set per metric name, so at collection
// time each name gets the union of its keys, missing values left empty.
type sdkMetrics struct {
	mu     sync.Mutex
	series map[string]*series // by name + tags
}

type series struct {
	name  string
	kind  byte // 'c' counter, 'g' gauge, 't' timer
	tags  map[string]string
	value float64 // counter total or gauge value; timer sum in seconds
	count uint64  // timer observations
}

func (m *sdkMetrics) get(name string, kind byte, tags map[string]string) *series {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var id strings.Builder
	id.WriteString(name)
	for _, k := range keys {
		id.WriteString("\x00" + k + "=" + tags[k])
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.series[id.String()]
	if !ok {
		s = &series{name: promName(name), kind: kind, tags: tags}
		m.series[id.String()] = s
	}
	return s
}

func promName(name string) string {
	return "temporal_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, strings.TrimPrefix(name, "temporal_"))
}

func (m *sdkMetrics) Describe(chan<- *prometheus.Desc) {} // unchecked: the label sets vary

func (m *sdkMetrics) Collect(ch chan<- prometheus.Metric) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keys := map[string]map[string]bool{}
	for _, s := range m.series {
		if keys[s.name] == nil {
			keys[s.name] = map[string]bool{}
		}
		for k := range s.tags {
			keys[s.name][k] = true
		}
	}
	for _, s := range m.series {
		var labels []string
		for k := range keys[s.name] {
			labels = append(labels, promName(k)[len("temporal_"):])
		}
		sort.Strings(labels)
		values := make([]string, len(labels))
		for i, l := range labels {
			for k, v := range s.tags {
				if promName(k)[len("temporal_"):] == l {
					values[i] = v
				}
			}
		}
		name := s.name
		switch s.kind {
		case 'c':
			name += "_total"
			desc := prometheus.NewDesc(name, "Temporal SDK counter.", labels, nil)
			ch <- prometheus.MustNewConstMetric(desc, prometheus.CounterValue, s.value, values...)
		case 'g':
			desc := prometheus.NewDesc(name, "Temporal SDK gauge.", labels, nil)
			ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, s.value, values...)
		case 't':
			desc := prometheus.NewDesc(name+"_seconds", "Temporal SDK timer.", labels, nil)
			ch <- prometheus.MustNewConstSummary(desc, s.count, s.value, nil, values...)
		}
	}
}

type sdkHandler struct {
	m    *sdkMetrics
	tags map[string]string
}

func (h sdkHandler) WithTags(tags map[string]string) client.MetricsHandler {
	merged := make(map[string]string, len(h.tags)+len(tags))
	for k, v := range h.tags {
		merged[k] = v
	}
	for k, v := range tags {
		merged[k] = v
	}
	return sdkHandler{m: h.m, tags: merged}
}

func (h sdkHandler) Counter(name string) client.MetricsCounter {
	s := h.m.get(name, 'c', h.tags)
	return counterFunc(func(d int64) { h.m.mu.Lock(); s.value += float64(d); h.m.mu.Unlock() })
}

func (h sdkHandler) Gauge(name string) client.MetricsGauge {
	s := h.m.get(name, 'g', h.tags)
	return gaugeFunc(func(v float64) { h.m.mu.Lock(); s.value = v; h.m.mu.Unlock() })
}

func (h sdkHandler) Timer(name string) client.MetricsTimer {
	s := h.m.get(name, 't', h.tags)
	return timerFunc(func(d time.Duration) { h.m.mu.Lock(); s.value += d.Seconds(); s.count++; h.m.mu.Unlock() })
}

type counterFunc func(int64)

func (f counterFunc) Inc(d int64) { f(d) }

type gaugeFunc func(float64)

func (f gaugeFunc) Update(v float64) { f(v) }

type timerFunc func(time.Duration)

func (f timerFunc) Record(d time.Duration) { f(d) }
