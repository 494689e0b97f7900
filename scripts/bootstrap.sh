#!/usr/bin/env bash
# One idempotent set-up for `npm start` and `npm test` on a fresh Debian 12 + Node 20 machine.
# Each step checks whether it is already done and skips itself; a second run takes seconds.
#   bash scripts/bootstrap.sh start   # what the daemon needs
#   bash scripts/bootstrap.sh test    # plus what the tests need (pcscd, vpcd, ffmpeg, chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-start}

export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# corepack 0.34 (Node 20) cannot verify the npm registry's current signing keys.
export COREPACK_INTEGRITY_KEYS=0
# onnxruntime-node must not download GPU binaries: the CPU ones ship inside its npm package.
export ONNXRUNTIME_NODE_INSTALL=skip

say() { printf '\033[1mkycd bootstrap:\033[0m %s\n' "$*" >&2; }

# --- 1. Debian packages --------------------------------------------------------------------
# The daemon: PC/SC (the native addon builds against libpcsclite-dev), ffmpeg for cameras, and
# socat for the simulator's virtual SAM reader on a pty.
apt_packages=(libpcsclite-dev pcscd ffmpeg socat)
if [ "$purpose" = test ]; then
  apt_packages+=(vsmartcard-vpcd chromium)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    say "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts pcscd through socket activation after install; the tests run their own pcscd
# with the vpcd driver, so a system instance must not hold the socket.
if [ "$purpose" = test ] && command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet pcscd.socket 2>/dev/null; then
  systemctl stop pcscd.socket pcscd.service >/dev/null 2>&1 || true
fi

# --- 2. pnpm through corepack, and the workspace's packages -------------------------------
# `corepack enable` puts a `pnpm` shim beside node so the README's `pnpm kycd …` / `pnpm bench`
# work in the shell afterwards (idempotent). Where node's directory is not writable (a non-root
# user with a system node), the shim goes to ~/.local/bin; `corepack pnpm …` always works.
if ! command -v pnpm >/dev/null 2>&1; then
  if corepack enable pnpm 2>/dev/null; then
    say "enabled pnpm through corepack ($(command -v pnpm || echo "beside $(command -v node)"))"
  elif mkdir -p "$HOME/.local/bin" && corepack enable --install-directory "$HOME/.local/bin" pnpm; then
    case ":$PATH:" in
      *":$HOME/.local/bin:"*) say "enabled pnpm through corepack in ~/.local/bin" ;;
      *) say "enabled pnpm in ~/.local/bin; add it to PATH, or run \`corepack pnpm …\` instead of \`pnpm …\`" ;;
    esac
  else
    say "could not enable pnpm through corepack; run \`corepack pnpm …\` instead of \`pnpm …\`"
  fi
fi
# This script itself never depends on the shim being on PATH.
pnpm() { corepack pnpm "$@"; }
stamp=node_modules/.kycd-install-stamp
lock_sum=$(cat pnpm-lock.yaml package.json */package.json 2>/dev/null | sha256sum | cut -c1-64)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  say "installing workspace packages (pnpm install)"
  if [ -n "${CI:-}" ]; then pnpm install --frozen-lockfile; else pnpm install; fi
  echo "$lock_sum" > "$stamp"
fi

# --- 3. face models: fetched from the npm registry, checksums verified --------------------
pnpm --silent kycd models install --quiet

# --- 4. build (incremental; the output is shown only when it fails) -------------------------
if ! build_log=$(pnpm --silent run build 2>&1); then
  printf '%s\n' "$build_log" >&2
  say "the build failed (above)"
  exit 1
fi
say "ready"
