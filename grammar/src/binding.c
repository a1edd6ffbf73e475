/*
 * The N-API shim that hands tree-sitter-nix's parser to the `tree-sitter`
 * package. The grammar package ships an old nan binding that tree-sitter 0.25
 * refuses ("Invalid language object"); current bindings instead export an
 * object whose `language` property is an external pointer tagged with the type
 * tag tree-sitter checks. That is all this file does.
 */
#include <node_api.h>

typedef struct TSLanguage TSLanguage;
const TSLanguage *tree_sitter_nix(void);

/* The tag tree-sitter's Node binding checks on language externals. */
static const napi_type_tag language_type_tag = {
  0x8AF2E5212AD58ABFULL, 0xD5006CAD83ABBA16ULL
};

static napi_value init(napi_env env, napi_value exports) {
  napi_value language;
  if (napi_create_external(env, (void *)tree_sitter_nix(), NULL, NULL, &language) != napi_ok) return NULL;
  if (napi_type_tag_object(env, language, &language_type_tag) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "language", language) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
