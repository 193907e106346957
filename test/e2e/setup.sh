#!/usr/bin/env bash
# Installs what the end-to-end suite needs, once: Debian packages (Chromium, ripgrep, the headers code-server's
# native modules build against) and code-server 4.100.3 in a tools folder OUTSIDE the extension's node_modules,
# so the packaged .vsix never sees it. Idempotent: a second run only checks.
# Tools folder: $M3V_E2E_TOOLS (default $HOME/.cache/m3v-e2e).
set -euo pipefail
TOOLS="${M3V_E2E_TOOLS:-$HOME/.cache/m3v-e2e}"
CODE_SERVER_VERSION=4.100.3
mkdir -p "$TOOLS"

need_apt=()
for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
    echo "m3v e2e setup: missing Debian packages (${need_apt[*]}) and no root apt-get to install them" >&2
    exit 3
  fi
  echo "m3v e2e setup: apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$TOOLS/node_modules/.bin/code-server" ]; then
  # code-server's postinstall downloads ripgrep from GitHub (no network here): pre-seed its cache with Debian's rg.
  TMP="$(node -e 'console.log(require("os").tmpdir())')"
  CACHE="$TMP/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$CACHE"
  TARBALL="$CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -s "$TARBALL" ]; then
    tar -C "$(dirname "$(command -v rg)")" -czf "$TARBALL" rg
  fi
  echo "m3v e2e setup: npm install code-server@$CODE_SERVER_VERSION into $TOOLS (several minutes)"
  cd "$TOOLS"
  [ -f package.json ] || echo '{"name":"m3v-e2e-tools","private":true}' > package.json
  npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
fi
echo "m3v e2e setup: ready ($TOOLS/node_modules/.bin/code-server, $(command -v chromium))"
