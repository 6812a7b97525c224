#!/bin/sh
# ctest: every request schema of every vendor spec compiles with Prism's Ajv settings
# (../shared/destinations/tools/prism_check.sh). A schema that does not compile would make Prism
# accept any body for that operation. Exit 77 (skipped) without ../shared or without Prism.
HERE=$(cd "$(dirname "$0")" && pwd)
TOOLS=${SYNCLINE_SHARED_DIR:-$HERE/../../../shared}/destinations/tools
NM=$HERE/prism/node_modules/
if [ ! -x "$TOOLS/prism_check.sh" ]; then echo "skipped: ../shared/destinations/tools is absent"; exit 77; fi
if [ ! -d "$NM/ajv" ]; then
  echo "Prism is not installed (run scripts/setup-debian.sh)"
  [ "${CI:-}" = true ] && exit 1   # in CI the check must run
  exit 77
fi
# The pinned Node (node_modules/.bin/node, see prism/package.json) first: Debian 12's is too old.
PATH=$NM.bin:$PATH NM=$NM exec sh "$TOOLS/prism_check.sh"
