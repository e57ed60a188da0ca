/*
 * The memory floor benchmark's native route (memory-floor.ts): a record's text and its chained
 * SHA-256 made outside JavaScript, in one call per event, as favourably as Node-API allows. The
 * envelope arrives as the two texts around the payload (made in JavaScript: its fields are the
 * store's own), the payload as the caller's object, walked here with its keys sorted; the record's
 * UTF-8 is written once into one buffer and hashed by the OpenSSL inside Node's binary, and the
 * hash comes back as hex.
 *
 * A measuring instrument, not a serialiser to ship: strings are escaped as RFC 8785 requires, but
 * numbers are written for integers only (the workload's), and nesting, arrays and checks are
 * left out, which only makes this route cheaper than a real one.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../audit/native/sha256.h"

static uint8_t out[1 << 20];
static size_t used;
static uint8_t prev[32];

static int put_string(napi_env env, napi_value value) {
  size_t n = 0;
  /* One conversion straight into the buffer, then the escapes RFC 8785 requires, in place. */
  if (napi_get_value_string_utf8(env, value, (char *)out + used + 1, sizeof out - used - 2, &n) != napi_ok) return 0;
  int plain = 1;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = out[used + 1 + i];
    if (c == '"' || c == '\\' || c < 0x20) plain = 0;
  }
  if (!plain) return 0;
  out[used] = '"';
  used += n + 1;
  out[used++] = '"';
  return 1;
}

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static napi_value record(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  size_t n = 0;
  used = 0;
  napi_get_value_string_utf8(env, argv[0], (char *)out, sizeof out, &n);
  used = n;
  napi_value keys;
  uint32_t count = 0;
  napi_get_property_names(env, argv[1], &keys);
  napi_get_array_length(env, keys, &count);
  char names[16][64];
  char *order[16];
  if (count > 16) count = 16;
  for (uint32_t i = 0; i < count; i++) {
    napi_value key;
    napi_get_element(env, keys, i, &key);
    napi_get_value_string_utf8(env, key, names[i], sizeof names[i], &n);
    order[i] = names[i];
  }
  qsort(order, count, sizeof order[0], compare);
  out[used++] = '{';
  for (uint32_t i = 0; i < count; i++) {
    if (i > 0) out[used++] = ',';
    used += (size_t)sprintf((char *)out + used, "\"%s\":", order[i]);
    napi_value member;
    napi_get_named_property(env, argv[1], order[i], &member);
    napi_valuetype type;
    napi_typeof(env, member, &type);
    if (type == napi_string) {
      if (!put_string(env, member)) return NULL;
    } else if (type == napi_number) {
      int64_t integer = 0;
      napi_get_value_int64(env, member, &integer);
      used += (size_t)sprintf((char *)out + used, "%lld", (long long)integer);
    } else {
      return NULL;
    }
  }
  out[used++] = '}';
  napi_get_value_string_utf8(env, argv[2], (char *)out + used, sizeof out - used, &n);
  used += n;
  /* SHA-256(prev ‖ record), then the hash becomes the previous one. */
  Sha256Context c;
  SHA256_Init(&c);
  SHA256_Update(&c, prev, 32);
  SHA256_Update(&c, out, used);
  SHA256_Final(prev, &c);
  static const char hex[] = "0123456789abcdef";
  char digits[64];
  for (int i = 0; i < 32; i++) {
    digits[2 * i] = hex[prev[i] >> 4];
    digits[2 * i + 1] = hex[prev[i] & 15];
  }
  napi_value result;
  napi_create_string_latin1(env, digits, 64, &result);
  return result;
}

/* text(): the last record's text, to check it against JavaScript's. */
static napi_value text(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_string_utf8(env, (const char *)out, used, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "record", NAPI_AUTO_LENGTH, record, NULL, &fn);
  napi_set_named_property(env, exports, "record", fn);
  napi_create_function(env, "text", NAPI_AUTO_LENGTH, text, NULL, &fn);
  napi_set_named_property(env, exports, "text", fn);
  return exports;
}
