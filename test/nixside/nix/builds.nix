# Everything the builder tests build, in one set so that one nix-build builds
# it all. Each attribute exercises one stand-in builder the way nixpkgs users
# call it.
let
  # An overlay replacing a package and adding one that refers to the replaced one.
  pkgs = import <nixpkgs> {
    overlays = [
      (final: prev: {
        hello = prev.hello.overrideAttrs (old: { pname = "hello-overlaid"; });
        usesHello = final.writeText "uses-hello" "${final.hello}";
      })
    ];
  };
  inherit (pkgs) lib;
in
{
  text = pkgs.writeText "plain.txt" "line one\nline two";
  textFile = pkgs.writeTextFile {
    name = "tool";
    text = "#!/bin/sh\necho tool\n";
    executable = true;
    destination = "/bin/tool";
    checkPhase = "grep -q 'echo tool' $target && touch $out/checked";
  };
  textDir = pkgs.writeTextDir "share/doc/readme.txt" "read me";
  script = pkgs.writeScript "script.sh" "echo script";
  scriptBin = pkgs.writeScriptBin "script-bin" "echo script-bin";
  shellScript = pkgs.writeShellScript "shell.sh" "echo shell";
  shellScriptBin = pkgs.writeShellScriptBin "shell-bin" "echo shell-bin";
  concat = pkgs.concatText "units.conf" [ ./files/part1.conf ./files/part2.conf ];
  concatFile = pkgs.concatTextFile {
    name = "joined";
    files = [ ./files/part1.conf (pkgs.writeText "part3" "[Install]\n") ];
    executable = true;
    destination = "/etc/joined.conf";
  };
  runCmd = pkgs.runCommand "run-command" { greeting = "hi"; } ''
    mkdir $out
    echo "$greeting" > $out/greeting
  '';
  runLocal = pkgs.runCommandLocal "run-local" { } "echo local > $out";
  replaced = pkgs.replaceVars ./files/template.txt { name = "N"; greeting = "hi there"; kept = null; };
  substituted = pkgs.substituteAll { src = ./files/legacy.txt; shell = "${pkgs.bash}/bin/bash"; who = "me"; Upper = "not substituted"; };
  substitutedExecutable = pkgs.substituteAll { src = ./files/legacy.txt; shell = "x"; who = "y"; isExecutable = true; dir = "bin"; };
  joined = pkgs.symlinkJoin { name = "joined-env"; paths = [ pkgs.multiOutputDemo pkgs.multiOutputDemo.dev pkgs.libdemo pkgs.hello ]; postBuild = "echo done > $out/post"; };
  env = pkgs.buildEnv { name = "build-env"; paths = [ pkgs.libdemo pkgs.hello ]; extraOutputsToInstall = [ "dev" ]; };
  overlaid = pkgs.usesHello;
  overrideOld = (pkgs.runCommand "before" { value = "old"; } "echo $value > $out").overrideAttrs (old: {
    value = old.value + "-then-new";
  });
  overrideFinal = (pkgs.stdenv.mkDerivation (finalAttrs: {
    pname = "final-attrs";
    version = "1";
    buildCommand = "echo ${finalAttrs.version} > $out";
  })).overrideAttrs (final: prev: { version = prev.version + "-2"; });
  callPkg = pkgs.callPackage ./files/tagline.nix { };
  callPkgOverridden = (pkgs.callPackage ./files/tagline.nix { }).override { word = "overridden"; };
  greeterOverridden = pkgs.greeter.override { greeting = "Howdy"; };
  # Default phases: unpack a source directory, make, make install.
  phased = pkgs.stdenv.mkDerivation {
    pname = "phased";
    version = "0.1";
    src = ./files/project;
    makeFlags = [ "PREFIX=$(out)" ];
    preBuild = "echo pre-build > pre-build.log";
    postInstall = "cp pre-build.log $out/share/";
  };
  # Phases given as strings, with their hooks.
  customPhases = pkgs.stdenv.mkDerivation {
    name = "custom-phases";
    dontUnpack = true;
    buildPhase = "runHook preBuild; echo built > result";
    preBuild = "echo hook > hook";
    installPhase = "mkdir $out; cp result hook $out/";
  };
  ownBuilder = pkgs.stdenv.mkDerivation {
    name = "own-builder";
    builder = ./files/builder.sh;
    message = "from a builder script";
  };
  demoProgramCheck = pkgs.runCommand "hello-output" { } "${lib.getExe pkgs.hello} > $out";
}
