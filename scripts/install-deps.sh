#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, skipping those already
# installed, so it is cheap to run before every test run (scripts/test does):
#   postgresql         internal/testkit/pgtest starts a throwaway server from its binaries
#   poppler-utils      generated PDFs are read back (pdftotext, pdftoppm)
#   zbar-tools         QR codes in generated documents are decoded (zbarimg)
#   chromium, chromium-driver
#                      browser tests
#   fonts-liberation   fonts with Vietnamese glyphs for PDFs and the browser
#   curl               the README's curl walkthrough is run as written
set -euo pipefail

packages=(postgresql poppler-utils zbar-tools chromium chromium-driver fonts-liberation curl)

missing=()
for p in "${packages[@]}"; do
	# dpkg -s also succeeds for a removed package whose config files remain,
	# so read the status line rather than only the exit code.
	if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
		missing+=("$p")
	fi
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null; then
		echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
		exit 1
	fi
	sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# env: sudo drops the caller's environment, DEBIAN_FRONTEND included.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
