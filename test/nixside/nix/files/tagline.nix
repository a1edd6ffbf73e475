# A package file for callPackage: its arguments come from the package set,
# `word` has a default that `.override` changes.
{ lib, writeText, word ? "default" }:

writeText "tagline" "the word is ${lib.toUpper word}"
