# A simple nixpkgs `buildEnv`: one tree of symlinks merging the packages'
# `pathsToLink`, taking each package's `meta.outputsToInstall` (plus
# `extraOutputsToInstall`). A file present in two packages is a collision, an
# error unless `ignoreCollisions` (then the first package wins) or both have
# the same contents. No priorities, no propagated inputs, no `postBuild` hooks
# beyond the string itself.
{ lib, runCommand }:

{ name ? "${args.pname}-${args.version}"
, paths
, pathsToLink ? [ "/" ]
, extraOutputsToInstall ? [ ]
, ignoreCollisions ? false
, postBuild ? ""
, extraPrefix ? ""
, meta ? { }
, passthru ? { }
, ...
}@args:

let
  # A package picked as one output (`pkg.dev`) stays that output; otherwise
  # the outputs it asks to install, or itself when it names none it has.
  outputsOf = pkg:
    let
      wanted = lib.unique ((pkg.meta.outputsToInstall or [ "out" ]) ++ extraOutputsToInstall);
      present = builtins.filter (o: builtins.elem o (pkg.outputs or [ ])) wanted;
    in
    if pkg.outputSpecified or false || present == [ ] then [ pkg ] else map (o: pkg.${o}) present;
  selected = lib.unique (lib.concatMap outputsOf (builtins.filter (p: p != null) paths));
in
runCommand name
{
  inherit meta passthru;
  preferLocalBuild = true;
  allowSubstitutes = false;
  pkgPaths = map toString selected;
  inherit pathsToLink extraPrefix;
  ignoreCollisions = if ignoreCollisions then "1" else "";
}
  ''
    # As nixpkgs' builder: a directory only one package has is linked whole;
    # when a second package brings the same directory, the link is replaced
    # by a real directory holding links into both.
    link() {
      local src="$1" dst="$2" entry target previous
      for entry in "$src"/* "$src"/.[!.]*; do
        [ -e "$entry" ] || [ -L "$entry" ] || continue
        target="$dst/$(basename "$entry")"
        if [ ! -e "$target" ] && [ ! -L "$target" ]; then
          ln -s "$entry" "$target"
        elif [ -d "$entry" ] && [ -d "$target" ]; then
          if [ -L "$target" ]; then
            previous=$(readlink "$target")
            rm "$target"
            mkdir "$target"
            link "$previous" "$target"
          fi
          link "$entry" "$target"
        elif ! cmp -s "$entry" "$target"; then
          if [ -z "$ignoreCollisions" ]; then
            echo "buildEnv error: collision between \`$(readlink -f "$target")' and \`$entry'" >&2
            exit 1
          fi
        fi
      done
    }
    mkdir -p $out
    for pkg in $pkgPaths; do
      for sub in $pathsToLink; do
        sub=''${sub%/}
        if [ -d "$pkg$sub" ]; then
          mkdir -p "$out$extraPrefix$sub"
          link "$pkg$sub" "$out$extraPrefix$sub"
        fi
      done
    done
    ${postBuild}
  ''
