#include "dsl/sandbox.h"

#include <lua.hpp>

#include <cstdlib>
#include <cstring>

#include "dsl/lua_errors.h"
#include "dsl/sandbox_libraries.h"

namespace stashform::dsl {

namespace {

// The hook runs every this many VM instructions; small enough to stop an endless loop at once,
// large enough to cost nothing measurable.
constexpr int kHookEvery = 1000;

int MessageHandler(lua_State* L) {
  if (lua_type(L, 1) != LUA_TSTRING) {
    lua_pushfstring(L, "error object is a %s value", luaL_typename(L, 1));
    lua_replace(L, 1);
  }
  size_t size = 0;
  const char* message = lua_tolstring(L, 1, &size);
  if (!HasPosition(std::string_view(message, size))) {
    // error("...", 0) and errors from C functions called by C carry no place: blame the
    // innermost Lua line.
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); ++level) {
      lua_getinfo(L, "Sl", &ar);
      if (ar.currentline > 0) {
        lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
        lua_pushvalue(L, 1);
        lua_concat(L, 2);
        return 1;
      }
    }
  }
  lua_settop(L, 1);
  return 1;
}

int NewTable(lua_State* L) {
  lua_newtable(L);
  return 1;
}

// Pushes a new table, or returns a memory error status instead of raising it.
int PushTableProtected(lua_State* L) {
  lua_pushcfunction(L, NewTable);
  return lua_pcall(L, 0, 1, 0);
}

std::string FormatBytes(size_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

Sandbox::Sandbox(Limits limits) : limits_(limits), watchdog_(limits.wall_clock) {
  watchdog_.Start(place_);
  state_ = lua_newstate(&Sandbox::Allocate, this);
  if (!state_) return;
  *static_cast<Sandbox**>(lua_getextraspace(state_)) = this;
  // Protected: under a small memory limit opening the libraries can fail, and an unprotected
  // Lua error would abort the process.
  lua_pushcfunction(state_, OpenSafeLibraries);
  if (lua_pcall(state_, 0, 0, 0) != LUA_OK) {
    lua_close(state_);
    state_ = nullptr;
    return;
  }
  lua_sethook(state_, &Sandbox::CountHook, LUA_MASKCOUNT, kHookEvery);
}

Sandbox::~Sandbox() {
  // lua_close runs what the script left to finalize, where no hook can stop it: the watchdog's
  // clock runs until the state is gone.
  ResumeClock();
  if (state_) lua_close(state_);
}

void Sandbox::PauseClock() { watchdog_.Pause(); }

void Sandbox::ResumeClock() { watchdog_.Start(place_); }

Sandbox& Sandbox::Of(lua_State* L) { return **static_cast<Sandbox**>(lua_getextraspace(L)); }

void* Sandbox::Allocate(void* ud, void* ptr, size_t old_size, size_t new_size) {
  auto* self = static_cast<Sandbox*>(ud);
  const size_t old_bytes = ptr ? old_size : 0;  // without ptr, old_size is a type tag
  if (new_size == 0) {
    self->used_ -= old_bytes;
    std::free(ptr);
    return nullptr;
  }
  if (new_size > old_bytes && self->used_ - old_bytes + new_size > self->limits_.memory_bytes) {
    // Lua answers a refusal with an emergency collection and one retry, then a memory error.
    self->memory_refused_ = true;
    self->RememberRefusedPlace();
    return nullptr;
  }
  void* block = std::realloc(ptr, new_size);
  if (!block) return nullptr;
  self->used_ = self->used_ - old_bytes + new_size;
  if (self->used_ > self->peak_) self->peak_ = self->used_;
  return block;
}

bool Sandbox::Charge(size_t bytes) {
  if (used_ + bytes > limits_.memory_bytes) {
    memory_refused_ = true;
    return false;
  }
  used_ += bytes;
  if (used_ > peak_) peak_ = used_;
  return true;
}

std::string Sandbox::MemoryLimitMessage() const {
  return "memory limit of " + FormatBytes(limits_.memory_bytes) + " exceeded";
}

// Runs inside the allocator: reads the stack without allocating. The innermost Lua frame is the
// line that asked for memory (a C function such as string.rep has no line of its own).
void Sandbox::RememberRefusedPlace() {
  lua_Debug ar;
  for (int level = 0; state_ && lua_getstack(state_, level, &ar); ++level) {
    if (lua_getinfo(state_, "Sl", &ar) && ar.currentline > 0) {
      std::snprintf(refused_file_, sizeof refused_file_, "%s", ar.short_src);
      refused_line_ = ar.currentline;
      return;
    }
  }
}

void Sandbox::CountHook(lua_State* L, lua_Debug* ar) {
  Sandbox& self = Of(L);
  if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0) {
    std::snprintf(self.last_file_, sizeof self.last_file_, "%s", ar->short_src);
    self.last_line_ = ar->currentline;
  }
  self.instructions_ += kHookEvery;
  // Once over, every later hook fails too, and pcall lets the error through.
  if (self.stopped_ == Stop::kNone && self.instructions_ > self.limits_.instructions)
    self.stopped_ = Stop::kInstructions;
  if (self.stopped_ == Stop::kNone && self.watchdog_.OverBudget()) self.stopped_ = Stop::kWallClock;
  self.RaiseIfStopped(L);
}

// Into a fixed buffer: the hook must not allocate.
void Sandbox::FormatStop(char* message, size_t size) const {
  if (stopped_ == Stop::kInstructions) {
    std::snprintf(message, size, "%s:%d: instruction limit of %llu exceeded", last_file_, last_line_,
                  static_cast<unsigned long long>(limits_.instructions));
    return;
  }
  char limit[32];
  std::snprintf(limit, sizeof limit, "%s", FormatDuration(limits_.wall_clock).c_str());
  std::snprintf(message, size,
                "%s:%d: wall-clock limit of %s exceeded; if the config needs longer, raise the limit with "
                "-lua-time-limit or STASHFORM_LUA_TIME_LIMIT",
                last_file_, last_line_, limit);
}

void Sandbox::RaiseIfStopped(lua_State* L) {
  if (stopped_ == Stop::kNone) return;
  char message[256];
  FormatStop(message, sizeof message);
  lua_pushstring(L, message);
  lua_error(L);
}

bool Sandbox::Run(const std::string& file, const std::string& text, Diagnostics& diagnostics) {
  return RunChunk(file, text, false, diagnostics);
}

bool Sandbox::RunInTable(const std::string& file, const std::string& text, Diagnostics& diagnostics) {
  return RunChunk(file, text, true, diagnostics);
}

bool Sandbox::RunChunk(const std::string& file, const std::string& text, bool own_globals,
                       Diagnostics& diagnostics) {
  lua_State* L = state_;
  const int top = lua_gettop(L);
  std::snprintf(last_file_, sizeof last_file_, "%s", file.c_str());
  place_ = file;
  watchdog_.Start(place_);
  // Protected: a table may not fit in a small memory limit.
  if (own_globals && PushTableProtected(L) != LUA_OK) {
    lua_settop(L, top);
    diagnostics.Error({file, 0}, "", MemoryLimitMessage());
    return false;
  }
  lua_pushcfunction(L, MessageHandler);
  const int handler = lua_gettop(L);
  int status = luaL_loadbufferx(L, text.data(), text.size(), ("@" + file).c_str(), "t");
  if (status == LUA_OK && own_globals) {
    lua_pushvalue(L, handler - 1);
    lua_setupvalue(L, -2, 1);  // the first upvalue of a main chunk is its _ENV
  }
  if (status == LUA_OK) status = lua_pcall(L, 0, 0, handler);
  if (status == LUA_OK && stopped_ == Stop::kNone) {
    lua_settop(L, handler - 1);  // leaves the globals table, if any
    return true;
  }
  Diagnose(status, file, diagnostics);
  lua_settop(L, top);
  return false;
}

void Sandbox::Diagnose(int status, const std::string& file, Diagnostics& diagnostics) {
  const char* raw = lua_type(state_, -1) == LUA_TSTRING ? lua_tostring(state_, -1) : "";
  std::string message = status == LUA_OK ? "" : raw;
  const bool out_of_memory = status == LUA_ERRMEM || (memory_refused_ && message == "not enough memory");
  if (stopped_ != Stop::kNone && message.find(" limit of ") == std::string::npos) {
    char stop[256];
    FormatStop(stop, sizeof stop);
    message = stop;
  } else if (out_of_memory || (status == LUA_ERRERR && memory_refused_)) {
    SourcePos where{file, 0};
    if (refused_line_ > 0) where = {refused_file_, refused_line_};
    else if (last_line_ > 0) where = {last_file_, last_line_};
    diagnostics.Error(where, "", MemoryLimitMessage());
    return;
  }
  diagnostics.Add(DiagnosticFromLuaMessage(message, file));
}

}  // namespace stashform::dsl
