{
  "targets": [
    {
      "target_name": "tree_sitter_nix_napi",
      "include_dirs": [
        "../node_modules/tree-sitter-nix/src",
        "../node_modules/tree-sitter/vendor/tree-sitter/lib/include",
        "../node_modules/tree-sitter/vendor/tree-sitter/lib/src"
      ],
      "sources": [
        "src/binding.c",
        "../node_modules/tree-sitter-nix/src/parser.c",
        "../node_modules/tree-sitter-nix/src/scanner.c",
        "../node_modules/tree-sitter/vendor/tree-sitter/lib/src/lib.c"
      ],
      "cflags_c": ["-std=c11", "-O2", "-Wno-unused-parameter", "-fvisibility=hidden"],
      "defines": ["NAPI_VERSION=8", "_POSIX_C_SOURCE=200809L", "_DEFAULT_SOURCE"]
    }
  ]
}
