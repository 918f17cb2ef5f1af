#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image on its Ubuntu base image: Node 20+
# (NodeSource, when the distribution's is older), Jupyter's client and bubblewrap from the distribution, the
# project (npm ci, build), the tslab kernel's registration, and the instructor's notebook made readable by root
# only. AUTOGRADER_ROOT moves /autograder; AUTOGRADER_LOCAL_TEST=1 skips the steps that need the network or
# change the machine (apt, NodeSource, npm ci, the kernel registration): the test suite runs the rest locally.
set -euo pipefail
root="${AUTOGRADER_ROOT:-/autograder}"
project="$root/source/project"
local_test="${AUTOGRADER_LOCAL_TEST:-0}"

if [ "$local_test" != 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # jupyter_client and nbformat drive the kernel; bubblewrap, util-linux (prlimit, setpriv) and procps (kill)
  # make the sandbox.
  apt-get install -y -qq ca-certificates curl gnupg python3 python3-jupyter-client python3-nbformat python3-nbclient \
    bubblewrap util-linux procps >/dev/null
  if ! node --version 2>/dev/null | grep -qE '^v(2[0-9]|[3-9][0-9])\.'; then
    curl -fsSL https://deb.nodesource.com/setup_20.x | bash - >/dev/null
    apt-get install -y -qq nodejs >/dev/null
  fi
fi

cd "$project"
if [ "$local_test" != 1 ]; then
  npm ci --ignore-scripts --no-audit --no-fund
fi
npm run build
if [ "$local_test" != 1 ]; then
  npm run kernel
fi

# The instructor's notebook (solutions and hidden tests): root's alone.
chmod 600 "$root"/source/*.ipynb

if bwrap --unshare-pid --unshare-net --ro-bind / / --proc /proc --dev /dev -- /bin/true 2>/dev/null; then
  echo "setup.sh: bubblewrap works here: submissions will be graded in their own namespaces"
else
  echo "setup.sh: bubblewrap cannot make namespaces here: submissions will be graded as an unprivileged uid" \
    "(the user boundary)"
fi
