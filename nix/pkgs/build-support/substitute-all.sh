# Builder of the legacy substituteAll: every exported lower-case variable
# (each attribute passed in) replaces its @name@ in $src.
source "$stdenv/setup"

eval "${preInstall:-}"

target=$out
if test -n "${dir:-}"; then
    target=$out/$dir/$name
    mkdir -p "$out/$dir"
fi

substituteAll "$src" "$target"

if test -n "${isExecutable:-}"; then
    chmod +x "$target"
fi

eval "${postInstall:-}"
