# <nix/fetchurl.nix>: what Nix's own corepkgs provide under that name, a
# fixed-output derivation built by Nix's internal `builtin:fetchurl` builder.
# Written for tsportable; the interface (arguments and their defaults) is
# Nix's documented one, so that code importing it evaluates the same way.
{
  url,
  hash ? "", # SRI form
  md5 ? "",
  sha1 ? "",
  sha256 ? "",
  sha512 ? "",
  # The first legacy hash given wins, in this order; an SRI `hash` carries its own algorithm.
  outputHash ? (
    if hash != "" then hash
    else if sha512 != "" then sha512
    else if sha1 != "" then sha1
    else if md5 != "" then md5
    else sha256
  ),
  outputHashAlgo ? (
    if hash != "" then ""
    else if sha512 != "" then "sha512"
    else if sha1 != "" then "sha1"
    else if md5 != "" then "md5"
    else "sha256"
  ),
  executable ? false,
  unpack ? false,
  name ? baseNameOf (toString url),
  impure ? false,
  system ? "", # accepted and ignored, as Nix does
}:

let
  hashing = if impure then { __impure = true; } else { inherit outputHash outputHashAlgo; };
in
derivation ({
  builder = "builtin:fetchurl";
  system = "builtin";
  outputHashMode = if unpack || executable then "recursive" else "flat";
  inherit name url executable unpack;
  urls = [ url ];
  preferLocalBuild = true;
  impureEnvVars = [ "http_proxy" "https_proxy" "ftp_proxy" "all_proxy" "no_proxy" ];
} // hashing)
