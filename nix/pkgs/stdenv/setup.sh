# Build environment of tsportable's stand-in stdenv, sourced as "$stdenv/setup"
# (so hand-written builders that `source $stdenv/setup` work as with nixpkgs).
#
# It runs on the host's bash with the host's tools on PATH: the stand-in needs
# Nix's sandbox off (Debian's default). With the sandbox on, /bin/bash and
# /usr/bin would be missing inside the build; `sandbox-paths` would have to
# expose them (and the libraries they load) for these builds to work.
#
# Provided, with nixpkgs' names: runHook, genericBuild and its phases
# (unpack patch configure build check install fixup), substitute,
# substituteInPlace, substituteAll, substituteAllInPlace.

# Errors stop the build; unset variables do not, since build commands written
# for nixpkgs test optional attributes with a plain "$dir".
set -e
set -o pipefail

: "${outputs:=out}"

# Build inputs contribute their bin directories, then the host's tools.
PATH=
for _input in ${nativeBuildInputs:-} ${buildInputs:-} ${propagatedBuildInputs:-} ${propagatedNativeBuildInputs:-}; do
    if [ -d "$_input/bin" ]; then PATH="${PATH:+$PATH:}$_input/bin"; fi
done
PATH="${PATH:+$PATH:}/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"
export PATH
unset _input

export SHELL=/bin/bash
export NIX_BUILD_CORES="${NIX_BUILD_CORES:-1}"
if [ "$NIX_BUILD_CORES" = 0 ]; then NIX_BUILD_CORES=$(nproc 2>/dev/null || echo 1); fi
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-315532800}"

# Runs the hook variable named $1 (a string of shell code), if set.
runHook() {
    local hookName="$1"
    shift
    local hook="${!hookName:-}"
    if [ -n "$hook" ]; then eval "$hook"; fi
    return 0
}

_substituteFail() {
    echo "substitute(): ERROR: $*" >&2
    return 1
}

# substitute INPUT OUTPUT OPERATIONS... with nixpkgs' operations:
#   --replace-fail A B   A must occur;   --replace-warn A B  warns when it does not;
#   --replace-quiet A B  no check;       --replace A B       deprecated, like -warn;
#   --subst-var NAME     @NAME@ by $NAME (which must be set);
#   --subst-var-by NAME VALUE.
substitute() {
    local input="$1" output="$2"
    shift 2
    if [ ! -f "$input" ]; then _substituteFail "file '$input' does not exist"; fi

    local content
    # The trailing x keeps trailing newlines through the command substitution.
    content="$(cat "$input"; printf x)"
    content="${content%x}"

    local op pattern replacement varName
    while [ "$#" -gt 0 ]; do
        op="$1"
        case "$op" in
            --replace-fail | --replace-warn | --replace-quiet | --replace)
                if [ "$#" -lt 3 ]; then _substituteFail "$op needs two arguments"; fi
                pattern="$2"
                replacement="$3"
                shift 3
                ;;
            --subst-var)
                if [ "$#" -lt 2 ]; then _substituteFail "--subst-var needs a variable name"; fi
                varName="$2"
                shift 2
                if ! [[ "$varName" =~ ^[a-zA-Z_][a-zA-Z0-9_]*$ ]]; then
                    _substituteFail "substitution variables must be valid Bash names, \"$varName\" isn't."
                fi
                if [ -z "${!varName+set}" ]; then
                    _substituteFail "variable \$$varName is unset"
                fi
                pattern="@$varName@"
                replacement="${!varName}"
                op=--replace-quiet
                ;;
            --subst-var-by)
                if [ "$#" -lt 3 ]; then _substituteFail "--subst-var-by needs two arguments"; fi
                varName="$2"
                if ! [[ "$varName" =~ ^[a-zA-Z_][a-zA-Z0-9_]*$ ]]; then
                    _substituteFail "substitution variables must be valid Bash names, \"$varName\" isn't."
                fi
                pattern="@$varName@"
                replacement="$3"
                shift 3
                op=--replace-quiet
                ;;
            *)
                _substituteFail "Invalid command line argument: $op"
                ;;
        esac

        if [[ "$content" != *"$pattern"* ]]; then
            case "$op" in
                --replace-fail) _substituteFail "pattern $pattern doesn't match anything in file '$input'" ;;
                --replace-warn | --replace) echo "substitute(): WARNING: pattern $pattern doesn't match anything in file '$input'" >&2 ;;
            esac
        fi
        content="${content//"$pattern"/"$replacement"}"
    done

    if [ -e "$output" ]; then chmod +w "$output"; fi
    printf '%s' "$content" > "$output"
}

substituteInPlace() {
    local file="$1"
    shift
    substitute "$file" "$file" "$@"
}

# Every exported variable whose name starts with a lower-case letter, as
# nixpkgs' substituteAll has it.
_allSubstVars() {
    local v
    for v in $(compgen -e); do
        if [[ "$v" =~ ^[a-z][a-zA-Z0-9_]*$ ]]; then echo "$v"; fi
    done
}

substituteAll() {
    local input="$1" output="$2"
    local -a args=()
    local v
    for v in $(_allSubstVars); do args+=(--subst-var "$v"); done
    substitute "$input" "$output" "${args[@]}"
}

substituteAllInPlace() {
    local file="$1"
    shift
    substituteAll "$file" "$file"
}

_isSet() { [ -n "${!1:-}" ]; }

unpackPhase() {
    runHook preUnpack
    if [ -z "${src:-}" ] && [ -z "${srcs:-}" ]; then
        echo "variable \$src or \$srcs should point to the source" >&2
        return 1
    fi
    local s
    for s in ${srcs:-${src:-}}; do
        if [ -d "$s" ]; then
            cp -r --no-preserve=mode "$s" "$(basename "$s" | cut -d- -f2-)"
        else
            case "$s" in
                *.tar | *.tar.* | *.tgz | *.tbz2 | *.txz) tar xf "$s" ;;
                *) echo "do not know how to unpack source archive $s" >&2; return 1 ;;
            esac
        fi
    done
    if [ -z "${sourceRoot:-}" ]; then
        sourceRoot=$(find . -mindepth 1 -maxdepth 1 -type d | head -n 1)
    fi
    cd "$sourceRoot"
    runHook postUnpack
}

patchPhase() {
    runHook prePatch
    local p
    for p in ${patches:-}; do patch ${patchFlags:--p1} < "$p"; done
    runHook postPatch
}

configurePhase() {
    runHook preConfigure
    if [ -x ./configure ]; then ./configure --prefix="$out" ${configureFlags:-}; fi
    runHook postConfigure
}

_hasMakefile() { [ -n "${makefile:-}" ] || [ -e Makefile ] || [ -e makefile ] || [ -e GNUmakefile ]; }

buildPhase() {
    runHook preBuild
    if _hasMakefile; then
        make ${makefile:+-f $makefile} -j"$NIX_BUILD_CORES" ${makeFlags:-} ${buildFlags:-}
    else
        echo "no Makefile or custom buildPhase, doing nothing"
    fi
    runHook postBuild
}

checkPhase() {
    runHook preCheck
    if _hasMakefile; then make ${makefile:+-f $makefile} ${makeFlags:-} ${checkFlags:-} ${checkTarget:-check}; fi
    runHook postCheck
}

installPhase() {
    runHook preInstall
    if _hasMakefile; then
        make ${makefile:+-f $makefile} ${makeFlags:-} ${installFlags:-} ${installTargets:-install}
    else
        echo "no Makefile or custom installPhase, doing nothing"
    fi
    runHook postInstall
}

fixupPhase() {
    runHook preFixup
    runHook postFixup
}

# Runs one phase: the user's string if given, else the default function.
_runPhase() {
    local phase="$1"
    if [ -n "${!phase:-}" ]; then
        eval "${!phase}"
    else
        "$phase"
    fi
}

genericBuild() {
    if [ -n "${buildCommandPath:-}" ]; then
        eval "$(cat "$buildCommandPath")"
        return
    fi
    if [ -n "${buildCommand:-}" ]; then
        eval "$buildCommand"
        return
    fi

    local phase
    local allPhases="${phases:-${prePhases:-} unpackPhase patchPhase ${preConfigurePhases:-} configurePhase ${preBuildPhases:-} buildPhase checkPhase ${preInstallPhases:-} installPhase ${preFixupPhases:-} fixupPhase ${postPhases:-}}"
    for phase in $allPhases; do
        case "$phase" in
            unpackPhase) _isSet dontUnpack && continue ;;
            patchPhase) _isSet dontPatch && continue ;;
            configurePhase) _isSet dontConfigure && continue ;;
            buildPhase) _isSet dontBuild && continue ;;
            checkPhase) _isSet doCheck || continue ;;
            installPhase) _isSet dontInstall && continue ;;
            fixupPhase) _isSet dontFixup && continue ;;
        esac
        _runPhase "$phase"
    done
}
