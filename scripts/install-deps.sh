#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, skipping those already
# installed: PostgreSQL (the harness starts a throwaway server from its
# binaries), poppler-utils and zbar-tools (PDFs and QR codes are read
# back), Chromium and its driver (browser tests), Liberation fonts.
set -euo pipefail

packages=(postgresql poppler-utils zbar-tools chromium chromium-driver fonts-liberation)
missing=()
for p in "${packages[@]}"; do
	if ! dpkg -s "$p" >/dev/null 2>&1; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
	sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
