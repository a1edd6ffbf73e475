#!/bin/sh
# Counts from the configured start in the configured steps.
. "$1"
n=$start
while sleep 1; do echo "$n"; n=$((n + step)); done
