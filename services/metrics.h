// Prometheus instruments (histograms and counters, alone or in labelled
// families) and the text exposition format 0.0.4 that /metrics serves.
//
// Debian 12 packages no Prometheus client library for C++, so these few
// pieces are written here: thread-safe instruments with a bounded number of
// series, and a writer of the text format.
#ifndef GAVEL_SERVICES_METRICS_H_
#define GAVEL_SERVICES_METRICS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace gavel::services {

// Label names and values of one series, in order.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// `count` increasing bucket bounds: start, start*factor, ... (start > 0,
// factor > 1, count >= 1).
std::vector<double> ExponentialBuckets(double start, double factor, int count);

// A distribution of observed values in fixed buckets. Thread-safe.
class Histogram {
 public:
  // `bounds`: increasing upper bounds; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);

  // Counts `value` in the first bucket whose bound is >= value (+Inf if
  // none) and adds it to the sum.
  void Observe(double value);

  struct Snapshot {
    std::vector<double> bounds;
    // Cumulative counts, one per bound, then the +Inf bucket (== count).
    std::vector<uint64_t> cumulative;
    uint64_t count = 0;
    double sum = 0;
  };
  // A consistent copy of the counts.
  Snapshot Read() const;

 private:
  const std::vector<double> bounds_;
  mutable absl::Mutex mu_;
  std::vector<uint64_t> counts_ ABSL_GUARDED_BY(mu_);  // per bucket, +Inf last
  double sum_ ABSL_GUARDED_BY(mu_) = 0;
};

// Histograms with the same label names and buckets, one per combination of
// label values. At most `max_series` combinations are kept; observations
// of further ones go to one series whose every label value is "other", so
// callers that pass caller-chosen values cannot grow memory without bound.
// Thread-safe.
class HistogramFamily {
 public:
  HistogramFamily(std::vector<std::string> label_names,
                  std::vector<double> bounds, size_t max_series);

  // Observes `value` in the series of `label_values` (one per label name).
  void Observe(const std::vector<std::string>& label_values, double value);

  // Every series with its labels, ordered by label values.
  std::vector<std::pair<MetricLabels, Histogram::Snapshot>> Read() const;

 private:
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;
  const size_t max_series_;
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Histogram>> series_
      ABSL_GUARDED_BY(mu_);
};

// Monotonic counters, one per combination of label values, bounded like
// HistogramFamily. Thread-safe.
class CounterFamily {
 public:
  CounterFamily(std::vector<std::string> label_names, size_t max_series);

  // Adds `delta` to the series of `label_values`.
  void Add(const std::vector<std::string>& label_values, uint64_t delta = 1);

  // Every series with its labels, ordered by label values.
  std::vector<std::pair<MetricLabels, uint64_t>> Read() const;

 private:
  const std::vector<std::string> label_names_;
  const size_t max_series_;
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, uint64_t> series_ ABSL_GUARDED_BY(mu_);
};

// Builds a page of the Prometheus text format. Families must be written
// whole, one after another: Family(), then its samples. Not thread-safe.
class MetricsText {
 public:
  // Starts a family: its # HELP and # TYPE lines. `type` is "counter",
  // "gauge" or "histogram"; `name` matches [a-zA-Z_:][a-zA-Z0-9_:]*.
  void Family(absl::string_view name, absl::string_view type,
              absl::string_view help);

  // One sample line; label values are escaped as the format requires.
  void Sample(absl::string_view name, const MetricLabels& labels, double value);

  // The _bucket (with le), _sum and _count lines of one histogram series.
  void HistogramSeries(absl::string_view name, const MetricLabels& labels,
                       const Histogram::Snapshot& histogram);

  // The page so far; the writer is empty afterwards.
  std::string Take();

 private:
  std::string text_;
};

}  // namespace gavel::services

#endif  // GAVEL_SERVICES_METRICS_H_
