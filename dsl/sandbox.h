#pragma once
// The Lua 5.4 sandbox: a fresh state that can only compute, with bounded memory, instructions and
// wall-clock time.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "dsl/watchdog.h"
#include "base/diagnostics.h"

struct lua_State;
struct lua_Debug;

namespace stashform::dsl {

/// How long a config's Lua may run unless the caller says otherwise (docs/dsl.md, "The sandbox").
inline constexpr std::chrono::milliseconds kDefaultWallClockLimit{10'000};

/// Sandbox owns one Lua state that cannot read files, run programs, load bytecode or inspect
/// itself, and that stops at a memory, an instruction and a wall-clock limit; it knows nothing of
/// the DSL.
class Sandbox {
 public:
  struct Limits {
    size_t memory_bytes = 512u << 20;
    uint64_t instructions = 2'000'000'000;
    /// Time the state may run, from its creation through lua_close, not counting PauseClock
    /// spans. The count hook stops a script at the limit; where hooks do not run (a finalizer, a
    /// long C call, lua_close), the Watchdog ends the process Watchdog::kGrace later.
    std::chrono::milliseconds wall_clock = kDefaultWallClockLimit;
  };

  explicit Sandbox(Limits limits);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  /// False when the state could not even be created (the memory limit is below Lua's minimum).
  bool ok() const { return state_ != nullptr; }
  lua_State* state() const { return state_; }

  /// Loads `text` as a text chunk named `file` and runs it; every failure (syntax, runtime, a
  /// limit) becomes one diagnostic at file:line. True when the chunk ran to its end.
  bool Run(const std::string& file, const std::string& text, Diagnostics& diagnostics);
  /// The same, but the chunk's globals are a fresh empty table, left on top of the stack when the
  /// chunk ran to its end (for `-var-file` files of `name = value` lines).
  bool RunInTable(const std::string& file, const std::string& text, Diagnostics& diagnostics);

  /// Counts memory that the script made C++ hold (declarations) against the same limit, so that
  /// a config cannot grow without bound outside Lua's allocator. False once over the limit.
  bool Charge(size_t bytes);
  /// `memory limit of 8 MiB exceeded`.
  std::string MemoryLimitMessage() const;

  /// Raises `file:line: instruction limit of N exceeded` (or the wall-clock limit's error) once a
  /// limit was reached; else returns. Every later call raises too, so pcall cannot swallow it.
  void RaiseIfStopped(lua_State* L);

  /// Time spent waiting outside Lua (a data source read over the network) is not the script's:
  /// the wall clock stops until ResumeClock.
  void PauseClock();
  void ResumeClock();

  size_t memory_used() const { return used_; }
  size_t peak_memory() const { return peak_; }

  /// The Sandbox that owns a state (kept in Lua's extra space).
  static Sandbox& Of(lua_State* L);

 private:
  static void* Allocate(void* ud, void* ptr, size_t old_size, size_t new_size);
  static void CountHook(lua_State* L, lua_Debug* ar);
  bool RunChunk(const std::string& file, const std::string& text, bool own_globals, Diagnostics& diagnostics);
  void Diagnose(int status, const std::string& file, Diagnostics& diagnostics);
  void FormatStop(char* message, size_t size) const;
  void RememberRefusedPlace();

  Limits limits_;
  lua_State* state_ = nullptr;
  size_t used_ = 0;
  size_t peak_ = 0;
  bool memory_refused_ = false;
  uint64_t instructions_ = 0;
  enum class Stop { kNone, kInstructions, kWallClock };
  Stop stopped_ = Stop::kNone;
  // Where the script was when the hook last ran; the best place to blame for a memory error,
  // which Lua raises without a position. Fixed buffers: the hook must not allocate.
  char last_file_[64] = {0};
  int last_line_ = 0;
  // Where the allocator last refused memory: the line of a memory error, which Lua raises without
  // one (the hook may not have run since the script moved on).
  char refused_file_[64] = {0};
  int refused_line_ = 0;
  std::string place_ = "the Lua sandbox";  // the file being run, named when the watchdog fires
  Watchdog watchdog_;  // last member: its thread stops before anything it could name goes
};

}  // namespace stashform::dsl
