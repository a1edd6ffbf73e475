/*
 * The N-API shim of tsportable's Nix grammar. Two jobs:
 *
 * 1. `language`: hands tree-sitter-nix's parser to the `tree-sitter` package.
 *    The grammar package ships an old nan binding that tree-sitter 0.25
 *    refuses ("Invalid language object"); current bindings instead export an
 *    object whose `language` property is an external pointer tagged with the
 *    type tag tree-sitter checks. The package is used for syntax errors only.
 *
 * 2. `parse(text)`: the parse every file goes through. Reading a tree through
 *    the `tree-sitter` package costs a native call per node and property (and
 *    its parse reads a JavaScript string through a callback, chunk by chunk),
 *    which made parsing and copying the tree most of the time of evaluating a
 *    real file. Here tree-sitter's own C library (vendored by the package)
 *    parses the string's UTF-16 units directly, and one walk copies the tree
 *    into one flat array that lowering reads without any further native call
 *    (src/eval/syntax/flatTree.ts describes the layout). A tree with errors is
 *    not copied: the caller reparses it with the package to report them.
 *
 * tree-sitter's memory during `parse` comes from an arena (below), not malloc.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_nix(void);

/* The tag tree-sitter's Node binding checks on language externals. */
static const napi_type_tag language_type_tag = {
  0x8AF2E5212AD58ABFULL, 0xD5006CAD83ABBA16ULL
};

/* int32 fields per node in the flat tree; must match flatTree.ts. */
enum { FIELDS = 5, F_TYPE = 0, F_START = 1, F_END = 2, F_PARENT = 3, F_AFTER = 4 };
/* Set in F_TYPE for named nodes, and in the root's when the tree has syntax errors. */
#define NAMED_BIT 0x10000
#define ERROR_BIT 0x20000

#define CHECK(call) do { if ((call) != napi_ok) return NULL; } while (0)

/*
 * The arena tree-sitter allocates from while a parse runs (ts_set_allocator).
 *
 * Why: a syntax tree is millions of small blocks (about 60 bytes of tree per
 * byte of a generated file), allocated one by one during the parse and freed
 * one by one afterwards, although the tree lives only until it is copied.
 * With malloc, allocating them and faulting in their pages was a third of the
 * parse, freeing them took a walk of the whole tree, and glibc kept the freed
 * memory: the process's peak grew by the tree's size for good. Here blocks
 * are cut from large mappings (huge pages where the kernel gives them), the
 * few that tree-sitter frees during the parse are kept on free lists by size
 * for reuse, and the whole arena is unmapped at once when the tree has been
 * copied: the tree is never walked to free it, and its memory goes back to the
 * system.
 *
 * Everything tree-sitter allocates in this module is made and dropped within
 * one call of `parse` (the parser too), on the calling thread; the arena is
 * per thread, as worker threads may parse at the same time.
 */
enum {
  /** The first mapping's bytes; each next one is twice the last, up to ARENA_MAX_CHUNK. */
  ARENA_FIRST_CHUNK = 1 << 16,
  ARENA_MAX_CHUNK = 1 << 26,
  /** Mappings this large are offered huge pages (2 MB: one page fault instead of 512). */
  ARENA_HUGE = 1 << 21,
  /** Blocks are multiples of 8 bytes after an 8-byte size header; free lists for sizes below 8 * ARENA_CLASSES. */
  ARENA_CLASSES = 64,
};

typedef struct Chunk { struct Chunk *previous; size_t size, used; } Chunk;

static _Thread_local Chunk *arena_top;
static _Thread_local size_t arena_next_chunk = ARENA_FIRST_CHUNK;
static _Thread_local void *arena_free_lists[ARENA_CLASSES];

static void *arena_malloc(size_t n) {
  n = n ? (n + 7) & ~(size_t)7 : 8;
  size_t class = n >> 3;
  if (class < ARENA_CLASSES && arena_free_lists[class]) {
    void *p = arena_free_lists[class];
    arena_free_lists[class] = *(void **)p;
    return p;
  }
  size_t need = n + sizeof(size_t);
  if (!arena_top || arena_top->used + need > arena_top->size) {
    size_t size = arena_next_chunk;
    while (size < need + sizeof(Chunk)) size *= 2;
    if (arena_next_chunk < ARENA_MAX_CHUNK) arena_next_chunk *= 2;
    Chunk *chunk = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (chunk == MAP_FAILED) {
      /* As tree-sitter's own allocator does when malloc fails. */
      fprintf(stderr, "tsportable: out of memory while parsing\n");
      abort();
    }
#ifdef MADV_HUGEPAGE
    if (size >= ARENA_HUGE) madvise(chunk, size, MADV_HUGEPAGE);
#endif
    chunk->previous = arena_top;
    chunk->size = size;
    chunk->used = sizeof(Chunk);
    arena_top = chunk;
  }
  char *p = (char *)arena_top + arena_top->used + sizeof(size_t);
  ((size_t *)p)[-1] = n;
  arena_top->used += need;
  return p;
}

static void arena_free(void *p) {
  if (!p) return;
  size_t class = ((size_t *)p)[-1] >> 3;
  if (class < ARENA_CLASSES) {
    *(void **)p = arena_free_lists[class];
    arena_free_lists[class] = p;
  }
}

static void *arena_calloc(size_t count, size_t size) {
  void *p = arena_malloc(count * size);
  memset(p, 0, count * size);
  return p;
}

static void *arena_realloc(void *old, size_t n) {
  if (!old) return arena_malloc(n);
  size_t had = ((size_t *)old)[-1];
  if (n <= had) return old;
  void *p = arena_malloc(n);
  memcpy(p, old, had);
  arena_free(old);
  return p;
}

/** Unmaps the arena: every block tree-sitter allocated since the last release. */
static void arena_release(void) {
  while (arena_top) {
    Chunk *chunk = arena_top;
    arena_top = chunk->previous;
    munmap(chunk, chunk->size);
  }
  arena_next_chunk = ARENA_FIRST_CHUNK;
  memset(arena_free_lists, 0, sizeof arena_free_lists);
}

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

/* A growable int32 buffer. */
typedef struct { int32_t *data; size_t count, capacity; } Buffer;

static int grow(Buffer *b, size_t need) {
  if (b->count + need <= b->capacity) return 1;
  size_t capacity = b->capacity ? b->capacity * 2 : 4096;
  while (capacity < b->count + need) capacity *= 2;
  int32_t *data = realloc(b->data, capacity * sizeof(int32_t));
  if (!data) return 0;
  b->data = data;
  b->capacity = capacity;
  return 1;
}

/* The node types whose anonymous children (their operators) lowering reads. */
static TSSymbol binary_symbol, unary_symbol;

/*
 * Preorder copy: each node's type (with NAMED_BIT), start and end as UTF-16
 * indices, its parent's index (-1 for the root) and the index just after its
 * last descendant. Anonymous tokens (punctuation, keywords) are left out,
 * except the operators of binary and unary expressions: lowering reads
 * nothing else of them, and they were most of a large file's nodes.
 * Returns 0 when out of memory.
 */
static int flatten(TSTree *tree, Buffer *out) {
  TSTreeCursor cursor = ts_tree_cursor_new(ts_tree_root_node(tree));
  /* Indices of the nodes whose subtrees are open. */
  Buffer open = {0};
  int ok = 1;
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    if (!ts_node_is_named(node) && open.count && ts_node_child_count(node) == 0) {
      TSSymbol parent = (TSSymbol)(out->data[open.data[open.count - 1] * FIELDS + F_TYPE] & 0xffff);
      if (parent != binary_symbol && parent != unary_symbol) {
        /* Left out: on to the next sibling, closing the subtrees left behind. */
        int32_t next = (int32_t)(out->count / FIELDS);
        while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
          if (!open.count) goto done;
          out->data[open.data[--open.count] * FIELDS + F_AFTER] = next;
          ts_tree_cursor_goto_parent(&cursor);
        }
        continue;
      }
    }
    if (!grow(out, FIELDS) || !grow(&open, 1)) { ok = 0; break; }
    int32_t index = (int32_t)(out->count / FIELDS);
    int32_t *f = out->data + out->count;
    out->count += FIELDS;
    f[F_TYPE] = (int32_t)ts_node_symbol(node) | (ts_node_is_named(node) ? NAMED_BIT : 0);
    f[F_START] = (int32_t)(ts_node_start_byte(node) / 2);
    f[F_END] = (int32_t)(ts_node_end_byte(node) / 2);
    f[F_PARENT] = open.count ? open.data[open.count - 1] : -1;
    f[F_AFTER] = index + 1;
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      open.data[open.count++] = index;
      continue;
    }
    /* Close the subtrees left behind until a sibling exists. */
    int32_t next = index + 1;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!open.count) goto done;
      out->data[open.data[--open.count] * FIELDS + F_AFTER] = next;
      ts_tree_cursor_goto_parent(&cursor);
    }
  }
done:
  free(open.data);
  ts_tree_cursor_delete(&cursor);
  return ok;
}

static void free_buffer(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

/* parse(text: string): ArrayBuffer of the flat tree. */
static napi_value parse(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return throw_error(env, "parse: expected a string");
  size_t length;
  if (napi_get_value_string_utf16(env, argv[0], NULL, 0, &length) != napi_ok) return throw_error(env, "parse: expected a string");
  char16_t *text = malloc((length + 1) * sizeof(char16_t));
  if (!text) return throw_error(env, "parse: out of memory");
  if (napi_get_value_string_utf16(env, argv[0], text, length + 1, &length) != napi_ok) {
    free(text);
    return NULL;
  }
  const TSLanguage *language = tree_sitter_nix();
  binary_symbol = ts_language_symbol_for_name(language, "binary_expression", 17, true);
  unary_symbol = ts_language_symbol_for_name(language, "unary_expression", 16, true);
  /* The parser and the tree live in the arena: made here, gone with it below (never freed one by one). */
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, language);
  TSTree *tree = ts_parser_parse_string_encoding(parser, NULL, (const char *)text, (uint32_t)(length * sizeof(char16_t)), TSInputEncodingUTF16LE);
  free(text);
  if (!tree) {
    arena_release();
    return throw_error(env, "parse: tree-sitter failed");
  }
  napi_value result;
  Buffer out = {0};
  int ok = flatten(tree, &out);
  if (ok && ts_node_has_error(ts_tree_root_node(tree))) out.data[F_TYPE] |= ERROR_BIT;
  arena_release();
  if (!ok) {
    free(out.data);
    return throw_error(env, "parse: out of memory");
  }
  /* The buffer becomes the ArrayBuffer's memory, freed by the garbage collector. */
  if (napi_create_external_arraybuffer(env, out.data, out.count * sizeof(int32_t), free_buffer, NULL, &result) != napi_ok) {
    free(out.data);
    return NULL;
  }
  return result;
}

/* symbols(): the grammar's node type names, by symbol id. */
static napi_value symbols(napi_env env, napi_callback_info info) {
  (void)info;
  const TSLanguage *language = tree_sitter_nix();
  uint32_t count = ts_language_symbol_count(language);
  napi_value names;
  CHECK(napi_create_array_with_length(env, count, &names));
  for (uint32_t i = 0; i < count; i++) {
    const char *name = ts_language_symbol_name(language, (TSSymbol)i);
    napi_value value;
    CHECK(napi_create_string_utf8(env, name ? name : "", NAPI_AUTO_LENGTH, &value));
    CHECK(napi_set_element(env, names, i, value));
  }
  return names;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value language, fn;
  ts_set_allocator(arena_malloc, arena_calloc, arena_realloc, arena_free);
  CHECK(napi_create_external(env, (void *)tree_sitter_nix(), NULL, NULL, &language));
  CHECK(napi_type_tag_object(env, language, &language_type_tag));
  CHECK(napi_set_named_property(env, exports, "language", language));
  CHECK(napi_create_function(env, "parse", NAPI_AUTO_LENGTH, parse, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "parse", fn));
  CHECK(napi_create_function(env, "symbols", NAPI_AUTO_LENGTH, symbols, NULL, &fn));
  CHECK(napi_set_named_property(env, exports, "symbols", fn));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
