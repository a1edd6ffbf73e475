# The host's programs by name, as the default package set offers them: where
# the set has no package of a name (`pkgs.php`) and the host has a program of
# that name, `pkgs.<name>` is that program made into a closed package (see
# `hostProgram` in ./default.nix). tsportable's bridge reads this same file
# to say so (and to fail early, with a hint, where the host has no such
# program), so both always agree on which names exist.
#
# Only evaluation that may read the host sees them: `builtins.getEnv` gives ""
# in pure evaluation (flakes) and in restricted evaluation, where reading
# /usr/bin would be an error. The first directory holding a name wins.
let
  dirs = [ "/usr/bin" "/bin" "/usr/sbin" "/sbin" "/usr/local/bin" ];

  mayReadHost = builtins.getEnv "PATH" != "";

  programsIn = dir:
    let entries = if builtins.pathExists dir then builtins.readDir dir else { };
    in builtins.mapAttrs (name: _: "${dir}/${name}")
      (builtins.removeAttrs entries (builtins.filter (name: entries.${name} == "directory") (builtins.attrNames entries)));
in
{
  inherit dirs;
  # name -> the program's path on the host
  programs = if mayReadHost then builtins.foldl' (found: dir: programsIn dir // found) { } dirs else { };
}
