#!/usr/bin/env bash
# Java for Spark: installs Debian's headless JRE when no java is on PATH.
set -euo pipefail
if command -v java >/dev/null 2>&1; then exit 0; fi
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless) >&2
