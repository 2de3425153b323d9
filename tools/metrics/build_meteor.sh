#!/usr/bin/env bash
# Build Meteor 1.5 from its public Java source (github.com/cmu-mtlab/meteor) with plain javac, plus the
# coco-caption stdio driver MeteorCocoStdio.java, into one jar.
#
#   tools/metrics/build_meteor.sh <meteor-source-checkout> <synonym-dir> <out.jar>
#
# <synonym-dir> holds english.synsets, english.exceptions, english.relations (e.g. ../shared/data/meteor);
# the function-word and nonbreaking-prefix lists come from the checkout's resources/. The paraphrase table
# is not needed (score with -m "exact stem synonym", or pass -a <table.gz>).
set -euo pipefail
src=$(cd "$1" && pwd)
syn=$(cd "$2" && pwd)
out=$3
here=$(cd "$(dirname "$0")" && pwd)
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
javac -nowarn -encoding UTF-8 -d "$build" $(find "$src/src" -name '*.java') "$here/MeteorCocoStdio.java" "$here/StemmerDump.java" 2>/dev/null
mkdir -p "$build/function" "$build/nonbreaking" "$build/synonym"
cp "$src/resources/function/"*.words "$build/function/"
cp "$src/resources/nonbreaking/"*.prefixes "$build/nonbreaking/"
cp "$syn/english.synsets" "$syn/english.exceptions" "$syn/english.relations" "$build/synonym/"
jar cfe "$out" MeteorCocoStdio -C "$build" .
echo "built $out"
