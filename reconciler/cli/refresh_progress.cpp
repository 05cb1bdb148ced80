#include "reconciler/cli/refresh_progress.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <ostream>

namespace stashform::cli {

namespace {

using Clock = std::chrono::steady_clock;

// A refresh quicker than this (most plans) shows nothing on a terminal: a line flashing by for a
// fraction of a second only distracts.
constexpr auto kQuietFor = std::chrono::seconds(1);
// Redraws at most this often, so 10,000 quick reads do not mean 10,000 writes to the terminal.
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);

/// The self-rewriting line; the engine calls it one read at a time.
class LiveLine {
 public:
  explicit LiveLine(std::ostream& err) : err_(err), started_(Clock::now()) {}

  void Update(const engine::RefreshedRead& read) {
    const auto now = Clock::now();
    const bool last = read.done >= read.total;
    if (now - started_ < kQuietFor && !drawn_) return;
    if (!last && drawn_ && now - last_drawn_ < kRedrawEvery) return;
    double seconds = std::chrono::duration<double>(now - started_).count();
    double rate = seconds > 0 ? read.done / seconds : 0;
    double left = rate > 0 ? (read.total - read.done) / rate : 0;
    err_ << fmt::format("\rRefreshing [{}/{}] {:.0f} reads/s, about {:.0f}s left   ", read.done, read.total, rate, left);
    if (last) err_ << "\n";
    err_.flush();
    drawn_ = true;
    last_drawn_ = now;
  }

 private:
  std::ostream& err_;
  const Clock::time_point started_;
  Clock::time_point last_drawn_;
  bool drawn_ = false;
};

void PrintLine(std::ostream& err, const engine::RefreshedRead& read) {
  // Terraform's wording, printed when the read ends rather than when it starts.
  if (read.id.empty()) err << fmt::format("{}: Refreshing state...\n", read.address.ToString());
  else err << fmt::format("{}: Refreshing state... [id={}]\n", read.address.ToString(), read.id);
  err.flush();
}

}  // namespace

engine::RefreshProgress ShowRefreshProgress(Io& io) {
  if (!io.err_is_terminal) return [&err = io.err](const engine::RefreshedRead& read) { PrintLine(err, read); };
  auto line = std::make_shared<LiveLine>(io.err);
  return [line](const engine::RefreshedRead& read) { line->Update(read); };
}

}  // namespace stashform::cli
