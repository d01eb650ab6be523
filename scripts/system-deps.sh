#!/usr/bin/env bash
# System packages the tests need, from Debian's archive: Chromium for the
# real-browser tests and the images, PostgreSQL for the store's tests against a
# real server, LibreOffice and poppler to turn reports and slides into PDF pages
# (and Calc to open the register CSV as a person would)
# (with Liberation fonts, metric twins of Arial).
# Installs only what is missing; needs root (or sudo).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-impress-nogui)
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)  # the CSV opened as a spreadsheet
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi "Liberation Sans" || need+=(fonts-liberation)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing system packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
