# Shared by scripts/run, scripts/test and scripts/screenshots: install what is missing (idempotent),
# then configure and build. Sourced, not executed.

MCPBRIDGE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Debian packages by purpose. HttpServer's CMake config needs WebSockets; QtKeychain loads
# libsecret at run time; the tests run under a private D-Bus with a throwaway gnome-keyring.
MCPBRIDGE_BUILD_PACKAGES=(cmake g++ ninja-build pkg-config qt6-base-dev qt6-httpserver-dev
  qt6-websockets-dev qtkeychain-qt6-dev libsecret-1-0 nlohmann-json3-dev libyaml-cpp-dev
  libvalijson-dev libgl-dev zlib1g-dev)
MCPBRIDGE_TEST_PACKAGES=(dbus gnome-keyring xvfb xauth clang-format nodejs npm
  fonts-dejavu-core)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs the Debian packages that are not installed yet. Needs root (or sudo).
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    # nodejs/npm may come from elsewhere (nvm, NodeSource): a working command is enough.
    case "$p" in
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
      npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  say "Installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# Installs the pinned Node packages of tests/ (MCP SDK, conformance suite, Node 22, test specs)
# when they are missing or older than the lock file.
ensure_node_packages() {
  local dir="$MCPBRIDGE_ROOT/tests"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "Installing the pinned Node packages for the tests"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

# configure_and_build BUILD_DIR [extra cmake args...]
configure_and_build() {
  local build="$1"; shift
  if [ ! -f "$build/build.ninja" ]; then
    say "Configuring in $build"
    cmake -S "$MCPBRIDGE_ROOT" -B "$build" -G Ninja "$@" >/dev/null
  fi
  say "Building"
  cmake --build "$build" -j "$(nproc)"
}
