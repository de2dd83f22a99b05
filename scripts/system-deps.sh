#!/usr/bin/env bash
# Debian packages the browser tests need: headless chromium and a CJK font (without it every
# Chinese character renders as a box). Installed only when missing; needs root (or sudo) and
# apt-get. Never fails the caller: when the packages cannot be installed it says why, and the
# browser tests skip with that reason.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# (grep without -q: with pipefail, -q's early exit would SIGPIPE fc-list and read as "missing")
if ! command -v fc-list >/dev/null 2>&1 || ! fc-list : family 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; then
  need+=(fonts-noto-cjk fontconfig)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${need[*]} and no apt-get here; install chromium and a CJK font by hand (browser tests will be skipped)" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "system-deps: missing ${need[*]}; run as root: apt-get install ${need[*]} (browser tests will be skipped)" >&2
    exit 0
  fi
fi
echo "system-deps: apt-get install ${need[*]}"
log="$(mktemp)"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"; } >"$log" 2>&1; then
  echo "system-deps: apt-get failed (browser tests will be skipped):" >&2
  tail -5 "$log" >&2
  rm -f "$log"
  exit 0
fi
rm -f "$log"
/usr/bin/chromium --version 2>/dev/null | grep -i chromium || echo "system-deps: chromium installed but does not start" >&2
exit 0
