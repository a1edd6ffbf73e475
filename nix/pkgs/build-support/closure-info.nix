# nixpkgs' closureInfo: `$out/store-paths` lists, sorted, every store path the
# roots need at run time; `$out/registration` is the reference graph. Built
# with the non-structured `exportReferencesGraph` Nix 2.8 understands: Nix
# writes one graph file per root into the build directory, in blocks of
# "path, deriver, number of references, references...".
{ lib, runCommandLocal }:

{ rootPaths }:

runCommandLocal "closure-info"
{
  exportReferencesGraph = lib.concatLists (lib.imap0 (i: path: [ "closure-${toString i}" path ]) rootPaths);
}
  ''
    mkdir $out
    shopt -s nullglob
    graphs=(closure-*)
    for graph in "''${graphs[@]}"; do
      while IFS= read -r path; do
        read -r deriver
        read -r count
        for ((i = 0; i < count; i++)); do read -r reference; done
        printf '%s\n' "$path"
      done < "$graph"
    done | LC_ALL=C sort -u > $out/store-paths
    if [ "''${#graphs[@]}" -gt 0 ]; then cat "''${graphs[@]}" > $out/registration; else : > $out/registration; fi
  ''
