#!/usr/bin/env bash
# Installs the Debian packages wardline needs when they are missing: redis-server, and with
# --test also postgresql (PostgreSQL 15) and chromium (browser end-to-end tests).
set -euo pipefail
want=(redis-server)
if [[ "${1:-}" == "--test" ]]; then want+=(postgresql chromium); fi
missing=()
for pkg in "${want[@]}"; do
  case "$pkg" in
    redis-server) command -v redis-server >/dev/null 2>&1 || missing+=(redis-server) ;;
    postgresql) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql) ;;
    chromium) [[ -x /usr/bin/chromium ]] || missing+=(chromium) ;;
  esac
done
if ((${#missing[@]})); then
  echo "wardline: installing ${missing[*]} (Debian packages)" >&2
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "wardline: please install ${missing[*]} (apt-get install ${missing[*]}) and run again" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
