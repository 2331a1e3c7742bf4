#!/bin/sh
# docs/config.md must equal `nuem config --format markdown` (regenerate: make docs).
"$1" config --format markdown | diff -u "$2" - && echo "docs/config.md is current" ||
  { echo "docs/config.md is stale: run 'make docs'"; exit 1; }
