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
 * tree-sitter's memory during `parse` comes from an arena (below), not malloc;
 * a large file that is one attribute set is parsed in pieces, on several
 * threads (further below).
 *
 * 3. `hashText`, `hashBytes`, `hashParts`: the 128-bit hash of the parse
 *    cache's keys and checksums (src/fastHash.ts), without loading
 *    node:crypto.
 *
 * 4. `mapFile`, `mapFileLatin1`: a file's bytes, or its text as Latin-1,
 *    mapped rather than read: bin/tsportable.js loads the CLI's bundle and
 *    V8's code cache for it this way (see there).
 *
 * 5. `isTerminal(fd)`: isatty(3), as node:tty's isatty asks it, without
 *    loading node:tty (and node:net and the streams it loads: 4 to 6 ms of a
 *    command run in a terminal, src/stdio.ts).
 */
#include <node_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tree_sitter/api.h>
/* tree-sitter's internal headers (lib/src), for `flatten`'s walk of the subtrees. */
#include "language.h"
#include "subtree.h"
#include "tree.h"

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
  /** A thread keeps its arena's last mapping between parses when it is no larger (arena_done). */
  ARENA_KEEP = 1 << 23,
  /** Blocks are multiples of 8 bytes after an 8-byte size header; free lists for sizes below 8 * ARENA_CLASSES. */
  ARENA_CLASSES = 64,
};

/** Mappings this large are offered huge pages (2 MB: one page fault instead of 512). */
enum { HUGE_PAGE = 1 << 21 };

/* `size` bytes of fresh memory, offered huge pages when large enough; NULL when there is none. */
static void *map_memory(size_t size) {
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
#ifdef MADV_HUGEPAGE
  if (size >= HUGE_PAGE) madvise(p, size, MADV_HUGEPAGE);
#endif
  return p;
}

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
    Chunk *chunk = map_memory(size);
    if (!chunk) {
      /* As tree-sitter's own allocator does when malloc fails. */
      fprintf(stderr, "tsportable: out of memory while parsing\n");
      abort();
    }
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

/** Empties the arena for the next parse of the same call, keeping its last (largest) mapping: its pages are in memory already. */
static void arena_reset(void) {
  if (!arena_top) return;
  Chunk *keep = arena_top;
  Chunk *chunk = keep->previous;
  while (chunk) {
    Chunk *previous = chunk->previous;
    munmap(chunk, chunk->size);
    chunk = previous;
  }
  keep->previous = NULL;
  keep->used = sizeof(Chunk);
  memset(arena_free_lists, 0, sizeof arena_free_lists);
}

/**
 * Ends a call's use of the arena. A small arena's last mapping is kept for
 * the thread's next parse (files are parsed one after another: their pages
 * are then in memory already); a large one is given back.
 */
static void arena_done(void) {
  if (arena_top && arena_top->size <= ARENA_KEEP) arena_reset();
  else arena_release();
}

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

/*
 * Memory of the text's copy and of the flat trees. A large block is a
 * mapping offered huge pages, as the arena's are: a 20 MB file's flat tree
 * is some 80 MB, and with 4 KB pages every page of it, of each piece's tree
 * and of the text's copy was a page fault of its own (a tenth of the first
 * parse's time). A small block is malloc's.
 */

/* `bytes` of memory, or NULL; `*mapped` gets the size of the mapping it is, or 0 when it is malloc's. */
static void *big_alloc(size_t bytes, size_t *mapped) {
  *mapped = 0;
  if (bytes < HUGE_PAGE) return malloc(bytes ? bytes : 1);
  size_t size = (bytes + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
  void *p = map_memory(size);
  if (p) *mapped = size;
  return p;
}

static void big_free(void *p, size_t mapped) {
  if (mapped) munmap(p, mapped);
  else free(p);
}

/* A growable int32 buffer; `mapped` as big_alloc says. */
typedef struct { int32_t *data; size_t count, capacity, mapped; } Buffer;

/* Room for `capacity` ints in all. Returns 0 when out of memory. */
static int reserve(Buffer *b, size_t capacity) {
  if (capacity <= b->capacity) return 1;
  size_t bytes = capacity * sizeof(int32_t);
  if (!b->mapped && bytes < HUGE_PAGE) {
    int32_t *data = realloc(b->data, bytes);
    if (!data) return 0;
    b->data = data;
    b->capacity = capacity;
    return 1;
  }
  size_t mapped;
  int32_t *data = big_alloc(bytes, &mapped);
  if (!data) return 0;
  if (b->count) memcpy(data, b->data, b->count * sizeof(int32_t));
  big_free(b->data, b->mapped);
  b->data = data;
  b->capacity = mapped / sizeof(int32_t);
  b->mapped = mapped;
  return 1;
}

static int grow(Buffer *b, size_t need) {
  if (b->count + need <= b->capacity) return 1;
  size_t capacity = b->capacity ? b->capacity * 2 : 4096;
  while (capacity < b->count + need) capacity *= 2;
  return reserve(b, capacity);
}

static void buffer_free(Buffer *b) {
  big_free(b->data, b->mapped);
  *b = (Buffer){0};
}

/* The node types whose anonymous children (their operators) lowering reads. */
static TSSymbol binary_symbol, unary_symbol;

/* A subtree whose children the walk in `flatten` is going through. */
typedef struct {
  const Subtree *children;
  uint32_t count, next, structural;
  /* Where the next child starts (bytes), and the alias of each structural child (or NULL). */
  uint32_t position;
  const TSSymbol *aliases;
  /* The index of the node the children are copied under; `own`: this frame's subtree is that node (not a hidden one). */
  int32_t under;
  int own;
} Frame;

/*
 * Preorder copy: each node's type (with NAMED_BIT), start and end as UTF-16
 * indices, its parent's index (-1 for the root) and the index just after its
 * last descendant. Anonymous tokens (punctuation, keywords) are left out,
 * except the operators of binary and unary expressions: lowering reads
 * nothing else of them, and they were most of a large file's nodes.
 * Returns 0 when out of memory.
 *
 * The nodes are those a tree cursor visits, but the walk reads tree-sitter's
 * subtrees itself (its internal headers, from the same vendored sources this
 * module is built with): a cursor re-derives each node's alias, position and
 * visibility from its stack at every step, and that was a fifth of a large
 * file's parse. A child is a node when it is visible or its parent's
 * production aliases it (extras never are); a hidden child's children are
 * taken as its parent's.
 */
static int flatten(TSTree *tree, Buffer *out) {
  const TSLanguage *language = tree->language;
  Subtree root = tree->root;
  Frame *stack = NULL;
  size_t depth = 0, capacity = 0;
  /* Room for every visible node at once (anonymous tokens left out make it more than enough). */
  if (!reserve(out, out->count + ((size_t)ts_subtree_visible_descendant_count(root) + 1) * FIELDS)) return 0;
  uint32_t root_start = ts_subtree_padding(root).bytes;
  int32_t *f = out->data;
  f[F_TYPE] = (int32_t)ts_language_public_symbol(language, ts_subtree_symbol(root)) | (ts_subtree_named(root) ? NAMED_BIT : 0);
  f[F_START] = (int32_t)(root_start / 2);
  f[F_END] = (int32_t)((root_start + ts_subtree_size(root).bytes) / 2);
  f[F_PARENT] = -1;
  f[F_AFTER] = 1;
  out->count = FIELDS;
  const Subtree *parent = &root;
  uint32_t position = root_start;
  int32_t under = 0;
  int own = 1;
  for (;;) {
    /* Open `parent`'s children as a frame. */
    if (ts_subtree_child_count(*parent) > 0) {
      if (depth == capacity) {
        capacity = capacity ? capacity * 2 : 64;
        Frame *grown = realloc(stack, capacity * sizeof(Frame));
        if (!grown) { free(stack); return 0; }
        stack = grown;
      }
      stack[depth++] = (Frame){
        .children = ts_subtree_children(*parent),
        .count = parent->ptr->child_count,
        .position = position,
        .aliases = ts_language_alias_sequence(language, parent->ptr->production_id),
        .under = under,
        .own = own,
      };
    }
    /* The next child to descend into, closing the frames that are done. */
    parent = NULL;
    while (depth) {
      Frame *frame = &stack[depth - 1];
      if (frame->next == frame->count) {
        if (frame->own) out->data[frame->under * FIELDS + F_AFTER] = (int32_t)(out->count / FIELDS);
        depth--;
        continue;
      }
      const Subtree *child = &frame->children[frame->next++];
      uint32_t start = frame->position;
      uint32_t size = ts_subtree_size(*child).bytes;
      frame->position += size;
      if (frame->next < frame->count) frame->position += ts_subtree_padding(frame->children[frame->next]).bytes;
      TSSymbol alias = 0;
      if (!ts_subtree_extra(*child)) {
        if (frame->aliases) alias = frame->aliases[frame->structural];
        frame->structural++;
      }
      uint32_t visible_children = ts_subtree_visible_child_count(*child);
      if (!ts_subtree_visible(*child) && !alias) {
        /* Hidden: its children are this frame's (when it has any visible ones). */
        if (visible_children == 0) continue;
        parent = child;
        position = start;
        under = frame->under;
        own = 0;
        break;
      }
      int named = alias ? ts_language_symbol_metadata(language, alias).named : ts_subtree_named(*child);
      if (!named && visible_children == 0) {
        TSSymbol parent_type = (TSSymbol)(out->data[frame->under * FIELDS + F_TYPE] & 0xffff);
        if (parent_type != binary_symbol && parent_type != unary_symbol) continue;
      }
      if (!grow(out, FIELDS)) { free(stack); return 0; }
      int32_t index = (int32_t)(out->count / FIELDS);
      f = out->data + out->count;
      out->count += FIELDS;
      f[F_TYPE] = (int32_t)ts_language_public_symbol(language, alias ? alias : ts_subtree_symbol(*child)) | (named ? NAMED_BIT : 0);
      f[F_START] = (int32_t)(start / 2);
      f[F_END] = (int32_t)((start + size) / 2);
      f[F_PARENT] = frame->under;
      f[F_AFTER] = index + 1;
      if (visible_children == 0) continue;
      parent = child;
      position = start;
      under = index;
      own = 1;
      break;
    }
    if (!parent) break;
  }
  free(stack);
  return 1;
}

/*
 * A large file that is one attribute set (`{ a = ...; b = ...; ... }`, the
 * shape of generated package sets) is parsed in pieces of a few hundred
 * thousand characters, each piece a run of whole bindings: tree-sitter's
 * tree of a whole 20 MB file takes more than a gigabyte, a piece's some tens
 * of megabytes, and the arena's pages are reused from one piece to the next.
 *
 * Each piece is parsed as the file with only the set's opening (everything up
 * to its first binding), the piece, and the set's closing (from its `}` to the
 * end) included (ts_parser_set_included_ranges): its nodes have the offsets
 * they have in the file, and its bindings are the nodes the whole file's
 * parse gives them, as a binding's parse does not depend on the bindings
 * around it. The flat trees are joined under one source_code, set and
 * binding_set: the first piece's, ended where the last piece's end.
 *
 * Where a piece ends is found by a scan that knows just enough of Nix's
 * tokens to track nesting: comments, strings and indented strings with their
 * escapes and interpolations, identifiers (which may hold `'`), URIs (which
 * may hold `/*`). A piece ends after a `;` at the set's own level, before the
 * next binding's first character. When the scan sees anything else (the file
 * is not one set, or it is not sure), or a piece has a syntax error, the file
 * is parsed whole: that is the parse that reports errors.
 */
enum {
  /** Files shorter than this (UTF-16 units) are parsed whole. */
  PIECES_FROM = 1 << 21,
  /** About how long a piece is (UTF-16 units). */
  PIECE_LENGTH = 1 << 18,
  /** Nesting deeper than this in the scan: parsed whole. */
  SCAN_DEPTH = 256,
  /** Threads that parse pieces at once, at most (and no more than the machine's cores). */
  PIECE_THREADS = 4,
};

static int is_ident_start(char16_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_ident_char(char16_t c) { return is_ident_start(c) || (c >= '0' && c <= '9') || c == '\'' || c == '-'; }
static int is_uri_char(char16_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c > 0 && c < 128 && strchr("%/?:@&=+$,-_.!~*'", (char)c));
}
static int is_space(char16_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int is_word(const char16_t *t, size_t length, const char *word) {
  if (strlen(word) != length) return 0;
  for (size_t i = 0; i < length; i++) if (t[i] != (char16_t)word[i]) return 0;
  return 1;
}

/** Skips blanks and comments from `i`; returns where the next token starts (or `length`), or -1 in an unclosed comment. */
static int64_t skip_blank(const char16_t *t, size_t length, size_t i) {
  for (;;) {
    while (i < length && is_space(t[i])) i++;
    if (i < length && t[i] == '#') {
      while (i < length && t[i] != '\n') i++;
    } else if (i + 1 < length && t[i] == '/' && t[i + 1] == '*') {
      i += 2;
      while (i + 1 < length && !(t[i] == '*' && t[i + 1] == '/')) i++;
      if (i + 1 >= length) return -1;
      i += 2;
    } else return (int64_t)i;
  }
}

/*
 * Where the pieces of `t` (each at least `piece_length` long) start, after the first: `splits` (malloc'd) gets
 * them, `*open_end` where the first binding starts, `*close` where the set's
 * `}` is. Returns the count of splits; 0 when the file is not to be parsed in
 * pieces.
 */
static size_t find_pieces(const char16_t *t, size_t length, size_t piece_length, size_t **splits, size_t *open_end, size_t *close) {
  enum { CODE, STRING, INDENTED };
  /* The contexts entered: a bracket of code (CODE), or the string an interpolation is in. */
  unsigned char stack[SCAN_DEPTH];
  size_t depth = 0;
  int64_t at = skip_blank(t, length, 0);
  if (at < 0 || (size_t)at >= length || t[at] != '{') return 0;
  size_t i = (size_t)at + 1;
  int64_t first = skip_blank(t, length, i);
  if (first < 0) return 0;
  *open_end = (size_t)first;
  size_t *out = NULL, count = 0, capacity = 0;
  size_t piece_start = (size_t)first;
  int context = CODE;
  /* At the set's level: `let`s without their `in` yet, `with`s and `assert`s without their `;`. */
  size_t lets = 0, statements = 0;
  while (i < length) {
    char16_t c = t[i];
    if (context != CODE) {
      /* In a string: `${` opens an interpolation, `$${` is text. */
      if (c == '$' && i + 1 < length && t[i + 1] == '{') {
        if (depth + 1 >= SCAN_DEPTH) goto whole;
        stack[depth++] = (unsigned char)context;
        i += 2;
        context = CODE;
      } else if (c == '$' && i + 1 < length && t[i + 1] == '$') i += 2;
      else if (context == STRING) {
        if (c == '\\') i += 2;
        else if (c == '"') { i++; context = stack[--depth]; }
        else i++;
      } else if (c == '\'' && i + 1 < length && t[i + 1] == '\'') {
        /* In an indented string: `'''`, `''$` and `''\x` are escapes; another `''` ends it. */
        char16_t d = i + 2 < length ? t[i + 2] : 0;
        if (d == '\'' || d == '$') i += 3;
        else if (d == '\\') i += 4;
        else { i += 2; context = stack[--depth]; }
      } else i++;
      continue;
    }
    /* Code; depth 0 is the set's own level. */
    if (c == '#' || (c == '/' && i + 1 < length && t[i + 1] == '*')) {
      int64_t next = skip_blank(t, length, i);
      if (next < 0) goto whole;
      i = (size_t)next;
    } else if (c == '"') {
      if (depth + 1 >= SCAN_DEPTH) goto whole;
      stack[depth++] = CODE;
      context = STRING;
      i++;
    } else if (c == '\'' && i + 1 < length && t[i + 1] == '\'') {
      if (depth + 1 >= SCAN_DEPTH) goto whole;
      stack[depth++] = CODE;
      context = INDENTED;
      i += 2;
    } else if (is_ident_start(c)) {
      size_t start = i;
      while (i < length && is_ident_char(t[i])) i++;
      /* A URI: a scheme, `:`, and a character of a URI (`x: y` is a function). */
      size_t j = start;
      while (j < length && (is_ident_start(t[j]) || (t[j] >= '0' && t[j] <= '9') || t[j] == '+' || t[j] == '-' || t[j] == '.')) j++;
      if (j < length && t[j] == ':' && j + 1 < length && is_uri_char(t[j + 1])) {
        i = j + 1;
        while (i < length && is_uri_char(t[i])) i++;
      } else if (depth == 0) {
        /* Keywords whose `;` are not a binding's end, at the set's level. */
        if (is_word(t + start, i - start, "let")) {
          int64_t next = skip_blank(t, length, i);
          if (next < 0) goto whole;
          if ((size_t)next >= length || t[next] != '{') lets++; /* `let { ... }` has no `in` */
        } else if (is_word(t + start, i - start, "in")) {
          if (lets) lets--;
        } else if (is_word(t + start, i - start, "with") || is_word(t + start, i - start, "assert")) {
          statements++;
        }
      }
    } else if (c == '{' || c == '(' || c == '[' || (c == '$' && i + 1 < length && t[i + 1] == '{')) {
      if (depth + 1 >= SCAN_DEPTH) goto whole;
      stack[depth++] = CODE;
      i += c == '$' ? 2 : 1;
    } else if (c == '}' || c == ')' || c == ']') {
      if (depth == 0) {
        if (c != '}') goto whole;
        /* The set's end: then only blanks and comments. */
        int64_t rest = skip_blank(t, length, i + 1);
        if (rest < 0 || (size_t)rest != length) goto whole;
        *close = i;
        *splits = out;
        return count;
      }
      context = stack[--depth];
      i++;
    } else if (c == ';' && depth == 0) {
      i++;
      if (lets) continue; /* a binding of a `let` */
      if (statements) { statements--; continue; } /* `with e;`, `assert e;` */
      if (i - piece_start >= piece_length) {
        /* The next piece starts at a binding, with only blanks before it (where tree-sitter hangs a comment could differ). */
        size_t k = i;
        while (k < length && is_space(t[k])) k++;
        if (k < length && (is_ident_start(t[k]) || t[k] == '"')) {
          if (count == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            size_t *grown = realloc(out, capacity * sizeof(size_t));
            if (!grown) goto whole;
            out = grown;
          }
          out[count++] = k;
          piece_start = k;
        }
      }
    } else i++;
  }
whole:
  free(out);
  return 0;
}

/** The row and byte column of each of the sorted UTF-16 `offsets` (ranges need both). */
static void points_at(const char16_t *t, const size_t *offsets, size_t count, TSPoint *points) {
  size_t i = 0, line_start = 0;
  uint32_t row = 0;
  for (size_t k = 0; k < count; k++) {
    for (; i < offsets[k]; i++) {
      if (t[i] == '\n') { row++; line_start = i + 1; }
    }
    points[k] = (TSPoint){ row, (uint32_t)((offsets[k] - line_start) * 2) };
  }
}

static TSRange range_of(size_t start, TSPoint start_point, size_t end, TSPoint end_point) {
  return (TSRange){ start_point, end_point, (uint32_t)(start * 2), (uint32_t)(end * 2) };
}

/** The index of the first child of `parent` (in a flat tree) with symbol `symbol`, or -1. */
static int32_t child_of_type(const int32_t *n, int32_t parent, TSSymbol symbol) {
  for (int32_t i = parent + 1; i < n[parent * FIELDS + F_AFTER]; i = n[i * FIELDS + F_AFTER]) {
    if ((TSSymbol)(n[i * FIELDS + F_TYPE] & 0xffff) == symbol) return i;
  }
  return -1;
}

/** The pieces of one parse, shared by the threads that parse them. */
typedef struct {
  const TSLanguage *language;
  const char16_t *text;
  size_t length, count, close;
  /* Piece k runs from bounds[k] to bounds[k + 1]: open_end, the splits, close, length; with their points. */
  const size_t *bounds;
  const TSPoint *points;
  /** The next piece to take. */
  atomic_size_t next;
  /** Each piece's flat tree, and whether it was made (1), had a syntax error (0), or memory ran out (-1). */
  Buffer *flats;
  int *results;
} Pieces;

/** Parses piece k into its flat tree. */
static int parse_piece(Pieces *p, size_t k) {
  const size_t *bounds = p->bounds;
  const TSPoint *points = p->points;
  size_t count = p->count;
  const TSPoint zero = { 0, 0 };
  /* The first piece from the start, the last to the end; the others with the set's opening and closing. */
  TSRange ranges[3];
  uint32_t range_count = 0;
  if (k == 0) ranges[range_count++] = range_of(0, zero, bounds[1], points[1]);
  else {
    ranges[range_count++] = range_of(0, zero, bounds[0], points[0]);
    ranges[range_count++] = range_of(bounds[k], points[k], k == count ? p->length : bounds[k + 1], k == count ? points[count + 2] : points[k + 1]);
  }
  if (k < count) ranges[range_count++] = range_of(p->close, points[count + 1], p->length, points[count + 2]);
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, p->language);
  int result = 0;
  if (ts_parser_set_included_ranges(parser, ranges, range_count)) {
    TSTree *tree = ts_parser_parse_string_encoding(parser, NULL, (const char *)p->text, (uint32_t)(p->length * sizeof(char16_t)), TSInputEncodingUTF16LE);
    if (tree && !ts_node_has_error(ts_tree_root_node(tree))) result = flatten(tree, &p->flats[k]) ? 1 : -1;
  }
  arena_reset(); /* the piece's tree and parser */
  return result;
}

/** Takes pieces until none is left (on each thread, the calling one included). */
static void *parse_some_pieces(void *arg) {
  Pieces *p = arg;
  for (;;) {
    size_t k = atomic_fetch_add(&p->next, 1);
    if (k > p->count) break;
    p->results[k] = parse_piece(p, k);
    if (p->results[k] != 1) atomic_store(&p->next, p->count + 1); /* the file is parsed whole, or not at all */
  }
  arena_release();
  return NULL;
}

/*
 * Parses `t` in the pieces find_pieces found (see above) into `out`, on up to
 * PIECE_THREADS threads. Returns 1 when done, 0 when the file is to be parsed
 * whole (a piece with a syntax error, or not of the expected shape), -1 when
 * out of memory.
 */
static int parse_pieces(const TSLanguage *language, const char16_t *t, size_t length, const size_t *splits, size_t count,
                        size_t open_end, size_t close, Buffer *out) {
  TSSymbol set_symbol = ts_language_symbol_for_name(language, "attrset_expression", 18, true);
  TSSymbol bindings_symbol = ts_language_symbol_for_name(language, "binding_set", 11, true);
  size_t bounds_count = count + 3;
  size_t *bounds = malloc(bounds_count * sizeof(size_t));
  TSPoint *points = malloc(bounds_count * sizeof(TSPoint));
  Buffer *flats = calloc(count + 1, sizeof(Buffer));
  int *results = calloc(count + 1, sizeof(int));
  int result = 0;
  if (!bounds || !points || !flats || !results) { result = -1; goto done; }
  bounds[0] = open_end;
  memcpy(bounds + 1, splits, count * sizeof(size_t));
  bounds[count + 1] = close;
  bounds[count + 2] = length;
  points_at(t, bounds, bounds_count, points);

  Pieces pieces = { language, t, length, count, close, bounds, points, 0, flats, results };
  atomic_init(&pieces.next, 0);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  size_t helpers = cores > 1 ? (size_t)(cores < PIECE_THREADS ? cores : PIECE_THREADS) - 1 : 0;
  if (helpers > count) helpers = count;
  pthread_t threads[PIECE_THREADS];
  size_t started = 0;
  for (; started < helpers; started++) {
    if (pthread_create(&threads[started], NULL, parse_some_pieces, &pieces) != 0) break;
  }
  parse_some_pieces(&pieces);
  for (size_t i = 0; i < started; i++) pthread_join(threads[i], NULL);
  for (size_t k = 0; k <= count; k++) {
    if (results[k] != 1) { result = results[k] < 0 ? -1 : 0; goto done; }
  }

  /* Room for the pieces' nodes at once (some are left out: more than enough). */
  size_t all = 0;
  for (size_t k = 0; k <= count; k++) all += flats[k].count;
  if (!reserve(out, all)) { result = -1; goto done; }

  /* The joined tree's source_code, set and binding_set: the first piece's. */
  int32_t root = 0, set = -1, bindings = -1;
  for (size_t k = 0; k <= count; k++) {
    const int32_t *n = flats[k].data;
    int32_t piece_set = child_of_type(n, 0, set_symbol);
    int32_t piece_bindings = piece_set < 0 ? -1 : child_of_type(n, piece_set, bindings_symbol);
    if (piece_bindings < 0) goto done;
    int32_t bindings_after = n[piece_bindings * FIELDS + F_AFTER];
    if (k == 0) {
      /* Everything up to the end of the binding_set's subtree, as it is. */
      if (!grow(out, (size_t)bindings_after * FIELDS)) { result = -1; goto done; }
      memcpy(out->data, n, (size_t)bindings_after * FIELDS * sizeof(int32_t));
      out->count = (size_t)bindings_after * FIELDS;
      set = piece_set;
      bindings = piece_bindings;
    } else {
      /* The binding_set's descendants, renumbered, under the first piece's binding_set. */
      int32_t shift = (int32_t)(out->count / FIELDS) - (piece_bindings + 1);
      size_t nodes = (size_t)(bindings_after - piece_bindings - 1);
      if (!grow(out, nodes * FIELDS)) { result = -1; goto done; }
      for (int32_t i = piece_bindings + 1; i < bindings_after; i++) {
        int32_t *f = out->data + out->count;
        memcpy(f, n + i * FIELDS, FIELDS * sizeof(int32_t));
        f[F_PARENT] = f[F_PARENT] == piece_bindings ? bindings : f[F_PARENT] + shift;
        f[F_AFTER] += shift;
        out->count += FIELDS;
      }
    }
    if (k == count) {
      /* The rest of the last piece (what follows the bindings: comments, the set's end), under the first piece's nodes. */
      int32_t end_of_bindings = (int32_t)(out->count / FIELDS);
      int32_t piece_count = (int32_t)(flats[k].count / FIELDS);
      int32_t shift = end_of_bindings - bindings_after;
      if (!grow(out, (size_t)(piece_count - bindings_after) * FIELDS)) { result = -1; goto done; }
      for (int32_t i = bindings_after; i < piece_count; i++) {
        int32_t *f = out->data + out->count;
        memcpy(f, n + i * FIELDS, FIELDS * sizeof(int32_t));
        int32_t up = f[F_PARENT];
        f[F_PARENT] = up == 0 ? root : up == piece_set ? set : up + shift;
        f[F_AFTER] += shift;
        out->count += FIELDS;
      }
      int32_t *o = out->data;
      o[bindings * FIELDS + F_AFTER] = end_of_bindings;
      o[bindings * FIELDS + F_END] = n[piece_bindings * FIELDS + F_END];
      o[set * FIELDS + F_AFTER] = n[piece_set * FIELDS + F_AFTER] + shift;
      o[set * FIELDS + F_END] = n[piece_set * FIELDS + F_END];
      o[root * FIELDS + F_AFTER] = (int32_t)(out->count / FIELDS);
      o[root * FIELDS + F_END] = n[F_END];
      result = 1;
    }
    buffer_free(&flats[k]);
  }
done:
  if (flats) for (size_t k = 0; k <= count; k++) buffer_free(&flats[k]);
  free(flats);
  free(results);
  free(bounds);
  free(points);
  if (result != 1) out->count = 0;
  return result;
}

/** How many pieces the last parse on this thread was made of (1: parsed whole), for tests. */
static _Thread_local uint32_t last_pieces;

/*
 * A copy of a JavaScript string's UTF-16 units (free it with big_free(units,
 * *mapped)), or NULL with an exception thrown; `who` names the function in
 * its message.
 */
static char16_t *string_units(napi_env env, napi_value value, const char *who, size_t *length, size_t *mapped) {
  char message[64];
  if (napi_get_value_string_utf16(env, value, NULL, 0, length) != napi_ok) {
    snprintf(message, sizeof message, "%s: expected a string", who);
    throw_error(env, message);
    return NULL;
  }
  char16_t *units = big_alloc((*length + 1) * sizeof(char16_t), mapped);
  if (!units) {
    snprintf(message, sizeof message, "%s: out of memory", who);
    throw_error(env, message);
    return NULL;
  }
  if (napi_get_value_string_utf16(env, value, units, *length + 1, length) != napi_ok) {
    big_free(units, *mapped);
    return NULL;
  }
  return units;
}

/*
 * The hash of fastHash.ts: 128 bits from two 64-bit lanes, each 16-byte
 * block (two little-endian words) taken into both lanes by a 64x64 to
 * 128-bit multiplication folded to 64 bits; the length and a final mixing of
 * the lanes end it. Not a cryptographic hash: it tells apart inputs that
 * differ by accident (an edited file, a damaged cache entry).
 */
enum { HASH_BLOCK = 16 };
static const uint64_t HASH_K[] = {
  0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL, 0x165667b19e3779f9ULL, 0xd6e8feb86659fd93ULL,
  0xa0761d6478bd642fULL, 0xe7037ed1a0b428dbULL, 0x8ebc6af09c88c6e3ULL, 0x589965cc75374cc3ULL,
};

typedef struct {
  uint64_t a, b, length;
  unsigned char tail[HASH_BLOCK];
  size_t tail_length;
} HashState;

static inline uint64_t fold_mul(uint64_t x, uint64_t y) {
  __uint128_t r = (__uint128_t)x * y;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t read_le64(const unsigned char *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t v;
  memcpy(&v, p, sizeof v);
  return v;
#else
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
#endif
}

static void hash_init(HashState *h, uint32_t seed) {
  h->a = HASH_K[0] ^ fold_mul(seed + HASH_K[1], HASH_K[2]);
  h->b = HASH_K[3] ^ fold_mul(seed + HASH_K[4], HASH_K[5]);
  h->length = 0;
  h->tail_length = 0;
}

static inline void hash_block(HashState *h, const unsigned char *p) {
  uint64_t x = read_le64(p), y = read_le64(p + 8);
  uint64_t a = fold_mul(h->a ^ x, HASH_K[1] ^ y);
  uint64_t b = fold_mul(h->b ^ y, HASH_K[6] ^ x);
  /* Each lane also gets the other's last state, so that neither is a function of half the input. */
  h->a = a + (h->b << 23 | h->b >> 41);
  h->b = b + (h->a << 17 | h->a >> 47);
}

static void hash_update(HashState *h, const unsigned char *p, size_t n) {
  h->length += n;
  if (h->tail_length) {
    size_t take = HASH_BLOCK - h->tail_length < n ? HASH_BLOCK - h->tail_length : n;
    memcpy(h->tail + h->tail_length, p, take);
    h->tail_length += take;
    p += take;
    n -= take;
    if (h->tail_length < HASH_BLOCK) return;
    hash_block(h, h->tail);
    h->tail_length = 0;
  }
  for (; n >= HASH_BLOCK; p += HASH_BLOCK, n -= HASH_BLOCK) hash_block(h, p);
  memcpy(h->tail, p, n);
  h->tail_length = n;
}

/* The digest as 32 hex digits (and a NUL) in `out`. */
static void hash_final(HashState *h, char *out) {
  unsigned char last[HASH_BLOCK] = {0};
  memcpy(last, h->tail, h->tail_length);
  last[HASH_BLOCK - 1] ^= (unsigned char)(0x80 | h->tail_length);
  hash_block(h, last);
  uint64_t a = h->a ^ fold_mul(h->length ^ HASH_K[7], HASH_K[2]);
  uint64_t b = h->b ^ fold_mul(h->length + HASH_K[5], HASH_K[0]);
  a = fold_mul(a ^ (b >> 31), HASH_K[3]);
  b = fold_mul(b ^ (a >> 29), HASH_K[4]);
  a = fold_mul(a ^ (b >> 33), HASH_K[6]);
  b ^= a;
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++) {
    out[i] = digits[(a >> (60 - 4 * i)) & 15];
    out[16 + i] = digits[(b >> (60 - 4 * i)) & 15];
  }
  out[32] = 0;
}

static napi_value hash_result(napi_env env, HashState *h) {
  char hex[33];
  hash_final(h, hex);
  napi_value result;
  CHECK(napi_create_string_latin1(env, hex, 32, &result));
  return result;
}

/* The seed argument at `index` (0 when missing). */
static int hash_seed(napi_env env, size_t argc, napi_value *argv, size_t index, uint32_t *seed) {
  *seed = 0;
  if (argc <= index) return 1;
  return napi_get_value_uint32(env, argv[index], seed) == napi_ok;
}

/* The bytes of a Uint8Array (a Buffer is one); 0 for anything else. */
static int typed_bytes(napi_env env, napi_value value, const unsigned char **data, size_t *length) {
  napi_typedarray_type type;
  void *base;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, &base, &buffer, &offset) != napi_ok || type != napi_uint8_array) return 0;
  *data = base;
  return 1;
}

/* hashText(text, seed?): the hash of the text's UTF-16 units, little-endian. */
static napi_value hash_text(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint32_t seed;
  if (argc < 1 || !hash_seed(env, argc, argv, 1, &seed)) return throw_error(env, "hashText: expected a string and a seed");
  size_t length, mapped;
  char16_t *units = string_units(env, argv[0], "hashText", &length, &mapped);
  if (!units) return NULL;
  HashState h;
  hash_init(&h, seed);
  /* As little-endian bytes whatever the host's order. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  hash_update(&h, (const unsigned char *)units, length * sizeof(char16_t));
#else
  unsigned char block[4096];
  size_t filled = 0;
  for (size_t i = 0; i < length; i++) {
    block[filled++] = (unsigned char)(units[i] & 0xff);
    block[filled++] = (unsigned char)(units[i] >> 8);
    if (filled == sizeof block) {
      hash_update(&h, block, filled);
      filled = 0;
    }
  }
  hash_update(&h, block, filled);
#endif
  big_free(units, mapped);
  return hash_result(env, &h);
}

/* hashBytes(bytes, seed?): the hash of a typed array's bytes. */
static napi_value hash_bytes(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint32_t seed;
  const unsigned char *data;
  size_t length;
  if (argc < 1 || !hash_seed(env, argc, argv, 1, &seed) || !typed_bytes(env, argv[0], &data, &length)) {
    return throw_error(env, "hashBytes: expected bytes and a seed");
  }
  HashState h;
  hash_init(&h, seed);
  hash_update(&h, data, length);
  return hash_result(env, &h);
}

/* hashParts(parts, seed?): hashBytes of the parts joined, without joining them. */
static napi_value hash_parts(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint32_t seed, count;
  if (argc < 1 || !hash_seed(env, argc, argv, 1, &seed) || napi_get_array_length(env, argv[0], &count) != napi_ok) {
    return throw_error(env, "hashParts: expected an array of bytes and a seed");
  }
  HashState h;
  hash_init(&h, seed);
  for (uint32_t i = 0; i < count; i++) {
    napi_value part;
    const unsigned char *data;
    size_t length;
    CHECK(napi_get_element(env, argv[0], i, &part));
    if (!typed_bytes(env, part, &data, &length)) return throw_error(env, "hashParts: expected an array of bytes");
    hash_update(&h, data, length);
  }
  return hash_result(env, &h);
}

/* The finalizer of a flat tree's ArrayBuffer: `hint` is the Buffer's `mapped`. */
static void free_buffer(napi_env env, void *data, void *hint) {
  (void)env;
  big_free(data, (size_t)(uintptr_t)hint);
}

/*
 * parse(text: string, pieceLength?: number): ArrayBuffer of the flat tree.
 * `pieceLength` (for tests) parses any file that can be parsed in pieces so,
 * in pieces of at least that many UTF-16 units.
 */
static napi_value parse(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) return throw_error(env, "parse: expected a string");
  size_t pieces_from = PIECES_FROM, piece_length = PIECE_LENGTH;
  if (argc >= 2) {
    napi_valuetype type;
    CHECK(napi_typeof(env, argv[1], &type));
    if (type == napi_number) {
      uint32_t given;
      CHECK(napi_get_value_uint32(env, argv[1], &given));
      pieces_from = 0;
      piece_length = given;
    }
  }
  size_t length, text_mapped;
  char16_t *text = string_units(env, argv[0], "parse", &length, &text_mapped);
  if (!text) return NULL;
  const TSLanguage *language = tree_sitter_nix();
  binary_symbol = ts_language_symbol_for_name(language, "binary_expression", 17, true);
  unary_symbol = ts_language_symbol_for_name(language, "unary_expression", 16, true);
  Buffer out = {0};
  int ok = 0;
  size_t *splits = NULL, open_end = 0, close = 0;
  size_t count = length >= pieces_from ? find_pieces(text, length, piece_length, &splits, &open_end, &close) : 0;
  int pieces = count ? parse_pieces(language, text, length, splits, count, open_end, close, &out) : 0;
  free(splits);
  last_pieces = pieces == 1 ? count + 1 : 1;
  if (pieces < 0) {
    big_free(text, text_mapped);
    buffer_free(&out);
    return throw_error(env, "parse: out of memory");
  }
  if (pieces == 1) {
    big_free(text, text_mapped);
    ok = 1;
  } else {
    /* The parser and the tree live in the arena: made here, gone with it below (never freed one by one). */
    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, language);
    TSTree *tree = ts_parser_parse_string_encoding(parser, NULL, (const char *)text, (uint32_t)(length * sizeof(char16_t)), TSInputEncodingUTF16LE);
    big_free(text, text_mapped);
    if (!tree) {
      arena_release();
      return throw_error(env, "parse: tree-sitter failed");
    }
    ok = flatten(tree, &out);
    if (ok && ts_node_has_error(ts_tree_root_node(tree))) out.data[F_TYPE] |= ERROR_BIT;
    arena_done();
  }
  napi_value result;
  if (!ok) {
    buffer_free(&out);
    return throw_error(env, "parse: out of memory");
  }
  /* The buffer becomes the ArrayBuffer's memory, freed by the garbage collector. */
  if (napi_create_external_arraybuffer(env, out.data, out.count * sizeof(int32_t), free_buffer, (void *)(uintptr_t)out.mapped, &result) != napi_ok) {
    buffer_free(&out);
    return NULL;
  }
  return result;
}

/* lastPieces(): how many pieces the last parse was made of. */
static napi_value last_pieces_count(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value count;
  CHECK(napi_create_uint32(env, last_pieces, &count));
  return count;
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

/*
 * Files mapped, not read: reading the CLI's bundle (600 KB) copied it twice,
 * into a buffer and then into V8's heap as a string, page fault by page
 * fault; a mapping is given to V8 as it is, and V8 touches only the pages
 * it reads (with the code cache, those of the functions it must compile).
 * The mapping is private and writable: a write to the bytes stays in this
 * process. Whoever replaces a mapped file must rename a new one over it
 * (scripts/bundle.mjs and the code cache's writer do): a file cut short
 * under a mapping would fault when its lost pages are read.
 */

/* Node >= 20.4 has it (declared by its headers only for NAPI_EXPERIMENTAL until it became stable). */
#ifndef NODE_API_EXPERIMENTAL_HAS_EXTERNAL_STRINGS
NAPI_EXTERN napi_status NAPI_CDECL node_api_create_external_string_latin1(
    napi_env env, char *str, size_t length, node_api_basic_finalize finalize_callback,
    void *finalize_hint, napi_value *result, bool *copied);
#endif

/* A file's mapping; `size` 0 when there is none (the file is missing, empty or unreadable). */
typedef struct { void *data; size_t size; } Mapping;

static Mapping map_file(napi_env env, napi_value path_value) {
  Mapping m = { NULL, 0 };
  size_t length;
  if (napi_get_value_string_utf8(env, path_value, NULL, 0, &length) != napi_ok) return m;
  char *path = malloc(length + 1);
  if (!path) return m;
  napi_get_value_string_utf8(env, path_value, path, length + 1, &length);
  int fd = strlen(path) == length ? open(path, O_RDONLY | O_CLOEXEC) : -1;
  free(path);
  if (fd < 0) return m;
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    void *data = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (data != MAP_FAILED) m = (Mapping){ data, (size_t)st.st_size };
  }
  close(fd);
  return m;
}

static void unmap_file(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

/*
 * mapFile(path): the file's bytes (a Uint8Array over its mapping);
 * mapFileLatin1(path): those bytes as a Latin-1 string. Undefined when the
 * file cannot be mapped. The property's data says which (MAP_AS_TEXT).
 */
enum { MAP_AS_BYTES, MAP_AS_TEXT };

static napi_value map_file_export(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  napi_valuetype type;
  void *as;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, &as) != napi_ok) return NULL;
  int text = (uintptr_t)as == MAP_AS_TEXT;
  if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_string) {
    return throw_error(env, text ? "mapFileLatin1: expected a path" : "mapFile: expected a path");
  }
  Mapping m = map_file(env, argv[0]);
  if (!m.size) {
    CHECK(napi_get_undefined(env, &result));
    return result;
  }
  napi_status status;
  if (text) {
    bool copied;
    /* When V8 copies the text instead, Node has already called unmap_file. */
    status = node_api_create_external_string_latin1(env, m.data, m.size, unmap_file, (void *)(uintptr_t)m.size, &result, &copied);
  } else {
    napi_value buffer;
    status = napi_create_external_arraybuffer(env, m.data, m.size, unmap_file, (void *)(uintptr_t)m.size, &buffer);
    if (status == napi_ok) CHECK(napi_create_typedarray(env, napi_uint8_array, m.size, buffer, 0, &result));
  }
  if (status != napi_ok) {
    munmap(m.data, m.size);
    return NULL;
  }
  return result;
}

/* isTerminal(fd): whether the descriptor is a terminal. */
static napi_value is_terminal(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  int32_t fd;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1
      || napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
    return throw_error(env, "isTerminal: expected a file descriptor");
  }
  CHECK(napi_get_boolean(env, fd >= 0 && isatty(fd) == 1, &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value language;
  ts_set_allocator(arena_malloc, arena_calloc, arena_realloc, arena_free);
  CHECK(napi_create_external(env, (void *)tree_sitter_nix(), NULL, NULL, &language));
  CHECK(napi_type_tag_object(env, language, &language_type_tag));
  const napi_property_descriptor properties[] = {
    { "language", NULL, NULL, NULL, NULL, language, napi_enumerable, NULL },
    { "parse", NULL, parse, NULL, NULL, NULL, napi_enumerable, NULL },
    { "symbols", NULL, symbols, NULL, NULL, NULL, napi_enumerable, NULL },
    { "lastPieces", NULL, last_pieces_count, NULL, NULL, NULL, napi_enumerable, NULL },
    { "hashText", NULL, hash_text, NULL, NULL, NULL, napi_enumerable, NULL },
    { "hashBytes", NULL, hash_bytes, NULL, NULL, NULL, napi_enumerable, NULL },
    { "hashParts", NULL, hash_parts, NULL, NULL, NULL, napi_enumerable, NULL },
    { "mapFile", NULL, map_file_export, NULL, NULL, NULL, napi_enumerable, (void *)(uintptr_t)MAP_AS_BYTES },
    { "mapFileLatin1", NULL, map_file_export, NULL, NULL, NULL, napi_enumerable, (void *)(uintptr_t)MAP_AS_TEXT },
    { "isTerminal", NULL, is_terminal, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  CHECK(napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
