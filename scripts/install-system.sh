#!/usr/bin/env bash
# Debian packages the project needs beyond Node: Jupyter (Notebook 6, nbconvert, nbclient) to run the
# notebooks, jupyter-server and jupyterlab-server to serve the JupyterLab front end, bubblewrap to sandbox
# graded submissions, Chromium for the browser checks and PDF handouts, poppler-utils to inspect PDFs.
# Installs only what is missing, so a second run costs nothing.
set -euo pipefail
packages=(jupyter-notebook jupyter-nbconvert python3-nbclient python3-jupyter-server python3-jupyterlab-server
  bubblewrap chromium poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
