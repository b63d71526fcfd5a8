#include "services/metrics.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gavel::services {
namespace {

// Numbers as the text format reads them: integers without a fraction,
// others with enough digits to round-trip, and the special values by name.
std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrFormat("%.0f", value);
  }
  return absl::StrFormat("%.17g", value);
}

void AppendEscaped(std::string& out, absl::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

void AppendLabels(std::string& out, const MetricLabels& labels) {
  if (labels.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ',';
    first = false;
    absl::StrAppend(&out, name, "=\"");
    AppendEscaped(out, value);
    out += '"';
  }
  out += '}';
}

MetricLabels Zip(const std::vector<std::string>& names,
                 const std::vector<std::string>& values) {
  MetricLabels labels;
  for (size_t i = 0; i < names.size(); ++i) {
    labels.emplace_back(names[i], i < values.size() ? values[i] : "");
  }
  return labels;
}

// The key a series is kept under: the values, or all "other" once the
// family is full.
template <typename Map>
std::vector<std::string> SeriesKey(const Map& series, size_t max_series,
                                   size_t label_count,
                                   const std::vector<std::string>& values) {
  std::vector<std::string> key = values;
  key.resize(label_count);
  if (series.count(key) > 0 || series.size() + 1 < max_series) return key;
  return std::vector<std::string>(label_count, "other");
}

}  // namespace

std::vector<double> ExponentialBuckets(double start, double factor, int count) {
  std::vector<double> bounds;
  double bound = start;
  for (int i = 0; i < count; ++i) {
    bounds.push_back(bound);
    bound *= factor;
  }
  return bounds;
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::Observe(double value) {
  const size_t bucket =
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  absl::MutexLock lock(&mu_);
  ++counts_[bucket];
  sum_ += value;
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.bounds = bounds_;
  absl::MutexLock lock(&mu_);
  uint64_t running = 0;
  for (uint64_t count : counts_) {
    running += count;
    snapshot.cumulative.push_back(running);
  }
  snapshot.count = running;
  snapshot.sum = sum_;
  return snapshot;
}

HistogramFamily::HistogramFamily(std::vector<std::string> label_names,
                                 std::vector<double> bounds, size_t max_series)
    : label_names_(std::move(label_names)),
      bounds_(std::move(bounds)),
      max_series_(std::max<size_t>(max_series, 1)) {}

void HistogramFamily::Observe(const std::vector<std::string>& label_values,
                              double value) {
  Histogram* histogram;
  {
    absl::MutexLock lock(&mu_);
    std::vector<std::string> key =
        SeriesKey(series_, max_series_, label_names_.size(), label_values);
    std::unique_ptr<Histogram>& slot = series_[std::move(key)];
    if (slot == nullptr) slot = std::make_unique<Histogram>(bounds_);
    histogram = slot.get();
  }
  // Series are never removed, so the pointer stays valid.
  histogram->Observe(value);
}

std::vector<std::pair<MetricLabels, Histogram::Snapshot>>
HistogramFamily::Read() const {
  std::vector<std::pair<MetricLabels, Histogram::Snapshot>> out;
  absl::MutexLock lock(&mu_);
  for (const auto& [values, histogram] : series_) {
    out.emplace_back(Zip(label_names_, values), histogram->Read());
  }
  return out;
}

CounterFamily::CounterFamily(std::vector<std::string> label_names,
                             size_t max_series)
    : label_names_(std::move(label_names)),
      max_series_(std::max<size_t>(max_series, 1)) {}

void CounterFamily::Add(const std::vector<std::string>& label_values,
                        uint64_t delta) {
  absl::MutexLock lock(&mu_);
  series_[SeriesKey(series_, max_series_, label_names_.size(), label_values)] +=
      delta;
}

std::vector<std::pair<MetricLabels, uint64_t>> CounterFamily::Read() const {
  std::vector<std::pair<MetricLabels, uint64_t>> out;
  absl::MutexLock lock(&mu_);
  for (const auto& [values, count] : series_) {
    out.emplace_back(Zip(label_names_, values), count);
  }
  return out;
}

void MetricsText::Family(absl::string_view name, absl::string_view type,
                         absl::string_view help) {
  absl::StrAppend(&text_, "# HELP ", name, " ");
  for (char c : help) {
    if (c == '\\') {
      text_ += "\\\\";
    } else if (c == '\n') {
      text_ += "\\n";
    } else {
      text_ += c;
    }
  }
  absl::StrAppend(&text_, "\n# TYPE ", name, " ", type, "\n");
}

void MetricsText::Sample(absl::string_view name, const MetricLabels& labels,
                         double value) {
  text_.append(name.data(), name.size());
  AppendLabels(text_, labels);
  absl::StrAppend(&text_, " ", FormatValue(value), "\n");
}

void MetricsText::HistogramSeries(absl::string_view name,
                                  const MetricLabels& labels,
                                  const Histogram::Snapshot& histogram) {
  const std::string bucket = absl::StrCat(name, "_bucket");
  for (size_t i = 0; i < histogram.cumulative.size(); ++i) {
    MetricLabels with_le = labels;
    // Bounds read best short (0.0004, not 0.00040000000000000002).
    with_le.emplace_back("le", i < histogram.bounds.size()
                                   ? absl::StrCat(histogram.bounds[i])
                                   : "+Inf");
    Sample(bucket, with_le, static_cast<double>(histogram.cumulative[i]));
  }
  Sample(absl::StrCat(name, "_sum"), labels, histogram.sum);
  Sample(absl::StrCat(name, "_count"), labels,
         static_cast<double>(histogram.count));
}

std::string MetricsText::Take() {
  std::string text = std::move(text_);
  text_.clear();
  return text;
}

}  // namespace gavel::services
