{
  "targets": [
    {
      "target_name": "tree_sitter_nix_napi",
      "include_dirs": ["../node_modules/tree-sitter-nix/src"],
      "sources": [
        "src/binding.c",
        "../node_modules/tree-sitter-nix/src/parser.c",
        "../node_modules/tree-sitter-nix/src/scanner.c"
      ],
      "cflags_c": ["-std=c11", "-O2", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
