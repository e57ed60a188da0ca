/*
 * The verifier's per-record work in native code (ADR 0052): the canonical check of a record's
 * text, its chain hash, its RFC 9162 leaf and the Merkle range, one call each, so that a record
 * costs what SHA-256 costs on this CPU instead of Node's per-call price for three hashes and the
 * regular expression of a template.
 *
 * Conservative by design, like CanonicalScan.ts: `scan` accepts only texts it proves canonical
 * cheaply (no escapes, control characters or surrogates; numbers only as plain integers of at
 * most 15 digits; every envelope field present with its type), and answers 0 for anything else,
 * which the JavaScript checks then decide and word. So an accepted text is one the JavaScript
 * scan accepts, with the same fields; a property test holds it to that.
 *
 * SHA-256 is OpenSSL's, exported by the Node.js binary that loads this module (every official
 * build exports it for addons; Debian's node links libcrypto), so no crypto code is ours.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "sha256.h"

static void sha256(const uint8_t *data, size_t n, uint8_t out[32]) {
  Sha256Context c;
  SHA256_Init(&c);
  SHA256_Update(&c, data, n);
  SHA256_Final(out, &c);
}

#define MAX_DEPTH 64
#define MAX_STACK 64
#define REFUSED 0
#define MAX_DECIMALS 8

/* Field slots of the Float64Array the caller gives `open`. */
enum {
  F_V, F_POSITION, F_STREAM_VERSION,
  F_ORIGIN_START, F_ORIGIN_END,
  F_RECORDED_START, F_RECORDED_END,
  F_STREAM_ID_START, F_STREAM_ID_END,
  F_PREV_START, F_PREV_END,
  /* The other index columns' fields (ADR 0053): [start, end) of a string value, -1 when the value
   * is absent or not a string (the caller then reads the record another way). */
  F_EVENT_ID_START, F_EVENT_ID_END,
  F_TYPE_START, F_TYPE_END,
  F_TENANT_START, F_TENANT_END,
  F_OCCURRED_START, F_OCCURRED_END,
  /* How many number tokens of the payload are not plain integers, then [start, end) of each:
   * the JavaScript side proves each one its own ECMAScript form (RFC 8785 §3.2.2.3). */
  F_DECIMALS,
  F_DECIMAL_SPANS,
  F_COUNT = F_DECIMAL_SPANS + 2 * MAX_DECIMALS
};

typedef struct {
  uint16_t *text;         /* the record's UTF-16 code units */
  size_t text_cap;
  size_t length;
  uint8_t *bytes;         /* [0x00][previous hash, 32 bytes][record, UTF-8] */
  size_t bytes_cap;
  size_t record_bytes;
  uint8_t digest[32];     /* the last chain hash computed */
  uint8_t stack[MAX_STACK][32]; /* the compact range, largest subtree first */
  int depth;
  double size;
  double *fields;
  napi_ref fields_ref;
  /* The JavaScript values that hold this engine (its object and each of its functions): it is
   * freed when the last of them is collected, so a function kept apart from its object stays safe. */
  int holders;
} Engine;

static const char HEX[] = "0123456789abcdef";

static int grow_bytes(Engine *e, size_t need) {
  if (need <= e->bytes_cap) return 1;
  size_t cap = e->bytes_cap * 2 > need ? e->bytes_cap * 2 : need;
  uint8_t *b = realloc(e->bytes, cap);
  if (b == NULL) return 0;
  e->bytes = b;
  e->bytes_cap = cap;
  return 1;
}

/* Copies the string's UTF-16 code units into e->text; 0 when it is not a string or memory fails. */
static int read_text(napi_env env, Engine *e, napi_value value) {
  size_t n = 0;
  if (napi_get_value_string_utf16(env, value, (char16_t *)e->text, e->text_cap, &n) != napi_ok) return 0;
  if (n + 1 >= e->text_cap) {
    /* Possibly cut: ask the length and read again into room for it. */
    if (napi_get_value_string_utf16(env, value, NULL, 0, &n) != napi_ok) return 0;
    if (n + 1 > e->text_cap) {
      uint16_t *t = realloc(e->text, (n + 1) * sizeof(uint16_t));
      if (t == NULL) return 0;
      e->text = t;
      e->text_cap = n + 1;
    }
    if (napi_get_value_string_utf16(env, value, (char16_t *)e->text, e->text_cap, &n) != napi_ok) return 0;
  }
  e->length = n;
  return 1;
}

/* One code unit as UTF-8 at *o; 0 if the fast path refuses it (control character, backslash,
 * surrogate), which also rules out every escape. */
static inline int unit_utf8(uint16_t c, uint8_t **out) {
  uint8_t *o = *out;
  if (c < 0x80) {
    if (c < 0x20 || c == '\\') return 0;
    *o++ = (uint8_t)c;
  } else if (c < 0x800) {
    *o++ = (uint8_t)(0xc0 | (c >> 6));
    *o++ = (uint8_t)(0x80 | (c & 0x3f));
  } else {
    if (c >= 0xd800 && c <= 0xdfff) return 0;
    *o++ = (uint8_t)(0xe0 | (c >> 12));
    *o++ = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
    *o++ = (uint8_t)(0x80 | (c & 0x3f));
  }
  *out = o;
  return 1;
}

/* Writes the text as UTF-8 after the previous hash; 0 if it holds a code unit the fast path
 * refuses. */
static int plain_utf8(Engine *e) {
  if (!grow_bytes(e, 33 + e->length * 3)) return 0;
  const uint16_t *t = e->text;
  const size_t n = e->length;
  uint8_t *o = e->bytes + 33;
  size_t i = 0;
#ifdef __SSE2__
  /* Eight code units at a time when they are plain ASCII (most of a record): a loop over each
   * unit cost more than the record's hash. Any other block is taken unit by unit. */
  const __m128i zero = _mm_setzero_si128();
  const __m128i high = _mm_set1_epi16((short)0xff80);
  const __m128i control = _mm_set1_epi16((short)0xffe0);
  const __m128i backslash = _mm_set1_epi16('\\');
  while (i + 8 <= n) {
    __m128i v = _mm_loadu_si128((const __m128i *)(t + i));
    __m128i ascii = _mm_cmpeq_epi16(_mm_and_si128(v, high), zero);
    __m128i refused = _mm_or_si128(_mm_cmpeq_epi16(_mm_and_si128(v, control), zero), _mm_cmpeq_epi16(v, backslash));
    if (_mm_movemask_epi8(refused) != 0) return 0;
    if (_mm_movemask_epi8(ascii) == 0xffff) {
      _mm_storel_epi64((__m128i *)o, _mm_packus_epi16(v, v));
      o += 8;
      i += 8;
      continue;
    }
    for (size_t end = i + 8; i < end; i++)
      if (!unit_utf8(t[i], &o)) return 0;
  }
#endif
  for (; i < n; i++)
    if (!unit_utf8(t[i], &o)) return 0;
  e->record_bytes = (size_t)(o - (e->bytes + 33));
  return 1;
}

/* The scan, over code units known to be plain (no escapes): positions past the end read as 0. */
typedef struct {
  const uint16_t *t;
  size_t n;
  double *f;      /* where the decimal tokens' spans go */
  int *decimals;  /* how many so far */
} Text;

static inline uint16_t at(const Text *x, size_t p) { return p < x->n ? x->t[p] : 0; }

/* The index after the string opening at p, or REFUSED if it never ends. */
static size_t skip_string(const Text *x, size_t p) {
  size_t i = p + 1;
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi16('"');
  for (; i + 8 <= x->n; i += 8) {
    int hits = _mm_movemask_epi8(_mm_cmpeq_epi16(_mm_loadu_si128((const __m128i *)(x->t + i)), quote));
    if (hits != 0) return i + (size_t)(__builtin_ctz((unsigned)hits) / 2) + 1;
  }
#endif
  for (; i < x->n; i++)
    if (x->t[i] == '"') return i + 1;
  return REFUSED;
}

/* Whether [a1, b1) sorts strictly after [a0, b0) in UTF-16 code units; a0 > b0 is "no key yet". */
static int key_after(const Text *x, size_t a0, size_t b0, size_t a1, size_t b1) {
  if (a0 > b0) return 1;
  size_t n0 = b0 - a0, n1 = b1 - a1, n = n0 < n1 ? n0 : n1;
  for (size_t i = 0; i < n; i++) {
    uint16_t c0 = x->t[a0 + i], c1 = x->t[a1 + i];
    if (c0 != c1) return c1 > c0;
  }
  return n1 > n0;
}

/* A plain integer of 1 to 15 digits with no leading zero (and not -0): exactly what
 * JSON.stringify writes for such a value. Anything else is refused (the JavaScript scan decides). */
static size_t skip_number(const Text *x, size_t p, double *value) {
  size_t i = p;
  int negative = at(x, i) == '-';
  if (negative) i++;
  size_t first = i;
  double v = 0;
  while (at(x, i) >= '0' && at(x, i) <= '9') {
    v = v * 10 + (at(x, i) - '0');
    i++;
  }
  size_t digits = i - first;
  if (digits < 1 || digits > 15) return REFUSED;
  if (at(x, first) == '0' && (digits > 1 || negative)) return REFUSED;
  /* A fraction, an exponent or a sign after the digits is refused by the caller, which reads a
   * delimiter next. */
  if (value != NULL) *value = negative ? -v : v;
  return i;
}

/* A number token of the payload: a plain integer as skip_number proves it; any other token of
 * the characters JSON.stringify writes in numbers (digits, '-', '+', '.', 'e') is listed for the
 * JavaScript side to prove, at most MAX_DECIMALS of them. */
static size_t skip_payload_number(const Text *x, size_t p) {
  size_t end = p;
  for (uint16_t c = at(x, end); (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e'; c = at(x, ++end)) {
  }
  if (end == p) return REFUSED;
  if (skip_number(x, p, NULL) == end) return end;
  if (*x->decimals >= MAX_DECIMALS) return REFUSED;
  x->f[F_DECIMAL_SPANS + 2 * *x->decimals] = (double)p;
  x->f[F_DECIMAL_SPANS + 2 * *x->decimals + 1] = (double)end;
  (*x->decimals)++;
  return end;
}

static size_t skip_literal(const Text *x, size_t p, const char *word) {
  size_t k = 0;
  for (; word[k] != 0; k++)
    if (at(x, p + k) != (uint16_t)word[k]) return REFUSED;
  return p + k;
}

static size_t skip_value(const Text *x, size_t p, int depth);

static size_t skip_array(const Text *x, size_t p, int depth) {
  if (depth > MAX_DEPTH) return REFUSED;
  p++;
  if (at(x, p) == ']') return p + 1;
  for (;;) {
    p = skip_value(x, p, depth);
    if (p == REFUSED) return REFUSED;
    uint16_t c = at(x, p++);
    if (c == ']') return p;
    if (c != ',') return REFUSED;
  }
}

static size_t skip_object(const Text *x, size_t p, int depth) {
  if (depth > MAX_DEPTH) return REFUSED;
  p++;
  if (at(x, p) == '}') return p + 1;
  size_t key_start = 1, key_end = 0;
  for (;;) {
    if (at(x, p) != '"') return REFUSED;
    size_t end = skip_string(x, p);
    if (end == REFUSED || !key_after(x, key_start, key_end, p + 1, end - 1)) return REFUSED;
    key_start = p + 1;
    key_end = end - 1;
    if (at(x, end) != ':') return REFUSED;
    p = skip_value(x, end + 1, depth);
    if (p == REFUSED) return REFUSED;
    uint16_t c = at(x, p++);
    if (c == '}') return p;
    if (c != ',') return REFUSED;
  }
}

static size_t skip_value(const Text *x, size_t p, int depth) {
  switch (at(x, p)) {
    case '"': return skip_string(x, p);
    case '{': return skip_object(x, p, depth + 1);
    case '[': return skip_array(x, p, depth + 1);
    case 't': return skip_literal(x, p, "true");
    case 'f': return skip_literal(x, p, "false");
    case 'n': return skip_literal(x, p, "null");
    default: return skip_payload_number(x, p);
  }
}

static int key_is(const Text *x, size_t a, size_t n, const char *word) {
  for (size_t k = 0; k < n; k++)
    if (word[k] == 0 || x->t[a + k] != (uint16_t)word[k]) return 0;
  return word[n] == 0;
}

enum { NONE, ORIGIN, RECORDED_AT, STREAM_ID, PREV, V, POSITION, STREAM_VERSION, EVENT_ID, TYPE, TENANT, OCCURRED_AT };

static int field_at(const Text *x, size_t a, size_t n) {
  switch (n) {
    case 1: return x->t[a] == 'v' ? V : NONE;
    case 4: return key_is(x, a, n, "type") ? TYPE : NONE;
    case 6: return key_is(x, a, n, "origin") ? ORIGIN : key_is(x, a, n, "tenant") ? TENANT : NONE;
    case 7: return key_is(x, a, n, "eventId") ? EVENT_ID : NONE;
    case 8: return key_is(x, a, n, "streamId") ? STREAM_ID : key_is(x, a, n, "position") ? POSITION : NONE;
    case 10:
      return key_is(x, a, n, "recordedAt") ? RECORDED_AT : key_is(x, a, n, "streamPrev") ? PREV
           : key_is(x, a, n, "occurredAt") ? OCCURRED_AT : NONE;
    case 13: return key_is(x, a, n, "streamVersion") ? STREAM_VERSION : NONE;
    default: return NONE;
  }
}

/* The first of a text field's two slots ([start, end) of a string value); -1 for the others. */
static int text_slot(int field) {
  switch (field) {
    case ORIGIN: return F_ORIGIN_START;
    case RECORDED_AT: return F_RECORDED_START;
    case STREAM_ID: return F_STREAM_ID_START;
    case PREV: return F_PREV_START;
    case EVENT_ID: return F_EVENT_ID_START;
    case TYPE: return F_TYPE_START;
    case TENANT: return F_TENANT_START;
    case OCCURRED_AT: return F_OCCURRED_START;
    default: return -1;
  }
}

/* The index columns' fields (ADR 0053) are only reported: any value is let through, and a
 * string's place is written. The others are required, and counted. */
static int reported_only(int field) { return field >= EVENT_ID; }

/* The envelope scan of CanonicalScan.ts#scanEnvelope, over plain code units. */
static int scan_envelope(const Text *x, double *f) {
  if (at(x, 0) != '{') return 0;
  int found = 0;
  size_t p = 1, key_start = 1, key_end = 0;
  for (int slot = F_EVENT_ID_START; slot <= F_OCCURRED_END; slot++) f[slot] = -1;
  for (;;) {
    if (at(x, p) != '"') return 0;
    size_t end = skip_string(x, p);
    if (end == REFUSED || !key_after(x, key_start, key_end, p + 1, end - 1)) return 0;
    key_start = p + 1;
    key_end = end - 1;
    if (at(x, end) != ':') return 0;
    size_t v = end + 1;
    int field = field_at(x, key_start, key_end - key_start);
    int slot = text_slot(field);
    if (slot >= 0 && at(x, v) == '"') {
      p = skip_string(x, v);
      if (p == REFUSED) return 0;
      f[slot] = (double)(v + 1);
      f[slot + 1] = (double)(p - 1);
      if (!reported_only(field)) found++;
    } else if (field == NONE || reported_only(field)) {
      p = skip_value(x, v, 1);
    } else if (field == ORIGIN || field == RECORDED_AT || field == STREAM_ID) {
      return 0;
    } else if (field == PREV) {
      p = skip_literal(x, v, "null");
      f[F_PREV_START] = -1;
      f[F_PREV_END] = -1;
      found++;
    } else {
      double value = 0;
      p = skip_number(x, v, &value);
      f[field == V ? F_V : field == POSITION ? F_POSITION : F_STREAM_VERSION] = value;
      found++;
    }
    if (p == REFUSED) return 0;
    uint16_t c = at(x, p++);
    if (c == '}') return found == 7 && p == x->n;
    if (c != ',') return 0;
  }
}

/* ---- Node-API glue ---------------------------------------------------------------------- */

static Engine *engine_of(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  void *data = NULL;
  if (napi_get_cb_info(env, info, argc, argv, NULL, &data) != napi_ok) return NULL;
  return (Engine *)data;
}

static napi_value boolean(napi_env env, int b) {
  napi_value r;
  napi_get_boolean(env, b, &r);
  return r;
}

/* A string of exactly 64 characters into out (room for 66: a longer one reads as 65 and fails). */
static int read_64(napi_env env, napi_value value, char out[66]) {
  size_t n = 0;
  return napi_get_value_string_latin1(env, value, out, 66, &n) == napi_ok && n == 64;
}

/* The engine of a call whose one argument is a string of exactly 64 characters (chain, start);
 * NULL when there is no such argument. */
static Engine *engine_and_64(napi_env env, napi_callback_info info, char out[66]) {
  size_t argc = 1;
  napi_value argv[1];
  Engine *e = engine_of(env, info, &argc, argv);
  return e != NULL && argc >= 1 && read_64(env, argv[0], out) ? e : NULL;
}

/* scan(text): 1 when the text is proven canonical (fields written, UTF-8 ready for chain). */
static napi_value js_scan(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Engine *e = engine_of(env, info, &argc, argv);
  if (e == NULL || argc < 1 || !read_text(env, e, argv[0]) || !plain_utf8(e)) return boolean(env, 0);
  int decimals = 0;
  Text x = {e->text, e->length, e->fields, &decimals};
  int proven = scan_envelope(&x, e->fields);
  e->fields[F_DECIMALS] = (double)decimals;
  return boolean(env, proven);
}

/* load(text): the text's UTF-8 for chain, when the JavaScript checks decided it. */
static napi_value js_load(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  Engine *e = engine_of(env, info, &argc, argv);
  size_t n = 0;
  if (e == NULL || argc < 1) return boolean(env, 0);
  if (napi_get_value_string_utf8(env, argv[0], NULL, 0, &n) != napi_ok) return boolean(env, 0);
  if (!grow_bytes(e, 33 + n + 1)) return boolean(env, 0);
  napi_get_value_string_utf8(env, argv[0], (char *)e->bytes + 33, n + 1, &n);
  e->record_bytes = n;
  return boolean(env, 1);
}

/* chain(claimedHex): whether SHA-256(prev ‖ record) is the 64 lowercase hex digits given. */
static napi_value js_chain(napi_env env, napi_callback_info info) {
  char claimed[66];
  Engine *e = engine_and_64(env, info, claimed);
  if (e == NULL) return boolean(env, 0);
  sha256(e->bytes + 1, 32 + e->record_bytes, e->digest);
  for (int i = 0; i < 32; i++)
    if (claimed[2 * i] != HEX[e->digest[i] >> 4] || claimed[2 * i + 1] != HEX[e->digest[i] & 15])
      return boolean(env, 0);
  return boolean(env, 1);
}

static void push_leaf(Engine *e, const uint8_t leaf[32]) {
  uint8_t node[32], input[65];
  memcpy(node, leaf, 32);
  input[0] = 0x01;
  uint64_t s = (uint64_t)e->size;
  while ((s & 1) == 1) {
    e->depth--;
    memcpy(input + 1, e->stack[e->depth], 32);
    memcpy(input + 33, node, 32);
    sha256(input, 65, node);
    s >>= 1;
  }
  memcpy(e->stack[e->depth++], node, 32);
  e->size += 1;
}

/* accept(): the hash chain just computed becomes the previous hash, and its leaf joins the range. */
static napi_value js_accept(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  Engine *e = engine_of(env, info, &argc, NULL);
  if (e == NULL) return NULL;
  uint8_t leaf[32];
  memcpy(e->bytes + 1, e->digest, 32);
  e->bytes[0] = 0x00;
  sha256(e->bytes, 33, leaf);
  push_leaf(e, leaf);
  return NULL;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* start(prevHex): the previous hash, as 64 lowercase hex digits; false (unchanged) otherwise. */
static napi_value js_start(napi_env env, napi_callback_info info) {
  char h[66];
  Engine *e = engine_and_64(env, info, h);
  if (e == NULL) return boolean(env, 0);
  uint8_t prev[32];
  for (int i = 0; i < 32; i++) {
    int a = hex_value(h[2 * i]), b = hex_value(h[2 * i + 1]);
    if (a < 0 || b < 0) return boolean(env, 0);
    prev[i] = (uint8_t)(a << 4 | b);
  }
  memcpy(e->bytes + 1, prev, 32);
  return boolean(env, 1);
}

/* range(): [size, ...subtree roots as 32-character latin1 strings, largest first]. */
static napi_value js_range(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  Engine *e = engine_of(env, info, &argc, NULL);
  napi_value out, v;
  if (e == NULL) return NULL;
  napi_create_array_with_length(env, (size_t)e->depth + 1, &out);
  napi_create_double(env, e->size, &v);
  napi_set_element(env, out, 0, v);
  for (int i = 0; i < e->depth; i++) {
    napi_create_string_latin1(env, (const char *)e->stack[i], 32, &v);
    napi_set_element(env, out, (uint32_t)i + 1, v);
  }
  return out;
}

/* setRange(size, roots): the range as the JavaScript side holds it (latin1 strings). */
static napi_value js_set_range(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  Engine *e = engine_of(env, info, &argc, argv);
  double size = 0;
  uint32_t length = 0;
  if (e == NULL || argc < 2) return boolean(env, 0);
  if (napi_get_value_double(env, argv[0], &size) != napi_ok) return boolean(env, 0);
  if (napi_get_array_length(env, argv[1], &length) != napi_ok || length > MAX_STACK) return boolean(env, 0);
  /* A compact range of `size` leaves has one root per binary one of `size`: anything else would
   * fold wrongly, or past the end of the stack. */
  if (!(size >= 0 && size <= 9007199254740992.0) || size != (double)(uint64_t)size ||
      __builtin_popcountll((uint64_t)size) != (int)length)
    return boolean(env, 0);
  /* Every root is read before any is kept, so a refused range leaves the engine's as it was. */
  uint8_t roots[MAX_STACK][32];
  for (uint32_t i = 0; i < length; i++) {
    napi_value item;
    char root[34];
    size_t n = 0;
    if (napi_get_element(env, argv[1], i, &item) != napi_ok ||
        napi_get_value_string_latin1(env, item, root, sizeof root, &n) != napi_ok || n != 32)
      return boolean(env, 0);
    memcpy(roots[i], root, 32);
  }
  memcpy(e->stack, roots, (size_t)length * 32);
  e->depth = (int)length;
  e->size = size;
  return boolean(env, 1);
}

static void release(napi_env env, void *data, void *hint) {
  (void)hint;
  Engine *e = (Engine *)data;
  if (--e->holders > 0) return;
  if (e->fields_ref != NULL) napi_delete_reference(env, e->fields_ref);
  free(e->text);
  free(e->bytes);
  free(e);
}

static int define(napi_env env, napi_value object, const char *name, napi_callback cb, Engine *e) {
  napi_value fn;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, e, &fn) != napi_ok) return 0;
  e->holders++;
  if (napi_add_finalizer(env, fn, e, release, NULL, NULL) != napi_ok) {
    e->holders--;
    return 0;
  }
  return napi_set_named_property(env, object, name, fn) == napi_ok;
}

/* open(fields: Float64Array of at least F_COUNT): one engine, as an object of functions bound to it. */
static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (argc < 1 || napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_float64_array || length < F_COUNT) {
    char message[64];
    snprintf(message, sizeof message, "open needs a Float64Array of at least %d fields", (int)F_COUNT);
    napi_throw_type_error(env, NULL, message);
    return NULL;
  }
  Engine *e = calloc(1, sizeof(Engine));
  if (e == NULL) return NULL;
  e->text_cap = 4096;
  e->text = malloc(e->text_cap * sizeof(uint16_t));
  e->bytes_cap = 16384;
  e->bytes = calloc(e->bytes_cap, 1);
  e->fields = (double *)data;
  if (e->text == NULL || e->bytes == NULL) {
    free(e->text);
    free(e->bytes);
    free(e);
    return NULL;
  }
  napi_create_reference(env, argv[0], 1, &e->fields_ref);
  napi_value object;
  e->holders = 1;
  if (napi_create_object(env, &object) != napi_ok || napi_add_finalizer(env, object, e, release, NULL, NULL) != napi_ok) {
    release(env, e, NULL);
    return NULL;
  }
  /* From here the object holds the engine: a failure leaves it to the collector. */
  if (!define(env, object, "scan", js_scan, e) || !define(env, object, "load", js_load, e) ||
      !define(env, object, "chain", js_chain, e) || !define(env, object, "accept", js_accept, e) ||
      !define(env, object, "start", js_start, e) || !define(env, object, "range", js_range, e) ||
      !define(env, object, "setRange", js_set_range, e))
    return NULL;
  return object;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "open", NAPI_AUTO_LENGTH, js_open, NULL, &fn);
  napi_set_named_property(env, exports, "open", fn);
  return exports;
}
