# Builds that must fail, each the way nixpkgs' builder of the same name fails.
let pkgs = import <nixpkgs> { }; in
{
  badShellScript = pkgs.writeShellScript "bad" "if then fi (";
  replaceUnused = pkgs.replaceVars ./files/template.txt { name = "N"; greeting = "g"; kept = null; unused = "u"; };
  replaceLeftover = pkgs.replaceVars ./files/template.txt { name = "N"; greeting = "g"; };
  envCollision = pkgs.buildEnv {
    name = "collision";
    paths = [ (pkgs.writeTextDir "share/x" "one") (pkgs.writeTextDir "share/x" "two") ];
  };
}
