# Closing host programs: sourced by the builds of ./default.nix.
#
# A program copied from the host still names the host's loader as its ELF
# interpreter (/lib64/ld-linux-x86-64.so.2) and finds its libraries in the
# host's /lib, none of which is inside a portable service image. Closing it
# makes it need only store paths: the libraries it needs, found as the host's
# loader finds them (`ldd`), are copied into the package's own lib/ unless
# the set's glibc package has them; then patchelf points its interpreter at
# glibc's copy of the loader and its RUNPATH at those two lib directories.
# Scripts get their `#!` rewritten to the set's bash.
#
# Needs: $glibc (the glibc package), $hostDirs (where host programs are looked
# for, in order), `ldd` and `patchelf` on PATH (the host's; the default set's
# builds run with Nix's sandbox off). $shell, when set, is the bash package
# whose shell a script's `#!/bin/sh` or `#!/bin/bash` becomes.

# The first executable file called $1 in $hostDirs.
findHostProgram() {
    local dir
    for dir in $hostDirs; do
        if [ -f "$dir/$1" ] && [ -x "$dir/$1" ]; then
            echo "$dir/$1"
            return
        fi
    done
    echo "tsportable's default package set makes '$1' from the host's program of that name, but none of $hostDirs has one" >&2
    exit 1
}

_isElf() {
    [ "$(head -c 4 "$1" | od -An -c | tr -d ' \n')" = '177ELF' ]
}

# Copies host program $1 (a name) into $out/bin/${2:-$1}, dereferenced; the
# original's path is remembered for `ldd`, which must see it where it was.
declare -A _originals
copyHostProgram() {
    local name="$1" target="$out/bin/${2:-$1}" source
    source=$(findHostProgram "$name")
    mkdir -p "$out/bin"
    cp -L "$source" "$target"
    chmod u+w "$target"
    _originals["$target"]=$(readlink -f "$source")
    if ! _isElf "$target"; then _closeScript "$target" "$source"; fi
}

# A script's interpreter becomes the set's bash; any other one is refused:
# copying it would not copy what it needs at run time.
_closeScript() {
    local target="$1" source="$2" line interpreter rest
    IFS= read -r line < "$target" || true
    case "$line" in
        '#!'*) ;;
        *) echo "tsportable's default package set cannot close $source: it is neither an ELF program nor a #! script" >&2; exit 1 ;;
    esac
    read -r interpreter rest <<< "${line#'#!'}"
    if [ "$interpreter" = /usr/bin/env ] || [ "$interpreter" = /bin/env ]; then
        read -r interpreter rest <<< "$rest"
    fi
    case "$(basename "$interpreter")" in
        sh | bash | dash)
            if [ -z "${shell:-}" ]; then
                echo "tsportable's default package set cannot close $source: it is a shell script and no shell is given" >&2
                exit 1
            fi
            { printf '#!%s/bin/bash%s\n' "$shell" "${rest:+ $rest}"; tail -n +2 "$source"; } > "$target"
            ;;
        *)
            echo "tsportable's default package set cannot close $source: it is a script for $interpreter, whose own files it would not copy; use nixpkgs (-I nixpkgs=PATH)" >&2
            exit 1
            ;;
    esac
}

# The host libraries `ldd` resolves for $1, as "name path" lines; fails on a missing one.
_hostLibraries() {
    local output
    output=$(ldd "$1" 2>&1) || { echo "$output" | grep -q 'not a dynamic executable' && return 0; echo "ldd $1: $output" >&2; exit 1; }
    if echo "$output" | grep -q '=> not found'; then
        echo "tsportable's default package set cannot close $1: the host lacks libraries it needs:" >&2
        echo "$output" | grep '=> not found' >&2
        exit 1
    fi
    echo "$output" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }'
}

# Closes every ELF file copied by copyHostProgram, and the libraries they bring.
closeHostPrograms() {
    local file name path own=0
    mkdir -p "$out/lib"
    for file in "${!_originals[@]}"; do
        _isElf "$file" || continue
        while read -r name path; do
            [ -n "$name" ] || continue
            if [ -e "$glibc/lib/$name" ] || [ -e "$out/lib/$name" ]; then continue; fi
            cp -L "$path" "$out/lib/$name"
            chmod u+w "$out/lib/$name"
        done < <(_hostLibraries "${_originals[$file]}")
    done
    if [ -n "$(ls -A "$out/lib")" ]; then own=1; else rmdir "$out/lib"; fi
    local rpath="$glibc/lib"
    if [ "$own" = 1 ]; then rpath="$out/lib:$glibc/lib"; fi
    for file in "${!_originals[@]}"; do
        _isElf "$file" && closeElf "$file" "$rpath"
    done
    if [ "$own" = 1 ]; then
        for file in "$out"/lib/*; do closeElf "$file" "$rpath"; done
    fi
}

# Points ELF file $1's interpreter at glibc's loader and its RUNPATH at $2.
closeElf() {
    local file="$1" rpath="$2" interpreter
    if interpreter=$(patchelf --print-interpreter "$file" 2>/dev/null); then
        if [ ! -e "$glibc/lib/$(basename "$interpreter")" ]; then
            echo "tsportable's default package set cannot close $file: its interpreter $interpreter is not the host's main loader" >&2
            exit 1
        fi
        patchelf --set-interpreter "$glibc/lib/$(basename "$interpreter")" "$file"
    fi
    # A static program has no dynamic section, hence no RUNPATH to set.
    if patchelf --print-rpath "$file" >/dev/null 2>&1; then
        patchelf --set-rpath "$rpath" "$file"
    fi
}
